/**
 * Conformance with the real programs: every single-file case under test/conformance/cases is
 * given to the real ZooKeeper 3.8.0 (QuorumPeerConfig.parse, through test/conformance/java/
 * ZkParseCheck.java) or the real ActiveMQ 5.17.2 broker (Debian packages), and to our analysis.
 * The verdicts must agree: a config the program rejects gets at least one error from us, and a
 * config we report an error for is one the program rejects, except for the few cases listed
 * below with the reason.
 *
 * Case files carry a header of comment lines:
 *   zoo.cfg:  `# conformance case: <name>`, a description line, `# myid: "<JSON string>"` or
 *             `# myid: none`, `# real: accepted|rejected` (what the program did when the case
 *             was written; checked again on every run)
 *   XML:      the same `conformance case:`, description and `real:` lines in the first comment.
 * A zoo.cfg case writes its data directory as `/zkdata`; the real run gets a temporary directory
 * in its place (a relative dataDir stays relative to the probe's working directory), with the
 * myid file in it. Our analysis sees the case as `<case>/conf/zoo.cfg` plus that myid where the
 * linter expects it. An XML case listens on 127.0.0.1 only, on ports written as 617xx, which the
 * real run maps to free ports.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { analyze } from '../server/src/core/analyze';
import { expectedMyIdPath } from '../server/src/core/model/workspace';
import { parseZooCfg } from '../server/src/core/parse/zoocfg';
import type { Finding } from '../server/src/core/types';

const ROOT = path.resolve(__dirname, '..', '..');
const CASES = path.join(ROOT, 'test', 'conformance', 'cases');
const JAVA_SRC = path.join(ROOT, 'test', 'conformance', 'java', 'ZkParseCheck.java');
const JAVA_DIR = '/usr/share/java';
const AMQ_HOME = '/usr/share/activemq';
const VERBOSE = process.env.CONFORMANCE_VERBOSE === '1';

/**
 * The program rejects these, and the linter deliberately reports less than an error.
 */
const REJECTED_BUT_NOT_AN_ERROR: Record<string, string> = {
  // "|" addresses are fatal only without -Dzookeeper.multiAddress.enabled=true on the JVM command
  // line, which no file in the workspace shows; the linter warns (docs/rules/zk-config-invalid.md).
  'zk-multiaddr-disabled': 'JVM flag -Dzookeeper.multiAddress.enabled=true makes the same file valid',
  'zk-multiaddr-enabled-in-cfg': 'JVM flag -Dzookeeper.multiAddress.enabled=true makes the same file valid',
};

/**
 * The program accepts these, and the linter reports an error because the documentation shows
 * the configuration cannot work. Keep this list short.
 */
const ACCEPTED_BUT_AN_ERROR: Record<string, string> = {};

interface Case {
  name: string;
  file: string;
  kind: 'zk' | 'amq';
  about: string;
  text: string;
  /** zoo.cfg cases: content of myid, undefined for none */
  myid?: string;
  recorded?: 'accepted' | 'rejected';
}

interface Verdict {
  verdict: 'accepted' | 'rejected';
  detail: string;
}

