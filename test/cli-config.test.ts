/**
 * The configuration file (.amq-cluster.json) read by the CLI and the language server alike; the
 * paths on the command line as one workspace; include/exclude and the folder rule; --list-files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeSettings, parseConfigText, rebaseGlob, rebasePath, resolveSettings } from '../server/src/core/config';
import { LspClient } from './lsp-client';
import { ROOT, cleanTemp, cli, tempDir, writeFiles } from './cli-util';

const zoo = (i: number, port = 2180 + i) =>
  `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/zk${i}/data\nclientPort=${port}\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n`;

/** Three servers on one host, zk2 and zk3 sharing clientPort 2182 (a port-conflict error on each). */
function clashingEnsemble(dir: string, prefix = ''): void {
  writeFiles(dir, [
    [`${prefix}zk1/conf/zoo.cfg`, zoo(1)],
    [`${prefix}zk1/data/myid`, '1\n'],
    [`${prefix}zk2/conf/zoo.cfg`, zoo(2)],
    [`${prefix}zk2/data/myid`, '2\n'],
    [`${prefix}zk3/conf/zoo.cfg`, zoo(3, 2182)],
    [`${prefix}zk3/data/myid`, '3\n'],
  ]);
}

function findings(stdout: string): { file: string; code: string; severity: string; message: string }[] {
  return JSON.parse(stdout);
}

