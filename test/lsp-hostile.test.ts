/**
 * Hostile workspaces against the language server, over stdio with the real JSON-RPC client: each
 * attack of issue 15 that the server meets (watcher events for links out of the workspace, links
 * to `/` and loops, FIFOs, settings and notifications of the wrong shape, a pathological glob,
 * BOM and CR-only files fixed unopened, storms of edits and of events, cancellation, folders added
 * and removed, malformed frames). After each, the server's diagnostics equal a fresh CLI run over
 * the same files, and a sentinel outside the workspace never appears in anything it says.
 *
 * No timing is asserted (speed lives in `npm run bench`); time limits are generous and only stop
 * a hang.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import type { CodeAction, Diagnostic, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { AnalysisService } from '../server/src/core/service';
import { normalizeSettings } from '../server/src/core/options';
import { LineIndex } from '../server/src/core/text';
import { isCandidate } from '../server/src/core/sources/recognize';
import { readWorkspaceSync } from '../server/src/io/walk';
import { syntheticWorkspace } from '../bench/workspace';
import { LspClient, applyTextEdits, uri } from './lsp-client';
import { snapshotTree } from './tree-util';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'bin', 'amq-cluster-lint.js');
const SERVER = path.join(ROOT, 'bin', 'amq-cluster-lsp.js');
const SENTINEL = 'SENTINEL-lsp-5d1e-never-in-output';
const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

const ZOO = (id: number, port = 2180 + id, host = '127.0.0.1') =>
  `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/zk${id}/data\nclientPort=${port}\nserver.1=${host}:2888:3888\nserver.2=${host}:2889:3889\nserver.3=${host}:2890:3890\n`;

/** A three-server ensemble on one host; zk3's myid is missing (a finding with a create fix). */
function ensemble(): Record<string, string> {
  return { 'zk1/conf/zoo.cfg': ZOO(1), 'zk2/conf/zoo.cfg': ZOO(2), 'zk3/conf/zoo.cfg': ZOO(3), 'zk1/data/myid': '1\n', 'zk2/data/myid': '2\n' };
}

function write(dir: string, files: Record<string, string | Buffer>): void {
  for (const [p, t] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), t);
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));


// ---------------------------------------------------------------------------------------------
// the server's final state against a fresh CLI run

type Line = string;

function line(rel: string, d: { range: Diagnostic['range']; severity: string; code: string; message: string }): Line {
  const r = d.range;
  return `${rel}:${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${d.severity} ${d.code} ${d.message}`;
}

/** What the server shows now, one line per diagnostic, paths relative to `roots` (the first that holds them). */
function serverLines(client: LspClient, roots: string[]): Line[] {
  const out: Line[] = [];
  for (const [u, ds] of client.diagnostics) {
    const p = fileURLToPath(u);
    const root = roots.find((r) => p.startsWith(r + path.sep));
    const rel = root ? path.relative(root, p).split(path.sep).join('/') : `OUTSIDE:${p}`;
    for (const d of ds) out.push(line(rel, { range: d.range, severity: SEVERITY[d.severity ?? 1], code: String(d.code), message: d.message }));
  }
  return out.sort();
}

/** A fresh CLI run over `dir` (the process, `--format json`, run in `dir`: paths are shown relative to it). */
function cliLines(dir: string, args: string[] = []): Line[] {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', ...args, '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120000 });
  assert.ok(r.status === 0 || r.status === 1, `CLI exit ${r.status}: ${r.stderr}`);
  const items = JSON.parse(r.stdout) as { file: string; range: Diagnostic['range']; severity: string; code: string; message: string }[];
  return items.map((x) => line(x.file, x)).sort();
}

/**
 * The CLI's steps in process (the same reader and analysis), for settings the CLI has no flag for
 * (exclude patterns, severity overrides): walk with the normalised excludes, analyse with the
 * normalised options and the walk's blocked paths.
 */
function cliLinesWithSettings(dir: string, raw: unknown): Line[] {
  const n = normalizeSettings(raw);
  const w = readWorkspaceSync(dir, { exclude: n.exclude.matches });
  const blockedPaths = new Set([...w.skipped.map((s) => s.file), ...w.links.keys()]);
  const service = new AnalysisService({ ...n.options, blockedPaths }, { batch: true });
  service.setFiles(w.snapshot);
  service.update();
  const idx = new Map<string, LineIndex>();
  return service
    .fullResult()
    .findings.map((f) => {
      let li = idx.get(f.file);
      if (!li) idx.set(f.file, (li = new LineIndex(w.snapshot.get(f.file) ?? '')));
      return line(f.file, { range: li.range(f.span), severity: f.severity, code: f.code, message: f.message });
    })
    .sort();
}

async function expectLines(client: LspClient, roots: string[], expected: Line[], what: string, ms = 30000): Promise<void> {
  const want = JSON.stringify(expected);
  try {
    await client.until(() => JSON.stringify(serverLines(client, roots)) === want, ms, what);
  } catch {
    const got = serverLines(client, roots);
    const missing = expected.filter((l) => !got.includes(l));
    const extra = got.filter((l) => !expected.includes(l));
    const show = (ls: Line[]) => ls.slice(0, 8).map((l) => l.slice(0, 240)).join('\n  ') + (ls.length > 8 ? `\n  ... ${ls.length - 8} more` : '');
    assert.fail(`${what}: the server's diagnostics differ from a fresh CLI run\nmissing:\n  ${show(missing)}\nextra:\n  ${show(extra)}`);
  }
  // and they stay so (nothing late undoes it)
  await sleep(300);
  assert.deepEqual(serverLines(client, roots), expected, `${what} (a moment later)`);
}

async function expectCli(client: LspClient, dir: string, args: string[] = [], what = 'final diagnostics'): Promise<void> {
  await expectLines(client, [dir, fs.realpathSync(dir)], cliLines(dir, args), what);
}

// ---------------------------------------------------------------------------------------------
// the client

interface Session {
  client: LspClient;
  /** window/logMessage and window/showMessage, in order */
  messages: { method: string; type: number; message: string }[];
}

