import * as assert from 'node:assert/strict';
import { parseUri, type ParsedUri, type UriEndpoint } from '../../server/src/core/parse/uri';
import type { Span } from '../../server/src/core/types';

const at = (text: string, s: Span | undefined): string | undefined => (s ? text.slice(s.start, s.end) : undefined);

/** a compact, span-checked view of an endpoint: spans are replaced by the text they cover */
function view(text: string, e: UriEndpoint): Record<string, unknown> {
  const out: Record<string, unknown> = { scheme: e.scheme, schemeText: at(text, e.schemeSpan), text: at(text, e.span) };
  if (e.host !== undefined) {
    out.host = e.host;
    out.hostText = at(text, e.hostSpan);
  }
  if (e.portSpan) {
    out.port = e.port;
    out.portText = e.portText;
    out.portSpanText = at(text, e.portSpan);
  }
  if (e.query.length) out.query = e.query.map((q) => `${at(text, q.keySpan)}=${at(text, q.valueSpan)}`);
  if (e.hasPlaceholder) out.hasPlaceholder = true;
  return out;
}

function problems(text: string, r: ParsedUri): string[] {
  return r.problems.map((p) => `${at(text, p.span)} :: ${p.message}`);
}

describe('parseUri', () => {
  describe('plain URIs', () => {
    const cases: { uri: string; expect: Record<string, unknown> }[] = [
      {
        uri: 'tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600',
        expect: {
          scheme: 'tcp', schemeText: 'tcp', text: 'tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600',
          host: '0.0.0.0', hostText: '0.0.0.0', port: 61616, portText: '61616', portSpanText: '61616',
          query: ['maximumConnections=1000', 'wireFormat.maxFrameSize=104857600'],
        },
      },
      { uri: 'amqp://0.0.0.0:5672', expect: { scheme: 'amqp', schemeText: 'amqp', text: 'amqp://0.0.0.0:5672', host: '0.0.0.0', hostText: '0.0.0.0', port: 5672, portText: '5672', portSpanText: '5672' } },
      { uri: 'NIO+SSL://broker1:61617', expect: { scheme: 'nio+ssl', schemeText: 'NIO+SSL', text: 'NIO+SSL://broker1:61617', host: 'broker1', hostText: 'broker1', port: 61617, portText: '61617', portSpanText: '61617' } },
      { uri: 'auto+nio+ssl://h:0', expect: { scheme: 'auto+nio+ssl', schemeText: 'auto+nio+ssl', text: 'auto+nio+ssl://h:0', host: 'h', hostText: 'h', port: 0, portText: '0', portSpanText: '0' } },
      { uri: 'tcp://[::1]:61616', expect: { scheme: 'tcp', schemeText: 'tcp', text: 'tcp://[::1]:61616', host: '::1', hostText: '::1', port: 61616, portText: '61616', portSpanText: '61616' } },
      { uri: 'tcp://[fe80::1%25eth0]:1', expect: { scheme: 'tcp', schemeText: 'tcp', text: 'tcp://[fe80::1%25eth0]:1', host: 'fe80::1%25eth0', hostText: 'fe80::1%25eth0', port: 1, portText: '1', portSpanText: '1' } },
      { uri: 'vm://localhost', expect: { scheme: 'vm', schemeText: 'vm', text: 'vm://localhost', host: 'localhost', hostText: 'localhost' } },
      { uri: 'vm://broker1?create=false', expect: { scheme: 'vm', schemeText: 'vm', text: 'vm://broker1?create=false', host: 'broker1', hostText: 'broker1', query: ['create=false'] } },
      { uri: 'multicast://default', expect: { scheme: 'multicast', schemeText: 'multicast', text: 'multicast://default', host: 'default', hostText: 'default' } },
      {
        uri: 'multicast://239.255.2.3:6155?group=mygroup',
        expect: { scheme: 'multicast', schemeText: 'multicast', text: 'multicast://239.255.2.3:6155?group=mygroup', host: '239.255.2.3', hostText: '239.255.2.3', port: 6155, portText: '6155', portSpanText: '6155', query: ['group=mygroup'] },
      },
      { uri: 'ws://0.0.0.0:61614/path?x=1', expect: { scheme: 'ws', schemeText: 'ws', text: 'ws://0.0.0.0:61614/path?x=1', host: '0.0.0.0', hostText: '0.0.0.0', port: 61614, portText: '61614', portSpanText: '61614', query: ['x=1'] } },
      { uri: 'tcp://user:pw@h:1', expect: { scheme: 'tcp', schemeText: 'tcp', text: 'tcp://user:pw@h:1', host: 'h', hostText: 'h', port: 1, portText: '1', portSpanText: '1' } },
      { uri: 'zeroconf:_activemq_development.', expect: { scheme: 'zeroconf', schemeText: 'zeroconf', text: 'zeroconf:_activemq_development.' } },
      { uri: 'tcp://h:1?flag', expect: { scheme: 'tcp', schemeText: 'tcp', text: 'tcp://h:1?flag', host: 'h', hostText: 'h', port: 1, portText: '1', portSpanText: '1', query: ['flag='] } },
    ];
    for (const c of cases) {
      it(c.uri, () => {
        const r = parseUri(c.uri);
        assert.equal(r.composite, false);
        assert.equal(r.endpoints.length, 1);
        assert.equal(r.scheme, c.expect.scheme);
        assert.deepEqual(view(c.uri, r.endpoints[0]), c.expect);
        assert.deepEqual(r.problems, []);
        assert.deepEqual(r.span, { start: 0, end: c.uri.length });
        assert.equal(r.hasPlaceholder, false);
      });
    }

    it('gives query keys and values', () => {
      const t = 'tcp://h:1?a=1&b=&c=x=y&&d';
      const r = parseUri(t);
      assert.deepEqual(
        r.endpoints[0].query.map((q) => [q.key, q.value, at(t, q.keySpan), at(t, q.valueSpan)]),
        [
          ['a', '1', 'a', '1'],
          ['b', '', 'b', ''],
          ['c', 'x=y', 'c', 'x=y'],
          ['d', '', 'd', ''],
        ],
      );
      assert.deepEqual(r.query, r.endpoints[0].query);
    });
  });

  describe('composite URIs', () => {
    it('failover:(a,b)?opts', () => {
      const t = 'failover:(tcp://a:61616,tcp://b:61617)?randomize=false&maxReconnectAttempts=0';
      const r = parseUri(t);
      assert.equal(r.scheme, 'failover');
      assert.equal(r.composite, true);
      assert.deepEqual(
        r.endpoints.map((e) => view(t, e)),
        [
          { scheme: 'tcp', schemeText: 'tcp', text: 'tcp://a:61616', host: 'a', hostText: 'a', port: 61616, portText: '61616', portSpanText: '61616' },
          { scheme: 'tcp', schemeText: 'tcp', text: 'tcp://b:61617', host: 'b', hostText: 'b', port: 61617, portText: '61617', portSpanText: '61617' },
        ],
      );
      assert.deepEqual(r.query.map((q) => `${at(t, q.keySpan)}=${at(t, q.valueSpan)}`), ['randomize=false', 'maxReconnectAttempts=0']);
      assert.deepEqual(r.problems, []);
    });

    it('failover:a,b (no parentheses): a trailing query belongs to the last URI, as in ActiveMQ', () => {
      const t = 'failover:tcp://a:1,tcp://b:2?wireFormat.x=1';
      const r = parseUri(t);
      assert.equal(r.composite, true);
      assert.deepEqual(r.endpoints.map((e) => at(t, e.span)), ['tcp://a:1', 'tcp://b:2?wireFormat.x=1']);
      assert.deepEqual(r.endpoints[1].query.map((q) => q.key), ['wireFormat.x']);
      assert.deepEqual(r.query, []);
      assert.deepEqual(r.problems, []);
    });

    it('a single failover URI without parentheses', () => {
      const r = parseUri('failover:tcp://localhost:61616');
      assert.equal(r.composite, true);
      assert.equal(r.endpoints.length, 1);
      assert.equal(r.endpoints[0].port, 61616);
    });

    for (const [t, scheme, hosts] of [
      ['static:(tcp://h1:61616,tcp://h2:61616)?maxReconnectDelay=5000', 'static', ['h1', 'h2']],
      ['masterslave:(tcp://master:61616,tcp://slave:61616)', 'masterslave', ['master', 'slave']],
      ['fanout:(tcp://a:1,tcp://b:2)', 'fanout', ['a', 'b']],
      ['static://(tcp://a:1)', 'static', ['a']],
      ['discovery:(multicast://default)?initialReconnectDelay=100', 'discovery', ['default']],
      ['FAILOVER:(TCP://A:1)', 'failover', ['A']],
    ] as [string, string, string[]][]) {
      it(t, () => {
        const r = parseUri(t);
        assert.equal(r.scheme, scheme);
        assert.equal(r.composite, true);
        assert.deepEqual(r.endpoints.map((e) => e.host), hosts);
        for (const e of r.endpoints) assert.equal(at(t, e.hostSpan), e.host);
        assert.deepEqual(r.problems, []);
      });
    }

    it('nested composites keep their own parse', () => {
      const t = 'fanout:(static:(tcp://a:1,tcp://b:2))?x=1';
      const r = parseUri(t);
      assert.equal(r.endpoints.length, 1);
      const inner = r.endpoints[0];
      assert.equal(inner.scheme, 'static');
      assert.equal(at(t, inner.span), 'static:(tcp://a:1,tcp://b:2)');
      assert.ok(inner.nested);
      assert.deepEqual(inner.nested!.endpoints.map((e) => `${at(t, e.hostSpan)}:${at(t, e.portSpan)}`), ['a:1', 'b:2']);
      assert.deepEqual(r.query.map((q) => q.key), ['x']);
    });

    it('vm:(broker:(...)?opts)?opts', () => {
      const t = 'vm:(broker:(tcp://localhost:6000)?persistent=false)?marshal=false';
      const r = parseUri(t);
      assert.equal(r.scheme, 'vm');
      assert.equal(r.composite, true);
      const b = r.endpoints[0];
      assert.equal(b.scheme, 'broker');
      assert.deepEqual(b.query.map((q) => `${at(t, q.keySpan)}=${at(t, q.valueSpan)}`), ['persistent=false']);
      assert.equal(b.nested!.endpoints[0].port, 6000);
      assert.deepEqual(r.query.map((q) => q.key), ['marshal']);
      assert.deepEqual(r.problems, []);
    });
  });

  describe('placeholders', () => {
    it('placeholders in host and port are not problems', () => {
      const t = 'tcp://${activemq.host}:${activemq.port:61616}?x=${y}';
      const r = parseUri(t);
      const e = r.endpoints[0];
      assert.equal(r.hasPlaceholder, true);
      assert.equal(e.hasPlaceholder, true);
      assert.equal(e.host, '${activemq.host}');
      assert.equal(e.port, undefined);
      assert.equal(e.portText, '${activemq.port:61616}');
      assert.equal(at(t, e.portSpan), '${activemq.port:61616}');
      assert.deepEqual(e.query.map((q) => [q.key, q.value]), [['x', '${y}']]);
      assert.deepEqual(r.problems, []);
    });

    it('a comma inside a placeholder does not split a list', () => {
      const t = 'failover:(${urls:tcp://a:1,tcp://b:2},tcp://c:3)';
      const r = parseUri(t);
      assert.deepEqual(r.endpoints.map((e) => at(t, e.span)), ['${urls:tcp://a:1,tcp://b:2}', 'tcp://c:3']);
      assert.equal(r.endpoints[0].hasPlaceholder, true);
      assert.equal(r.endpoints[1].hasPlaceholder, false);
      assert.deepEqual(r.problems, []);
    });

    it('a whole-URI placeholder', () => {
      const r = parseUri('${broker.url}');
      assert.equal(r.hasPlaceholder, true);
      assert.deepEqual(r.problems, []);
    });

    it('whitespace inside a placeholder is not reported', () => {
      const r = parseUri('tcp://${ host }:1');
      assert.deepEqual(r.problems, []);
    });

    it('nested placeholders and a placeholder scheme', () => {
      const t = '${scheme:tcp}://h:${p:${q}}';
      const r = parseUri(t);
      assert.equal(r.endpoints[0].host, 'h');
      assert.equal(r.endpoints[0].portText, '${p:${q}}');
      assert.deepEqual(r.problems, []);
    });

    it('an unclosed ${ is not a placeholder', () => {
      const r = parseUri('tcp://h:${port');
      assert.equal(r.hasPlaceholder, false);
      assert.equal(r.problems.length, 1);
    });
  });

  describe('problems', () => {
    const cases: { uri: string; problems: string[] }[] = [
      {
        uri: 'failover:(tcp://a:1, tcp://b:2)',
        problems: ['  :: Whitespace is not allowed inside a URI (e.g. around "," in a failover/static list); ActiveMQ rejects or misreads it'],
      },
      {
        uri: 'static:(tcp://a:1 ,\n  tcp://b:2)',
        problems: ['  :: Whitespace is not allowed inside a URI (e.g. around "," in a failover/static list); ActiveMQ rejects or misreads it', '\n   :: Whitespace is not allowed inside a URI (e.g. around "," in a failover/static list); ActiveMQ rejects or misreads it'],
      },
      { uri: 'failover:(tcp://a:1', problems: ["( :: Unbalanced parentheses: this '(' is never closed"] },
      { uri: 'failover:(tcp://a:1))', problems: [") :: Unbalanced parentheses: this ')' has no matching '('"] },
      { uri: 'failover:(tcp://a:1,,tcp://b:2)', problems: [",, :: Empty element in the URI list (two ',' in a row, or a ',' at the start)"] },
      { uri: 'failover:(,tcp://b:2)', problems: [", :: Empty element in the URI list (two ',' in a row, or a ',' at the start)"] },
      { uri: 'failover:(tcp://a:1,)', problems: [", :: Empty element at the end of the URI list (a trailing ',')"] },
      { uri: 'failover:()', problems: ['() :: Empty URI list'] },
      { uri: 'tcp://h:70000', problems: ['70000 :: Port 70000 is out of range (0-65535)'] },
      { uri: 'tcp://h:abc', problems: ["abc :: Port 'abc' is not a number"] },
      { uri: 'tcp://h:', problems: [": :: Missing port number after ':'"] },
      { uri: 'localhost:61616', problems: ["localhost:61616 :: Missing scheme: 'localhost:61616' has no transport; write e.g. tcp://localhost:61616"] },
      { uri: 'failover:(h1:61616,tcp://h2:61616)', problems: ["h1:61616 :: Missing scheme: 'h1:61616' has no transport; write e.g. tcp://h1:61616"] },
      { uri: '//host:1', problems: ['//host:1 :: Missing scheme: an ActiveMQ URI starts with a transport such as tcp://'] },
      { uri: 'tcp:host:1', problems: ["tcp: :: Missing '//' after 'tcp:': write tcp://host:port"] },
      { uri: '   ', problems: ['    :: Empty URI'] },
    ];
    for (const c of cases) {
      it(JSON.stringify(c.uri), () => {
        assert.deepEqual(problems(c.uri, parseUri(c.uri)), c.problems);
      });
    }

    it('still extracts endpoints around problems', () => {
      const t = 'failover:(tcp://a:1, tcp://b:99999,,tcp://c:3';
      const r = parseUri(t);
      assert.deepEqual(r.endpoints.map((e) => e.host), ['a', 'b', 'c']);
      assert.deepEqual(r.endpoints.map((e) => e.port), [1, undefined, 3]);
      assert.equal(at(t, r.endpoints[1].portSpan), '99999');
      assert.equal(r.problems.length, 4);
    });

    it('leading and trailing whitespace of the whole value is not a problem (Spring trims URI-typed values)', () => {
      const t = '  tcp://h:1 ';
      const r = parseUri(t);
      assert.deepEqual(r.problems, []);
      assert.equal(at(t, r.span), 'tcp://h:1');
    });
  });

  describe('offset maps', () => {
    it('maps spans through offsetOf (decoded XML attribute)', () => {
      // <transportConnector uri="tcp://0.0.0.0:61616?a=1&amp;b=2"/>
      const file = '<transportConnector uri="tcp://0.0.0.0:61616?a=1&amp;b=2"/>';
      const rawStart = file.indexOf('"') + 1;
      const raw = file.slice(rawStart, file.lastIndexOf('"'));
      let value = '';
      const map: number[] = [];
      for (let i = 0; i < raw.length; ) {
        map.push(rawStart + i);
        if (raw.startsWith('&amp;', i)) {
          value += '&';
          i += 5;
        } else {
          value += raw[i];
          i++;
        }
      }
      map.push(rawStart + raw.length);
      const r = parseUri(value, (i) => map[i]);
      const e = r.endpoints[0];
      assert.equal(at(file, e.hostSpan), '0.0.0.0');
      assert.equal(at(file, e.portSpan), '61616');
      assert.deepEqual(e.query.map((q) => `${at(file, q.keySpan)}=${at(file, q.valueSpan)}`), ['a=1', 'b=2']);
      assert.equal(at(file, r.span), 'tcp://0.0.0.0:61616?a=1&amp;b=2');
    });

    it('uses endOffsetOf for span ends when given (pieced-together text)', () => {
      // "failover:(" + "tcp://h:1)" : two Java literals
      const file = '"failover:(" + "tcp://h:1)"';
      const value = 'failover:(tcp://h:1)';
      const starts: number[] = [];
      for (let i = 1; i < 11; i++) starts.push(i);
      for (let i = 16; i < 26; i++) starts.push(i);
      const off = (i: number) => (i < starts.length ? starts[i] : starts[starts.length - 1] + 1);
      const endOff = (i: number) => (i === 0 ? starts[0] : starts[i - 1] + 1);
      const r = parseUri(value, off, endOff);
      assert.equal(at(file, r.endpoints[0].span), 'tcp://h:1');
      assert.equal(at(file, r.span), 'failover:(" + "tcp://h:1)');
      assert.equal(at(file, r.endpoints[0].schemeSpan), 'tcp');
    });
  });

  describe('robustness', () => {
    const time = (f: () => void): number => {
      const t0 = Date.now();
      f();
      return Date.now() - t0;
    };

    it('never throws on random junk', () => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
      const alphabet = 'tcp:/failover(),?&=${}[]:. \n\t\u0000\ud800x9';
      for (let k = 0; k < 2000; k++) {
        let s = '';
        const len = rnd() % 60;
        for (let i = 0; i < len; i++) s += k % 2 ? alphabet[rnd() % alphabet.length] : String.fromCharCode(rnd() % 0x10000);
        const r = parseUri(s);
        assert.ok(Array.isArray(r.endpoints));
        for (const p of r.problems) assert.ok(p.span.start <= p.span.end);
      }
    });

    const big: [string, string][] = [
      ['a 500k-element failover list', 'failover:(' + 'tcp://a:1,'.repeat(500_000) + ')'],
      ['5M open parentheses', '('.repeat(5_000_000)],
      ['5M close parentheses', ')'.repeat(5_000_000)],
      ['2.5M unclosed ${', '${'.repeat(2_500_000)],
      ['1.25M placeholders', '${a}'.repeat(1_250_000)],
      ['a 5M-digit port', 'tcp://h:' + '9'.repeat(5_000_000)],
      ['5M letters', 'x'.repeat(5_000_000)],
      ['deeply nested composites', 'failover:(' + 'static:('.repeat(500_000)],
      ['5M spaces', ' '.repeat(5_000_000)],
    ];
    for (const [name, t] of big) {
      it(`does not hang on ${name} (5 MB)`, function () {
        this.timeout(60_000);
        const ms = time(() => parseUri(t));
        assert.ok(ms < 15_000, `took ${ms} ms`);
      });
    }

    it('bounds the number of problems', () => {
      assert.ok(parseUri('('.repeat(100_000)).problems.length <= 100);
    });

    it('a huge failover list keeps every endpoint', () => {
      const r = parseUri('failover:(' + 'tcp://a:1,'.repeat(10_000) + 'tcp://b:2)');
      assert.equal(r.endpoints.length, 10_001);
      assert.deepEqual(r.problems, []);
    });

    it('accepts a non-string without throwing', () => {
      const r = parseUri(undefined as unknown as string);
      assert.equal(r.endpoints.length, 0);
    });
  });
});
