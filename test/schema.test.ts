/** schemas/activemq.schema.json and jetty.schema.json: valid JSON Schema, regenerated from the XSD, and read by core/schema. */
import * as assert from 'node:assert/strict';
import * as cp from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import {
  attributeDef,
  attributeIn,
  attributesIn,
  availability,
  childGroupDef,
  compareVersions,
  defaultFor,
  elementDef,
  elementNames,
  groupElementsIn,
  groupsHolding,
  isDiscoveryScheme,
  isTransportScheme,
  newerThanSchema,
  tcpServerOption,
  webConsoleProperty,
} from '../server/src/core/schema/activemq';
import { editDistance, suggest } from '../server/src/core/schema/suggest';
import { analyze } from '../server/src/core/analyze';
import { applyEdits } from '../server/src/core/text';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMAS = path.join(ROOT, 'schemas');
const REFERENCE = path.resolve(ROOT, '..', 'shared', 'reference');
const XSD = path.join(REFERENCE, 'activemq-5.17.2.xsd');

function load(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(SCHEMAS, name), 'utf8')) as Record<string, unknown>;
}

/** The annotation keywords our schemas use beyond JSON Schema (x-...), for ajv's strict mode. */
function extensionKeywords(doc: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(doc)) for (const v of doc) extensionKeywords(v, out);
  else if (doc && typeof doc === 'object') {
    for (const [k, v] of Object.entries(doc)) {
      if (k.startsWith('x-')) out.add(k);
      else extensionKeywords(v, out);
    }
  }
  return out;
}

/** ajv for our schemas: `format: int64` (an xs:long) is a known format. */
function newAjv(strict: boolean): Ajv2020 {
  const ajv = new Ajv2020({ strict, allErrors: true });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  return ajv;
}

describe('JSON schemas', () => {
  const activemq = load('activemq.schema.json');
  const jetty = load('jetty.schema.json');

  it('are valid JSON Schema 2020-12 documents (meta-schema) and compile in strict mode', () => {
    for (const [name, doc] of [
      ['activemq.schema.json', activemq],
      ['jetty.schema.json', jetty],
    ] as const) {
      const ajv = newAjv(true);
      assert.equal(ajv.validateSchema(doc), true, `${name}: ${ajv.errorsText(ajv.errors)}`);
      ajv.addVocabulary([...extensionKeywords(doc)]);
      assert.doesNotThrow(() => ajv.compile(doc), name);
    }
  });

  it('describe elements as objects whose properties are the attributes', () => {
    const ajv = newAjv(false);
    ajv.addSchema(activemq, 'amq');
    const kahaDB = ajv.getSchema('amq#/$defs/kahaDB')!;
    assert.equal(kahaDB({ directory: '/data/kahadb', journalMaxFileLength: '32mb', checkpointInterval: 5000, 'xsi:type': 'x' }), true);
    assert.equal(kahaDB({ fooBar: '1' }), false, 'unknown attribute');
    assert.equal(kahaDB({ checkpointInterval: 'abc' }), false, 'wrong type');
    const broker = ajv.getSchema('amq')!;
    assert.equal(broker({ brokerName: 'b1', useJmx: 'false' }), true);
    const port = newAjv(false).compile(jetty);
    assert.equal(port({ host: '127.0.0.1', port: 8161 }), true);
    assert.equal(port({ port: 70000 }), false);
  });

  it('hold all 149 XSD elements plus levelDB and replicatedLevelDB', () => {
    const xsd = activemq['x-xsd'] as { elements: number; attributes: number; version: string };
    assert.equal(xsd.elements, 149);
    assert.equal(xsd.version, '5.17.2');
    const names = elementNames();
    assert.equal(names.length, 151);
    assert.equal(activemq['x-elements'], 151);
    const total = names.reduce((n, e) => n + elementDef(e)!.attributes.size, 0);
    assert.equal(activemq['x-attributes'], total);
    assert.equal(xsd.attributes, total - elementDef('levelDB')!.attributes.size - elementDef('replicatedLevelDB')!.attributes.size);
    for (const e of names) assert.ok(elementDef(e)!.attributes.has('id'), `${e} has id`);
  });

  it('are what scripts/gen-activemq-schema.mjs generates from the reference XSD', function () {
    if (!fs.existsSync(XSD)) {
      // eslint-disable-next-line no-console
      console.log(`      (skipped: ${XSD} is absent, so the committed schema cannot be regenerated here)`);
      this.skip();
    }
    const r = cp.spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'gen-activemq-schema.mjs'), XSD, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  });

  it('agree with the reference element dump (attributes, XSD types, child groups)', function () {
    const dump = path.join(REFERENCE, 'activemq-5.17.2-elements.json');
    if (!fs.existsSync(dump)) this.skip();
    const ref = JSON.parse(fs.readFileSync(dump, 'utf8')) as Record<string, { attributes: Record<string, string>; children: Record<string, string[]>; anyAttributeOtherNs: boolean }>;
    assert.equal(Object.keys(ref).length, 149);
    for (const [name, r] of Object.entries(ref)) {
      const e = elementDef(name);
      assert.ok(e, name);
      assert.deepEqual(Object.fromEntries([...e.attributes.values()].map((a) => [a.name, a.xsdType])), r.attributes, name);
      assert.equal(e.anyAttributeOtherNs, r.anyAttributeOtherNs, name);
      assert.deepEqual([...e.children.keys()].sort(), Object.keys(r.children).sort(), name);
      for (const [g, refs] of Object.entries(r.children)) {
        const mine: string[] = (e.children.get(g)!.elements ?? []).filter((x) => x !== 'levelDB' && x !== 'replicatedLevelDB');
        assert.deepEqual([...mine].sort(), [...refs].sort(), `${name}/${g}`);
      }
    }
  });
});

