/** The language server over stdio with a real JSON-RPC client. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { analyze } from '../server/src/core/analyze';
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
