/** The language server over stdio with a real JSON-RPC client. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, CompletionItem, Diagnostic, Hover, TextEdit } from 'vscode-languageserver-protocol';
import { analyze } from '../server/src/core/analyze';
import { LineIndex } from '../server/src/core/text';
import { LspClient, uri } from './lsp-client';

const ROOT = path.resolve(__dirname, '..', '..');

function copyExamples(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-lsp-'));
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.set(r, fs.readFileSync(path.join(d, e.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

function codes(ds: Diagnostic[]): string[] {
  return ds.map((d) => String(d.code)).sort();
}

describe('language server over stdio', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;

  beforeEach(async () => {
    dir = copyExamples();
    client = new LspClient();
    await client.initialize([dir]);
  });

  afterEach(async () => {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const f = (rel: string) => path.join(dir, rel);

  it('publishes diagnostics for unopened sibling nodes when one file is opened', async () => {
    await client.openFile(f('myzookeeper/zk02/conf/zoo.cfg'));
    await client.until(() => client.diags(f('myzookeeper/zk03/conf/zoo.cfg')).length > 0 && client.diags(f('mq_cluster/mq_node02/conf/activemq.xml')).length > 0, 15000, 'sibling diagnostics');
    const zk3 = client.diags(f('myzookeeper/zk03/conf/zoo.cfg'));
    assert.deepEqual(codes(zk3), ['port-conflict', 'zk-myid-missing']);
    const pc = zk3.find((d) => d.code === 'port-conflict')!;
    assert.equal(pc.source, 'amq-cluster');
    assert.ok(pc.codeDescription?.href.endsWith('docs/rules/port-conflict.md'));
    assert.equal(pc.relatedInformation?.[0].location.uri, uri(f('myzookeeper/zk02/conf/zoo.cfg')));
    const bn = client.diags(f('mq_cluster/mq_node02/conf/activemq.xml')).find((d) => d.code === 'broker-name-mismatch');
    assert.ok(bn, 'broker-name-mismatch on the unopened node');
    assert.equal(bn.range.start.line, 33);
  });

  it('applies each quick fix: the diagnostic disappears and no new one appears', async () => {
    const target = f('myzookeeper/zk03/conf/zoo.cfg');
    await client.openFile(target);
    await client.until(() => client.diags(target).some((d) => d.code === 'port-conflict'), 15000, 'initial diagnostics');
    // fix the clientPort collision in zk03 (the later node of the clash)
    const pc = client.diags(target).find((d) => d.code === 'port-conflict')!;
    const actions = await client.codeActions(target, [pc]);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred) as CodeAction;
    assert.ok(fix, `a preferred quick fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.deepEqual(fix.diagnostics, [pc]);
    await client.apply(fix.edit!);
    await client.until(
      () => !client.diags(target).some((d) => d.code === 'port-conflict') && !client.diags(f('myzookeeper/zk02/conf/zoo.cfg')).some((d) => d.code === 'port-conflict'),
      10000,
      'port-conflict to clear on both nodes',
    );
    // every remaining diagnostic with a preferred fix, applied one after the other
    const seen = new Set<string>();
    for (let round = 0; round < 10; round++) {
      let next: { file: string; d: Diagnostic; a: CodeAction } | undefined;
      for (const [u, ds] of client.diagnostics) {
        const file = new URL(u).pathname;
        for (const d of ds) {
          const key = `${u}|${d.code}|${d.range.start.line}`;
          if (seen.has(key)) continue;
          const acts = await client.codeActions(file, [d]);
          const a = acts.find((x) => x.kind === 'quickfix' && x.isPreferred && x.edit);
          seen.add(key);
          if (a) {
            next = { file, d, a };
            break;
          }
        }
        if (next) break;
      }
      if (!next) break;
      const before = client.log.length;
      await client.apply(next.a.edit!);
      await client.until(() => client.log.length > before, 10000, `diagnostics after "${next!.a.title}"`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // the workspace is clean of errors now, and what the server says equals the CLI's verdict
    const tree = readTree(dir);
    for (const [file, text] of client.open) tree.set(path.relative(dir, file).split(path.sep).join('/'), text);
    const final = analyze(tree);
    assert.deepEqual(final.findings.filter((x) => x.severity === 'error').map((x) => `${x.file} ${x.code}`), []);
    await client.until(() => [...client.diagnostics.values()].every((ds) => ds.every((d) => d.severity !== 1)), 10000, 'no error diagnostics');
  });

  it('clears zk-myid-missing when the myid file is created on disk', async () => {
    await client.openFile(f('myzookeeper/zk01/conf/zoo.cfg'));
    const zk3 = f('myzookeeper/zk03/conf/zoo.cfg');
    await client.until(() => client.diags(zk3).some((d) => d.code === 'zk-myid-missing'), 15000, 'zk-myid-missing');
    const d = client.diags(zk3).find((x) => x.code === 'zk-myid-missing')!;
    const acts = await client.codeActions(zk3, [d]);
    const create = acts.find((a) => a.title.startsWith('Create'))!;
    assert.ok(create.edit?.documentChanges?.some((c: object) => 'kind' in c && c.kind === 'create'), 'a create-file edit');
    // create it by hand, as a user would, and tell the server through the file watcher
    fs.writeFileSync(f('myzookeeper/zk03/data/myid'), '3\n');
    await client.watched([{ file: f('myzookeeper/zk03/data/myid'), type: 1 }]);
    await client.until(() => !client.diags(zk3).some((x) => x.code === 'zk-myid-missing'), 10000, 'zk-myid-missing to clear');
  });

  it('follows deletions: diagnostics of a deleted node go away', async () => {
    await client.openFile(f('myzookeeper/zk01/conf/zoo.cfg'));
    const node2 = f('mq_cluster/mq_node02/conf/activemq.xml');
    await client.until(() => client.diags(node2).some((d) => d.code === 'broker-name-mismatch'), 15000, 'broker-name-mismatch');
    fs.rmSync(f('mq_cluster/mq_node02'), { recursive: true });
    await client.watched([{ file: f('mq_cluster/mq_node02'), type: 3 }]);
    await client.until(() => client.diags(node2).length === 0, 10000, 'diagnostics of the deleted node to clear');
  });

  it('ends 200 rapid edits with diagnostics that match the final text', async () => {
    const file = f('myzookeeper/zk03/conf/zoo.cfg');
    await client.openFile(file);
    await client.until(() => client.diags(file).length > 0, 15000, 'initial diagnostics');
    const base = fs.readFileSync(file, 'utf8');
    let text = base;
    for (let i = 0; i < 200; i++) {
      text = base.replace('clientPort=2192', `clientPort=${2100 + (i % 97)}`);
      void client.change(file, text);
    }
    text = base.replace('clientPort=2192', 'clientPort=2193');
    await client.change(file, text);
    const snapshot = readTree(dir);
    snapshot.set('myzookeeper/zk03/conf/zoo.cfg', text);
    const expected = analyze(snapshot).findings.filter((x) => x.file === 'myzookeeper/zk03/conf/zoo.cfg').map((x) => x.code).sort();
    await client.until(() => JSON.stringify(codes(client.diags(file))) === JSON.stringify(expected), 15000, `final diagnostics ${expected.join(',')}`);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(codes(client.diags(file)), expected);
    assert.ok(!client.diags(file).some((d) => d.code === 'port-conflict'));
  });

  it('offers fix-all, suppression, snippets and hovers', async () => {
    const node1 = f('mq_cluster/mq_node01/conf/activemq.xml');
    await client.openFile(node1);
    await client.until(() => client.diags(node1).length > 0, 15000, 'diagnostics');
    const completion = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(node1) }, position: { line: 50, character: 0 } })) as { label: string; insertText: string }[];
    const rl = completion.find((c) => c.label === 'replicatedLevelDB')!;
    assert.ok(rl, 'replicatedLevelDB snippet');
    assert.match(rl.insertText, /zkAddress="\$\{3:localhost:2191,localhost:2192\}"/);
    assert.match(rl.insertText, /bind="tcp:\/\/0\.0\.0\.0:\$\{2:63634\}"/);
    const hover = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(node1) }, position: { line: 55, character: 35 } })) as { contents: { value: string } } | null;
    assert.ok(hover && /63632/.test(hover.contents.value), `hover lists the other bind ports: ${hover?.contents.value}`);
    const fixAll = await client.codeActions(node1, [], ['source.fixAll.amq-cluster']);
    assert.equal(fixAll.length, 1);
    assert.ok(fixAll[0].edit);
    const d = client.diags(node1).find((x) => x.code === 'zk-address-mismatch')!;
    const acts = await client.codeActions(node1, [d]);
    const sup = acts.find((a) => a.title.startsWith('Suppress'))!;
    assert.ok(sup, 'suppress action');
    const edits = Object.values(sup.edit!.changes!)[0] as { newText: string }[];
    assert.match(edits[0].newText, /^\s*<!-- amq-cluster-disable-next-line zk-address-mismatch: reason -->\n$/);
    await client.apply(sup.edit!);
    await client.until(() => !client.diags(node1).some((x) => x.code === d.code), 10000, 'suppressed diagnostic to go');
  });

  it('completes and hovers from the schema', async () => {
    const node1 = f('mq_cluster/mq_node01/conf/activemq.xml');
    await client.openFile(node1);
    await client.until(() => client.diags(node1).length > 0, 15000, 'diagnostics');
    const text = fs.readFileSync(node1, 'utf8');
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('<transportConnector name="openwire"'));
    const character = lines[line].indexOf('name=');
    const items = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(node1) }, position: { line, character } })) as { label: string }[];
    assert.ok(items.some((i) => i.label === 'updateClusterClients'), 'attribute names of transportConnector');
    const hover = (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(node1) }, position: { line, character: character + 1 } })) as { contents: { value: string } } | null;
    assert.ok(hover && /name/i.test(hover.contents.value), `hover on an attribute: ${hover?.contents.value}`);
  });

  it('answers a 10 MB buffer with a size notice and stays responsive', async () => {
    const big = f('mq_cluster/mq_node09/conf/activemq.xml');
    const text = '<beans>\n' + '<bean id="x" class="y"><property name="a" value="b"/></bean>\n'.repeat(170000) + '</beans>\n';
    assert.ok(text.length > 10_000_000);
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(big), languageId: 'xml', version: 1, text } });
    // other requests are answered while (and after) the big buffer arrives
    const node1 = f('mq_cluster/mq_node01/conf/activemq.xml');
    await client.openFile(node1);
    const hover = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(node1) }, position: { line: 0, character: 1 } });
    assert.ok(hover === null || typeof hover === 'object');
    await client.until(() => client.diags(big).length > 0, 15000, 'the size notice');
    const notice = client.diags(big);
    assert.deepEqual(codes(notice), ['file-too-large']);
    assert.match(notice[0].message, /9\.\d MB, above the 8\.0 MB analysis limit/);
    assert.deepEqual(notice[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } });
    // completion inside the huge buffer answers (empty) instead of parsing 10 MB
    const items = await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(big) }, position: { line: 5, character: 3 } });
    assert.deepEqual(items, []);
    // the rest of the workspace is still analysed
    await client.until(() => client.diags(node1).length > 0, 15000, 'diagnostics of a normal file');
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(big), version: 2 }, contentChanges: [{ text: '<beans/>\n' }] });
    await client.until(() => client.diags(big).length === 0, 15000, 'the notice to go once the buffer is small');
  });

  it('survives changes and closes for documents it never saw', async () => {
    const ghost = f('nowhere/conf/activemq.xml');
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(ghost), version: 7 }, contentChanges: [{ text: '<broker/>' }] });
    await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(ghost) } });
    await client.openFile(f('myzookeeper/zk01/conf/zoo.cfg'));
    await client.until(() => client.diagnostics.size > 0, 15000, 'diagnostics after junk notifications');
    assert.equal(client.proc.exitCode, null);
  });
});

describe('language server: answers from the whole workspace, new folders, new clusters', function () {
  this.timeout(60000);
  let dir: string;
  let client: LspClient;
  const f = (rel: string) => path.join(dir, rel);
  /** a ZooKeeper that shares nothing with the examples' cluster: a component of its own */
  const LAB = 'lab/zk/conf/zoo.cfg';
  const LAB_TEXT = 'tickTime=2000\ndataDir=/var/lib/zookeeper\nclientPort=2400\nadmin.enableServer=false\n';

  async function start(capabilities: Record<string, unknown> = {}): Promise<void> {
    client = new LspClient();
    await client.initialize([dir], capabilities);
  }

  beforeEach(() => {
    dir = copyExamples();
    fs.mkdirSync(path.dirname(f(LAB)), { recursive: true });
    fs.writeFileSync(f(LAB), LAB_TEXT);
  });

  afterEach(async () => {
    await client?.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const position = (text: string, offset: number) => new LineIndex(text).position(offset);
  const completion = async (file: string, text: string, offset: number) =>
    (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uri(file) }, position: position(text, offset) })) as CompletionItem[];
  const hover = async (file: string, text: string, offset: number) =>
    (await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(file) }, position: position(text, offset) })) as Hover | null;

  /** Edits the lab ZooKeeper (re-analysed alone) and waits until its diagnostics say so. */
  async function editElsewhere(): Promise<void> {
    await client.openFile(f(LAB));
    await client.change(f(LAB), LAB_TEXT.replace('clientAddress', '') + 'clientPortt=1\n');
    await client.until(() => client.diags(f(LAB)).some((d) => d.code === 'zk-config-invalid'), 15000, 'the lab edit analysed');
  }

  it('fills snippets in a new node folder with this workspace\'s values after an edit elsewhere', async () => {
    await start();
    const node4 = f('mq_cluster/mq_node04/conf/activemq.xml');
    const text = '<beans xmlns="http://www.springframework.org/schema/beans">\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName="zzyymq">\n    \n  </broker>\n</beans>\n';
    fs.mkdirSync(path.dirname(node4), { recursive: true });
    fs.writeFileSync(node4, text);
    await client.watched([{ file: node4, type: 1 }]);
    await client.openFile(node4);
    await client.until(() => client.diags(f('mq_cluster/mq_node02/conf/activemq.xml')).length > 0, 15000, 'the workspace analysed');
    await editElsewhere();
    const items = await completion(node4, text, text.indexOf('\n    \n') + 5);
    const rl = items.find((c) => c.label === 'replicatedLevelDB')!;
    assert.ok(rl, items.map((c) => c.label).join());
    assert.match(rl.insertText!, /zkAddress="\$\{3:localhost:2191,localhost:2192\}"/);
    assert.match(rl.insertText!, /bind="tcp:\/\/0\.0\.0\.0:\$\{2:63634\}"/);
    assert.match(rl.insertText!, /hostname="\$\{5:zzyymq-server\}"/);
    assert.match(rl.insertText!, /replicas="\$\{1:4\}"/);
  });

  it('keeps a port hover\'s table of the other listeners of the host after an edit elsewhere', async () => {
    await start();
    const node1 = f('mq_cluster/mq_node01/conf/activemq.xml');
    const text = fs.readFileSync(node1, 'utf8');
    await client.openFile(node1);
    await client.until(() => client.diags(node1).length > 0, 15000, 'diagnostics');
    const at = text.indexOf('63631') + 2;
    const before = await hover(node1, text, at);
    assert.match((before!.contents as { value: string }).value, /Also on this host/);
    await editElsewhere();
    const after = await hover(node1, text, at);
    assert.deepEqual(after, before);
  });

  it('analyses the files of a new folder from its creation event, also those written just after it', async () => {
    await start();
    await client.openFile(f('myzookeeper/zk01/conf/zoo.cfg'));
    await client.until(() => client.diags(f('mq_cluster/mq_node02/conf/activemq.xml')).length > 0, 15000, 'the workspace analysed');
    // a copy of zk01 as another server whose files arrive one by one; only the folder's creation is reported
    const copy = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(f(to)), { recursive: true });
      fs.writeFileSync(f(to), fs.readFileSync(f(from), 'utf8'));
    };
    copy('myzookeeper/zk01/conf/zoo.cfg', 'copied/zk05/conf/zoo.cfg');
    await client.watched([{ file: f('copied'), type: 1 }]);
    await new Promise((r) => setTimeout(r, 50));
    copy('myzookeeper/zk01/data/myid', 'copied/zk05/data/myid');
    const cfg = f('copied/zk05/conf/zoo.cfg');
    const myid = f('copied/zk05/data/myid');
    // the copy repeats zk01's client port on the ensemble's one host, and its myid repeats zk01's id
    await client.until(() => client.diags(cfg).some((d) => d.code === 'port-conflict'), 5000, 'the copied server analysed');
    await client.until(() => client.diags(myid).some((d) => d.code === 'zk-myid-mismatch'), 5000, 'the file written after the event analysed');
  });

  it('registers watchers for created and deleted folders', async () => {
    await start({ workspace: { workspaceFolders: true, configuration: false, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } } });
    await client.until(() => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), 10000, 'the watcher registration');
    const reg = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
    const watchers = (reg.registerOptions as { watchers: { globPattern: string; kind?: number }[] }).watchers;
    const folders = watchers.find((w) => w.globPattern === '**/*')!;
    assert.ok(folders && (folders.kind! & 1) !== 0 && (folders.kind! & 4) !== 0, JSON.stringify(watchers));
  });

  it('generates a cluster next to the existing one that uses none of its ports and lints clean', async () => {
    await start();
    await client.openFile(f('myzookeeper/zk01/conf/zoo.cfg'));
    await client.until(() => client.diags(f('mq_cluster/mq_node02/conf/activemq.xml')).length > 0, 15000, 'the workspace analysed');
    fs.mkdirSync(f('newcluster'));
    const res = (await client.conn.sendRequest('amqCluster/generate', {
      spec: { style: 'replicated-leveldb', nodes: 3, layout: 'one-host', activemqVersion: '5.16.7', host: 'localhost' },
      folderUri: uri(f('newcluster')),
    })) as { files: { uri: string; content: string }[] };
    assert.ok(res.files?.length, JSON.stringify(res));
    for (const file of res.files) {
      const p = new URL(file.uri).pathname;
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, file.content);
    }
    await client.watched([{ file: f('newcluster/broker1'), type: 1 }, { file: f('newcluster/zk1'), type: 1 }, { file: f('newcluster/zk2'), type: 1 }, { file: f('newcluster/zk3'), type: 1 }, { file: f('newcluster/broker2'), type: 1 }, { file: f('newcluster/broker3'), type: 1 }, { file: f('newcluster/client'), type: 1 }]);
    const zk1 = fs.readFileSync(f('newcluster/zk1/conf/zoo.cfg'), 'utf8');
    assert.doesNotMatch(zk1, /:2888:|:2889:|:2890:|clientPort=219[123]|admin\.serverPort=808[123]\n/);
    const mq1 = fs.readFileSync(f('newcluster/broker1/conf/activemq.xml'), 'utf8');
    assert.doesNotMatch(mq1, /:6161[678]\?|:6363[123]"/);
    // what the server publishes equals the CLI's verdict over the same folder; the new files have nothing above information
    const expected = analyze(readTree(dir));
    const newFiles = expected.findings.filter((x) => x.file.startsWith('newcluster/'));
    assert.deepEqual(newFiles.filter((x) => x.severity === 'error' || x.severity === 'warning').map((x) => `${x.file} ${x.code}`), []);
    const total = (sev: number) => [...client.diagnostics.values()].flat().filter((d) => d.severity === sev).length;
    const want = (sev: string) => expected.findings.filter((x) => x.severity === sev).length;
    await client.until(() => total(1) === want('error') && total(2) === want('warning') && total(3) === want('information'), 10000, `${want('error')} errors, ${want('warning')} warnings, ${want('information')} infos`);
  });

  it('completes a whole element, common children first', async () => {
    await start();
    const node1 = f('mq_cluster/mq_node01/conf/activemq.xml');
    const original = fs.readFileSync(node1, 'utf8');
    const at = original.indexOf('        <transportConnectors>');
    const text = original.slice(0, at) + '        <tr\n' + original.slice(at);
    await client.openFile(node1);
    await client.change(node1, text);
    const items = await completion(node1, text, at + '        <tr'.length);
    const tc = items.find((i) => i.label === 'transportConnectors')!;
    assert.ok(tc, items.map((i) => i.label).join());
    assert.equal(tc.insertTextFormat, 2);
    assert.equal((tc.textEdit as TextEdit).newText, 'transportConnectors>$0</transportConnectors>');
    assert.deepEqual((tc.textEdit as TextEdit).range, { start: position(text, at + 9), end: position(text, at + 11) });
    const sorted = items.filter((i) => i.kind === 5 /* Field: a child group */).sort((a, b) => (a.sortText! < b.sortText! ? -1 : 1)).map((i) => i.label);
    assert.ok(sorted.indexOf('transportConnectors') < sorted.indexOf('adminView') && sorted.indexOf('plugins') < sorted.indexOf('adminView'), sorted.join());
  });

  for (const showsDocuments of [true, false]) {
    it(`creates the missing myid with its content only${showsDocuments ? ', then shows it' : ''}`, async () => {
      await start(showsDocuments ? { window: { showDocument: { support: true } } } : {});
      const zk3 = f('myzookeeper/zk03/conf/zoo.cfg');
      await client.openFile(zk3);
      await client.until(() => client.diags(zk3).some((d) => d.code === 'zk-myid-missing'), 15000, 'zk-myid-missing');
      const d = client.diags(zk3).find((x) => x.code === 'zk-myid-missing')!;
      const create = (await client.codeActions(zk3, [d])).find((a) => a.title.startsWith('Create'))!;
      const changes = create.edit!.documentChanges as ({ kind: string; uri: string } | { textDocument: { uri: string }; edits: TextEdit[] })[];
      const myid = uri(f('myzookeeper/zk03/data/myid'));
      assert.deepEqual(changes[0], { kind: 'create', uri: myid, options: { overwrite: false, ignoreIfExists: false } });
      // the content replaces the new file's whole text: a client whose empty buffer holds one empty line keeps no extra line
      assert.deepEqual((changes[1] as { edits: TextEdit[] }).edits, [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: '3\n' }]);
      if (showsDocuments) {
        assert.deepEqual(create.command, { title: 'Show myzookeeper/zk03/data/myid', command: 'amq-cluster.showCreatedFile', arguments: [myid] });
        await client.apply(create.edit!);
        await client.conn.sendRequest('workspace/executeCommand', create.command);
        assert.deepEqual(client.shown, [{ uri: myid, takeFocus: true }]);
      } else {
        assert.equal(create.command, undefined);
        await client.apply(create.edit!);
      }
      assert.equal(fs.readFileSync(f('myzookeeper/zk03/data/myid'), 'utf8'), '3\n');
      await client.until(() => !client.diags(zk3).some((x) => x.code === 'zk-myid-missing'), 10000, 'zk-myid-missing to clear');
    });
  }
});
