/** The CLI as a process: JSON shape, text and SARIF formats, exit codes, usage errors. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyze } from '../server/src/core/analyze';
import { parseFixture } from './fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'amq-cluster-lint.js');

function cli(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function materialize(fixture: string): { dir: string; files: Map<string, string> } {
  const fx = parseFixture(fixture, fs.readFileSync(fixture, 'utf8'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-cli-'));
  for (const [p, text] of fx.files) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), text);
  }
  return { dir, files: fx.files };
}

describe('amq-cluster-lint CLI', () => {
  const tmp: string[] = [];
  after(() => {
    for (const d of tmp) fs.rmSync(d, { recursive: true, force: true });
  });

  it('prints a JSON array matching the in-process analysis, with exit 1 on errors', () => {
    const { dir, files } = materialize(path.join(ROOT, 'test', 'fixtures', 'rules', 'port-conflict', 'invalid-zk-client-port.fixture'));
    tmp.push(dir);
    const r = cli(['--format', 'json', '.'], dir);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.ok(Array.isArray(json) && json.length > 0);
    const expected = analyze(files).findings;
    assert.equal(json.length, expected.length);
    for (const f of json) {
      assert.deepEqual(Object.keys(f).sort(), ['code', 'file', 'message', 'range', 'related', 'severity']);
      assert.ok(!f.file.startsWith('/') && !f.file.includes('\\'), f.file);
      assert.ok(files.has(f.file), `${f.file} is relative to the current folder`);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
      assert.equal(typeof f.range.start.line, 'number');
      assert.equal(typeof f.range.end.character, 'number');
      for (const rel of f.related) assert.deepEqual(Object.keys(rel).sort(), ['file', 'message', 'range']);
    }
    const pc = json.find((f: { code: string }) => f.code === 'port-conflict');
    assert.ok(pc, 'a port-conflict finding');
    const text = files.get(pc.file)!.split('\n')[pc.range.start.line];
    assert.match(text.slice(pc.range.start.character, pc.range.end.character), /^\d+$/, 'range covers the port digits');
    assert.ok(pc.related.length >= 1, 'names the other node');
  });

  it('prints compiler-style text lines', () => {
    const { dir } = materialize(path.join(ROOT, 'test', 'fixtures', 'rules', 'port-conflict', 'invalid-zk-client-port.fixture'));
    tmp.push(dir);
    const r = cli([dir], dir);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    for (const l of lines) assert.match(l, /^[^:]+:\d+:\d+: (error|warning|information|hint) [a-z-]+ .+$/, l);
  });

  it('prints SARIF 2.1.0 with rule metadata and locations', () => {
    const { dir } = materialize(path.join(ROOT, 'test', 'fixtures', 'rules', 'port-conflict', 'invalid-zk-client-port.fixture'));
    tmp.push(dir);
    const r = cli(['--format=sarif', dir]);
    assert.equal(r.code, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'amq-cluster-lint');
    assert.ok(run.tool.driver.rules.some((x: { id: string }) => x.id === 'port-conflict'));
    const res = run.results.find((x: { ruleId: string }) => x.ruleId === 'port-conflict');
    assert.equal(res.level, 'error');
    assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
    assert.ok(res.relatedLocations.length >= 1);
  });

  it('exits 0 with no output on a folder without config files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-empty-'));
    tmp.push(dir);
    fs.writeFileSync(path.join(dir, 'README.txt'), 'nothing here');
    for (const fmt of ['text', 'json']) {
      const r = cli(['--format', fmt, dir]);
      assert.equal(r.code, 0);
      assert.equal(fmt === 'json' ? JSON.stringify(JSON.parse(r.stdout)) : r.stdout, fmt === 'json' ? '[]' : '');
    }
  });

  it('exits 0 on a correct layout', () => {
    const { dir } = materialize(path.join(ROOT, 'test', 'fixtures', 'layouts', 'one-host-offset-ports.fixture'));
    tmp.push(dir);
    const r = cli(['--format', 'json', dir]);
    assert.equal(r.code, 0, r.stdout);
  });

  it('exits 2 with a one-line message on usage errors', () => {
    for (const args of [['--bogus', 'examples'], [], ['--format', 'xml', 'examples'], ['does-not-exist-folder'], ['--activemq-version', 'five', 'examples'], ['--zookeeper-version', '3', 'examples'], ['--max-file-size', '0', 'examples']]) {
      const r = cli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr.split('\n')[0], /^amq-cluster-lint: .+/);
    }
  });

  it('--zookeeper-version decides version-dependent zoo.cfg checks', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-zkv-'));
    tmp.push(dir);
    const servers = ['server.1=127.0.0.1:2888:3888 ', 'server.2=127.0.0.1:2889:3889', 'server.3=127.0.0.1:2890:3890'];
    for (let i = 1; i <= 3; i++) {
      fs.mkdirSync(path.join(dir, `zk${i}`, 'conf'), { recursive: true });
      fs.mkdirSync(path.join(dir, `zk${i}`, 'data'), { recursive: true });
      fs.writeFileSync(path.join(dir, `zk${i}`, 'conf', 'zoo.cfg'), ['tickTime=2000', 'initLimit=10', 'syncLimit=5', `dataDir=/opt/zk${i}/data`, `clientPort=218${i}`, ...servers, ''].join('\n'));
      fs.writeFileSync(path.join(dir, `zk${i}`, 'data', 'myid'), `${i}\n`);
    }
    const trailing = (args: string[]) => JSON.parse(cli(['--format', 'json', ...args, dir]).stdout).filter((f: { code: string; message: string }) => f.code === 'zk-config-invalid' && f.message.includes('trailing')).map((f: { severity: string }) => f.severity);
    // ZooKeeper 3.5+ reads server lines untrimmed (fatal); 3.4 trims them; unknown: information only
    assert.deepEqual(trailing(['--zookeeper-version', '3.8']), ['error', 'error', 'error']);
    assert.deepEqual(trailing(['--zookeeper-version=3.4.14']), []);
    assert.deepEqual(trailing([]), ['information', 'information', 'information']);
  });

  it('reports a file above the size limit instead of parsing it; --max-file-size sets the limit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-big-'));
    tmp.push(dir);
    fs.mkdirSync(path.join(dir, 'node1', 'conf'), { recursive: true });
    const file = path.join(dir, 'node1', 'conf', 'activemq.xml');
    const xml = (lines: number) => '<beans>\n' + '<bean id="x" class="y"><property name="a" value="b"/></bean>\n'.repeat(lines) + '<broken attr=>\n</beans>\n';
    const codes = (r: { stdout: string }) => JSON.parse(r.stdout).map((x: { code: string; severity: string }) => `${x.severity} ${x.code}`);
    // above the default 8 MB: reported, not parsed (the broken tag is not seen)
    fs.writeFileSync(file, xml(150000));
    const big = cli(['--format', 'json', dir]);
    assert.equal(big.code, 0, big.stderr);
    assert.deepEqual(codes(big), ['warning file-too-large']);
    // 1.2 MB against a 1 MB and a 2 MB limit
    fs.writeFileSync(file, xml(20000));
    assert.deepEqual(codes(cli(['--format', 'json', '--max-file-size', '1', dir])), ['warning file-too-large']);
    const raised = cli(['--format', 'json', '--max-file-size', '2', dir]);
    assert.equal(raised.code, 1, 'parsed under the raised limit: the broken tag is an error');
    assert.ok(codes(raised).includes('error xml-syntax'));
  });

  it('runs the same with a valid, a corrupt or no code cache', () => {
    const expected = cli(['--format', 'json', 'examples']).stdout;
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.cache')), 'the build writes dist/cli.cache');
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'amq-cache-'));
    tmp.push(copy);
    fs.mkdirSync(path.join(copy, 'bin'));
    fs.mkdirSync(path.join(copy, 'dist'));
    fs.copyFileSync(BIN, path.join(copy, 'bin', 'amq-cluster-lint.js'));
    fs.copyFileSync(path.join(ROOT, 'dist', 'cli.js'), path.join(copy, 'dist', 'cli.js'));
    for (const cache of [undefined, Buffer.from('not a V8 code cache'), Buffer.alloc(0)]) {
      if (cache) fs.writeFileSync(path.join(copy, 'dist', 'cli.cache'), cache);
      const r = spawnSync(process.execPath, [path.join(copy, 'bin', 'amq-cluster-lint.js'), '--format', 'json', 'examples'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stdout, expected);
    }
  });

  it('lints the bundled example workspace and finds its planted faults', () => {
    const r = cli(['--format', 'json', 'examples']);
    assert.equal(r.code, 1);
    const codes = new Set(JSON.parse(r.stdout).map((f: { code: string }) => f.code));
    for (const c of ['port-conflict', 'zk-myid-missing', 'broker-name-mismatch', 'zk-address-mismatch']) assert.ok(codes.has(c), c);
  });
});
