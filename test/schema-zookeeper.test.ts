/** schemas/zookeeper.schema.json: a valid JSON Schema, complete against ZooKeeper 3.8.0's keys, and read by core/schema/zookeeper. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { zkKeySpec, zkKnownKeys, zkPatternSpecs, zkRequiredKeys, zkSuggestKeys, zkUnknownSpec } from '../server/src/core/schema/zookeeper';
import { parseZooCfg } from '../server/src/core/parse/zoocfg';
import { analyze } from '../server/src/core/analyze';
import { applyEdits } from '../server/src/core/text';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMA_FILE = path.join(ROOT, 'schemas', 'zookeeper.schema.json');
const KEYS_FILE = path.resolve(ROOT, '..', 'shared', 'reference', 'zookeeper-3.8.0-keys.txt');

type Json = Record<string, unknown>;
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')) as Json;
const properties = schema.properties as Record<string, Json>;

function extensionKeywords(doc: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(doc)) for (const v of doc) extensionKeywords(v, out);
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k.startsWith('x-')) out.add(k);
      extensionKeywords(v, out);
    }
  }
  return out;
}

function ajv(): Ajv2020 {
  const a = new Ajv2020({ strict: true, allErrors: true, allowMatchingProperties: true });
  for (const k of extensionKeywords(schema)) a.addKeyword(k);
  return a;
}

/** A zoo.cfg as the schema's instance: values converted the way ZooKeeper reads them. */
function toInstance(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, e] of parseZooCfg(text).byKey) {
    const spec = zkKeySpec(key);
    const v = e.value;
    if (spec?.type === 'integer' && /^[+-]?\d+$/.test(v)) out[key] = Number(v);
    else if (spec?.type === 'boolean' && /^(true|false)$/i.test(v)) out[key] = v.toLowerCase() === 'true';
    else out[key] = v;
  }
  return out;
}

