import * as assert from 'node:assert/strict';
import { parseClientUrls, type ClientUrl } from '../../server/src/core/parse/clienturls';
import type { Span } from '../../server/src/core/types';

const at = (text: string, s: Span | undefined): string | undefined => (s ? text.slice(s.start, s.end) : undefined);

/** every endpoint as `hostText:portText` read back from the file through its spans */
function endpoints(text: string, u: ClientUrl): string[] {
  return u.uri.endpoints.map((e) => `${at(text, e.hostSpan)}:${at(text, e.portSpan)}`);
}

describe('parseClientUrls', () => {
  describe('application.yml', () => {
    it('nested maps (seed 001)', () => {
      const t = [
        'server:',
        '  port: 8080',
        'spring:',
        '  activemq:',
        '    in-memory: true',
        '    broker-url: failover:(tcp://localhost:60001,tcp://localhost:60002,tcp://localhost:60002)',
        '    pool:',
        '      enabled: false',
        '',
        'messages:',
        '  queue: my_queue',
        '',
      ].join('\n');
      const r = parseClientUrls('src/main/resources/application.yml', t);
      assert.equal(r.urls.length, 1);
      const u = r.urls[0];
      assert.equal(u.origin, 'yaml');
      assert.equal(u.text, 'failover:(tcp://localhost:60001,tcp://localhost:60002,tcp://localhost:60002)');
      assert.equal(at(t, u.span), u.text);
      assert.equal(u.uri.scheme, 'failover');
      assert.deepEqual(endpoints(t, u), ['localhost:60001', 'localhost:60002', 'localhost:60002']);
      assert.deepEqual(u.uri.problems, []);
    });

    const variants: { name: string; yaml: string; url: string; spanText: string }[] = [
      { name: 'flat dotted key', yaml: 'spring.activemq.broker-url: tcp://h:61616\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'half-flat key', yaml: 'spring:\n  activemq.broker-url: tcp://h:61616\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'camelCase (relaxed binding)', yaml: 'spring:\n  activemq:\n    brokerUrl: tcp://h:61616\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'underscore (relaxed binding)', yaml: 'spring:\n  activemq:\n    broker_url: tcp://h:61616\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'double-quoted', yaml: 'spring:\n  activemq:\n    broker-url: "tcp://h:61616"\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'single-quoted', yaml: "spring:\n  activemq:\n    broker-url: 'tcp://h:61616'\n", url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'with a comment', yaml: 'spring:\n  activemq:\n    broker-url: tcp://h:61616 # prod\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'flow map', yaml: 'spring: {activemq: {broker-url: "tcp://h:61616"}}\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
      { name: 'CRLF', yaml: 'spring:\r\n  activemq:\r\n    broker-url: tcp://h:61616\r\n', url: 'tcp://h:61616', spanText: 'tcp://h:61616' },
    ];
    for (const v of variants) {
      it(v.name, () => {
        const r = parseClientUrls('application.yml', v.yaml);
        assert.equal(r.urls.length, 1);
        assert.equal(r.urls[0].text, v.url);
        assert.equal(at(v.yaml, r.urls[0].span), v.spanText);
        assert.deepEqual(endpoints(v.yaml, r.urls[0]), ['h:61616']);
      });
    }

    it('double-quoted escapes and folded lines map back into the file', () => {
      const t = 'spring:\n  activemq:\n    broker-url: "failover:(tcp://a:1,\\\n      tcp://b:2)?randomize=\\x66alse"\n';
      const r = parseClientUrls('application-prod.yaml', t);
      const u = r.urls[0];
      assert.equal(u.text, 'failover:(tcp://a:1,tcp://b:2)?randomize=false');
      assert.deepEqual(endpoints(t, u), ['a:1', 'b:2']);
      assert.equal(at(t, u.uri.endpoints[1].span), 'tcp://b:2');
      assert.deepEqual(u.uri.query.map((q) => [q.key, q.value, at(t, q.valueSpan)]), [['randomize', 'false', '\\x66alse']]);
      assert.deepEqual(u.uri.problems, []);
    });

    it("single-quoted '' escapes", () => {
      const t = "spring.activemq.broker-url: 'tcp://it''s:1'\n";
      const u = parseClientUrls('application.yml', t).urls[0];
      assert.equal(u.text, "tcp://it's:1");
      assert.equal(at(t, u.uri.endpoints[0].hostSpan), "it''s");
      assert.equal(at(t, u.uri.endpoints[0].portSpan), '1');
    });

    it('a multi-line plain scalar folds with a space (reported as whitespace)', () => {
      const t = 'spring.activemq.broker-url: failover:(tcp://a:1,\n  tcp://b:2)\n';
      const u = parseClientUrls('application.yml', t).urls[0];
      assert.equal(u.text, 'failover:(tcp://a:1, tcp://b:2)');
      assert.deepEqual(endpoints(t, u), ['a:1', 'b:2']);
      assert.equal(u.uri.problems.length, 1);
      assert.equal(at(t, u.uri.problems[0].span), '\n  ');
    });

    it('a quoted value with trailing whitespace is a problem', () => {
      const t = 'spring.activemq.broker-url: "tcp://h:1 "\n';
      const u = parseClientUrls('application.yml', t).urls[0];
      assert.equal(u.text, 'tcp://h:1 ');
      assert.deepEqual(u.uri.problems.map((p) => at(t, p.span)), [' ']);
    });

    it('every document of a multi-document file', () => {
      const t = 'spring.activemq.broker-url: tcp://a:1\n---\nspring:\n  config.activate.on-profile: prod\n  activemq:\n    broker-url: tcp://b:2\n';
      const r = parseClientUrls('application.yml', t);
      assert.deepEqual(r.urls.map((u) => u.text), ['tcp://a:1', 'tcp://b:2']);
      assert.deepEqual(r.urls.map((u) => endpoints(t, u)[0]), ['a:1', 'b:2']);
    });

    it('a block scalar', () => {
      const t = 'spring:\n  activemq:\n    broker-url: >-\n      failover:(tcp://a:1)\n';
      const u = parseClientUrls('application.yml', t).urls[0];
      assert.equal(u.text, 'failover:(tcp://a:1)');
      assert.deepEqual(endpoints(t, u), ['a:1']);
    });

    it('ignores other keys, empty values and non-scalars', () => {
      const t = 'spring:\n  activemq:\n    user: admin\n    broker-url: ""\n  jms:\n    broker-url: tcp://x:1\nother.activemq.broker-url: tcp://y:1\n---\nspring.activemq.broker-url: [a, b]\n';
      assert.deepEqual(parseClientUrls('application.yml', t).urls, []);
    });

    it('never throws on broken YAML', () => {
      for (const t of ['spring: [\n  broken: {', 'spring:\n\tactivemq:\n\t\tbroker-url: x', ': : :', '*a', '&a [*a, *a]', '- - - -', '"unclosed', '%YAML 9\n---\n', '\u0000\u0001\u0002']) {
        const r = parseClientUrls('application.yml', t);
        assert.ok(Array.isArray(r.urls));
      }
    });

    it('still finds the URL next to broken YAML', () => {
      const t = 'spring:\n  activemq:\n    broker-url: tcp://h:1\n  bad: [unclosed\n';
      const r = parseClientUrls('application.yml', t);
      assert.deepEqual(r.urls.map((u) => u.text), ['tcp://h:1']);
    });
  });

  describe('application.properties', () => {
    it('the broker-url property with spans', () => {
      const t = '# jms\nspring.activemq.user=admin\nspring.activemq.broker-url = failover:(tcp://a:61616,tcp://b:61616)?randomize=false\n';
      const r = parseClientUrls('config/application.properties', t);
      assert.equal(r.urls.length, 1);
      const u = r.urls[0];
      assert.equal(u.origin, 'properties');
      assert.equal(u.text, 'failover:(tcp://a:61616,tcp://b:61616)?randomize=false');
      assert.equal(at(t, u.span), u.text);
      assert.deepEqual(endpoints(t, u), ['a:61616', 'b:61616']);
      assert.deepEqual(u.uri.problems, []);
    });

    it('continuation lines and escapes map back into the file', () => {
      const t = 'spring.activemq.brokerUrl=failover:(tcp://a:1,\\\n    tcp://b:2)\\u003Frandomize=false\n';
      const u = parseClientUrls('application-dev.properties', t).urls[0];
      assert.equal(u.text, 'failover:(tcp://a:1,tcp://b:2)?randomize=false');
      assert.deepEqual(endpoints(t, u), ['a:1', 'b:2']);
      assert.equal(at(t, u.uri.query[0].keySpan), 'randomize');
      assert.deepEqual(u.uri.problems, []);
    });

    it('trailing whitespace is kept by Spring Boot and reported', () => {
      const t = 'spring.activemq.broker-url=tcp://h:61616  \n';
      const u = parseClientUrls('application.properties', t).urls[0];
      assert.equal(u.text, 'tcp://h:61616  ');
      assert.deepEqual(u.uri.problems.map((p) => at(t, p.span)), ['  ']);
    });

    it('placeholders are not problems', () => {
      const t = 'spring.activemq.broker-url=${BROKER_URL:tcp://localhost:61616}\n';
      const u = parseClientUrls('application.properties', t).urls[0];
      assert.equal(u.uri.hasPlaceholder, true);
      assert.deepEqual(u.uri.problems, []);
    });

    it('ignores other properties', () => {
      assert.deepEqual(parseClientUrls('application.properties', 'spring.activemq.broker-url.x=tcp://h:1\nbroker-url=tcp://h:1\n').urls, []);
    });
  });

  describe('Java sources', () => {
    it('seed 002: a literal joined with + across lines', () => {
      const t = [
        'public class Conf {',
        '    private static final String URL="failover:(" +',
        '            "tcp://39.107.112.172:61616" +',
        '            ",tcp://150.158.153.216:61616" +',
        '            ",tcp://115.28.211.227:61616)";',
        '}',
      ].join('\n');
      const r = parseClientUrls('src/main/java/Conf.java', t);
      assert.equal(r.urls.length, 1);
      const u = r.urls[0];
      assert.equal(u.origin, 'java');
      assert.equal(u.text, 'failover:(tcp://39.107.112.172:61616,tcp://150.158.153.216:61616,tcp://115.28.211.227:61616)');
      assert.equal(at(t, u.span), 'failover:(" +\n            "tcp://39.107.112.172:61616" +\n            ",tcp://150.158.153.216:61616" +\n            ",tcp://115.28.211.227:61616)');
      assert.deepEqual(endpoints(t, u), ['39.107.112.172:61616', '150.158.153.216:61616', '115.28.211.227:61616']);
      assert.deepEqual(
        u.uri.endpoints.map((e) => at(t, e.span)),
        ['tcp://39.107.112.172:61616', 'tcp://150.158.153.216:61616', 'tcp://115.28.211.227:61616'],
      );
      assert.deepEqual(u.uri.problems, []);
    });

    it('seed 000: a literal broken across a line is skipped, the rest still parses', () => {
      const t = [
        '```',
        'public static',
        'final String ACTIVEMQ_URL = "failover:(tcp://192.168.111.136:61616,tcp://192.168.111.136:61617,tcp://192.168.111.136:61618)?randomize=f',
        'alse";',
        '',
        'public static final String QUEUE_NAME = "queue-cluster";',
        'String ok = "failover:(tcp://h:1)";',
        '```',
      ].join('\n');
      const r = parseClientUrls('Seed.java', t);
      assert.deepEqual(r.urls.map((u) => u.text), ['failover:(tcp://h:1)']);
      assert.equal(at(t, r.urls[0].span), 'failover:(tcp://h:1)');
    });

    it('escapes map each char to its own source', () => {
      const t = 'String u = "failover:(tcp://a:1,\\u0020tcp://b:2)\\u003frandomize=\\"x\\"";';
      const u = parseClientUrls('A.java', t).urls[0];
      assert.equal(u.text, 'failover:(tcp://a:1, tcp://b:2)?randomize="x"');
      assert.deepEqual(endpoints(t, u), ['a:1', 'b:2']);
      assert.deepEqual(u.uri.problems.map((p) => at(t, p.span)), ['\\u0020']);
      assert.equal(at(t, u.uri.query[0].valueSpan), '\\"x\\"');
    });

    it('a URL inside a longer literal', () => {
      const t = 'props.load("jms.url=failover:(tcp://a:1, tcp://b:2)?x=1 other=2");';
      const u = parseClientUrls('A.java', t).urls[0];
      assert.equal(u.text, 'failover:(tcp://a:1, tcp://b:2)?x=1');
      assert.equal(at(t, u.span), u.text);
      assert.equal(u.uri.problems.length, 1);
    });

    it('skips comments, char literals, text blocks and concatenations with variables', () => {
      const t = [
        '// String a = "failover:(tcp://c1:1)";',
        '/* String b = "failover:(tcp://c2:1)"; */',
        "char q = '\"'; char r = '\\'';",
        'String c = """',
        '    failover:(tcp://tb:1)',
        '    """;',
        'String d = "failover:(tcp://" + host + ":61616)";',
        'String e = prefix + "failover:(tcp://v:1)";',
        'String f = "failover:(tcp://ok:1)" + "";',
        'String g = "fail" + "over:(tcp://joined:1)";',
        '@Value("failover:(tcp://ann:1)") String h;',
        'log.info("failover: reconnecting");',
      ].join('\n');
      const r = parseClientUrls('A.java', t);
      assert.deepEqual(r.urls.map((u) => u.text), ['failover:(tcp://ok:1)', 'failover:(tcp://joined:1)', 'failover:(tcp://ann:1)']);
      for (const u of r.urls) assert.deepEqual(u.uri.problems, []);
      assert.equal(at(t, r.urls[1].span), 'fail" + "over:(tcp://joined:1)');
    });

    it('finds nothing in a file without failover', () => {
      assert.deepEqual(parseClientUrls('A.java', 'String u = "tcp://h:1";').urls, []);
    });

    it('never throws on junk', () => {
      let seed = 11;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
      const alphabet = 'failover:(tcp://a:1,)"\'\\+/*\n u0';
      for (let k = 0; k < 1000; k++) {
        let s = 'failover:';
        const len = rnd() % 100;
        for (let i = 0; i < len; i++) s += k % 2 ? alphabet[rnd() % alphabet.length] : String.fromCharCode(rnd() % 0x10000);
        for (const p of ['A.java', 'application.yml', 'application.properties']) {
          const r = parseClientUrls(p, s);
          for (const u of r.urls) assert.ok(u.span.start <= u.span.end && u.span.end <= s.length);
        }
      }
    });
  });

  describe('file names', () => {
    const t = 'spring.activemq.broker-url: tcp://h:1\n';
    for (const [p, n] of [
      ['application.yml', 1],
      ['a/b/application-prod.yaml', 1],
      ['a\\b\\application.yml', 1],
      ['bootstrap.yml', 0],
      ['application.yml.bak', 0],
      ['zoo.cfg', 0],
    ] as [string, number][]) {
      it(p, () => assert.equal(parseClientUrls(p, t).urls.length, n));
    }
  });

  describe('robustness', () => {
    const big: [string, string, string][] = [
      ['120k Java literals', 'A.java', 'String u = "failover:(tcp://a:1)" + "x";\n'.repeat(120_000)],
      ['a 500k-element Java literal', 'A.java', '"failover:(' + 'tcp://a:1,'.repeat(500_000) + ')"'],
      ['an 800k-literal concatenation', 'A.java', '"failover:(' + '" + "'.repeat(800_000) + ')"'],
      ['an unclosed comment', 'A.java', '/*failover:(' + 'x'.repeat(5_000_000)],
      ['800k unicode escapes', 'A.java', '"failover:' + '\\u0041'.repeat(800_000) + '"'],
      ['a 500k-element property', 'application.properties', 'spring.activemq.broker-url=failover:(' + 'tcp://a:1,'.repeat(500_000) + ')'],
      ['a 200k-element YAML value', 'application.yml', 'spring:\n  activemq:\n    broker-url: failover:(' + 'tcp://a:1,'.repeat(200_000) + ')\n'],
      ['a 300k-entry YAML map', 'application.yml', 'broker-url: x\n' + 'a: b\n'.repeat(300_000)],
      ['a 1M-item YAML sequence', 'application.yml', 'brokerUrl:\n' + '- a\n'.repeat(1_000_000)],
      ['150k repeated keys', 'application.yml', 'spring.activemq.broker-url: x\n'.repeat(150_000)],
    ];
    for (const [name, path, t] of big) {
      it(`does not hang on ${name}`, function () {
        this.timeout(60_000);
        const t0 = Date.now();
        parseClientUrls(path, t);
        const ms = Date.now() - t0;
        assert.ok(ms < 15_000, `took ${ms} ms`);
      });
    }

    it('finds the URL in a large YAML file (excerpt parsing)', () => {
      const filler = 'other:\n' + '  key: value\n'.repeat(5000);
      const t =
        filler +
        'spring:\n  jms:\n    x: 1\n  # c\n  activemq:\n    user: a\n\n    broker-url: "failover:(tcp://a:1,\\\n      tcp://b:2)"\n    pool: x\n' +
        filler +
        '---\nspring.activemq.brokerUrl: tcp://c:3\nspring:\n  jms:\n    broker-url: tcp://not:1\n';
      const r = parseClientUrls('application.yml', t);
      assert.deepEqual(r.urls.map((u) => u.text), ['failover:(tcp://a:1,tcp://b:2)', 'tcp://c:3']);
      assert.deepEqual(endpoints(t, r.urls[0]), ['a:1', 'b:2']);
      assert.deepEqual(endpoints(t, r.urls[1]), ['c:3']);
      assert.equal(at(t, r.urls[0].span), 'failover:(tcp://a:1,\\\n      tcp://b:2)');
    });
  });
});
