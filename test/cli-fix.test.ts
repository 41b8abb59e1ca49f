/**
 * `--fix` and `--fix-dry-run` over the whole fixture corpus: what the CLI writes is the editor's
 * fix-all (the analysis service's `fixAll(file)`, pass after pass), the findings it fixed are gone
 * on a re-lint and no new one appears; files keep their BOM, encoding and line endings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnalysisService } from '../server/src/core/service';
import { fixWorkspace } from '../server/src/core/fixrun';
import { applyFix } from '../server/src/core/fixes';
import type { AnalysisOptions, Finding, Fix } from '../server/src/core/types';
import { listFixtures } from './fixture';
import { ROOT, cleanTemp, cli, loadFixture, readTree, tempDir, writeFiles } from './cli-util';

const CORPUS = [...listFixtures(path.join(ROOT, 'test', 'fixtures', 'rules')), ...listFixtures(path.join(ROOT, 'test', 'fixtures', 'layouts'))];

/** The fixture's options as a configuration file (one meaning for the CLI and the core). */
function configOf(options: AnalysisOptions): string | undefined {
  const c: Record<string, unknown> = {};
  if (options.activemqVersion) c.activemqVersion = options.activemqVersion;
  if (options.zookeeperVersion) c.zookeeperVersion = options.zookeeperVersion;
  if (options.maxFileSize) c.maxFileSize = options.maxFileSize / 1024 / 1024;
  return Object.keys(c).length ? JSON.stringify(c) : undefined;
}

/** What counts as "the same finding" across a fix: its rule and file (a fix may change what a message quotes). */
function key(f: Pick<Finding, 'code' | 'file'>): string {
  return `${f.code} ${f.file}`;
}

/**
 * Findings that a fix reveals rather than causes, reviewed one by one: fixture -> rule codes that
 * may appear after --fix, and why.
 */
const REVEALED: Record<string, { codes: string[]; why: string }> = {
  'rules/zk-config-invalid/invalid-hierarchy.fixture': {
    codes: ['zk-even-ensemble'],
    why: 'removing the trailing space makes group.2 parse, so the ensemble that a/ and b/ form (4 voting servers) is judged at last',
  },
};