describe('configuration file and workspace paths', () => {
  after(cleanTemp);

  describe('core: layers', () => {
    it('later layers win per scalar and per map entry; lists add up', () => {
      const merged = mergeSettings([
        { source: 'file', settings: { activemqVersion: '5.15', maxFileSize: 2, severity: { 'port-conflict': 'warning', 'zk-even-ensemble': 'off' }, hostMap: { a: 'h1', b: 'h2' }, exclude: ['x/**'] } },
        { source: 'editor', settings: { activemqVersion: '', maxFileSize: null, severity: { 'port-conflict': 'error' }, hostMap: { b: 'h3' }, exclude: ['y/**'] } },
      ]);
      const r = resolveSettings([{ source: 'merged', settings: merged }]);
      assert.equal(r.options.activemqVersion, '5.15', 'an empty editor value does not override');
      assert.equal(r.options.maxFileSize, 2 * 1024 * 1024);
      assert.deepEqual([...r.options.severityOverrides].sort(), [['port-conflict', 'error'], ['zk-even-ensemble', 'off']]);
      assert.deepEqual([...r.options.hostMap].sort(), [['a', 'h1'], ['b', 'h3']]);
      assert.deepEqual(r.exclude.patterns, ['x/**', 'y/**']);
    });

    it('paths of a file above or below the root are rebased; junk is a warning naming the file', () => {
      assert.equal(rebasePath('mq/node1', { add: 'deploy' }), 'deploy/mq/node1');
      assert.equal(rebasePath('deploy/mq/node1', { strip: 'deploy' }), 'mq/node1');
      assert.equal(rebasePath('other/node1', { strip: 'deploy' }), undefined);
      assert.equal(rebaseGlob('backup/**', { add: 'deploy' }), 'deploy/backup/**');
      assert.equal(rebaseGlob('deploy/backup/**', { strip: 'deploy' }), 'backup/**');
      assert.equal(rebaseGlob('*/backup', { strip: 'deploy' }), 'backup');
      assert.equal(rebaseGlob('**/backup', { strip: 'deploy' }), '**/backup');
      assert.equal(rebaseGlob('other/**', { strip: 'deploy' }), undefined);
      const r = resolveSettings([{ source: '.amq-cluster.json', settings: { severity: { 'no-such-rule': 'off', 'port-conflict': 'loud' }, maxFileSize: 'big', include: [3] } }]);
      assert.equal(r.warnings.length, 4, r.warnings.join('\n'));
      assert.ok(r.warnings.every((w) => w.startsWith('.amq-cluster.json: ')));
      assert.equal(parseConfigText('{ // comment\n "exclude": ["a"], }').settings!.exclude instanceof Array, true);
      assert.match(parseConfigText('{ "exclude": [ }').error!, /not valid JSON at 1:/);
      assert.match(parseConfigText('{ "exlude": [] }').warnings[0], /unknown key 'exlude'/);
      assert.match(parseConfigText('{ "Exclude": [] }').warnings[0], /did you mean 'exclude'/);
    });
  });

  describe('schemas/amq-cluster.schema.json', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'amq-cluster.schema.json'), 'utf8'));
    it('is a valid schema, names every rule, and is what the extension contributes for .amq-cluster.json', () => {
      const Ajv = require('ajv') as typeof import('ajv').default;
      const ajv = new Ajv({ allErrors: true, strict: true });
      const validate = ajv.compile(schema);
      const { RULES } = require('../server/src/core/rules') as typeof import('../server/src/core/rules');
      assert.deepEqual(Object.keys(schema.properties.severity.properties), RULES.map((r) => r.meta.code));
      const { CONFIG_KEYS } = require('../server/src/core/config') as typeof import('../server/src/core/config');
      assert.deepEqual(Object.keys(schema.properties).sort(), [...CONFIG_KEYS].sort());
      // the README's example is valid, a typo is not
      const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
      const example = JSON.parse(/### Configuration: `\.amq-cluster\.json`[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]);
      assert.ok(validate(example), ajv.errorsText(validate.errors));
      assert.equal(validate({ severity: { 'port-conflikt': 'off' } }), false);
      assert.deepEqual(parseConfigText(JSON.stringify(example)).warnings, []);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
      assert.deepEqual(pkg.contributes.jsonValidation, [{ fileMatch: '.amq-cluster.json', url: './schemas/amq-cluster.schema.json' }]);
      assert.ok(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').includes('!schemas/amq-cluster.schema.json'));
    });
  });

  describe('CLI', () => {
    it('reads .amq-cluster.json found upward from the linted folder, stopping at the repository root', () => {
      const repo = tempDir();
      fs.mkdirSync(path.join(repo, '.git'));
      clashingEnsemble(repo, 'deploy/');
      const lint = () => findings(cli(['--format', 'json', 'deploy'], repo).stdout).filter((f) => f.code === 'port-conflict');
      assert.deepEqual(lint().map((f) => f.severity), ['error', 'error']);
      fs.writeFileSync(path.join(repo, '.amq-cluster.json'), JSON.stringify({ severity: { 'port-conflict': 'warning' } }));
      assert.deepEqual(lint().map((f) => f.severity), ['warning', 'warning']);
      // the nearest file wins; a file above the repository root is never read
      fs.writeFileSync(path.join(repo, 'deploy', '.amq-cluster.json'), JSON.stringify({ severity: { 'port-conflict': 'off' } }));
      assert.deepEqual(lint(), []);
      fs.rmSync(path.join(repo, 'deploy', '.amq-cluster.json'));
      fs.rmSync(path.join(repo, '.amq-cluster.json'));
      const outer = path.dirname(repo);
      const inner = path.join(repo, 'sub');
      fs.mkdirSync(path.join(inner, '.git'), { recursive: true });
      clashingEnsemble(inner);
      fs.writeFileSync(path.join(repo, '.amq-cluster.json'), JSON.stringify({ severity: { 'port-conflict': 'off' } }));
      assert.equal(findings(cli(['--format', 'json', '.'], inner).stdout).filter((f) => f.code === 'port-conflict').length, 2, 'stops at sub/.git');
      assert.ok(outer);
      // --no-config and --config
      assert.equal(findings(cli(['--format', 'json', '--no-config', 'deploy'], repo).stdout).filter((f) => f.code === 'port-conflict').length, 2);
      assert.equal(findings(cli(['--format', 'json', '--config', '.amq-cluster.json', 'deploy'], repo).stdout).filter((f) => f.code === 'port-conflict').length, 0);
    });

    it('hostMap and exclude paths in the file are relative to the file; --rule overrides the file', () => {
      const repo = tempDir();
      fs.mkdirSync(path.join(repo, '.git'));
      clashingEnsemble(repo, 'deploy/');
      fs.mkdirSync(path.join(repo, 'deploy', 'old', 'conf'), { recursive: true });
      fs.writeFileSync(path.join(repo, 'deploy', 'old', 'conf', 'activemq.xml'), '<beans><broker brokerName=\u201cx\u201d/></beans>');
      fs.writeFileSync(path.join(repo, 'deploy', '.amq-cluster.json'), JSON.stringify({ exclude: ['old/**'], severity: { 'port-conflict': 'warning' } }));
      const r = cli(['--format', 'json', '.'], repo);
      const fs1 = findings(r.stdout);
      // linting the repository root: the file in deploy/ lies below it and does not apply
      assert.ok(fs1.some((f) => f.file.startsWith('deploy/old/')));
      assert.deepEqual(fs1.filter((f) => f.code === 'port-conflict').map((f) => f.severity), ['error', 'error']);
      const fromDeploy = findings(cli(['--format', 'json', 'deploy'], repo).stdout);
      assert.ok(!fromDeploy.some((f) => f.file.startsWith('deploy/old/')));
      assert.deepEqual(fromDeploy.filter((f) => f.code === 'port-conflict').map((f) => f.severity), ['warning', 'warning']);
      const overridden = findings(cli(['--format', 'json', '--rule', 'port-conflict:hint', 'deploy'], repo).stdout);
      assert.deepEqual(overridden.filter((f) => f.code === 'port-conflict').map((f) => f.severity), ['hint', 'hint']);
      // a path named on the command line is linted even where an exclude pattern covers it
      assert.ok(findings(cli(['--format', 'json', 'deploy/old'], repo).stdout).some((f) => f.code === 'xml-syntax'));
    });

    it('an unreadable configuration file is a usage error (exit 2); unknown keys are warnings', () => {
      const dir = tempDir();
      clashingEnsemble(dir);
      fs.writeFileSync(path.join(dir, '.amq-cluster.json'), '{ "severity": ');
      const bad = cli(['.'], dir);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /^amq-cluster-lint: configuration file \.amq-cluster\.json is not valid JSON at 1:\d+/);
      fs.writeFileSync(path.join(dir, '.amq-cluster.json'), '{ "sevrity": {} }');
      const warned = cli(['.'], dir);
      assert.equal(warned.code, 1);
      assert.match(warned.stderr, /warning: \.amq-cluster\.json: unknown key 'sevrity'/);
    });

    it('include walks folders the folder rule skips; the folder rule and every skip show in --list-files', () => {
      const dir = tempDir();
      clashingEnsemble(dir, 'build/');
      writeFiles(dir, [['.hidden/zk9/conf/zoo.cfg', zoo(9)]]);
      const plain = cli(['--list-files', '.'], dir);
      assert.equal(plain.code, 0);
      assert.match(plain.stdout, /^Read \(0\):$/m);
      assert.match(plain.stdout, /^ {2}\.hidden\/ +folder rule: a dot folder/m);
      assert.match(plain.stdout, /^ {2}build\/ +folder rule: a 'build' folder/m);
      assert.match(cli(['.'], dir).stderr, /No problems; 0 files read, 2 left out \(--list-files says which and why\)/);
      fs.writeFileSync(path.join(dir, '.amq-cluster.json'), JSON.stringify({ include: ['build'] }));
      const inc = cli(['--list-files', '--format', 'json', '.'], dir);
      const list = JSON.parse(inc.stdout);
      assert.deepEqual(
        list.read.map((r: { file: string; documents: { kind: string; node?: string }[] }) => `${r.file} ${r.documents.map((d) => `${d.kind}:${d.node ?? ''}`).join(',')}`),
        ['build/zk1/conf/zoo.cfg zoocfg:zk1', 'build/zk1/data/myid myid:zk1', 'build/zk2/conf/zoo.cfg zoocfg:zk2', 'build/zk2/data/myid myid:zk2', 'build/zk3/conf/zoo.cfg zoocfg:zk3', 'build/zk3/data/myid myid:zk3'],
      );
      assert.deepEqual(list.leftOut.map((l: { file: string; reason: string }) => `${l.file} ${l.reason}`), ['.hidden folder-rule']);
      const lint = cli(['.'], dir);
      assert.equal(lint.code, 1);
      assert.match(lint.stderr, /2 problems \(2 errors, 0 warnings, 0 infos\); 6 files read, 1 left out/);
      // an include through a skipped folder opens only the way to it
      fs.writeFileSync(path.join(dir, '.amq-cluster.json'), JSON.stringify({ include: ['.hidden/zk9'] }));
      writeFiles(dir, [['.hidden/other/conf/zoo.cfg', zoo(8)]]);
      const way = JSON.parse(cli(['--list-files', '--format', 'json', '.'], dir).stdout);
      assert.deepEqual(way.read.map((r: { file: string }) => r.file), ['.hidden/zk9/conf/zoo.cfg']);
    });

    it('any mix of folders, files and globs is one workspace, shown relative to the current folder', () => {
      const whole = findings(cli(['--format', 'json', 'examples']).stdout);
      const split = findings(cli(['--format', 'json', 'examples/myzookeeper', 'examples/mq_cluster']).stdout);
      const strip = (xs: typeof whole) => xs.filter((f) => !f.file.startsWith('examples/client/')).map((f) => `${f.file} ${f.code} ${f.message}`);
      assert.deepEqual(split.map((f) => `${f.file} ${f.code} ${f.message}`), strip(whole));
      assert.ok(split.some((f) => f.code === 'zk-address-mismatch'), 'cross-folder findings are found');
      // files and a glob
      const mixed = findings(cli(['--format', 'json', 'examples/mq_cluster', 'examples/myzookeeper/*/conf/zoo.cfg', 'examples/myzookeeper/zk01/data/myid', 'examples/myzookeeper/zk02/data/myid']).stdout);
      assert.deepEqual(mixed.map((f) => `${f.file} ${f.code} ${f.message}`), strip(whole));
      // from another current folder: paths relative to it, each file named once
      const inside = findings(cli(['--format', 'json', '.'], path.join(ROOT, 'examples')).stdout);
      assert.deepEqual(inside.map((f) => `examples/${f.file} ${f.code} ${f.message}`), whole.map((f) => `${f.file} ${f.code} ${f.message}`));
      const paths = new Set(whole.map((f) => f.file));
      for (const p of paths) assert.ok(fs.existsSync(path.join(ROOT, p)), p);
    });
  });

  describe('language server', function () {
    this.timeout(60000);
    let client: LspClient | undefined;
    afterEach(async () => {
      await client?.shutdown();
      client = undefined;
    });

    it('reads .amq-cluster.json of its folder (or above); the editor settings override it per folder', async () => {
      const repo = tempDir();
      fs.mkdirSync(path.join(repo, '.git'));
      clashingEnsemble(repo, 'deploy/');
      fs.writeFileSync(path.join(repo, '.amq-cluster.json'), JSON.stringify({ severity: { 'port-conflict': 'warning' }, exclude: ['deploy/zk1/**'] }));
      const folder = path.join(repo, 'deploy');
      let editor: Record<string, unknown> | null = null;
      client = new LspClient();
      client.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => editor));
      await client.initialize([folder], { workspace: { workspaceFolders: true, configuration: true, didChangeConfiguration: { dynamicRegistration: true } } });
      const zk3 = path.join(folder, 'zk3', 'conf', 'zoo.cfg');
      const sev = () => (client!.diags(zk3).find((d) => d.code === 'port-conflict')?.severity);
      await client.until(() => sev() === 2, 20000, 'port-conflict as a warning (the file above the folder)');
      // the config's exclude (written relative to the file, above the folder) applies: zk1 is left out, so its missing... nothing on zk1
      assert.equal(client.diags(path.join(folder, 'zk1', 'conf', 'zoo.cfg')).length, 0);
      editor = { severity: { 'port-conflict': 'information' } };
      await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await client.until(() => sev() === 3, 20000, 'port-conflict as information (the editor setting)');
    });
  });
});