describe('core/schema lookups', () => {
  it('versions', () => {
    assert.equal(compareVersions('5.17', '5.17.0'), 0);
    assert.equal(compareVersions('5.16.7', '5.17'), -1);
    assert.equal(compareVersions('6.1.0', '5.17.2'), 1);
    const rl = elementDef('replicatedLevelDB')!;
    assert.deepEqual([rl.since, rl.unsupportedSince, rl.removed], ['5.9', '5.14.2', '5.17']);
    assert.equal(availability(rl, '5.17.2'), 'removed');
    assert.equal(availability(rl, '5.16.7'), 'available');
    assert.equal(availability(rl, '5.8.0'), 'not-yet');
    assert.equal(availability(rl, undefined), 'unknown');
    assert.equal(newerThanSchema('5.18.3'), true);
    assert.equal(newerThanSchema('5.17.6'), false);
  });

  it('attributes: type, default, description, versions', () => {
    const d = attributeDef('kahaDB', 'lockKeepAlivePeriod')!;
    assert.equal(d.xsdType, 'xs:long');
    assert.equal(d.default, 0);
    assert.equal(attributeDef('kahaDB', 'journalDiskSyncStrategy')!.enum?.join(','), 'always,periodic,never');
    assert.equal(attributeDef('transportConnector', 'rebalanceClusterClients')!.xsdType, 'xs:boolean');
    assert.ok(attributeDef('broker', 'brokerName')!.description);
    assert.equal(attributeDef('replicatedLevelDB', 'sync')!.tokens?.length, 6);
    assert.equal(attributeDef('replicatedLevelDB', 'zkAddress')!.default, '127.0.0.1:2181');
    assert.equal(attributeDef('levelDB', 'sync')!.xsdType, 'xs:boolean');
    // version-filtered
    assert.ok(attributeIn('replicatedLevelDB', 'zkAddress', '5.16.7'));
    assert.equal(attributeIn('replicatedLevelDB', 'zkAddress', '5.17.2'), undefined);
    assert.ok(attributeIn('replicatedLevelDB', 'zkSessionTmeout', '5.10.0'));
    assert.equal(attributeIn('replicatedLevelDB', 'zkSessionTmeout', '5.12.0'), undefined);
    assert.equal(attributesIn('levelDB', '5.17.2').length, 0);
    const cc = attributeDef('managementContext', 'createConnector')!;
    assert.equal(defaultFor(cc, '5.15.9'), 'true');
    assert.equal(defaultFor(cc, '5.16.0'), 'false');
    assert.equal(defaultFor(cc, undefined), 'false');
  });

  it('child groups and the elements they hold, by version', () => {
    const pa = childGroupDef('broker', 'persistenceAdapter')!;
    assert.equal(pa.multiple, false);
    assert.deepEqual(groupElementsIn(pa, '5.17.2'), ['jdbcPersistenceAdapter', 'journalPersistenceAdapter', 'kahaDB', 'mKahaDB', 'memoryPersistenceAdapter']);
    assert.ok(groupElementsIn(pa, '5.16.0')!.includes('replicatedLevelDB'));
    assert.ok(groupElementsIn(pa, undefined)!.includes('levelDB'));
    assert.equal(childGroupDef('broker', 'transportConnectors')!.multiple, true);
    assert.equal(childGroupDef('broker', 'adminView')!.any, true);
    assert.deepEqual(groupsHolding('broker', 'transportConnector').map((g) => g.name), ['transportConnectors']);
    assert.equal(elementDef('vmCursor')!.content, 'empty');
  });

  it('transport URIs and the web console', () => {
    for (const s of ['tcp', 'nio+ssl', 'amqp', 'ws', 'vm', 'failover', 'auto+nio+ssl']) assert.ok(isTransportScheme(s), s);
    assert.equal(isTransportScheme('foo'), false);
    for (const s of ['static', 'masterslave', 'multicast']) assert.ok(isDiscoveryScheme(s), s);
    assert.equal(tcpServerOption('maximumConnections')!.default, 2147483647);
    assert.equal(tcpServerOption('maxConnections'), undefined);
    assert.equal(webConsoleProperty('port')!.default, 8161);
    assert.equal(webConsoleProperty('host')!.default, '0.0.0.0');
  });

  it('did-you-mean candidates', () => {
    assert.equal(editDistance('zkadress', 'zkaddress'), 1);
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.deepEqual(suggest('zkAdress', attributesIn('replicatedLevelDB', undefined).map((a) => a.name)), ['zkAddress']);
    assert.deepEqual(suggest('brokername', ['brokerName', 'brokerId']), ['brokerName']);
    assert.deepEqual(suggest('maxConnections', ['maximumConnections', 'backlog']), ['maximumConnections']);
    assert.deepEqual(suggest('fooBar', attributesIn('kahaDB', undefined).map((a) => a.name)), []);
    assert.deepEqual(suggest('x', ['id']), []);
  });
});

