/**
 * The CLI's flags (ESLint tradition), baselines, help and version answers of both binaries, and
 * the adoption files (pre-commit hook, GitHub Action) pointing at what exists.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { RULES } from '../server/src/core/rules';
import { LSP_BIN, ROOT, cleanTemp, cli, materialize, tempDir, writeFiles } from './cli-util';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const WARNINGS_ONLY = path.join(ROOT, 'test', 'fixtures', 'rules', 'failover-url-mismatch', 'invalid-duplicate-entry.fixture');

describe('amq-cluster-lint flags', () => {
  after(cleanTemp);

  it('--max-warnings N fails a run with more than N warnings; warnings alone exit 0 without it', () => {
    const { dir } = materialize(WARNINGS_ONLY);
    assert.equal(cli(['.'], dir).code, 0);
    assert.equal(cli(['--max-warnings', '2', '.'], dir).code, 0);
    const over = cli(['--max-warnings=1', '.'], dir);
    assert.equal(over.code, 1);
    assert.match(over.stderr, /2 warnings, more than --max-warnings 1/);
    assert.equal(cli(['--max-warnings', '0', '.'], dir).code, 1);
    assert.equal(cli(['--max-warnings', '-1', '.'], dir).code, 0);
    assert.equal(cli(['--max-warnings', 'many', '.'], dir).code, 2);
  });

  it('--quiet reports errors only (and no warning counts against --max-warnings)', () => {
    const { dir } = materialize(WARNINGS_ONLY);
    const r = cli(['--quiet', '--max-warnings', '0', '.'], dir);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '');
    const ex = cli(['--quiet', '--format', 'json', 'examples']);
    const all = JSON.parse(cli(['--format', 'json', 'examples']).stdout);
    assert.deepEqual(JSON.parse(ex.stdout), all.filter((f: { severity: string }) => f.severity === 'error'));
  });

  it('--rule CODE:SEVERITY (repeatable) sets severities; unknown rules or severities are usage errors', () => {
    const r = JSON.parse(cli(['--format', 'json', '--rule', 'port-conflict:warning', '--rule=zk-myid-missing:off', 'examples']).stdout);
    assert.ok(r.filter((f: { code: string }) => f.code === 'port-conflict').every((f: { severity: string }) => f.severity === 'warning'));
    assert.ok(!r.some((f: { code: string }) => f.code === 'zk-myid-missing'));
    for (const bad of ['no-such-rule:error', 'port-conflict:loud', 'port-conflict']) {
      const u = cli(['--rule', bad, 'examples']);
      assert.equal(u.code, 2, bad);
      assert.match(u.stderr, /^amq-cluster-lint: --rule/);
    }
  });

  it('--list-rules lists code, default severity, fixable and an absolute doc link for every rule', () => {
    const text = cli(['--list-rules']);
    assert.equal(text.code, 0);
    const lines = text.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^code +default +fixable +documentation$/);
    assert.equal(lines.length, RULES.length + 1);
    RULES.forEach((r, i) => {
      const cols = lines[i + 1].split(/ +/);
      assert.deepEqual(cols.slice(0, 3), [r.meta.code, r.meta.defaultSeverity, r.meta.fixable ? 'yes' : 'no']);
      assert.match(cols[3], new RegExp(`^(https://.+|file:///.+)/docs/rules/${r.meta.code}\\.md$`));
    });
    const json = JSON.parse(cli(['--list-rules', '--format', 'json']).stdout);
    assert.deepEqual(json.map((r: { code: string }) => r.code), RULES.map((r) => r.meta.code));
  });

  it('--version, --help; new --help; amq-cluster-lsp --help and --version answer and exit 0', () => {
    assert.deepEqual(cli(['--version']), { code: 0, stdout: VERSION + '\n', stderr: '' });
    const help = cli(['--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--max-warnings', '--quiet', '--rule', '--list-rules', '--list-files', '--version', '--output-file', '--no-color', '--config', '--no-config', '--fix', '--fix-dry-run', '--baseline', '--baseline-write', 'sarif', 'github', 'junit', 'plan']) assert.ok(help.stdout.includes(flag), flag);
    const nh = cli(['new', '--help']);
    assert.equal(nh.code, 0, nh.stderr);
    assert.match(nh.stdout, /^usage: amq-cluster-lint new --style/);
    for (const args of [['--help'], ['-h'], ['--version']]) {
      const r = spawnSync(process.execPath, [LSP_BIN, ...args], { encoding: 'utf8', timeout: 10000 });
      assert.equal(r.status, 0, `${args}: ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(args[0] === '--version' ? r.stdout === VERSION + '\n' : r.stdout.startsWith('usage: amq-cluster-lsp'), r.stdout.slice(0, 200));
    }
  });

  it('--output-file writes the report to a file (folders made), stdout stays empty', () => {
    const dir = tempDir();
    const file = path.join(dir, 'reports', 'lint.sarif');
    const r = cli(['--format', 'sarif', '-o', file, 'examples']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).version, '2.1.0');
    const t = cli(['--output-file', path.join(dir, 'lint.txt'), 'examples']);
    assert.equal(t.stdout, '');
    assert.equal(fs.readFileSync(path.join(dir, 'lint.txt'), 'utf8'), cli(['examples']).stdout);
  });

  it('colour: --color forces ANSI colours, --no-color and a pipe give plain text', () => {
    const plain = cli(['examples']).stdout;
    assert.ok(!plain.includes('\u001b['));
    const coloured = cli(['--color', 'examples']).stdout;
    assert.match(coloured, /\u001b\[31merror\u001b\[39m/);
    // eslint-disable-next-line no-control-regex
    assert.equal(coloured.replace(/\u001b\[\d+m/g, ''), plain);
    assert.equal(cli(['--color', '--no-color', 'examples']).stdout, plain);
  });

  it('the text report ends with one line on stderr: problems, files read, files left out', () => {
    const r = cli(['examples']);
    assert.match(r.stderr, /^10 problems \(7 errors, 0 warnings, 3 infos\); 13 files read, 0 left out\n$/);
  });

  it('--list-files lists each file read with its kind and node', () => {
    const r = cli(['--list-files', 'examples']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ {2}examples\/myzookeeper\/zk01\/data\/myid +myid \(node zk01\)$/m);
    assert.match(r.stdout, /^ {2}examples\/mq_cluster\/mq_node02\/conf\/jetty\.xml +jetty \(node mq_node02\)$/m);
    assert.match(r.stdout, /^Read \(13\):$/m);
  });

  describe('baselines', () => {
    const zoo = (i: number, port: number) => `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/zk${i}/data\nclientPort=${port}\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n`;

    it('--baseline-write records today; --baseline tolerates those across line shifts and fails only on new ones', () => {
      const dir = tempDir();
      writeFiles(dir, [
        ['zk1/conf/zoo.cfg', zoo(1, 2181)],
        ['zk1/data/myid', '1\n'],
        ['zk2/conf/zoo.cfg', zoo(2, 2182)],
        ['zk2/data/myid', '2\n'],
        ['zk3/conf/zoo.cfg', zoo(3, 2182)],
        ['zk3/data/myid', '3\n'],
      ]);
      const w = cli(['--baseline-write', 'ci/baseline.json', '.'], dir);
      assert.equal(w.code, 0, w.stderr);
      assert.match(w.stderr, /recorded 2 findings in ci\/baseline\.json/);
      const b = JSON.parse(fs.readFileSync(path.join(dir, 'ci', 'baseline.json'), 'utf8'));
      assert.equal(b.format, 'amq-cluster-lint-baseline');
      assert.deepEqual(b.entries.map((e: { file: string; code: string }) => `${e.file} ${e.code}`), ['../zk2/conf/zoo.cfg port-conflict', '../zk3/conf/zoo.cfg port-conflict']);
      // unrelated lines added above the findings: still tolerated, from another current folder too
      for (const i of [2, 3]) fs.writeFileSync(path.join(dir, `zk${i}/conf/zoo.cfg`), `# moved\n# down\n\n${zoo(i, 2182)}`);
      const ok = cli(['--baseline', 'baseline.json', '--format', 'json', '..'], path.join(dir, 'ci'));
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.deepEqual(JSON.parse(ok.stdout), []);
      const text = cli(['--baseline', 'ci/baseline.json', '.'], dir);
      assert.match(text.stderr, /^No problems; the baseline tolerated 2; 6 files read/m);
      // a new mistake fails the run; only it is reported
      fs.writeFileSync(path.join(dir, 'zk1/conf/zoo.cfg'), zoo(1, 2182));
      const bad = cli(['--baseline', 'ci/baseline.json', '--format', 'json', '.'], dir);
      assert.equal(bad.code, 1);
      const left = JSON.parse(bad.stdout);
      assert.ok(left.length >= 1 && left.every((f: { file: string }) => f.file === 'zk1/conf/zoo.cfg'), bad.stdout);
      // a baseline that is no baseline is a usage error
      fs.writeFileSync(path.join(dir, 'junk.json'), '[]');
      assert.equal(cli(['--baseline', 'junk.json', '.'], dir).code, 2);
    });
  });

  describe('adoption', () => {
    it('the pre-commit hook and the GitHub Action run this CLI', () => {
      const hooks = fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
      const { parse } = require('yaml') as typeof import('yaml');
      const h = parse(hooks) as { id: string; entry: string; language: string; pass_filenames: boolean }[];
      assert.equal(h[0].id, 'amq-cluster-lint');
      assert.equal(h[0].entry, 'amq-cluster-lint');
      assert.equal(h[0].language, 'node');
      assert.equal(h[0].pass_filenames, false, 'the whole repository is one workspace');
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.equal(pkg.bin['amq-cluster-lint'], 'bin/amq-cluster-lint.js');
      const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { runs: { using: string; steps: { uses?: string; run?: string }[] } };
      assert.equal(action.runs.using, 'composite');
      assert.ok(action.runs.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@')));
      assert.ok(action.runs.steps.some((s) => s.run?.includes('bin/amq-cluster-lint.js') && s.run.includes('--format sarif')));
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      assert.match(readme, /## In CI/);
      assert.ok(readme.includes('```sh\nnpm install && npx amq-cluster-lint examples\n```'), 'the set-up commands stay');
      assert.ok(readme.includes('```sh\nnpm test\n```'));
    });
  });
});