const FULL_CAPS = {
  workspace: {
    workspaceFolders: true,
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
  },
};

async function start(folders: string[], settings?: unknown, capabilities: Record<string, unknown> = FULL_CAPS): Promise<Session> {
  const client = new LspClient();
  const messages: Session['messages'] = [];
  client.conn.onNotification('window/logMessage', (p: { type: number; message: string }) => messages.push({ method: 'log', ...p }));
  client.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => messages.push({ method: 'show', ...p }));
  client.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings ?? null));
  await client.initialize(folders, capabilities);
  return { client, messages };
}

/** shutdown is answered, and after exit the process ends by itself with code 0. */
async function shutdownAndExit(client: LspClient): Promise<void> {
  const answered = await Promise.race([client.conn.sendRequest('shutdown').then(() => true), sleep(15000).then(() => false)]);
  assert.ok(answered, 'shutdown answered');
  const exited = new Promise<number | null>((r) => (client.proc.exitCode !== null ? r(client.proc.exitCode) : client.proc.once('exit', (code) => r(code))));
  await client.conn.sendNotification('exit');
  const code = await Promise.race([exited, sleep(15000).then(() => 'still running')]);
  assert.equal(code, 0, 'the process exits by itself after exit');
}

function peakRssMb(proc: ChildProcess): number {
  try {
    const status = fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function everythingSaid(s: Session): string {
  return JSON.stringify(s.client.log) + JSON.stringify(s.messages);
}

/** Every file a workspace edit touches or creates. */
function editTargets(edit: WorkspaceEdit): string[] {
  const out: string[] = [];
  for (const u of Object.keys(edit.changes ?? {})) out.push(fileURLToPath(u));
  for (const dc of edit.documentChanges ?? []) {
    if ('kind' in dc) out.push(fileURLToPath((dc as { uri: string }).uri));
    else out.push(fileURLToPath(dc.textDocument.uri));
  }
  return out;
}

/** A path inside `dir` reached without any symbolic link on the way (existing parts checked). */
function plainlyInside(dir: string, p: string): boolean {
  if (!p.startsWith(dir + path.sep)) return false;
  let cur = dir;
  for (const seg of path.relative(dir, p).split(path.sep)) {
    cur = path.join(cur, seg);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(cur);
    } catch {
      return true; // not there yet (a file a fix creates): nothing below can be a link
    }
    if (st.isSymbolicLink()) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// a raw client: frames written as they are, several at once

class RawServer {
  readonly proc: ChildProcess;
  readonly received: Record<string, unknown>[] = [];
  private buf = Buffer.alloc(0);
  stderr = '';

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d.toString()));
    this.proc.stdout!.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, end).toString())?.[1]);
        if (this.buf.length < end + 4 + len) return;
        const msg = JSON.parse(this.buf.subarray(end + 4, end + 4 + len).toString('utf8')) as Record<string, unknown>;
        this.buf = this.buf.subarray(end + 4 + len);
        this.received.push(msg);
        // answer the server's own requests (configuration, registrations)
        if (typeof msg.method === 'string' && msg.id !== undefined) this.write(frame({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? [null] : null }));
      }
    });
  }

  write(data: string | Buffer): void {
    this.proc.stdin!.write(data);
  }

  async waitFor(pred: (m: Record<string, unknown>) => boolean, ms: number, what: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.received.find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await sleep(20);
    }
  }

  async initialize(folder: string): Promise<void> {
    this.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: [{ uri: uri(folder), name: 'ws' }] } }));
    await this.waitFor((m) => m.id === 1, 30000, 'initialize');
    this.write(frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
  }

  async exited(ms: number): Promise<number | null | 'alive'> {
    if (this.proc.exitCode !== null) return this.proc.exitCode;
    return Promise.race([new Promise<number | null>((r) => this.proc.once('exit', (c) => r(c))), sleep(ms).then(() => 'alive' as const)]);
  }

  kill(): void {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }
}