describe('schema rules: quick fixes', () => {
  function fixesOf(files: Record<string, string>, code: string, options = {}) {
    const snap = new Map(Object.entries(files));
    return analyze(snap, options).findings.filter((f) => f.code === code);
  }

  it('renames a misspelt element in its start and end tag, prefix kept', () => {
    const text =
      '<beans xmlns="http://www.springframework.org/schema/beans" xmlns:amq="http://activemq.apache.org/schema/core">\n' +
      '  <amq:broker brokerName="b"><amq:persistenceAdapter><amq:kahaDb directory="x"></amq:kahaDb></amq:persistenceAdapter></amq:broker>\n</beans>\n';
    const [f] = fixesOf({ 'n/conf/activemq.xml': text }, 'unknown-element-or-attribute');
    assert.equal(f.fixes?.length, 1);
    const fix = f.fixes![0];
    assert.equal(fix.isPreferred, true);
    assert.equal(fix.edits.length, 2);
    assert.equal(applyEdits(text, fix.edits), text.replace(/amq:kahaDb/g, 'amq:kahaDB'));
  });

  it('renames only the attribute name, preferred only for a single candidate', () => {
    const text = '<broker xmlns="http://activemq.apache.org/schema/core"><persistenceAdapter><replicatedLevelDB zkAdress="zk:2181"/></persistenceAdapter></broker>\n';
    const [f] = fixesOf({ 'n/conf/activemq.xml': text }, 'unknown-element-or-attribute');
    assert.equal(f.fixes![0].isPreferred, true);
    assert.equal(applyEdits(text, f.fixes![0].edits), text.replace('zkAdress', 'zkAddress'));
    // the XSD has both inactiveTimeoutBeforeGC and the misspelt inactiveTimoutBeforeGC: two candidates, none preferred
    const many =
      '<broker xmlns="http://activemq.apache.org/schema/core"><destinationPolicy><policyMap><policyEntries>' +
      '<policyEntry queue=">" inactiveTimeoutBeforeG="1"/></policyEntries></policyMap></destinationPolicy></broker>\n';
    const [g] = fixesOf({ 'n/conf/activemq.xml': many }, 'unknown-element-or-attribute');
    assert.deepEqual(g.fixes!.map((x) => x.title), ["Change 'inactiveTimeoutBeforeG' to 'inactiveTimeoutBeforeGC'", "Change 'inactiveTimeoutBeforeG' to 'inactiveTimoutBeforeGC'"]);
    assert.ok(g.fixes!.every((x) => !x.isPreferred));
  });

  it('fixes a boolean, a URI option and a sync token', () => {
    const text =
      '<broker xmlns="http://activemq.apache.org/schema/core"><persistenceAdapter><replicatedLevelDB sync="local_dsk,quorum_mem"/></persistenceAdapter>' +
      '<transportConnectors><transportConnector name="o" uri="tcp://0.0.0.0:61616?maxConnections=10&amp;x=1" rebalanceClusterClients="yes"/></transportConnectors></broker>\n';
    const fs_ = fixesOf({ 'n/conf/activemq.xml': text }, 'invalid-value');
    const byText = new Map(fs_.map((f) => [text.slice(f.span.start, f.span.end), f]));
    const fixed = (k: string) => applyEdits(text, byText.get(k)!.fixes![0].edits);
    assert.ok(fixed('local_dsk').includes('sync="local_disk,quorum_mem"'));
    assert.ok(fixed('maxConnections').includes('?maximumConnections=10&amp;x=1'));
    assert.ok(fixed('yes').includes('rebalanceClusterClients="true"'));
    assert.equal(byText.get('x')?.fixes, undefined);
    assert.equal(byText.get('x')?.severity, 'warning');
  });

  it('reports newer-than-schema versions at information', () => {
    const text = '<broker xmlns="http://activemq.apache.org/schema/core" someNewAttribute="1"/>\n';
    const [f] = fixesOf({ 'n/conf/activemq.xml': text }, 'unknown-element-or-attribute', { activemqVersion: '6.1.0' });
    assert.equal(f.severity, 'information');
    assert.match(f.message, /older than the target version 6\.1\.0/);
  });
});
