/** Schema-driven completion and hover (server/src/core/assist/schema.ts). */
import * as assert from 'node:assert/strict';
import { schemaCompletions, schemaHover } from '../server/src/core/assist/schema';
import type { CompletionEntry as CompletionItem, HoverInfo as Hover } from '../server/src/core/assist/types';

const NS = 'http://activemq.apache.org/schema/core';
const REL = 'node1/conf/activemq.xml';

/** Splits a text at its `|` cursor marker. */
function cursor(withBar: string): { text: string; offset: number } {
  const offset = withBar.indexOf('|');
  assert.ok(offset >= 0, 'cursor marker');
  return { text: withBar.slice(0, offset) + withBar.slice(offset + 1), offset };
}

function complete(withBar: string, version?: string, rel = REL): CompletionItem[] {
  const { text, offset } = cursor(withBar);
  return schemaCompletions(text, offset, rel, version);
}

function hover(withBar: string, version?: string, rel = REL): { h: Hover | null; text: string } {
  const { text, offset } = cursor(withBar);
  return { h: schemaHover(text, offset, rel, version), text };
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

/** The text a completion's edit replaces. */
function replaced(text: string, item: CompletionItem): string {
  assert.ok(item.edit, `${item.label} replaces text`);
  return text.slice(item.edit.span.start, item.edit.span.end);
}

function hoverText(h: Hover | null): string {
  assert.ok(h, 'a hover');
  return h.markdown;
}

describe('schema completion', () => {
  it('offers the elements a child group may hold, filtered by version', () => {
    const doc = `<broker xmlns="${NS}">\n  <persistenceAdapter>\n    <|\n  </persistenceAdapter>\n</broker>\n`;
    const v17 = labels(complete(doc, '5.17.2'));
    assert.deepEqual(v17, ['jdbcPersistenceAdapter', 'journalPersistenceAdapter', 'kahaDB', 'mKahaDB', 'memoryPersistenceAdapter']);
    const any = complete(doc, undefined);
    const rl = any.find((i) => i.label === 'replicatedLevelDB')!;
    assert.ok(rl, 'replicatedLevelDB offered when the version is unknown');
    assert.equal(rl.deprecated, true, 'and marked deprecated');
    assert.match(String(rl.detail), /removed in 5\.17/);
    // after a typed `<`: the rest of the element, with an end tag where the schema allows children
    const kahaDB = any.find((i) => i.label === 'kahaDB')!;
    assert.equal(kahaDB.insertText, 'kahaDB$1>$0</kahaDB>');
    assert.equal(kahaDB.snippet, true);
    assert.ok(complete(doc, '5.16.7').some((i) => i.label === 'levelDB'));
  });

  it('offers the child groups of an element, with "<" when none is typed', () => {
    const items = complete(`<broker xmlns="${NS}">\n  |\n</broker>\n`, '5.17.2');
    const tc = items.find((i) => i.label === 'transportConnectors')!;
    assert.equal(tc.insertText, '<transportConnectors>$0</transportConnectors>');
    assert.equal(tc.snippet, true);
    assert.ok(labels(items).includes('persistenceAdapter'));
    assert.ok(labels(items).includes('systemUsage'));
    assert.equal(complete(`<broker xmlns="${NS}"><persistenceAdapter><kahaDB><locker><shared-file-locker>|</shared-file-locker></locker></kahaDB></persistenceAdapter></broker>`).length > 0, true);
    // an element that takes no children
    assert.deepEqual(complete(`<broker xmlns="${NS}"><destinationPolicy><policyMap><policyEntries><policyEntry queue=">"><pendingQueuePolicy><vmQueueCursor><|</vmQueueCursor></pendingQueuePolicy></policyEntry></policyEntries></policyMap></destinationPolicy></broker>`), []);
  });

  it('completes a partly typed element name in place, keeping the prefix', () => {
    const { text, offset } = cursor(`<beans xmlns:amq="${NS}">\n  <amq:broker>\n    <amq:persistenceAdapter>\n      <amq:kah|\n    </amq:persistenceAdapter>\n  </amq:broker>\n</beans>\n`);
    const items = schemaCompletions(text, offset, REL, '5.17.2');
    const k = items.find((i) => i.label === 'amq:kahaDB')!;
    assert.ok(k, labels(items).join());
    assert.equal(replaced(text, k), 'amq:kah');
    assert.equal(k.edit!.newText, 'amq:kahaDB$1>$0</amq:kahaDB>');
    assert.equal(k.snippet, true);
  });

  it('inserts whole elements: a start tag being typed is finished with its end tag, or closed when nothing goes inside', () => {
    // `<tr` typed, no `>` yet: the name and the rest of the element
    const { text, offset } = cursor(`<broker xmlns="${NS}">\n  <tr|\n</broker>\n`);
    const tc = schemaCompletions(text, offset, REL, '5.17.2').find((i) => i.label === 'transportConnectors')!;
    assert.equal(replaced(text, tc), 'tr');
    assert.equal(tc.edit!.newText, 'transportConnectors>$0</transportConnectors>');
    assert.equal(tc.snippet, true);
    // `<|>`: the `>` after the cursor is replaced too, so the element is not closed twice
    const gt = cursor(`<broker xmlns="${NS}">\n  <|>\n</broker>\n`);
    const tg = schemaCompletions(gt.text, gt.offset, REL, '5.17.2').find((i) => i.label === 'transportConnectors')!;
    assert.equal(replaced(gt.text, tg), '>');
    assert.equal(tg.edit!.newText, 'transportConnectors>$0</transportConnectors>');
    // an element the schema gives no children: self-closing
    const vm = complete(`<broker xmlns="${NS}"><destinationPolicy><policyMap><policyEntries><policyEntry queue=">"><pendingQueuePolicy><|</pendingQueuePolicy></policyEntry></policyEntries></policyMap></destinationPolicy></broker>`);
    assert.equal(vm.find((i) => i.label === 'vmQueueCursor')!.insertText, 'vmQueueCursor$0/>');
    // renaming a finished start tag replaces the name only
    const ren = cursor(`<broker xmlns="${NS}"><transportConn|ectors></transportConnectors></broker>`);
    const r = schemaCompletions(ren.text, ren.offset, REL, '5.17.2').find((i) => i.label === 'transportConnectors')!;
    assert.equal(replaced(ren.text, r), 'transportConnectors');
    assert.equal(r.edit!.newText, 'transportConnectors');
    assert.ok(!r.snippet);
  });

  it('lists the children the shipped configuration writes first, bean-valued getters last', () => {
    const items = complete(`<broker xmlns="${NS}">\n  |\n</broker>\n`, '5.17.2');
    const order = [...items].sort((a, b) => (a.sortText! < b.sortText! ? -1 : a.sortText! > b.sortText! ? 1 : 0)).map((i) => i.label);
    assert.deepEqual(order.slice(0, 6), ['destinationPolicy', 'managementContext', 'persistenceAdapter', 'shutdownHooks', 'systemUsage', 'transportConnectors']);
    const at = (l: string) => order.indexOf(l);
    for (const common of ['plugins', 'networkConnectors', 'destinations']) assert.ok(at(common) < at('adminView'), `${common} above adminView`);
    assert.ok(at('adminView') > at('transportConnectors') && at('brokerContext') > at('plugins'));
  });

  it('offers the broker (with its namespace) in a Spring beans root', () => {
    const items = complete(`<beans xmlns="http://www.springframework.org/schema/beans">\n  <|\n</beans>\n`);
    assert.deepEqual(labels(items), ['broker']);
    assert.equal(items[0].insertText, `broker xmlns="${NS}"$1>$0</broker>`);
  });

  it('offers the attributes not yet on the start tag', () => {
    const items = complete(`<broker xmlns="${NS}"><persistenceAdapter><kahaDB directory="x" | /></persistenceAdapter></broker>`, '5.17.2');
    const names = labels(items);
    assert.ok(names.includes('journalMaxFileLength'));
    assert.ok(!names.includes('directory'));
    const j = items.find((i) => i.label === 'journalDiskSyncStrategy')!;
    assert.equal(j.insertText, 'journalDiskSyncStrategy="$1"');
    assert.equal(j.snippet, true);
    assert.match(String(j.detail), /xs:string = always/);
    // the removed stores have no attributes in 5.17
    assert.deepEqual(complete(`<broker xmlns="${NS}"><persistenceAdapter><replicatedLevelDB | /></persistenceAdapter></broker>`, '5.17.2'), []);
    assert.ok(labels(complete(`<broker xmlns="${NS}"><persistenceAdapter><replicatedLevelDB | /></persistenceAdapter></broker>`, '5.16.7')).includes('zkAddress'));
  });

  it('replaces an attribute name being edited without adding a second value', () => {
    const { text, offset } = cursor(`<broker xmlns="${NS}"><persistenceAdapter><kahaDB direc|tory="x"/></persistenceAdapter></broker>`);
    const items = schemaCompletions(text, offset, REL, undefined);
    const d = items.find((i) => i.label === 'directory')!;
    assert.equal(replaced(text, d), 'directory');
    assert.equal(d.edit!.newText, 'directory');
  });

  it('offers boolean, enumerated and default values inside a value', () => {
    assert.deepEqual(labels(complete(`<broker xmlns="${NS}"><transportConnectors><transportConnector rebalanceClusterClients="|"/></transportConnectors></broker>`)), ['true', 'false']);
    const { text, offset } = cursor(`<broker xmlns="${NS}"><persistenceAdapter><kahaDB journalDiskSyncStrategy="al|ways"/></persistenceAdapter></broker>`);
    const items = schemaCompletions(text, offset, REL, undefined);
    assert.deepEqual(labels(items), ['always', 'periodic', 'never']);
    assert.equal(replaced(text, items[0]), 'always');
    assert.deepEqual(labels(complete(`<broker xmlns="${NS}"><managementContext><managementContext connectorPort="|"/></managementContext></broker>`)), ['1099']);
    // an xs:string that ActiveMQ's BooleanEditor converts
    assert.deepEqual(labels(complete(`<broker xmlns="${NS}" useJmx="|"/>`)), ['true', 'false']);
    assert.match(hoverText(hover(`<broker xmlns="${NS}" use|Jmx="true"/>`).h), /BooleanEditor/);
  });

  it('completes only the sync token under the cursor', () => {
    const { text, offset } = cursor(`<broker xmlns="${NS}"><persistenceAdapter><replicatedLevelDB sync="local_disk, quo|"/></persistenceAdapter></broker>`);
    const items = schemaCompletions(text, offset, REL, undefined);
    assert.equal(items.length, 6);
    assert.equal(replaced(text, items[0]), 'quo');
  });

  it('completes the WebConsolePort properties in jetty.xml', () => {
    const bean = (inner: string) =>
      `<beans xmlns="http://www.springframework.org/schema/beans">\n  <bean id="jettyPort" class="org.apache.activemq.web.WebConsolePort" init-method="start">\n${inner}\n  </bean>\n</beans>\n`;
    assert.deepEqual(labels(complete(bean('    <property name="|"/>'), undefined, 'node1/conf/jetty.xml')), ['host', 'port']);
    assert.deepEqual(labels(complete(bean('    <property name="host" value="0.0.0.0"/>\n    <property name="|"/>'), undefined, 'node1/conf/jetty.xml')), ['port']);
    assert.deepEqual(labels(complete(bean('    <property name="port" value="|"/>'), undefined, 'node1/conf/jetty.xml')), ['8161']);
  });

  it('offers nothing outside the ActiveMQ namespace or in other files', () => {
    assert.deepEqual(complete(`<beans xmlns="http://www.springframework.org/schema/beans"><bean class="x"><|</bean></beans>`), []);
    assert.deepEqual(complete(`<broker xmlns="${NS}"><|</broker>`, undefined, 'zk1/conf/zoo.cfg'), []);
    assert.ok(complete(`<broker xmlns="${NS}"><|</broker>`, undefined, 'node1/conf/broker-extra.xml').length > 0);
  });
});

describe('schema hover', () => {
  it('describes an element', () => {
    const t = hoverText(hover(`<broker xmlns="${NS}"><persistenceAdapter><ka|haDB/></persistenceAdapter></broker>`).h);
    assert.match(t, /\*\*<kahaDB>\*\*/);
    assert.match(t, /KahaDB/);
    assert.match(t, /org\.apache\.activemq\.store\.kahadb\.KahaDBPersistenceAdapter/);
  });

  it('describes a child group and what it holds for the version', () => {
    const t = hoverText(hover(`<broker xmlns="${NS}"><persistence|Adapter><kahaDB/></persistenceAdapter></broker>`, '5.17.2').h);
    assert.match(t, /child group of `<broker>`/);
    assert.match(t, /Holds one of: `jdbcPersistenceAdapter`/);
    assert.doesNotMatch(t, /LevelDB/);
  });

  it('describes an attribute: type, default, values, versions; the range is the name', () => {
    const { h, text } = hover(`<broker xmlns="${NS}"><persistenceAdapter><kahaDB journalDisk|SyncStrategy="always"/></persistenceAdapter></broker>`);
    const t = hoverText(h);
    assert.match(t, /`xs:string` · default `always`/);
    assert.match(t, /Values: `always` \| `periodic` \| `never`/);
    assert.equal(text.slice(h!.span.start, h!.span.end), 'journalDiskSyncStrategy');
  });

  it('gives version-dependent defaults and availability', () => {
    const mc = (v: string) => hoverText(hover(`<broker xmlns="${NS}"><managementContext><managementContext create|Connector="true"/></managementContext></broker>`, v).h);
    assert.match(mc('5.15.9'), /default `true` \(for 5\.15\.9\)/);
    assert.match(mc('5.17.2'), /default `false` \(for 5\.17\.2\)/);
    const tm = hoverText(hover(`<broker xmlns="${NS}"><persistenceAdapter><replicatedLevelDB zkSession|Tmeout="2s"/></persistenceAdapter></broker>`, '5.12.0').h);
    assert.match(tm, /not in ActiveMQ 5\.12\.0/);
    assert.match(tm, /since 5\.9, removed in 5\.11/);
    const rl = hoverText(hover(`<broker xmlns="${NS}"><persistenceAdapter><replicated|LevelDB/></persistenceAdapter></broker>`, '5.17.2').h);
    assert.match(rl, /since 5\.9, unsupported since 5\.14\.2, removed in 5\.17 — \*\*not in 5\.17\.2\*\*/);
  });

  it('hovers the value too, and the web console port in jetty.xml', () => {
    const t = hoverText(hover(`<broker xmlns="${NS}"><persistenceAdapter><replicatedLevelDB replicas="|3"/></persistenceAdapter></broker>`).h);
    assert.match(t, /`xs:integer` · default `3`/);
    const j = hoverText(
      hover(
        `<beans xmlns="http://www.springframework.org/schema/beans"><bean class="org.apache.activemq.web.WebConsolePort"><property name="port" value="81|61"/></bean></beans>`,
        undefined,
        'node1/conf/jetty.xml',
      ).h,
    );
    assert.match(j, /WebConsolePort\.port/);
    assert.match(j, /default `8161`/);
  });

  it('has nothing to say outside the schema', () => {
    assert.equal(hover(`<beans xmlns="http://www.springframework.org/schema/beans"><be|an class="x"/></beans>`).h, null);
    assert.equal(hover(`<broker xmlns="${NS}" notAn|Attribute="1"/>`).h, null);
    assert.equal(hover(`<broker xmlns="${NS}">  |  </broker>`).h, null);
  });
});