function frame(msg: unknown): string {
  const body = JSON.stringify(msg);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

// ---------------------------------------------------------------------------------------------

describe('language server: hostile workspaces', function () {
  this.timeout(180000);
  let base: string;
  let outside: string;
  let session: Session | undefined;
  let outsideBefore: Map<string, string>;

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-lsp-hostile-'));
    outside = path.join(base, 'outside');
    // text that looks like configuration: were it read, its words would be quoted in diagnostics
    write(outside, {
      'secret.cfg': `tickTime=2000\ndataDir=/${SENTINEL}\nclientPort=2181\nserver.1=${SENTINEL}:2888:3888\nserver.2=${SENTINEL}x:2888:3888\n`,
      'activemq.xml': `<beans><broker xmlns="http://activemq.apache.org/schema/core" brokerName="${SENTINEL}"><transportConnectors><transportConnector uri="tcp://0.0.0.0:61616?${SENTINEL}"/></transportConnectors></broker></beans>\n`,
      'data/keep.txt': 'keep',
      'conf/zoo.cfg': `dataDir=${SENTINEL}\nserver.1=a:1:2\nserver.1=b:1:2\n`,
    });
    outsideBefore = snapshotTree(outside);
  });

  afterEach(async () => {
    await session?.client.shutdown();
    session = undefined;
  });

  after(() => {
    // nothing outside the workspaces changed
    assert.deepEqual(snapshotTree(outside), outsideBefore);
    fs.rmSync(base, { recursive: true, force: true });
  });

  let n = 0;
  const workspace = (files: Record<string, string | Buffer>): string => {
    const dir = path.join(base, `ws${++n}`);
    write(dir, files);
    return dir;
  };

  describe('containment', () => {
    it('never reads a link out of the workspace announced by a created event, nor quotes it', async () => {
      const ws = workspace(ensemble());
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      fs.mkdirSync(path.join(ws, 'zk4/conf'), { recursive: true });
      fs.symlinkSync(path.join(outside, 'secret.cfg'), path.join(ws, 'zk4/conf/zoo.cfg'));
      fs.symlinkSync(path.join(outside, 'activemq.xml'), path.join(ws, 'activemq.xml'));
      fs.symlinkSync('/etc/passwd', path.join(ws, 'hosts'));
      fs.symlinkSync(path.join(outside, 'secret.cfg'), path.join(ws, 'app.properties'));
      await client.watched([
        { file: path.join(ws, 'zk4'), type: 1 },
        { file: path.join(ws, 'zk4/conf/zoo.cfg'), type: 1 },
        { file: path.join(ws, 'activemq.xml'), type: 1 },
        { file: path.join(ws, 'hosts'), type: 1 },
        { file: path.join(ws, 'app.properties'), type: 2 },
      ]);
      // a legitimate file after them: its diagnostics show the events were all handled
      write(ws, { 'zk5/conf/zoo.cfg': 'clientPort=abc\ndataDir=/var/zk5\n' });
      await client.watched([{ file: path.join(ws, 'zk5/conf/zoo.cfg'), type: 1 }]);
      await client.until(() => client.diags(path.join(ws, 'zk5/conf/zoo.cfg')).length > 0, 30000, 'the event after the links handled');
      await expectCli(client, ws, [], 'after the events');
      // an editor that opens the link shows the target; the server analyses none of it, and reads nothing when it closes
      const linked = path.join(ws, 'zk4/conf/zoo.cfg');
      await client.openFile(linked);
      await client.change(linked, client.open.get(linked)! + `server.3=${SENTINEL}y:1:2\n`);
      await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(linked) } });
      write(ws, { 'zk6/conf/zoo.cfg': 'clientPort=abc\ndataDir=/var/zk6\n' });
      await client.watched([{ file: path.join(ws, 'zk6/conf/zoo.cfg'), type: 1 }]);
      await client.until(() => client.diags(path.join(ws, 'zk6/conf/zoo.cfg')).length > 0, 30000, 'the event after the close handled');
      await expectCli(client, ws, [], 'after the open and close');
      const said = everythingSaid(session);
      assert.ok(!said.includes(SENTINEL), 'the sentinel never appears');
      assert.ok(!/root:x:0:0/.test(said), 'no line of /etc/passwd appears');
    });

    it('a link to / and a loop (loop -> .) with created events: no walk of the file system, no phantom nodes', async () => {
      const ws = workspace(ensemble());
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      fs.symlinkSync('/', path.join(ws, 'rootlink'));
      fs.symlinkSync('.', path.join(ws, 'loop'));
      fs.symlinkSync('..', path.join(ws, 'up'));
      await client.watched([
        { file: path.join(ws, 'rootlink'), type: 1 },
        { file: path.join(ws, 'loop'), type: 1 },
        { file: path.join(ws, 'up'), type: 1 },
        { file: path.join(ws, 'loop/zk1/conf/zoo.cfg'), type: 2 },
        { file: path.join(ws, 'loop/loop/zk2'), type: 1 },
        { file: path.join(ws, 'rootlink/etc/passwd'), type: 1 },
      ]);
      write(ws, { 'zk5/conf/zoo.cfg': 'clientPort=abc\ndataDir=/var/zk5\n' });
      await client.watched([{ file: path.join(ws, 'zk5/conf/zoo.cfg'), type: 1 }]);
      await client.until(() => client.diags(path.join(ws, 'zk5/conf/zoo.cfg')).length > 0, 60000, 'the event after the links handled');
      await expectCli(client, ws, [], 'after the events');
      assert.ok(![...client.diagnostics.keys()].some((u) => /\/(loop|rootlink|up)\//.test(u)), 'nothing published under a link');
      const list = (await client.conn.sendRequest('amqCluster/listFiles')) as { folders: { leftOut: { file: string; reason: string }[] }[] };
      const reasons = new Map(list.folders[0].leftOut.map((s) => [s.file, s.reason]));
      assert.equal(reasons.get('rootlink'), 'symlink-outside');
      assert.equal(reasons.get('up'), 'symlink-outside');
      assert.equal(reasons.get('loop'), 'duplicate');
      const rss = peakRssMb(client.proc);
      assert.ok(rss < 400, `peak RSS ${rss.toFixed(0)} MB`);
    });

    it('analyses a document opened by its real path under a symlinked workspace folder', async () => {
      const real = workspace(ensemble());
      const link = path.join(base, `link${++n}`);
      fs.symlinkSync(real, link);
      session = await start([link]);
      const { client } = session;
      await expectLines(client, [link], cliLines(real), 'start, through the link');
      const zk3 = path.join(real, 'zk3/conf/zoo.cfg');
      await client.openFile(zk3);
      const want = cliLines(real).filter((l) => l.startsWith('zk3/conf/zoo.cfg:'));
      assert.ok(want.length > 0);
      // the open document's diagnostics are published under its own URI, and only there
      await client.until(() => client.diags(zk3).length === want.length && client.diags(path.join(link, 'zk3/conf/zoo.cfg')).length === 0, 30000, 'diagnostics on the real path');
      await expectLines(client, [link, real], cliLines(real), 'after the open');
      // an edit of the real-path buffer is analysed
      await client.change(zk3, fs.readFileSync(zk3, 'utf8').replace('clientPort=2183', 'clientPort=2181'));
      await client.until(() => client.diags(zk3).some((d) => d.code === 'port-conflict'), 30000, 'the edit analysed');
    });

    it('offers no fix that edits or creates outside the workspace or through a link', async () => {
      const ws = workspace({ ...ensemble(), '.shared/zoo2.cfg': ZOO(2, 2181) });
      // zk3's data folder leads outside (its myid create would write there); zk2's config is read through a link
      fs.rmSync(path.join(ws, 'zk2/conf/zoo.cfg'));
      fs.symlinkSync('../../.shared/zoo2.cfg', path.join(ws, 'zk2/conf/zoo.cfg'));
      fs.symlinkSync(path.join(outside, 'data'), path.join(ws, 'zk3/data'));
      const before = snapshotTree(ws);
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      const targets: string[] = [];
      const actions: CodeAction[] = [];
      for (const [u, ds] of [...client.diagnostics]) {
        for (const d of ds) {
          for (const a of await client.codeActions(fileURLToPath(u), [d])) {
            actions.push(a);
            if (a.edit) targets.push(...editTargets(a.edit));
          }
        }
      }
      assert.ok(targets.length > 0, 'some fixes are offered');
      for (const t of targets) assert.ok(plainlyInside(ws, t), `fix target ${t} lies inside the workspace, through no link`);
      const myid = client.diags(path.join(ws, 'zk3/conf/zoo.cfg')).find((d) => d.code === 'zk-myid-missing');
      assert.ok(myid, 'zk3 is still told its myid is missing');
      assert.ok(myid.relatedInformation?.some((r) => /No quick fix "Create/.test(r.message)), 'and why there is no create');
      // applying every fix changes nothing outside, and no link target
      for (const a of actions) if (a.edit) await client.apply(a.edit);
      assert.equal(fs.readFileSync(path.join(ws, '.shared/zoo2.cfg'), 'utf8'), before.get(path.join(ws, '.shared/zoo2.cfg')));
      assert.ok(!fs.existsSync(path.join(outside, 'data/myid')));
    });
  });

  describe('never hang', () => {
    it('four FIFOs named zoo.cfg announced by events: later events are analysed, shutdown is answered, the process exits', async () => {
      const ws = workspace({ ...ensemble(), 'constructor/conf/zoo.cfg': ZOO(7, 2301), '__proto__/conf/zoo.cfg': ZOO(8, 2302) });
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      const fifos = [1, 2, 3, 4].map((i) => path.join(ws, `f${i}/conf/zoo.cfg`));
      for (const f of fifos) {
        fs.mkdirSync(path.dirname(f), { recursive: true });
        assert.equal(spawnSync('mkfifo', [f]).status, 0);
      }
      await client.watched(fifos.flatMap((f) => [{ file: f, type: 1 as const }, { file: f, type: 2 as const }]));
      await client.watched(fifos.map((f) => ({ file: path.dirname(path.dirname(f)), type: 1 as const })));
      write(ws, { 'zk5/conf/zoo.cfg': 'clientPort=abc\ndataDir=/var/zk5\n' });
      await client.watched([{ file: path.join(ws, 'zk5/conf/zoo.cfg'), type: 1 }]);
      await client.until(() => client.diags(path.join(ws, 'zk5/conf/zoo.cfg')).length > 0, 30000, 'the event after the FIFOs analysed');
      await expectCli(client, ws, [], 'after the FIFOs');
      await shutdownAndExit(client);
    });

    it('a FIFO swapped in and out during the start-up scan does not freeze it', async () => {
      const ws = workspace({ ...ensemble(), 'swap/conf/zoo.cfg': ZOO(9, 2309) });
      for (const i of [1, 2]) {
        fs.mkdirSync(path.join(ws, `fifo${i}/conf`), { recursive: true });
        spawnSync('mkfifo', [path.join(ws, `fifo${i}/conf/zoo.cfg`)]);
      }
      const dir = path.join(ws, 'swap/conf');
      const swapper = spawn('sh', ['-c', 'while :; do mkfifo p.tmp 2>/dev/null; mv -f p.tmp zoo.cfg; printf "clientPort=2309\\ndataDir=/x\\n" > r.tmp; mv -f r.tmp zoo.cfg; done'], { cwd: dir, stdio: 'ignore' });
      try {
        await sleep(100);
        session = await start([ws]);
        const { client } = session;
        await client.until(() => client.diags(path.join(ws, 'zk3/conf/zoo.cfg')).length > 0, 60000, 'diagnostics while a FIFO is being swapped');
        const hover = await Promise.race([client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(path.join(ws, 'zk1/conf/zoo.cfg')) }, position: { line: 0, character: 0 } }).then(() => 'answered'), sleep(30000).then(() => 'no answer')]);
        assert.equal(hover, 'answered');
      } finally {
        swapper.kill('SIGKILL');
        await new Promise((r) => swapper.once('exit', r));
      }
      const { client } = session!;
      fs.rmSync(path.join(dir, 'p.tmp'), { force: true });
      fs.rmSync(path.join(dir, 'r.tmp'), { force: true });
      fs.rmSync(path.join(dir, 'zoo.cfg'), { force: true });
      fs.writeFileSync(path.join(dir, 'zoo.cfg'), ZOO(9, 2309));
      await client.watched([{ file: path.join(dir, 'zoo.cfg'), type: 2 }]);
      await expectCli(client, ws, [], 'after the swapping stopped');
      await shutdownAndExit(client);
    });
  });

  describe('wrong shapes', () => {
    const backup = { 'backup/zk9/conf/zoo.cfg': ZOO(1), 'backup/zk9/data/myid': '1\n' };

    for (const [name, settings] of [
      ['exclude as a string, junk severities, a hostMap list', { exclude: 'backup/**', severity: { 'port-conflict': 42, 'zk-myid-missing': 'warning', constructor: 'off', __proto__: 'x' }, hostMap: ['x'], maxFileSize: 'big', zookeeperVersion: {} }],
      ['exclude with entries that are no strings', { exclude: ['backup/**', 5, null, { a: 1 }, ['x']], severity: 'all', hostMap: { 'zk1': 7 } }],
    ] as const) {
      it(`settings of the wrong shape are used where they can be and reported: ${name}`, async () => {
        const ws = workspace({ ...ensemble(), ...backup });
        session = await start([ws], settings);
        const { client } = session;
        await expectLines(client, [ws], cliLinesWithSettings(ws, settings), 'with the settings');
        assert.ok(session.messages.some((m) => m.method === 'show' && /settings of/.test(m.message)), JSON.stringify(session.messages));
        assert.ok(!client.diagnostics.has(uri(path.join(ws, 'backup/zk9/conf/zoo.cfg'))), 'the excluded folder is left out');
        await shutdownAndExit(client);
      });
    }

    it('watched-file notifications and other messages of the wrong shape are ignored with a message, never fatal', async () => {
      const ws = workspace(ensemble());
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      const junk: [string, unknown][] = [
        ['workspace/didChangeWatchedFiles', { changes: null }],
        ['workspace/didChangeWatchedFiles', { changes: 'zoo.cfg' }],
        ['workspace/didChangeWatchedFiles', { changes: [null, 7, { uri: 5, type: 1 }, { uri: uri(path.join(ws, 'x.cfg')), type: 9 }] }],
        ['workspace/didChangeWatchedFiles', null],
        ['workspace/didChangeWatchedFiles', { changes: [{ uri: 'http://example.invalid/zoo.cfg', type: 1 }, { uri: 'file:///%00', type: 1 }] }],
        ['textDocument/didOpen', {}],
        ['textDocument/didOpen', { textDocument: { uri: 42 } }],
        ['textDocument/didChange', { textDocument: { uri: uri(path.join(ws, 'never-opened.cfg')), version: 2 }, contentChanges: [{ text: 'x' }] }],
        ['textDocument/didClose', { textDocument: null }],
        ['workspace/didChangeConfiguration', { settings: null }],
        ['workspace/didChangeWorkspaceFolders', { event: null }],
        ['workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: 7 }, null], removed: 'x' } }],
        ['$/cancelRequest', { id: { a: 1 } }],
        ['amqCluster/noSuchNotification', [1, 2, 3]],
      ];
      for (const [method, params] of junk) await client.conn.sendNotification(method, params);
      for (const [method, params] of [
        ['textDocument/hover', {}],
        ['textDocument/codeAction', { textDocument: { uri: uri(path.join(ws, 'zk1/conf/zoo.cfg')) }, context: null }],
        ['textDocument/completion', null],
        ['amqCluster/generate', { spec: null, folderUri: 5 }],
        ['workspace/executeCommand', { command: 7 }],
      ] as [string, unknown][]) {
        await client.conn.sendRequest(method, params).catch(() => undefined);
      }
      // still alive, still analysing
      write(ws, { 'zk5/conf/zoo.cfg': 'clientPort=abc\ndataDir=/var/zk5\n' });
      await client.watched([{ file: path.join(ws, 'zk5/conf/zoo.cfg'), type: 1 }]);
      await client.until(() => client.diags(path.join(ws, 'zk5/conf/zoo.cfg')).length > 0, 30000, 'analysis after the junk');
      assert.ok(session.messages.some((m) => /didChangeWatchedFiles without a list of changes/.test(m.message)), 'the wrong shape is reported');
      assert.ok(session.messages.some((m) => /of the wrong shape ignored/.test(m.message)));
      await expectCli(client, ws, [], 'after the junk');
      await shutdownAndExit(client);
    });

    it('the pathological glob with a zoo.cfg 30 folders deep is answered', async () => {
      const deep = Array.from({ length: 30 }, (_, i) => `d${i % 3}`).join('/');
      const ws = workspace({ [`${deep}/zk/conf/zoo.cfg`]: 'clientPort=abc\ndataDir=/var/zk\n', ...ensemble() });
      const settings = { exclude: ['**/**/**/**/**/**/**/**/**/**/**/x'] };
      session = await start([ws], settings);
      const { client } = session;
      await client.until(() => client.diags(path.join(ws, deep, 'zk/conf/zoo.cfg')).length > 0, 60000, 'diagnostics of the deep file');
      await expectLines(client, [ws], cliLinesWithSettings(ws, settings), 'with the glob');
      await shutdownAndExit(client);
    });
  });

  describe('encodings and line endings of files fixed unopened', () => {
    /** Applies an edit the way VS Code and Neovim do: to the buffer (BOM kept out), written back with the BOM. */
    function applyAsEditor(file: string, edits: TextEdit[]): void {
      const raw = fs.readFileSync(file);
      const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
      const buffer = raw.toString('utf8', bom ? 3 : 0);
      fs.writeFileSync(file, (bom ? '\ufeff' : '') + applyTextEdits(buffer, edits));
    }

    it('a fix on an unopened file with a BOM lands at the right character', async () => {
      const bomZoo = (id: number) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`clientPort=2181\n${ZOO(id).replace(/clientPort=\d+\n/, '')}`)]);
      const ws = workspace({ 'zk1/conf/zoo.cfg': ZOO(1), 'zk2/conf/zoo.cfg': ZOO(2), 'zk1/data/myid': '1\n', 'zk2/data/myid': '2\n' });
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      // the BOM files come later: zk1 through a watcher event, zk2 through a buffer closed without saving (read from disk again)
      write(ws, { 'zk1/conf/zoo.cfg': bomZoo(1), 'zk2/conf/zoo.cfg': bomZoo(2) });
      await client.watched([{ file: path.join(ws, 'zk1/conf/zoo.cfg'), type: 2 }]);
      const file = path.join(ws, 'zk2/conf/zoo.cfg');
      await client.openFile(file);
      await client.change(file, 'unsaved\n');
      await client.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
      client.open.delete(file);
      await expectCli(client, ws, [], 'the BOM files read');
      const d = client.diags(file).find((x) => x.code === 'port-conflict');
      assert.ok(d, JSON.stringify(client.diags(file)));
      assert.deepEqual(d.range, { start: { line: 0, character: 11 }, end: { line: 0, character: 15 } }, 'the port, counted without the BOM');
      const fix = (await client.codeActions(file, [d])).find((a) => a.isPreferred && a.edit);
      assert.ok(fix, 'a preferred fix');
      const edits = fix.edit!.changes?.[uri(file)] ?? [];
      assert.ok(edits.length > 0, JSON.stringify(fix.edit));
      applyAsEditor(file, edits);
      const after = fs.readFileSync(file);
      assert.deepEqual([...after.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
      assert.match(after.toString('utf8', 3), /^clientPort=\d+\n/, 'the new port replaced exactly the old one');
      assert.notEqual(after.toString('utf8', 3).split('\n')[0], 'clientPort=2181');
      await client.watched([{ file, type: 2 }]);
      await expectCli(client, ws, [], 'after the fix');
      assert.ok(!cliLines(ws).some((l) => l.startsWith('zk2/conf/zoo.cfg:0:') && l.includes('port-conflict')));
    });

    it('an insertion into an unopened CR-only file keeps CR line endings', async () => {
      const cr = (s: string) => s.replace(/\n/g, '\r');
      const ws = workspace({ 'zk1/conf/zoo.cfg': cr(ZOO(1, 2181)), 'zk2/conf/zoo.cfg': cr(ZOO(2, 2181)), 'zk1/data/myid': '1\n', 'zk2/data/myid': '2\n' });
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      const file = path.join(ws, 'zk2/conf/zoo.cfg');
      const d = client.diags(file).find((x) => x.code === 'port-conflict')!;
      assert.ok(d);
      const sup = (await client.codeActions(file, [d])).find((a) => a.title.startsWith('Suppress'));
      assert.ok(sup?.edit, 'a suppress edit (the client has no suppress command)');
      const edits = sup.edit.changes![uri(file)];
      assert.ok(edits.every((e) => !e.newText.includes('\n')), JSON.stringify(edits));
      applyAsEditor(file, edits);
      assert.ok(!fs.readFileSync(file, 'utf8').includes('\n'), 'no LF in a CR-only file');
      await client.watched([{ file, type: 2 }]);
      await expectCli(client, ws, [], 'after the suppression');
      assert.ok(!client.diags(file).some((x) => x.code === 'port-conflict'));
    });
  });

  describe('responsiveness', () => {
    it('coalesces a storm of full-text changes: superseded versions are not analysed, the last one is', async () => {
      const base0 = fs.readFileSync(path.join(ROOT, 'examples/mq_cluster/mq_node01/conf/activemq.xml'), 'utf8');
      let entries = '';
      for (let i = 0; entries.length < 200_000; i++) entries += `          <policyEntry queue="q${i}.>" producerFlowControl="true" memoryLimit="1mb"/>\n`;
      const big = base0.replace('<transportConnectors>', `<destinationPolicy><policyMap><policyEntries>\n${entries}</policyEntries></policyMap></destinationPolicy>\n        <transportConnectors>`);
      const ws = workspace({ 'b1/conf/activemq.xml': big });
      session = await start([ws]);
      const { client } = session;
      const file = path.join(ws, 'b1/conf/activemq.xml');
      await expectCli(client, ws, [], 'start');
      await client.openFile(file);
      // every other version has a syntax error: each analysed version would publish
      const versions = 60;
      const broken = big.replace('</policyEntries>', '</policyEntrie>');
      const texts: string[] = [];
      for (let i = 0; i < versions; i++) texts.push(i % 2 === 0 ? broken.replace('q0.>', `q0-${i}.>`) : big.replace('q0.>', `q0-${i}.>`));
      // the last version says something no other one says: its diagnostics cannot be an earlier version's
      texts.push(big.replace('</destinationPolicy>', '</destinationPolicyy>'));
      const from = client.log.length;
      for (const t of texts) void client.change(file, t);
      fs.writeFileSync(file, texts[texts.length - 1]);
      await expectCli(client, ws, [], 'after the storm');
      const published = new Set(client.log.slice(from).filter((p) => p.uri === uri(file)).map((p) => p.version));
      if (process.env.LSP_TEST_VERBOSE) console.log(`versions published: ${[...published].join(',')}`);
      assert.ok(published.size <= versions / 4, `versions analysed: ${[...published].join(',')}`);
      await expectCli(client, ws, [], 'after the storm');
    });

    it('applies a storm of watched-file events in slices: a request sent after it is answered before its analysis', async () => {
      const files: Record<string, string> = {};
      for (let e = 0; e < 20; e++) for (const id of [1, 2, 3]) files[`e${e}/zk${id}/conf/zoo.cfg`] = ZOO(id, 3000 + e * 10 + id);
      const ws = workspace(files);
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      const open = path.join(ws, 'e0/zk1/conf/zoo.cfg');
      await client.openFile(open);
      // every server's client port now collides with its siblings'
      // (the open one keeps its buffer)
      for (const rel of Object.keys(files)) if (rel !== 'e0/zk1/conf/zoo.cfg') fs.writeFileSync(path.join(ws, rel), files[rel].replace(/clientPort=\d+/, 'clientPort=2181'));
      const changes: { file: string; type: 2 }[] = [];
      for (let round = 0; round < 60; round++) for (const rel of Object.keys(files)) changes.push({ file: path.join(ws, rel), type: 2 });
      const from = client.log.length;
      let hoverAt = -1;
      void client.watched(changes);
      const hover = client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uri(open) }, position: { line: 4, character: 12 } }).then(() => (hoverAt = client.log.length));
      await hover;
      await expectCli(client, ws, [], 'after the storm');
      const firstAfter = client.log.slice(from).findIndex((p) => p.diagnostics.some((d) => d.code === 'port-conflict') && p.uri !== uri(open));
      assert.ok(hoverAt >= 0 && (firstAfter < 0 || hoverAt <= from + firstAfter), `the hover was answered (after ${hoverAt - from} publications) before the storm's analysis (${firstAfter})`);
    });

    it('answers a request cancelled while it waits with RequestCancelled, without running it', async () => {
      const ws = workspace(Object.fromEntries(syntheticWorkspace(300, 7).files));
      const raw = new RawServer();
      try {
        await raw.initialize(ws);
        await raw.waitFor((m) => m.method === 'textDocument/publishDiagnostics', 60000, 'first diagnostics');
        const file = uri(path.join(ws, [...syntheticWorkspace(300, 7).files.keys()].find((p) => p.endsWith('zoo.cfg'))!));
        const reqs = [
          { jsonrpc: '2.0', id: 101, method: 'amqCluster/plan', params: null },
          { jsonrpc: '2.0', id: 102, method: 'workspace/executeCommand', params: { command: 'amq-cluster.lintWorkspace', arguments: [] } },
          { jsonrpc: '2.0', id: 103, method: 'textDocument/codeAction', params: { textDocument: { uri: file }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } } },
          { jsonrpc: '2.0', id: 104, method: 'amqCluster/listFiles', params: null },
        ];
        // the requests and their cancellations in one write: they arrive together
        raw.write(reqs.map((r) => frame(r) + frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: r.id } })).join(''));
        for (const r of reqs) {
          const res = await raw.waitFor((m) => m.id === r.id, 60000, `the answer to ${r.method}`);
          assert.equal((res.error as { code: number } | undefined)?.code, -32800, `${r.method}: ${JSON.stringify(res).slice(0, 200)}`);
        }
        // a plan cancelled after it started stops at its next step
        raw.write(frame({ jsonrpc: '2.0', id: 105, method: 'amqCluster/plan', params: null }));
        await sleep(1);
        raw.write(frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 105 } }));
        const res = await raw.waitFor((m) => m.id === 105, 60000, 'the answer to the started plan');
        assert.ok(res.error === undefined || (res.error as { code: number }).code === -32800, JSON.stringify(res).slice(0, 200));
        // still serving
        raw.write(frame({ jsonrpc: '2.0', id: 106, method: 'shutdown', params: null }));
        await raw.waitFor((m) => m.id === 106, 30000, 'shutdown');
        raw.write(frame({ jsonrpc: '2.0', method: 'exit', params: null }));
        assert.equal(await raw.exited(15000), 0);
      } finally {
        raw.kill();
      }
    });

    it('a workspace folder added and removed back to back leaves no diagnostics', async () => {
      const a = workspace(ensemble());
      const b = workspace(ensemble());
      session = await start([a]);
      const { client } = session;
      await expectCli(client, a, [], 'start');
      const folder = { uri: uri(b), name: 'b' };
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      // added and removed again after its diagnostics came
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      await client.until(() => [...client.diagnostics].some(([u, ds]) => u.startsWith(uri(b) + '/') && ds.length > 0), 30000, 'the added folder analysed');
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      await sleep(1500);
      const left = [...client.diagnostics].filter(([u, ds]) => u.startsWith(uri(b) + '/') && ds.length > 0).map(([u]) => u);
      assert.deepEqual(left, [], 'no diagnostics of the removed folder');
      await expectCli(client, a, [], 'the remaining folder');
    });

    it('answers a frame that is not JSON with a parse error and goes on; closes the connection on an unreadable header', async () => {
      const ws = workspace(ensemble());
      const raw = new RawServer();
      try {
        await raw.initialize(ws);
        const body = '{"jsonrpc":"2.0","id":7,"method":';
        raw.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
        const err = await raw.waitFor((m) => m.id === null && !!m.error, 30000, 'a parse error');
        assert.equal((err.error as { code: number }).code, -32700);
        raw.write(frame({ jsonrpc: '2.0', id: 8, method: 'amqCluster/planMarkdown', params: null }));
        await raw.waitFor((m) => m.id === 8 && m.result !== undefined, 30000, 'an answer after the parse error');
        raw.write('Content-Length: abc\r\n\r\n{}');
        assert.notEqual(await raw.exited(15000), 'alive', 'the server closes instead of staying deaf');
      } finally {
        raw.kill();
      }
    });
  });

  describe('what was read', () => {
    it('lists every file read with its kind and node, and every file left out with why', async () => {
      const ws = workspace({ ...ensemble(), '.hidden/zoo.cfg': ZOO(4), 'docs/notes.yml': 'a: 1\n', 'mq/activemq_1.xml': fs.readFileSync(path.join(ROOT, 'examples/mq_cluster/mq_node01/conf/activemq.xml'), 'utf8') });
      fs.symlinkSync(path.join(outside, 'secret.cfg'), path.join(ws, 'linked.cfg'));
      fs.mkdirSync(path.join(ws, 'fifo/conf'), { recursive: true });
      spawnSync('mkfifo', [path.join(ws, 'fifo/conf/zoo.cfg')]);
      session = await start([ws]);
      const { client } = session;
      await expectCli(client, ws, [], 'start');
      const res = (await client.conn.sendRequest('amqCluster/listFiles')) as {
        folders: { read: { file: string; documents: { kind: string; node?: string }[]; note?: string }[]; leftOut: { file: string; folder: boolean; reason: string }[] }[];
        text: string;
      };
      const f = res.folders[0];
      const read = new Map(f.read.map((r) => [r.file, r]));
      assert.deepEqual(read.get('zk1/conf/zoo.cfg')?.documents, [{ kind: 'zoocfg', node: 'zk1' }]);
      assert.deepEqual(read.get('zk1/data/myid')?.documents.map((d) => d.kind), ['myid']);
      assert.equal(read.get('mq/activemq_1.xml')?.documents[0]?.kind, 'activemq');
      assert.ok(read.get('docs/notes.yml')?.note, 'a file read that holds nothing is said so');
      const left = new Map(f.leftOut.map((s) => [s.file, s.reason]));
      assert.equal(left.get('.hidden'), 'folder-rule');
      assert.equal(left.get('linked.cfg'), 'symlink-outside');
      assert.equal(left.get('fifo/conf/zoo.cfg'), 'not-regular');
      assert.match(res.text, /zk1\/conf\/zoo\.cfg.*zoocfg node zk1/);
      assert.ok(session.messages.some((m) => m.method === 'log' && m.message.includes('linked.cfg') && m.message.includes('symlink-outside')), 'the start-up log names what needs attention');
      assert.ok(session.messages.some((m) => m.method === 'log' && m.message.includes('files read and left out')), 'the report is logged');
      assert.ok(!everythingSaid(session).includes(SENTINEL) && !res.text.includes(SENTINEL));
    });

    it('watches every name the folder walk reads', async () => {
      const ws = workspace(ensemble());
      session = await start([ws]);
      const { client } = session;
      await client.until(() => client.registrations.some((r) => r.method === 'workspace/didChangeWatchedFiles'), 30000, 'the watcher registration');
      const watchers = (client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!.registerOptions as { watchers: { globPattern: string; kind?: number }[] }).watchers;
      // change events: the watchers without a kind (create, change, delete)
      const changeGlobs = watchers.filter((w) => w.kind === undefined || (w.kind & 2) !== 0).map((w) => w.globPattern);
      const isWatched = picomatch(changeGlobs, { dot: true });
      const samples = new Set<string>();
      // every path of the fixtures, and names for each pattern of isCandidate, in both cases where it ignores case
      const fixtures = path.join(ROOT, 'test', 'fixtures');
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith('.fixture')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/^\/\/- \/(.+)$/gm)) samples.add(m[1].trim());
        }
      };
      walk(fixtures);
      for (const name of [
        'hosts', 'inventory', 'hosts.ini', 'HOSTS', 'Inventory', 'hosts-prod', 'inventory_staging', 'site.ini',
        'host_vars/zk1', 'group_vars/all', 'group_vars/zookeeper/main', 'inventory/prod', 'inventories/prod/hosts', 'inventories/x/group_vars/all.yml',
        'conf/zoo1.cfg.dynamic.100000000', 'zoo.cfg.dynamic', 'zoo2.cfg.dynamic.next', 'myid', '.env', 'ansible.cfg',
        'Dockerfile', 'Dockerfile.prod', 'Containerfile', 'zk.dockerfile', 'ZK.Dockerfile', 'Makefile', 'GNUmakefile', 'makefile', 'entrypoint.sh', 'docker-entrypoint', 'docker-entrypoint.sh',
        'run.sh', 'run.bash', 'run.zsh', 'run.ksh', 'App.java', 'App.kt', 'build.kts', 'App.groovy', 'App.scala', 'lib/zookeeper-3.8.4.jar', 'lib/activemq-broker-5.17.6.jar',
        'conf/ACTIVEMQ.XML', 'conf/Zoo.Cfg', 'a.CONF', 'b.Properties', 'c.YML', 'd.YAML', 'e.ENV',
        'templates/zoo.cfg.j2', 'templates/myid.j2', 'templates/activemq.xml.erb', 'templates/zoo.cfg.tmpl', 'x.cfg.Jinja2', 'y.xml.in', 'z.properties.epp', 'w.xml.ctmpl', 'v.yml.mustache',
      ]) {
        samples.add(name);
        samples.add(`deep/er/${name}`);
      }
      let checked = 0;
      const missed: string[] = [];
      for (const s of samples) {
        if (!isCandidate(s)) continue;
        checked++;
        if (!isWatched(s)) missed.push(s);
      }
      assert.ok(checked > 100, `${checked} candidate paths checked`);
      assert.deepEqual(missed, [], 'paths the walk reads that no watcher reports changes of');
      // and creations and deletions of anything (folders)
      assert.ok(watchers.some((w) => w.globPattern === '**/*' && w.kind !== undefined && (w.kind & 1) !== 0 && (w.kind & 4) !== 0));
    });
  });

  describe('settings end to end', () => {
    it('zookeeperVersion from the editor settings judges the servers as that version', async () => {
      // servers with no client port: 3.4 exits, 3.5+ runs without clients; the message says which
      const noPort = (id: number) => ZOO(id).replace(/clientPort=\d+\n/, '');
      const ws = workspace({ 'zk1/conf/zoo.cfg': noPort(1), 'zk2/conf/zoo.cfg': noPort(2), 'zk3/conf/zoo.cfg': noPort(3), 'zk1/data/myid': '1\n', 'zk2/data/myid': '2\n', 'zk3/data/myid': '3\n' });
      const with34 = cliLines(ws, ['--zookeeper-version', '3.4']);
      assert.notDeepEqual(with34, cliLines(ws), 'the version changes what is said');
      session = await start([ws], { zookeeperVersion: '3.4' });
      await expectLines(session.client, [ws], with34, 'with zookeeperVersion 3.4');
      assert.ok(serverLines(session.client, [ws]).some((l) => /3\.4/.test(l) && l.includes('zk-client-port-missing')));
      await session.client.shutdown();
      session = await start([ws], { zookeeperVersion: '3.8.4' });
      await expectLines(session.client, [ws], cliLines(ws, ['--zookeeper-version', '3.8.4']), 'with zookeeperVersion 3.8.4');
    });

    it("the repository's .amq-cluster.json applies as in the CLI, and again when it changes (severity, exclude, include)", async () => {
      // zk3 has no myid; a fourth server lives in a build folder the walk skips unless included
      const ws = workspace({ ...ensemble(), 'build/zk4/conf/zoo.cfg': ZOO(4), '.amq-cluster.json': JSON.stringify({ severity: { 'zk-myid-missing': 'off' } }) });
      const phase1 = cliLines(ws);
      assert.ok(!phase1.some((l) => l.includes('zk-myid-missing')), 'the configuration file turns the rule off in the CLI');
      session = await start([ws]);
      const { client } = session;
      await expectLines(client, [ws], phase1, 'the configuration file at start');
      // the file changes: the build folder is included and zk3 excluded
      write(ws, { '.amq-cluster.json': JSON.stringify({ include: ['build'], exclude: ['zk3'] }) });
      const phase2 = cliLines(ws);
      assert.notDeepEqual(phase2, phase1, 'the new configuration changes what is said');
      assert.ok(phase2.some((l) => l.startsWith('build/zk4/')) && !phase2.some((l) => l.startsWith('zk3/')), 'include and exclude apply in the CLI');
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(ws, '.amq-cluster.json')), type: 2 }] });
      await expectLines(client, [ws], phase2, 'the changed configuration file');
      // and when it goes away, the defaults
      fs.unlinkSync(path.join(ws, '.amq-cluster.json'));
      await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(path.join(ws, '.amq-cluster.json')), type: 3 }] });
      await expectLines(client, [ws], cliLines(ws), 'the configuration file deleted');
    });
  });
});
