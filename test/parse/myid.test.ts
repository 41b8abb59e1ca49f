import * as assert from 'node:assert/strict';
import { parseMyId } from '../../server/src/core/parse/myid';

describe('parseMyId', () => {
  // ZooKeeper 3.8.0 RUN results (domain-facts §8, zk-3.8.0-parse-cases.txt) plus Long.parseLong edge cases
  const cases: { name: string; text: string; id?: number; firstLine: string | null; error?: string }[] = [
    { name: '1\\n', text: '1\n', id: 1, firstLine: '1' },
    { name: 'no newline', text: '3', id: 3, firstLine: '3' },
    { name: 'CRLF', text: '1\r\n', id: 1, firstLine: '1' },
    { name: 'CR only', text: '7\r', id: 7, firstLine: '7' },
    { name: 'leading zero', text: '01\n', id: 1, firstLine: '01' },
    { name: 'plus sign', text: '+1\n', id: 1, firstLine: '+1' },
    { name: 'two lines: first wins', text: '1\n2\n', id: 1, firstLine: '1' },
    { name: 'zero', text: '0\n', id: 0, firstLine: '0' },
    { name: 'negative', text: '-3\n', id: -3, firstLine: '-3' },
    { name: 'trailing space', text: '1 \n', firstLine: '1 ', error: 'serverid 1  is not a number' },
    { name: 'leading space', text: ' 1\n', firstLine: ' 1', error: 'serverid  1 is not a number' },
    { name: 'blank line', text: '\n', firstLine: '', error: 'serverid  is not a number' },
    { name: 'CR then id', text: '\r1\n', firstLine: '', error: 'serverid  is not a number' },
    { name: 'empty file', text: '', firstLine: null, error: 'serverid null is not a number' },
    { name: 'text', text: 'one\n', firstLine: 'one', error: 'serverid one is not a number' },
    { name: 'tab', text: '1\t\n', firstLine: '1\t', error: 'serverid 1\t is not a number' },
    { name: 'sign only', text: '+\n', firstLine: '+', error: 'serverid + is not a number' },
    { name: 'double sign', text: '+-1', firstLine: '+-1', error: 'serverid +-1 is not a number' },
    { name: 'decimal', text: '1.0', firstLine: '1.0', error: 'serverid 1.0 is not a number' },
    { name: 'hex', text: '0x1', firstLine: '0x1', error: 'serverid 0x1 is not a number' },
    { name: 'Long.MAX_VALUE', text: '9223372036854775807', id: 9223372036854775807, firstLine: '9223372036854775807' },
    { name: 'Long.MIN_VALUE', text: '-9223372036854775808', id: -9223372036854775808, firstLine: '-9223372036854775808' },
    { name: 'overflow', text: '9223372036854775808', firstLine: '9223372036854775808', error: 'serverid 9223372036854775808 is not a number' },
    { name: 'Unicode digits (Character.digit accepts them)', text: '\u0661\u0662\n', id: 12, firstLine: '\u0661\u0662' },
    { name: 'fullwidth digits', text: '\uff13', id: 3, firstLine: '\uff13' },
    { name: 'BOM is not stripped by BufferedReader', text: '\ufeff1\n', firstLine: '\ufeff1', error: 'serverid \ufeff1 is not a number' },
    {
      name: 'Debian placeholder text',
      text: "replace this text with the cluster-unique zookeeper's instance id (1-255)\n",
      firstLine: "replace this text with the cluster-unique zookeeper's instance id (1-255)",
      error: "serverid replace this text with the cluster-unique zookeeper's instance id (1-255) is not a number",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const r = parseMyId(c.text);
      assert.equal(r.firstLine, c.firstLine);
      assert.equal(r.id, c.id);
      assert.equal(r.error, c.error);
      assert.equal(r.span.start, 0);
      assert.equal(c.text.slice(r.span.start, r.span.end), c.firstLine ?? '');
    });
  }

  it('keeps the exact id text for ids beyond 2^53', () => {
    const r = parseMyId('9007199254740993\n');
    assert.equal(r.idString, '9007199254740993');
    assert.equal(r.firstLine, '9007199254740993');
    assert.equal(r.error, undefined);
  });

  it('handles a huge single line quickly and shortens the message', () => {
    const big = '1'.repeat(5_000_000);
    const t0 = Date.now();
    const r = parseMyId(big);
    assert.ok(Date.now() - t0 < 2000);
    assert.equal(r.id, undefined);
    assert.equal(r.firstLine?.length, 5_000_000);
    assert.ok(r.error!.startsWith('serverid 111'));
    assert.ok(r.error!.length < 300);
  });

  it('handles a huge file with a short first line', () => {
    const r = parseMyId('2\n' + 'x'.repeat(5_000_000));
    assert.equal(r.id, 2);
  });

  it('never throws on binary junk', () => {
    let seed = 1;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
    for (let k = 0; k < 200; k++) {
      let s = '';
      const len = rnd() % 40;
      for (let i = 0; i < len; i++) s += String.fromCharCode(rnd() % 0x10000);
      const r = parseMyId(s);
      assert.ok(r.error !== undefined || r.id !== undefined);
    }
  });
});
