/** The "new cluster" generator: its output lints clean, and a generated ensemble forms a quorum in real ZooKeeper. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { analyze } from '../server/src/core/analyze';
import { generateCluster, GeneratorError, type ClusterSpec } from '../server/src/core/generate/cluster';
import { buildPlan, renderPlanMarkdown } from '../server/src/core/plan';

const ROOT = path.resolve(__dirname, '..', '..');

function stripFolder(files: Map<string, string>): Map<string, string> {
  return files;
}

describe('new cluster generator', () => {
  const cases: ClusterSpec[] = [];
  for (const layout of ['one-host', 'per-node'] as const) {
    for (const nodes of [2, 3, 5]) {
      cases.push({ style: 'replicated-leveldb', nodes, layout, activemqVersion: '5.16.7' });
      cases.push({ style: 'shared-kahadb', nodes, layout, activemqVersion: '5.18.3' });
      cases.push({ style: 'jdbc', nodes, layout, activemqVersion: '5.17.2' });
    }
  }
  for (const spec of cases) {
    it(`${spec.style}, ${spec.nodes} nodes, ${spec.layout}: lints clean`, () => {
      const g = generateCluster(spec);
      const res = analyze(stripFolder(g.files), { activemqVersion: spec.activemqVersion });
      const notable = res.findings.filter((f) => f.severity === 'error' || f.severity === 'warning' || f.code !== 'leveldb-unsupported');
      // a replicated LevelDB target before 5.17 may only get the "unsupported since 5.14.2" notice
      assert.deepEqual(
        notable.filter((f) => !(f.code === 'leveldb-unsupported' && spec.style === 'replicated-leveldb')).map((f) => `${f.file} ${f.severity} ${f.code}: ${f.message}`),
        [],
      );
      const plan = buildPlan(res.model, res.findings);
      assert.ok(plan.hosts.every((h) => h.listeners.every((l) => !l.collision)), 'no collision in the plan');
      assert.ok(renderPlanMarkdown(plan).includes('tolerates'));
    });
  }

  it('refuses LevelDB for a 5.17+ target, naming the alternatives', () => {
    assert.throws(
      () => generateCluster({ style: 'replicated-leveldb', nodes: 3, layout: 'one-host', activemqVersion: '5.17.0' }),
      (e: unknown) => e instanceof GeneratorError && /removed in ActiveMQ 5\.17\.0/.test(e.message) && /shared-kahadb/.test(e.message) && /jdbc/.test(e.message),
    );
  });

  it('the CLI writes the folders and lints them, and refuses to overwrite', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-new-'));
    try {
      const bin = path.join(ROOT, 'bin', 'amq-cluster-lint.js');
      const args = ['new', '--style', 'shared-kahadb', '--nodes', '2', '--layout', 'one-host', '--activemq-version', '5.18.3', dir];
      const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.ok(fs.existsSync(path.join(dir, 'broker2', 'conf', 'activemq.xml')));
      const again = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
      assert.equal(again.status, 2);
      assert.match(again.stderr, /already exists/);
      const lev = spawnSync(process.execPath, [bin, 'new', '--style', 'replicated-leveldb', '--nodes', '3', '--layout', 'one-host', '--activemq-version', '5.18.3', path.join(dir, 'x')], { encoding: 'utf8' });
      assert.equal(lev.status, 2);
      assert.match(lev.stderr, /removed in ActiveMQ 5\.17\.0/);
      const plan = spawnSync(process.execPath, [bin, '--format', 'plan', dir], { encoding: 'utf8' });
      assert.equal(plan.status, 0);
      assert.match(plan.stdout, /\| 61617 \| broker2 \| openwire/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function srvr(port: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let data = '';
    sock.setTimeout(2000);
    sock.on('connect', () => sock.write('srvr'));
    sock.on('data', (d) => (data += d.toString()));
    sock.on('close', () => resolve(data));
    sock.on('error', () => resolve(''));
    sock.on('timeout', () => sock.destroy());
  });
}

describe('a generated ZooKeeper ensemble forms a quorum in real ZooKeeper 3.8 (Debian) on loopback', function () {
  this.timeout(90000);
  const procs: ChildProcess[] = [];
  let dir: string;

  after(async () => {
    for (const p of procs) if (p.exitCode === null) p.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('elects one leader and two followers', async () => {
    assert.ok(fs.existsSync('/usr/share/java/zookeeper.jar'), 'Debian zookeeper is installed (scripts/ensure-tools.sh)');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-zkq-'));
    // ports well away from the defaults, so a ZooKeeper already running here cannot interfere
    const base = 20000 + (process.pid % 2000) * 10;
    const g = generateCluster({
      style: 'replicated-leveldb',
      nodes: 3,
      layout: 'one-host',
      host: '127.0.0.1',
      activemqVersion: '5.16.7',
      installRoot: dir,
      folder: '.',
      ports: { zkClient: base, zkQuorum: base + 3, zkElection: base + 6, zkAdmin: base + 9 },
    });
    for (const [rel, text] of g.files) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    for (let i = 1; i <= 3; i++) {
      const p = spawn('java', ['-Xmx128m', '-cp', '/usr/share/java/zookeeper.jar', 'org.apache.zookeeper.server.quorum.QuorumPeerMain', path.join(dir, `zk${i}`, 'conf', 'zoo.cfg')], {
        stdio: 'ignore',
        cwd: dir,
      });
      procs.push(p);
    }
    const deadline = Date.now() + 60000;
    let modes: string[] = [];
    while (Date.now() < deadline) {
      const answers = await Promise.all([0, 1, 2].map((k) => srvr(base + k)));
      modes = answers.map((a) => /Mode: (\w+)/.exec(a)?.[1] ?? '');
      if (modes.filter((m) => m === 'leader').length === 1 && modes.filter((m) => m === 'follower').length === 2) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.deepEqual([...modes].sort(), ['follower', 'follower', 'leader']);
  });
});