/** The texts the CLI's walk hands the core: a leading BOM is kept out of the text (io/decode.ts). */
function asRead(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].map(([p, t]) => [p, t.replace(/^\ufeff/, '')]));
}

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe('amq-cluster-lint --fix', () => {
  after(cleanTemp);

  const cases = CORPUS.map((file) => ({ file, fx: loadFixture(file) })).filter(({ fx }) => {
    const s = new AnalysisService(fx.options, { batch: true });
    s.setFiles(asRead(fx.files));
    s.update();
    return s.allFindings().some((f) => f.fixes?.some((x) => x.isPreferred));
  });

  it('has fixable fixtures to work on', () => {
    assert.ok(cases.length >= 40, `${cases.length} fixtures with a preferred fix`);
  });

  for (const { file, fx } of cases) {
    const name = path.relative(path.join(ROOT, 'test', 'fixtures'), file).split(path.sep).join('/');
    it(`${name}: the editor's fix-all, written; fixed findings gone, nothing new`, () => {
      const texts = asRead(fx.files);
      // in process: the editor's fix-all of every file, pass after pass
      const service = new AnalysisService(fx.options, { batch: true });
      service.setFiles(texts);
      service.update();
      const before = service.allFindings();
      const firstPass: Fix[] = [];
      for (const f of [...new Set(before.map((x) => x.file))]) {
        const fix = service.fixAll(f);
        if (fix) firstPass.push(fix);
      }
      const run = fixWorkspace(service);
      assert.ok(run.passes.length >= 1);
      // the first pass is the editor's fix-all of each file (those that do not overlap an earlier file's)
      for (const { fix } of run.passes[0].fixes) assert.ok(firstPass.some((x) => x.edits.length === fix.edits.length && x.edits.every((e, i) => e.file === fix.edits[i].file && e.span.start === fix.edits[i].span.start && e.newText === fix.edits[i].newText)));
      if (run.passes.length === 1 && run.passes[0].fixes.length === firstPass.length) {
        const merged = applyFix(texts, { title: 'all', edits: firstPass.flatMap((x) => x.edits), creates: firstPass.flatMap((x) => x.creates ?? []) });
        assert.deepEqual(new Map([...run.after].sort()), new Map([...merged].filter(([p, t]) => texts.get(p) !== t).sort()));
      }

      // the CLI writes exactly that
      const dir = tempDir();
      writeFiles(dir, fx.files);
      const config = configOf(fx.options);
      if (config) fs.writeFileSync(path.join(dir, '.amq-cluster.json'), config);
      const r = cli(['--fix', '--format', 'json', '.'], dir);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      const disk = readTree(dir);
      disk.delete('.amq-cluster.json');
      for (const [p, t] of disk) assert.equal(t.startsWith('\ufeff'), fx.files.get(p)?.startsWith('\ufeff') ?? false, `${p} keeps its BOM (or has none)`);
      const expected = new Map(texts);
      for (const [p, t] of run.after) expected.set(p, t);
      assert.deepEqual(new Map([...asRead(disk)].sort()), new Map([...expected].sort()));
      assert.match(r.stderr, new RegExp(`Fixed ${run.fixed} problems? in ${run.after.size} files?`));

      // re-lint (the CLI's own report after writing): what was fixed is gone, nothing is new
      const left: Finding[] = JSON.parse(r.stdout).map((j: { code: string; file: string; message: string }) => ({ code: j.code, file: j.file, message: j.message }));
      const fixedFirst = before.filter((f) => {
        const pref = f.fixes?.find((x) => x.isPreferred);
        const same = (a: Fix['edits'][number], b: Fix['edits'][number]) => a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
        return !!pref && run.passes[0].fixes.some(({ fix }) => pref.edits.every((e) => fix.edits.some((x) => same(x, e))) && (pref.creates ?? []).every((c) => (fix.creates ?? []).some((x) => x.file === c.file && x.content === c.content)));
      });
      assert.ok(fixedFirst.length > 0, 'the first pass fixed something');
      const was = multiset(before.map(key));
      const now = multiset(left.map(key));
      const revealed = REVEALED[name]?.codes ?? [];
      for (const [k, n] of now) if (!revealed.includes(k.split(' ')[0])) assert.ok(n <= (was.get(k) ?? 0), `new after --fix: ${k}`);
      const fixedCount = multiset(fixedFirst.map(key));
      for (const [k, n] of fixedCount) assert.ok((now.get(k) ?? 0) <= (was.get(k) ?? 0) - n, `still there after --fix: ${k}`);
      assert.ok(left.length < before.length, 'fewer findings after --fix');
    });
  }

  it('keeps a BOM, CRLF line ends and UTF-16 when it writes', () => {
    const dir = tempDir();
    const xml = (name: string) => `<beans>\r\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName=\u201c${name}\u201d/>\r\n</beans>\r\n`;
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml('b'), 'utf16le')]);
    writeFiles(dir, [
      ['a/conf/activemq.xml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('a'), 'utf8')])],
      ['b/conf/activemq.xml', utf16],
    ]);
    const r = cli(['--fix', '.'], dir);
    assert.match(r.stderr, /Fixed 2 problems in 2 files/, r.stderr);
    const a = fs.readFileSync(path.join(dir, 'a/conf/activemq.xml'));
    assert.deepEqual([...a.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(a.subarray(3).toString('utf8'), xml('a').replace(/[\u201c\u201d]/g, '"'));
    const b = fs.readFileSync(path.join(dir, 'b/conf/activemq.xml'));
    assert.deepEqual([...b.subarray(0, 2)], [0xff, 0xfe]);
    assert.equal(b.subarray(2).toString('utf16le'), xml('b').replace(/[\u201c\u201d]/g, '"'));
    assert.ok(!r.stdout.includes('xml-syntax'), r.stdout);
  });

  it('--fix-dry-run prints a unified diff (created files from /dev/null) and writes nothing', () => {
    const dir = tempDir();
    const zoo = (i: number) => `tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=/var/zk${i}/data\nclientPort=218${i}\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n`;
    const files: [string, string][] = [
      ['zk1/conf/zoo.cfg', zoo(1)],
      ['zk1/data/myid', '1\n'],
      ['zk2/conf/zoo.cfg', zoo(2)],
      ['zk2/data/myid', '2\n'],
      ['zk3/conf/zoo.cfg', zoo(3)],
      ['mq/conf/activemq.xml', '<beans>\n  <broker xmlns="http://activemq.apache.org/schema/core" brokerName=\u201cmq\u201d/>\n</beans>\n'],
    ];
    writeFiles(dir, files);
    const r = cli(['--fix-dry-run', '.'], dir);
    assert.equal(readTree(dir).size, files.length, 'nothing written');
    for (const [p, t] of files) assert.equal(fs.readFileSync(path.join(dir, p), 'utf8'), t);
    assert.match(r.stdout, /^--- a\/mq\/conf\/activemq\.xml\n\+\+\+ b\/mq\/conf\/activemq\.xml\n@@ /m);
    assert.match(r.stdout, /^-  <broker .*brokerName=\u201cmq\u201d\/>$/m);
    assert.match(r.stdout, /^\+  <broker .*brokerName="mq"\/>$/m);
    assert.match(r.stdout, /^--- \/dev\/null\n\+\+\+ b\/zk3\/data\/myid\n@@ -0,0 \+1(,1)? @@\n\+3$/m);
    assert.match(r.stderr, /Would fix 2 problems in 2 files/);
    // the diff applies: git apply --check accepts it
    const patch = path.join(tempDir(), 'fix.patch');
    fs.writeFileSync(patch, r.stdout);
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const g = spawnSync('git', ['apply', '--check', '--unsafe-paths', patch], { cwd: dir, encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
  });
});