describe('schemas/zookeeper.schema.json', () => {
  it('is valid against the JSON Schema 2020-12 meta-schema and compiles in strict mode', () => {
    const a = ajv();
    assert.equal(a.validateSchema(schema), true, JSON.stringify(a.errors));
    a.compile(schema);
  });

  it('validates the example zoo.cfg files and rejects a wrongly typed value', () => {
    const validate = ajv().compile(schema);
    const dir = path.join(ROOT, 'examples', 'myzookeeper');
    for (const node of fs.readdirSync(dir)) {
      const text = fs.readFileSync(path.join(dir, node, 'conf', 'zoo.cfg'), 'utf8');
      assert.equal(validate(toInstance(text)), true, `${node}: ${JSON.stringify(validate.errors)}`);
    }
    assert.equal(validate(toInstance('dataDir=/x\ntickTime=abc\nelectionAlg=1\n')), false);
    assert.equal(validate(toInstance('tickTime=2000\n')), false, 'dataDir is required');
  });

  it('knows every key ZooKeeper 3.8.0 recognises (shared/reference/zookeeper-3.8.0-keys.txt)', function () {
    if (!fs.existsSync(KEYS_FILE)) this.skip();
    const constants: Record<string, string> = {
      'JvmPauseMonitor.INFO_THRESHOLD_KEY': 'jvm.pause.info-threshold.ms',
      'JvmPauseMonitor.JVM_PAUSE_MONITOR_FEATURE_SWITCH_KEY': 'jvm.pause.monitor',
      'JvmPauseMonitor.SLEEP_TIME_MS_KEY': 'jvm.pause.sleep.time.ms',
      'JvmPauseMonitor.WARN_THRESHOLD_KEY': 'jvm.pause.warn-threshold.ms',
      'QuorumAuth.QUORUM_KERBEROS_SERVICE_PRINCIPAL': 'quorum.auth.kerberos.servicePrincipal',
      'QuorumAuth.QUORUM_LEARNER_SASL_AUTH_REQUIRED': 'quorum.auth.learnerRequireSasl',
      'QuorumAuth.QUORUM_LEARNER_SASL_LOGIN_CONTEXT': 'quorum.auth.learner.saslLoginContext',
      'QuorumAuth.QUORUM_SASL_AUTH_ENABLED': 'quorum.auth.enableSasl',
      'QuorumAuth.QUORUM_SERVER_SASL_AUTH_REQUIRED': 'quorum.auth.serverRequireSasl',
      'QuorumAuth.QUORUM_SERVER_SASL_LOGIN_CONTEXT': 'quorum.auth.server.saslLoginContext',
    };
    const lines = fs.readFileSync(KEYS_FILE, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    assert.ok(lines.length >= 40);
    for (const line of lines) {
      const key = line.startsWith('"') ? line.slice(1, -1) : constants[line];
      assert.ok(key, `known constant ${line}`);
      // prefixes ("server.", "group", "metricsProvider.") are matched as ZooKeeper matches them
      const probe = key.endsWith('.') ? key + '1' : key === 'group' || key === 'weight' ? key + '.1' : key;
      const spec = zkKeySpec(probe);
      assert.ok(spec, `${key} is in the schema`);
      assert.ok(spec.kind === 'config' || spec.kind === 'dynamic', `${key} is a config or dynamic key (${spec.kind})`);
    }
  });

  it('describes every key with kind, parse type, description and version', () => {
    for (const [key, p] of Object.entries(properties)) {
      assert.ok(['config', 'dynamic', 'system-property', 'no-effect'].includes(p['x-kind'] as string), key);
      assert.ok(typeof p.description === 'string' && p.description.length > 10, `${key}: description`);
      assert.match(String(p['x-since']), /^3\.[5-9](\.\d+)?$/, `${key}: x-since`);
      assert.ok(typeof p['x-parse'] === 'string', `${key}: x-parse`);
      if (p['x-kind'] === 'system-property') assert.equal(p['x-system-property'], `zookeeper.${key}`, key);
      if (p['x-kind'] === 'no-effect') assert.ok(typeof p['x-instead'] === 'string', `${key}: x-instead`);
    }
    for (const key of ['4lw.commands.whitelist', 'admin.enableServer', 'admin.serverAddress', 'admin.serverPort', 'admin.commandURL']) {
      assert.equal(zkKeySpec(key)?.kind, 'system-property', key);
    }
  });
});

describe('core/schema/zookeeper lookups', () => {
  it('finds exact keys case-sensitively, then the key patterns', () => {
    assert.equal(zkKeySpec('dataDir')?.kind, 'config');
    assert.equal(zkKeySpec('datadir'), undefined);
    assert.equal(zkKeySpec('tickTime')?.default, 3000);
    assert.equal(zkKeySpec('server.17')?.key, 'server.N');
    assert.equal(zkKeySpec('group.2')?.key, 'group.N');
    assert.equal(zkKeySpec('groups')?.key, 'group.N', 'ZooKeeper tests startsWith("group")');
    assert.equal(zkKeySpec('metricsProvider.httpPort')?.kind, 'config');
    assert.equal(zkKeySpec('authProvider.1')?.kind, 'system-property');
    assert.equal(zkKeySpec('jute.maxbuffer')?.kind, 'no-effect');
    assert.equal(zkUnknownSpec().kind, 'unknown');
    assert.deepEqual(zkRequiredKeys(), ['dataDir']);
    assert.ok(zkKnownKeys().length > 100);
    assert.deepEqual(zkPatternSpecs().map((s) => s.key), ['server.N', 'group.N', 'weight.N', 'metricsProvider.*', 'authProvider.N']);
  });

  it('suggests known keys for misspelt ones', () => {
    assert.deepEqual(zkSuggestKeys('datadir'), ['dataDir']);
    assert.deepEqual(zkSuggestKeys('Server.1'), ['server.1']);
    assert.deepEqual(zkSuggestKeys('sever.2'), ['server.2']);
    assert.ok(zkSuggestKeys('autopurge.snapretaincount').includes('autopurge.snapRetainCount'));
    assert.ok(zkSuggestKeys('admin.serverport').includes('admin.serverPort'));
    assert.deepEqual(zkSuggestKeys('completely.unrelated.setting'), []);
  });
});

describe('zk-config-invalid quick fixes', () => {
  it('the preferred fixes repair the documented example', () => {
    const file = 'zk1/conf/zoo.cfg';
    let text = 'tickTime=2000\ndatadir=/var/lib/zookeeper\nclientPort=2181\nstandaloneEnabled=yes\nautopurge.snapretaincount=5\nserver.1=zk1:2888:3888 \nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n';
    for (let round = 0; round < 5; round++) {
      const findings = analyze(new Map([[file, text], ['zk1/data/myid', '1\n']])).findings.filter((f) => f.code === 'zk-config-invalid');
      const edits = findings.flatMap((f) => (f.fixes ?? []).filter((x) => x.isPreferred).flatMap((x) => x.edits));
      if (edits.length === 0) break;
      // one fix per position per round, as fix-all does
      const seen = new Set<number>();
      text = applyEdits(text, edits.filter((e) => !seen.has(e.span.start) && seen.add(e.span.start)));
    }
    assert.equal(text, 'tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2181\nstandaloneEnabled=true\nautopurge.snapRetainCount=5\ninitLimit=10\nsyncLimit=5\nserver.1=zk1:2888:3888\nserver.2=zk2:2888:3888\nserver.3=zk3:2888:3888\n');
    const left = analyze(new Map([[file, text], ['zk1/data/myid', '1\n']])).findings.filter((f) => f.code === 'zk-config-invalid');
    assert.deepEqual(left, []);
  });
});
