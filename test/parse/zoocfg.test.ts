import * as assert from 'node:assert/strict';
import { parseZooCfg, type ZooServer } from '../../server/src/core/parse/zoocfg';
import type { Span } from '../../server/src/core/types';

const at = (text: string, s: Span | undefined): string | undefined => (s ? text.slice(s.start, s.end) : undefined);

const WRONG =
  ' does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port';

/** a compact view of a server line where every span is replaced by the text it covers */
function view(text: string, s: ZooServer): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: s.id,
    idText: at(text, s.idSpan),
    role: s.role,
    addresses: s.addresses.map((a) =>
      [at(text, a.hostSpan), at(text, a.quorumPortSpan), at(text, a.electionPortSpan), a.roleSpan ? at(text, a.roleSpan) : undefined].filter((x) => x !== undefined).join(':'),
    ),
    ports: s.addresses.map((a) => [a.quorumPort, a.electionPort]),
  };
  if (s.clientPortSpan) out.client = `${s.clientHostSpan ? at(text, s.clientHostSpan) + '|' : ''}${at(text, s.clientPortSpan)}=${s.clientPort}`;
  if (s.error) out.error = [s.error.message, at(text, s.error.span)];
  if (s.multiAddress) out.multiAddress = true;
  return out;
}

describe('parseZooCfg', () => {
  describe('java.util.Properties semantics', () => {
    const cases: { name: string; text: string; entries: [string, string][] }[] = [
      { name: 'key=value', text: 'tickTime=2000\n', entries: [['tickTime', '2000']] },
      { name: 'key:value and key value', text: 'a:1\nb 2\nc\t3\nd\f4\n', entries: [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']] },
      { name: 'whitespace around the separator', text: 'a = 1\nb  :  2\nc   3\n', entries: [['a', '1'], ['b', '2'], ['c', '3']] },
      { name: 'only the first separator counts', text: 'a==1\nb=:2\nc :=3\nd = = 4\n', entries: [['a', '=1'], ['b', ':2'], ['c', '=3'], ['d', '= 4']] },
      { name: 'a key alone has an empty value', text: 'standalone\nother=\n', entries: [['standalone', ''], ['other', '']] },
      { name: 'comments with # and ! after whitespace', text: '# c\n  ! c\n\t#x=1\na=1 # not a comment\n', entries: [['a', '1 # not a comment']] },
      { name: 'blank lines and indentation', text: '\n\n   a=1\n\t\tb=2\n\n', entries: [['a', '1'], ['b', '2']] },
      { name: 'CRLF', text: 'a=1\r\nb=2\r\n', entries: [['a', '1'], ['b', '2']] },
      { name: 'CR only', text: 'a=1\rb=2\r', entries: [['a', '1'], ['b', '2']] },
      { name: 'no final newline', text: 'a=1\nb=2', entries: [['a', '1'], ['b', '2']] },
      { name: 'continuation lines drop leading whitespace', text: 'a=x\\\n    y\\\n\t z\nb=2\n', entries: [['a', 'xyz'], ['b', '2']] },
      { name: 'continuation with CRLF', text: 'a=x\\\r\n  y\r\nb=2', entries: [['a', 'xy'], ['b', '2']] },
      { name: 'an even number of backslashes does not continue', text: 'a=x\\\\\nb=2\n', entries: [['a', 'x\\'], ['b', '2']] },
      { name: 'a continuation into a blank line ends the entry', text: 'a=x\\\n\nb=2\n', entries: [['a', 'x'], ['b', '2']] },
      { name: 'a # in a continuation line is data', text: 'a=x\\\n  #y\n', entries: [['a', 'x#y']] },
      { name: 'a comment line does not continue', text: '# c \\\na=1\n', entries: [['a', '1']] },
      { name: 'continuation in the key', text: 'ti\\\n  ckTime=1\n', entries: [['tickTime', '1']] },
      { name: 'trailing backslash at EOF is dropped', text: 'a=x\\', entries: [['a', 'x']] },
      { name: 'escapes', text: 'a=\\t\\n\\r\\f\\=\\:\\\\\\#\\q\nk\\ ey=v\n\\u0041=\\u00e9\\u20AC\n', entries: [['a', '=:\\#q'], ['k ey', 'v'], ['A', 'é€']] },
      { name: 'escaped separators stay in the key', text: 'a\\=b=c\na\\:b:c\n', entries: [['a=b', 'c'], ['a:b', 'c']] },
      { name: 'keys and values are trim()med, the raw value is kept', text: 'a=1 \t\n', entries: [['a', '1']] },
      { name: 'duplicate keys are all listed', text: 'a=1\na=2\n', entries: [['a', '1'], ['a', '2']] },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = parseZooCfg(c.text);
        assert.deepEqual(
          r.entries.map((e) => [e.key, e.value]),
          c.entries,
        );
        assert.deepEqual(r.problems, []);
      });
    }

    it('keeps the untrimmed value', () => {
      const t = 'server.1=127.0.0.1:2888:3888 \t\n';
      const e = parseZooCfg(t).entries[0];
      assert.equal(e.value, '127.0.0.1:2888:3888');
      assert.equal(e.untrimmedValue, '127.0.0.1:2888:3888 \t');
      assert.equal(at(t, e.valueSpan), '127.0.0.1:2888:3888 \t');
    });

    it('gives exact key, value and line spans', () => {
      const t = '# zoo\n  dataDir = /var/lib/zk  \nserver.1=h:1:2\\\n      ;2181\nk\n';
      const r = parseZooCfg(t);
      assert.deepEqual(
        r.entries.map((e) => [at(t, e.keySpan), at(t, e.valueSpan), at(t, e.lineSpan)]),
        [
          ['dataDir', '/var/lib/zk  ', 'dataDir = /var/lib/zk  '],
          ['server.1', 'h:1:2\\\n      ;2181', 'server.1=h:1:2\\\n      ;2181'],
          ['k', '', 'k'],
        ],
      );
      assert.equal(r.entries[1].value, 'h:1:2;2181');
      assert.deepEqual(r.entries[2].valueSpan, { start: t.length - 1, end: t.length - 1 });
    });

    it('byKey keeps the last entry per key', () => {
      const r = parseZooCfg('tickTime=1\nclientPort=2181\ntickTime=2\n');
      assert.equal(r.byKey.get('tickTime')!.value, '2');
      assert.equal(r.byKey.get('clientPort')!.value, '2181');
      assert.equal(r.byKey.get('ticktime'), undefined);
    });

    it('reports a malformed \\u escape (Java throws "Malformed \\uxxxx encoding.")', () => {
      const t = 'a=1\nb=\\u12g4\nc=\\u12\n';
      const r = parseZooCfg(t);
      assert.deepEqual(
        r.problems.map((p) => [p.message, at(t, p.span)]),
        [
          ['Malformed \\uxxxx encoding.', '\\u12'],
          ['Malformed \\uxxxx encoding.', '\\u12'],
        ],
      );
      assert.deepEqual(r.entries.map((e) => e.key), ['a', 'b', 'c']);
    });

    it('skips a BOM and reports that ZooKeeper (ISO-8859-1) glues it to the first key', () => {
      const t = '\ufefftickTime=2000\nclientPort=2181\n';
      const r = parseZooCfg(t);
      assert.equal(r.bom, true);
      assert.deepEqual(r.entries.map((e) => e.key), ['tickTime', 'clientPort']);
      assert.equal(at(t, r.entries[0].keySpan), 'tickTime');
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0].message, /byte order mark/);
    });

    it('a BOM before a comment line is harmless', () => {
      const r = parseZooCfg('\ufeff# comment\ntickTime=2000\n');
      assert.equal(r.bom, true);
      assert.deepEqual(r.problems, []);
    });

    it('a key-only line is not a problem', () => {
      assert.deepEqual(parseZooCfg('justakey\n').problems, []);
    });
  });

  describe('server.N lines (ZooKeeper 3.8.0 results from zk-3.8.0-parse-cases.txt)', () => {
    const cases: { name: string; line: string; expect: Record<string, unknown> }[] = [
      {
        name: 'ok3',
        line: 'server.1=127.0.0.1:2888:3888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]] },
      },
      {
        name: 'clientport-inline-only: participant;host:port',
        line: 'server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888:participant'], ports: [[2888, 3888]], client: '127.0.0.1|2181=2181' },
      },
      {
        name: 'clientport-inline-only: observer with [::1] and ;port',
        line: 'server.3=[::1]:2888:3888:observer;2181',
        expect: { id: 3, idText: '3', role: 'observer', addresses: ['::1:2888:3888:observer'], ports: [[2888, 3888]], client: '2181=2181' },
      },
      {
        name: 'ipv6 with ;[::1]:2181',
        line: 'server.2=[::2]:2888:3888;[::1]:2181',
        expect: { id: 2, idText: '2', role: 'participant', addresses: ['::2:2888:3888'], ports: [[2888, 3888]], client: '::1|2181=2181' },
      },
      {
        name: 'spaces-around-eq',
        line: 'server.1 = 127.0.0.1:2888:3888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]] },
      },
      {
        name: 'type-case: Observer',
        line: 'server.1=127.0.0.1:2888:3888:Observer',
        expect: { id: 1, idText: '1', role: 'observer', addresses: ['127.0.0.1:2888:3888:Observer'], ports: [[2888, 3888]] },
      },
      {
        name: 'type-case: PARTICIPANT',
        line: 'server.2=127.0.0.2:2888:3888:PARTICIPANT',
        expect: { id: 2, idText: '2', role: 'participant', addresses: ['127.0.0.2:2888:3888:PARTICIPANT'], ports: [[2888, 3888]] },
      },
      {
        name: 'the role is trim()med by ZooKeeper',
        line: 'server.2=h:1:2:observer ',
        expect: { id: 2, idText: '2', role: 'observer', addresses: ['h:1:2:observer '], ports: [[1, 2]] },
      },
      {
        name: 'srv-trailing-space',
        line: 'server.1=127.0.0.1:2888:3888 ',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888 '], ports: [[2888, undefined]], error: ['Address unresolved: 127.0.0.1:3888 ', '3888 '] },
      },
      {
        name: 'srv-same-ports',
        line: 'server.1=127.0.0.1:2888:2888',
        expect: {
          id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:2888'], ports: [[2888, 2888]],
          error: ['Client and election port must be different! Please update the configuration file on server.1', '2888'],
        },
      },
      {
        name: 'srv-bad-type',
        line: 'server.1=127.0.0.1:2888:3888:foo',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888:foo'], ports: [[2888, 3888]], error: ['Unrecognised peertype: foo', 'foo'] },
      },
      {
        name: 'srv-5parts',
        line: 'server.1=127.0.0.1:2888:3888:1:2',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]], error: ['127.0.0.1:2888:3888:1:2' + WRONG, '127.0.0.1:2888:3888:1:2'] },
      },
      {
        name: 'srv-missing-election',
        line: 'server.1=127.0.0.1:2888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888'], ports: [[2888, undefined]], error: ['127.0.0.1:2888' + WRONG, '127.0.0.1:2888'] },
      },
      {
        name: 'srv-nonnum-id',
        line: 'server.a=127.0.0.1:2888:3888',
        expect: { id: undefined, idText: 'a', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]], error: ['NumberFormatException: For input string: "a"', 'a'] },
      },
      {
        name: 'srv-nonnum-port',
        line: 'server.1=127.0.0.1:abc:3888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:abc:3888'], ports: [[undefined, 3888]], error: ['Address unresolved: 127.0.0.1:abc', 'abc'] },
      },
      {
        name: 'two-semicolons',
        line: 'server.1=127.0.0.1:2888:3888;2181;x',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]], error: ['127.0.0.1:2888:3888;2181;x' + WRONG, '127.0.0.1:2888:3888;2181;x'] },
      },
      {
        name: 'client-part-3',
        line: 'server.1=127.0.0.1:2888:3888;a:b:c',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]], error: ['127.0.0.1:2888:3888;a:b:c' + WRONG, '127.0.0.1:2888:3888;a:b:c'] },
      },
      {
        name: 'multiaddr-disabled: recorded, flagged, not an error',
        line: 'server.1=127.0.0.1:2888:3888|127.0.0.9:2888:3888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['127.0.0.1:2888:3888', '127.0.0.9:2888:3888'], ports: [[2888, 3888], [2888, 3888]], multiAddress: true },
      },
      {
        name: 'sid-neg',
        line: 'server.-3=127.0.0.3:2888:3888',
        expect: { id: -3, idText: '-3', role: 'participant', addresses: ['127.0.0.3:2888:3888'], ports: [[2888, 3888]] },
      },
      {
        name: 'sid-zero',
        line: 'server.0=127.0.0.1:2888:3888',
        expect: { id: 0, idText: '0', role: 'participant', addresses: ['127.0.0.1:2888:3888'], ports: [[2888, 3888]] },
      },
      {
        name: 'sid-300',
        line: 'server.300=127.0.0.3:2888:3888',
        expect: { id: 300, idText: '300', role: 'participant', addresses: ['127.0.0.3:2888:3888'], ports: [[2888, 3888]] },
      },
      {
        name: 'server.01 is id 1',
        line: 'server.01=127.0.0.5:2888:3888',
        expect: { id: 1, idText: '01', role: 'participant', addresses: ['127.0.0.5:2888:3888'], ports: [[2888, 3888]] },
      },
      {
        name: 'unresolvable host names are fine',
        line: 'server.1=zoo1.invalid:2888:3888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['zoo1.invalid:2888:3888'], ports: [[2888, 3888]] },
      },
      // beyond the RUN cases: ZooKeeper 3.8 source (QuorumServer / ConfigUtils.getHostAndPort)
      {
        name: 'a trailing colon is dropped by String.split',
        line: 'server.1=h:1:2:',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['h:1:2'], ports: [[1, 2]] },
      },
      {
        name: 'non-numeric client port names the (still null) hostname',
        line: 'server.1=h:1:2;abc',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['h:1:2'], ports: [[1, 2]], client: 'abc=undefined', error: ['Address unresolved: null:abc', 'abc'] },
      },
      {
        name: 'trailing space after the client port',
        line: 'server.1=h:1:2;2181 ',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['h:1:2'], ports: [[1, 2]], client: '2181 =undefined', error: ['Address unresolved: null:2181 ', '2181 '] },
      },
      {
        name: 'port out of range',
        line: 'server.1=h:70000:2',
        expect: { id: 1, idText: '1', role: 'participant', addresses: ['h:70000:2'], ports: [[undefined, 2]], error: ['port out of range:70000', '70000'] },
      },
      {
        name: 'unclosed IPv6 bracket',
        line: 'server.1=[::1:2888:3888',
        expect: { id: 1, idText: '1', role: 'participant', addresses: [], ports: [], error: ["[::1:2888:3888 starts with '[' but has no matching ']:'", '[::1:2888:3888'] },
      },
      {
        name: 'IPv6 without a port',
        line: 'server.1=[::1]:',
        expect: { id: 1, idText: '1', role: 'participant', addresses: [], ports: [], error: ["[::1]: doesn't have a port after colon", '[::1]:'] },
      },
      {
        name: 'multi-address with different roles',
        line: 'server.1=a:1:2:observer|b:1:2:participant',
        expect: {
          id: 1, idText: '1', role: 'observer', addresses: ['a:1:2:observer', 'b:1:2:participant'], ports: [[1, 2], [1, 2]], multiAddress: true,
          error: ['Multiple addresses should have similar roles: PARTICIPANT vs PARTICIPANT', 'participant'],
        },
      },
      {
        name: 'the id error comes first',
        line: 'server.x=h:1:1',
        expect: { id: undefined, idText: 'x', role: 'participant', addresses: ['h:1:1'], ports: [[1, 1]], error: ['NumberFormatException: For input string: "x"', 'x'] },
      },
      {
        name: 'an id beyond Long is not a number',
        line: 'server.9223372036854775808=h:1:2',
        expect: { id: undefined, idText: '9223372036854775808', role: 'participant', addresses: ['h:1:2'], ports: [[1, 2]], error: ['NumberFormatException: For input string: "9223372036854775808"', '9223372036854775808'] },
      },
      {
        name: 'an empty value',
        line: 'server.4=',
        expect: { id: 4, idText: '4', role: 'participant', addresses: [], ports: [], error: [WRONG, ''] },
      },
      {
        name: 'escapes are decoded before the grammar, spans cover the escape',
        line: 'server.5=\\u0068ost:1:2',
        expect: { id: 5, idText: '5', role: 'participant', addresses: ['\\u0068ost:1:2'], ports: [[1, 2]] },
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const t = 'tickTime=2000\n' + c.line + '\n';
        const r = parseZooCfg(t);
        assert.equal(r.servers.length, 1);
        assert.deepEqual(view(t, r.servers[0]), c.expect);
        assert.equal(r.servers[0].entry, r.entries[1]);
      });
    }

    it('dup-key: the last server.1 wins', () => {
      const t = 'server.1=127.0.0.1:2888:3888\nserver.2=127.0.0.2:2888:3888\nserver.1=127.0.0.5:2888:3888\n';
      const r = parseZooCfg(t);
      assert.deepEqual(r.servers.map((s) => [s.idText, s.addresses[0].host]), [['2', '127.0.0.2'], ['1', '127.0.0.5']]);
      assert.equal(r.entries.length, 3);
    });

    it('dup-id-01: server.1 and server.01 are distinct keys with the same id', () => {
      const t = 'server.1=127.0.0.1:2888:3888\nserver.01=127.0.0.5:2888:3888\nserver.2=127.0.0.2:2888:3888\n';
      const r = parseZooCfg(t);
      assert.deepEqual(r.servers.map((s) => [s.idText, s.id]), [['1', 1], ['01', 1], ['2', 2]]);
    });

    it('a full three-node config', () => {
      const t = [
        'tickTime=2000',
        'initLimit=10',
        'syncLimit=5',
        'dataDir=/var/lib/zookeeper',
        'clientPort=2181',
        'server.1=zk1:2888:3888',
        'server.2=zk2:2888:3888',
        'server.3=zk3:2888:3888:observer;0.0.0.0:2181',
        '',
      ].join('\r\n');
      const r = parseZooCfg(t);
      assert.equal(r.entries.length, 8);
      assert.equal(r.byKey.get('dataDir')!.value, '/var/lib/zookeeper');
      assert.deepEqual(r.servers.map((s) => [s.id, s.role, s.addresses[0].host, s.clientHost, s.clientPort, s.error]), [
        [1, 'participant', 'zk1', undefined, undefined, undefined],
        [2, 'participant', 'zk2', undefined, undefined, undefined],
        [3, 'observer', 'zk3', '0.0.0.0', 2181, undefined],
      ]);
      for (const s of r.servers) {
        assert.equal(at(t, s.entry.keySpan), `server.${s.idText}`);
        assert.equal(at(t, s.addresses[0].quorumPortSpan), '2888');
      }
      assert.deepEqual(r.problems, []);
    });

    it('hierarchical: group.N and weight.N', () => {
      const t = 'server.1=a:1:2\ngroup.1=1:2:3\nweight.1=1\nweight.2=1\nweight.1=3\n';
      const r = parseZooCfg(t);
      assert.deepEqual(r.groups.map((e) => [e.key, e.value]), [['group.1', '1:2:3']]);
      assert.deepEqual(r.weights.map((e) => [e.key, e.value]), [['weight.2', '1'], ['weight.1', '3']]);
    });

    it('keys are case-sensitive: Server.1 is not a server line', () => {
      assert.equal(parseZooCfg('Server.1=a:1:2\n').servers.length, 0);
    });
  });

  describe('robustness', () => {
    it('never throws on random junk', () => {
      let seed = 3;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
      const alphabet = 'server.1=:;|[]\\u \t\r\n#!abc0123456789';
      for (let k = 0; k < 2000; k++) {
        let s = '';
        const len = rnd() % 80;
        for (let i = 0; i < len; i++) s += k % 2 ? alphabet[rnd() % alphabet.length] : String.fromCharCode(rnd() % 0x10000);
        const r = parseZooCfg(s);
        for (const e of r.entries) {
          assert.ok(e.keySpan.start <= e.keySpan.end && e.keySpan.end <= s.length);
          assert.ok(e.valueSpan.start <= e.valueSpan.end && e.valueSpan.end <= s.length);
        }
      }
    });

    const big: [string, string][] = [
      ['180k server lines', 'server.1=127.0.0.1:2888:3888\n'.repeat(180_000)],
      ['1.25M tiny entries', 'k=v\n'.repeat(1_250_000)],
      ['one 5M value', 'a=' + 'x'.repeat(5_000_000)],
      ['1.5M continuation lines', 'a=' + 'x\\\n'.repeat(1_500_000)],
      ['800k addresses', 'server.1=' + 'a:1:2|'.repeat(800_000)],
      ['700k escapes in a server line', 'server.1=' + '\\u0041'.repeat(700_000)],
      ['5M backslashes', '\\'.repeat(5_000_000)],
      ['5M newlines', '\n'.repeat(5_000_000)],
      ['5M #', '#'.repeat(5_000_000)],
      ['a 5M-digit server id', 'server.' + '1'.repeat(5_000_000) + '=h:1:2'],
    ];
    for (const [name, t] of big) {
      it(`does not hang on ${name} (5 MB)`, function () {
        this.timeout(60_000);
        const t0 = Date.now();
        parseZooCfg(t);
        const ms = Date.now() - t0;
        assert.ok(ms < 15_000, `took ${ms} ms`);
      });
    }

    it('accepts a non-string without throwing', () => {
      assert.deepEqual(parseZooCfg(undefined as unknown as string).entries, []);
    });
  });
});