function loadCases(): Case[] {
  const out: Case[] = [];
  for (const f of fs.readdirSync(CASES).sort()) {
    const file = path.join(CASES, f);
    const text = fs.readFileSync(file, 'utf8');
    const kind = f.endsWith('.cfg') ? 'zk' : f.endsWith('.xml') ? 'amq' : undefined;
    if (!kind) continue;
    const header = kind === 'zk' ? text.split(/\r?\n/).filter((l) => /^\s*#/.test(l)).map((l) => l.replace(/^\s*#\s?/, '')) : (/<!--([\s\S]*?)-->/.exec(text)?.[1] ?? '').split(/\r?\n/).map((l) => l.trim());
    const nameLine = header.find((l) => l.startsWith('conformance case:'));
    assert.ok(nameLine, `${f}: header names the case`);
    const name = nameLine.slice('conformance case:'.length).trim().split(/\s+/)[0];
    assert.equal(name, f.replace(/\.(cfg|xml)$/, ''), `${f}: case name matches the file name`);
    const about = header[header.indexOf(nameLine) + 1] ?? '';
    const c: Case = { name, file, kind, about, text };
    for (const l of header) {
      const m = /^(myid|real):\s*(.*)$/.exec(l);
      if (!m) continue;
      if (m[1] === 'myid' && m[2].trim() !== 'none') c.myid = JSON.parse(m[2]) as string;
      if (m[1] === 'real') c.recorded = m[2].trim() === 'rejected' ? 'rejected' : 'accepted';
    }
    out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// our side

function ourSnapshot(c: Case): Map<string, string> {
  if (c.kind === 'amq') return new Map([[`${c.name}/conf/activemq.xml`, c.text]]);
  const snap = new Map([[`${c.name}/conf/zoo.cfg`, c.text]]);
  const dataDir = parseZooCfg(c.text).byKey.get('dataDir')?.value;
  const myidPath = expectedMyIdPath(c.name, dataDir);
  if (c.myid !== undefined && myidPath) snap.set(myidPath, c.myid);
  return snap;
}

function ourFindings(c: Case): Finding[] {
  const res = analyze(ourSnapshot(c), { activemqVersion: '5.17.2', zookeeperVersion: '3.8.0' });
  assert.deepEqual(res.internalErrors, [], `${c.name}: no rule threw`);
  return res.findings;
}

// ---------------------------------------------------------------------------------------------
// ZooKeeper

function zkClassPath(classes: string): string {
  const jars = [path.join(JAVA_DIR, 'zookeeper.jar')];
  const simple = path.join(JAVA_DIR, 'slf4j-simple.jar');
  if (fs.existsSync(simple)) jars.push(simple);
  return [classes, ...jars].join(path.delimiter);
}

/** Compiles ZkParseCheck.java once per source version into .cache/conformance. */
function compileProbe(): string {
  const src = fs.readFileSync(JAVA_SRC);
  const hash = crypto.createHash('sha256').update(src).update(fs.statSync(path.join(JAVA_DIR, 'zookeeper.jar')).size.toString()).digest('hex').slice(0, 16);
  const dir = path.join(ROOT, '.cache', 'conformance', `zk-probe-${hash}`);
  if (fs.existsSync(path.join(dir, 'ZkParseCheck.class'))) return dir;
  // compile next to it and rename, so that a concurrent run never sees half a directory
  const work = `${dir}.${process.pid}`;
  fs.mkdirSync(work, { recursive: true });
  const r = spawnSync('javac', ['-d', work, '-cp', path.join(JAVA_DIR, 'zookeeper.jar'), JAVA_SRC], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `javac ZkParseCheck.java failed: ${r.stderr}${r.error ?? ''}`);
  try {
    fs.renameSync(work, dir);
  } catch {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/** Runs every zoo.cfg case in one JVM; resolves to case name -> verdict. */
async function runZooKeeper(cases: Case[], tmp: string, track: Set<ChildProcess>): Promise<Map<string, Verdict>> {
  const classes = compileProbe();
  const cwd = path.join(tmp, 'zk-cwd');
  fs.mkdirSync(cwd, { recursive: true });
  const byPath = new Map<string, string>();
  for (const c of cases) {
    const dir = path.join(tmp, 'zk', c.name);
    fs.mkdirSync(dir, { recursive: true });
    const data = path.join(dir, 'zkdata');
    const text = c.text.replace(/\/zkdata\b/g, data);
    const cfgPath = path.join(dir, 'zoo.cfg');
    fs.writeFileSync(cfgPath, text);
    byPath.set(cfgPath, c.name);
    const dataDir = parseZooCfg(text).byKey.get('dataDir')?.value;
    if (c.myid !== undefined && dataDir) {
      const d = path.resolve(cwd, dataDir);
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(path.join(d, 'myid'), c.myid);
    }
  }
  const args = ['-Xmx128m', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-Dorg.slf4j.simpleLogger.logFile=System.out', '-cp', zkClassPath(classes), 'ZkParseCheck', ...byPath.keys()];
  const out = await runBounded('java', args, cwd, 90000, track);
  const verdicts = new Map<string, Verdict>();
  let current: string | undefined;
  let log: string[] = [];
  for (const line of out.output.split('\n')) {
    if (line.startsWith('### ')) {
      current = byPath.get(line.slice(4).trim());
      log = [];
    } else if (line.startsWith('RESULT ') && current) {
      const r = line.slice(7);
      verdicts.set(current, { verdict: r.startsWith('OK') ? 'accepted' : 'rejected', detail: [...log, r].join('\n') });
      current = undefined;
    } else if (current && line.trim()) {
      log.push(line);
    }
  }
  assert.equal(verdicts.size, byPath.size, `the ZooKeeper probe judged every case (exit ${out.code}, output:\n${out.output.slice(-3000)})`);
  return verdicts;
}

// ---------------------------------------------------------------------------------------------
// ActiveMQ

const LOG4J = [
  'log4j.rootLogger=INFO, console',
  'log4j.logger.org.springframework=WARN',
  'log4j.logger.org.apache.xbean=WARN',
  'log4j.logger.org.apache.activemq.spring=WARN',
  'log4j.appender.console=org.apache.log4j.ConsoleAppender',
  'log4j.appender.console.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.console.layout.ConversionPattern=%-5p | %m%n',
  '',
].join('\n');

/** The module options /usr/bin/activemq passes on Java 9+. */
const AMQ_JVM_OPENS = [
  '--add-reads=java.xml=java.logging',
  '--add-opens', 'java.base/java.security=ALL-UNNAMED',
  '--add-opens', 'java.base/java.net=ALL-UNNAMED',
  '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
  '--add-opens', 'java.base/java.util=ALL-UNNAMED',
  '--add-opens', 'java.naming/javax.naming.spi=ALL-UNNAMED',
  '--add-opens', 'java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED',
  '--add-opens', 'java.base/java.util.concurrent=ALL-UNNAMED',
  '--add-opens', 'java.base/java.util.concurrent.atomic=ALL-UNNAMED',
  '--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED',
  '--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED',
  '--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED',
  '--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED',
  '--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED',
];

const STARTED = /^INFO\s*\| Apache ActiveMQ [\d.]+ \(.*\) started/m;

/**
 * `activemq console xbean:file:<base>/conf/activemq.xml`, as Debian's /usr/bin/activemq runs it
 * (same jar, module options and activemq.* properties), but with a temporary ACTIVEMQ_BASE: the
 * wrapper script re-reads /usr/share/activemq/activemq-options, which pins ACTIVEMQ_BASE to
 * /var/lib/activemq and the heap to 512 MB. Stopped as soon as the broker says it started, else
 * after 25 s.
 */
async function runBroker(c: Case, tmp: string, track: Set<ChildProcess>): Promise<Verdict> {
  const base = path.join(tmp, 'amq', c.name);
  for (const d of ['conf', 'data', 'tmp']) fs.mkdirSync(path.join(base, d), { recursive: true });
  const xml = path.join(base, 'conf', 'activemq.xml');
  fs.writeFileSync(xml, await withFreePorts(c.text));
  fs.writeFileSync(path.join(base, 'conf', 'log4j.properties'), LOG4J);
  const args = [
    '-Xms64m',
    '-Xmx192m',
    ...AMQ_JVM_OPENS,
    '-Djava.awt.headless=true',
    `-Djava.io.tmpdir=${path.join(base, 'tmp')}`,
    `-Dactivemq.classpath=${path.join(base, 'conf')}:`,
    `-Dactivemq.home=${AMQ_HOME}`,
    `-Dactivemq.base=${base}`,
    `-Dactivemq.conf=${path.join(base, 'conf')}`,
    `-Dactivemq.data=${path.join(base, 'data')}`,
    '-jar',
    path.join(AMQ_HOME, 'bin', 'activemq.jar'),
    'start',
    `xbean:file:${xml}`,
  ];
  const out = await runBounded('java', args, base, 25000, track, (o) => STARTED.test(o));
  const o = out.output;
  const startedAt = o.search(STARTED);
  const before = startedAt >= 0 ? o.slice(0, startedAt) : o;
  const failed = /Failed to start|^ERROR\b/m.test(before);
  const accepted = startedAt >= 0 && !failed;
  const why = accepted ? 'started' : startedAt < 0 && !out.exited ? 'did not start within 25 s' : failed ? 'error before "started"' : `exited with ${out.code}`;
  const interesting = o.split('\n').filter((l) => /^(ERROR|WARN)|started/.test(l)).slice(0, 4).map((l) => (l.length > 400 ? l.slice(0, 400) + '...' : l));
  return { verdict: accepted ? 'accepted' : 'rejected', detail: `${why}\n${interesting.join('\n')}` };
}

/**
 * The cases write their ports as 617xx (loopback only). Each distinct one is replaced by a port
 * that is free right now, consistently within the case, so that runs on one machine (or a
 * broker already using 617xx) do not collide.
 */
async function withFreePorts(text: string): Promise<string> {
  const map = new Map<string, number>();
  for (const m of text.matchAll(/\b617\d\d\b/g)) if (!map.has(m[0])) map.set(m[0], await freePort());
  return text.replace(/\b617\d\d\b/g, (p) => String(map.get(p)));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// processes

interface RunResult {
  output: string;
  code: number | null;
  /** true when the process ended by itself (not killed by us) */
  exited: boolean;
}

/** Runs a process in its own process group; kills the group on `stopWhen`, on timeout, or from after(). */
function runBounded(cmd: string, args: string[], cwd: string, timeoutMs: number, track: Set<ChildProcess>, stopWhen?: (output: string) => boolean): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    track.add(child);
    let output = '';
    let killedByUs = false;
    const stop = () => {
      if (killedByUs || child.exitCode !== null || child.signalCode !== null) return;
      killedByUs = true;
      killGroup(child, 'SIGTERM');
      setTimeout(() => killGroup(child, 'SIGKILL'), 3000).unref();
    };
    const timer = setTimeout(stop, timeoutMs);
    const onData = (b: Buffer) => {
      output += b.toString('utf8');
      if (stopWhen && stopWhen(output)) stop();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('error', (e) => {
      clearTimeout(timer);
      track.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      track.delete(child);
      resolve({ output, code, exited: !killedByUs });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

async function pool<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}

// ---------------------------------------------------------------------------------------------

describe('conformance with the real ZooKeeper 3.8.0 and ActiveMQ 5.17.2', function () {
  this.timeout(240000);
  const cases = loadCases();
  const real = new Map<string, Verdict>();
  const track = new Set<ChildProcess>();
  let tmp = '';
  let setupError: unknown;

  before(async function () {
    this.timeout(230000);
    try {
      for (const [what, p] of [
        ['ZooKeeper (Debian zookeeper / libzookeeper-java)', path.join(JAVA_DIR, 'zookeeper.jar')],
        ['ActiveMQ (Debian activemq)', path.join(AMQ_HOME, 'bin', 'activemq.jar')],
      ]) {
        assert.ok(fs.existsSync(p), `${what} is installed: ${p} (scripts/ensure-tools.sh installs it)`);
      }
      assert.equal(spawnSync('javac', ['-version']).status, 0, 'javac is installed (scripts/ensure-tools.sh installs default-jdk-headless)');
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-conformance-'));
      const zk = runZooKeeper(cases.filter((c) => c.kind === 'zk'), tmp, track);
      const amqCases = cases.filter((c) => c.kind === 'amq');
      const amq = pool(amqCases, 2, (c) => runBroker(c, tmp, track));
      for (const [k, v] of await zk) real.set(k, v);
      (await amq).forEach((v, i) => real.set(amqCases[i].name, v));
    } catch (e) {
      setupError = e;
    }
  });

  after(() => {
    for (const child of track) killGroup(child, 'SIGKILL');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it(`has at least 60 single-file cases (${cases.length})`, () => {
    assert.ok(cases.length >= 60);
    for (const name of [...Object.keys(REJECTED_BUT_NOT_AN_ERROR), ...Object.keys(ACCEPTED_BUT_AN_ERROR)]) {
      assert.ok(cases.some((c) => c.name === name), `listed case ${name} exists`);
    }
  });

  for (const c of cases) {
    it(`${c.name}: ${c.about}`, () => {
      if (setupError) throw setupError;
      const r = real.get(c.name);
      assert.ok(r, 'the real program judged the case');
      const findings = ourFindings(c);
      const errors = findings.filter((f) => f.severity === 'error');
      const ours = findings.map((f) => `  ${f.severity} ${f.code}: ${f.message}`).join('\n') || '  (none)';
      if (VERBOSE) console.log(`    ${c.name}: real ${r.verdict}, ours ${errors.length} error(s) / ${findings.length}`);
      if (c.recorded) assert.equal(r.verdict, c.recorded, `the real program's verdict changed from the recorded one:\n${r.detail}`);
      if (r.verdict === 'rejected' && !(c.name in REJECTED_BUT_NOT_AN_ERROR)) {
        assert.ok(errors.length > 0, `the real program rejects this config but we report no error.\nreal: ${r.detail}\nours:\n${ours}`);
      }
      if (r.verdict === 'accepted' && !(c.name in ACCEPTED_BUT_AN_ERROR)) {
        assert.equal(errors.length, 0, `the real program accepts this config but we report an error.\nreal: ${r.detail}\nours:\n${ours}`);
      }
      if (c.name in REJECTED_BUT_NOT_AN_ERROR) assert.equal(r.verdict, 'rejected', 'listed as rejected by the program');
      if (c.name in ACCEPTED_BUT_AN_ERROR) assert.equal(r.verdict, 'accepted', 'listed as accepted by the program');
    });
  }
});

// ---------------------------------------------------------------------------------------------
// running ensembles: who binds which port

function srvrMode(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let data = '';
    sock.setTimeout(2000);
    sock.on('connect', () => sock.write('srvr'));
    sock.on('data', (d) => (data += d.toString()));
    sock.on('close', () => resolve(/Mode: (\w+)/.exec(data)?.[1] ?? ''));
    sock.on('error', () => resolve(''));
    sock.on('timeout', () => sock.destroy());
  });
}

/** Polls the client ports until the modes (sorted) are `want`; returns the last modes seen. */
async function waitForModes(ports: number[], want: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let modes: string[] = [];
  while (Date.now() < deadline) {
    modes = await Promise.all(ports.map(srvrMode));
    if ([...modes].sort().join() === [...want].sort().join()) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return modes;
}

/**
 * Three servers of one ensemble on loopback, started with the real ZooKeeper 3.8 (Debian), and the
 * same files given to our analysis: what port-conflict says must agree with what they do.
 */
describe('ZooKeeper 3.8 ensembles on one host (real runs)', function () {
  this.timeout(180000);
  const procs: ChildProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const p of procs) if (p.exitCode === null && p.signalCode === null) killGroup(p, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** zk1..zk3 under a temporary folder; returns the folder and our snapshot of it */
  function writeEnsemble(lines: (i: number) => string[]): { dir: string; snapshot: Map<string, string> } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-zk-run-'));
    dirs.push(dir);
    const snapshot = new Map<string, string>();
    for (let i = 1; i <= 3; i++) {
      const cfg = ['tickTime=1000', 'initLimit=10', 'syncLimit=3', `dataDir=${path.join(dir, `zk${i}`, 'data')}`, ...lines(i), ''].join('\n');
      fs.mkdirSync(path.join(dir, `zk${i}`, 'conf'), { recursive: true });
      fs.mkdirSync(path.join(dir, `zk${i}`, 'data'), { recursive: true });
      fs.writeFileSync(path.join(dir, `zk${i}`, 'conf', 'zoo.cfg'), cfg);
      fs.writeFileSync(path.join(dir, `zk${i}`, 'data', 'myid'), `${i}\n`);
      snapshot.set(`zk${i}/conf/zoo.cfg`, cfg);
      snapshot.set(`zk${i}/data/myid`, `${i}\n`);
    }
    return { dir, snapshot };
  }

  /**
   * QuorumPeerMain of zk<i>, its log in zk<i>.log. Debian's zookeeper.jar alone has no Jetty, so it
   * runs without AdminServer ("Unable to load jetty"); the upstream distribution ships Jetty in
   * lib/, which `withJetty` puts on the classpath from Debian's jetty9 packages.
   */
  function start(dir: string, i: number, withJetty = false): ChildProcess {
    const jars = [path.join(JAVA_DIR, 'zookeeper.jar')];
    const simple = path.join(JAVA_DIR, 'slf4j-simple.jar');
    if (fs.existsSync(simple)) jars.push(simple);
    if (withJetty) for (const j of ['jetty9-server', 'jetty9-servlet', 'jetty9-util', 'jetty9-util-ajax', 'jetty9-http', 'jetty9-io', 'jetty9-security', 'servlet-api']) jars.push(path.join(JAVA_DIR, `${j}.jar`));
    const log = fs.openSync(path.join(dir, `zk${i}.log`), 'w');
    const p = spawn('java', ['-Xmx96m', '-Dorg.slf4j.simpleLogger.logFile=System.out', '-cp', jars.join(path.delimiter), 'org.apache.zookeeper.server.quorum.QuorumPeerMain', path.join(dir, `zk${i}`, 'conf', 'zoo.cfg')], { cwd: dir, detached: true, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    procs.push(p);
    return p;
  }

  // ports away from the defaults, so that a ZooKeeper already running here cannot interfere
  const base = 31000 + (process.pid % 900) * 20;

  it('a shared quorum port with distinct election ports forms a quorum and survives the leader\'s death: only the leader binds it', async () => {
    assert.ok(fs.existsSync(path.join(JAVA_DIR, 'zookeeper.jar')), 'Debian zookeeper is installed (scripts/ensure-tools.sh)');
    const q = base + 10;
    const { dir, snapshot } = writeEnsemble((i) => [`clientPort=${base + i}`, 'admin.enableServer=false', ...[1, 2, 3].map((n) => `server.${n}=127.0.0.1:${q}:${base + 10 + n}`)]);
    // our verdict: no clash on the shared quorum port
    const ours = analyze(snapshot, { zookeeperVersion: '3.8.0' }).findings.filter((f) => f.code === 'port-conflict');
    assert.deepEqual(ours.map((f) => f.message), [], 'port-conflict says nothing about the shared quorum port');
    const ps = [1, 2, 3].map((i) => start(dir, i));
    const ports = [base + 1, base + 2, base + 3];
    const modes = await waitForModes(ports, ['leader', 'follower', 'follower'], 60000);
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'leader'], 'the ensemble forms a quorum');
    const leader = modes.indexOf('leader');
    killGroup(ps[leader], 'SIGKILL');
    const rest = ports.filter((_, k) => k !== leader);
    const after = await waitForModes(rest, ['leader', 'follower'], 60000);
    assert.deepEqual([...after].sort(), ['follower', 'leader'], 'a new leader binds the quorum port after the old one died');
    for (const p of ps) killGroup(p, 'SIGKILL');
  });

  it('each server naming itself 0.0.0.0 in its own server line (the container idiom) forms a quorum: no error or warning', async () => {
    const { dir, snapshot } = writeEnsemble((i) => [`clientPort=${base + 20 + i}`, 'admin.enableServer=false', ...[1, 2, 3].map((n) => `server.${n}=${n === i ? '0.0.0.0' : '127.0.0.1'}:${base + 23 + n}:${base + 26 + n}`)]);
    const ps = [1, 2, 3].map((i) => start(dir, i));
    const modes = await waitForModes([base + 21, base + 22, base + 23], ['leader', 'follower', 'follower'], 60000);
    for (const p of ps) killGroup(p, 'SIGKILL');
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'leader'], 'the ensemble forms a quorum');
    const all = analyze(snapshot, { zookeeperVersion: '3.8.0' }).findings;
    assert.deepEqual(all.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}: ${f.message}`), []);
    // on one host a connection to 0.0.0.0 reaches the local server, so even a committed dynamic
    // configuration with those lines works: zk-dynamic-config has nothing to say either
    assert.deepEqual(all.filter((f) => f.code === 'zk-ensemble-mismatch' || f.code === 'zk-dynamic-config').map((f) => `${f.code}: ${f.message}`), []);
  });

  it('a shared AdminServer port does not stop the servers: the later ones log "Problem starting AdminServer" and run on (a warning, not an error)', async () => {
    const jetty = ['jetty9-server', 'jetty9-servlet', 'servlet-api'].map((j) => path.join(JAVA_DIR, `${j}.jar`));
    assert.ok(jetty.every((j) => fs.existsSync(j)), `Jetty 9 for the AdminServer is installed: ${jetty.join(', ')} (scripts/ensure-tools.sh)`);
    const admin = base + 17;
    const { dir, snapshot } = writeEnsemble((i) => [`clientPort=${base + 3 + i}`, `admin.serverPort=${admin}`, ...[1, 2, 3].map((n) => `server.${n}=127.0.0.1:${base + 6 + n}:${base + 13 + n}`)]);
    const ps: ChildProcess[] = [];
    for (const i of [1, 2, 3]) {
      ps.push(start(dir, i, true));
      await new Promise((r) => setTimeout(r, 1500));
    }
    const modes = await waitForModes([base + 4, base + 5, base + 6], ['leader', 'follower', 'follower'], 60000);
    for (const p of ps) killGroup(p, 'SIGKILL');
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'leader'], 'all three run and form a quorum');
    const logs = [1, 2, 3].map((i) => fs.readFileSync(path.join(dir, `zk${i}.log`), 'utf8'));
    assert.equal(logs.filter((l) => /Started AdminServer on address 0\.0\.0\.0, port \d+/.test(l)).length, 1, 'one server binds the AdminServer port');
    assert.equal(logs.filter((l) => /WARN .*QuorumPeer - Problem starting AdminServer/.test(l)).length, 2, 'the others warn and run on');
    const ours = analyze(snapshot, { zookeeperVersion: '3.8.0' }).findings.filter((f) => f.code === 'port-conflict');
    assert.equal(ours.length, 3);
    assert.ok(ours.every((f) => f.severity === 'warning' && f.message.includes('Problem starting AdminServer')), ours.map((f) => `${f.severity}: ${f.message}`).join('\n'));
  });
});
