/** Data-driven rule tests: every fixture under test/fixtures/{rules,layouts}. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { fixLines, listFixtures, locationOf, parseFixture, writeFixture, type ExpectLine } from './fixture';
import { RULES } from '../server/src/core/rules';
import { nodeRootOf } from '../server/src/core/model/files';

const ROOT = path.resolve(__dirname, '..', '..', 'test', 'fixtures');
const UPDATE = process.env.UPDATE_EXPECT === '1';

function run(dir: string, codeFromFolder: boolean): void {
  for (const file of listFixtures(path.join(ROOT, dir))) {
    const rel = path.relative(ROOT, file);
    const fx = parseFixture(file, fs.readFileSync(file, 'utf8'));
    const code = codeFromFolder ? path.basename(path.dirname(file)) : undefined;
    it(`${rel}${fx.description ? ': ' + fx.description : ''}`, () => {
      const res = analyze(fx.files, fx.options);
      assert.deepEqual(res.internalErrors, []);
      if (fx.nodes) {
        const nodes = [...res.model.brokers, ...res.model.zkNodes].map((n) => `${n.type === 'broker' ? 'broker' : 'zk'}:${n.name}`).sort();
        assert.deepEqual(nodes, fx.nodes, 'the nodes of the workspace model');
      }
      const findings = res.findings.filter((f) => fx.allCodes || !code || f.code === code);
      const actual: ExpectLine[] = findings.map((f) => {
        const location = locationOf(f, fx.files);
        const prev = fx.expect.find((e) => e.location === location);
        return { location, messages: prev ? prev.messages : [], fixes: fixLines(f) };
      });
      if (UPDATE) {
        writeFixture(fx, actual);
        return;
      }
      assert.deepEqual(
        actual.map((a) => a.location),
        fx.expect.map((e) => e.location),
        `findings differ; messages were:\n${findings.map((f) => `  ${f.code}: ${f.message}`).join('\n')}`,
      );
      // the locations are equal in order, so the i-th expectation is the i-th finding
      for (const [i, e] of fx.expect.entries()) {
        const f = findings[i];
        for (const m of e.messages) assert.ok(f.message.includes(m), `message of ${e.location}\n  ${f.message}\nshould contain\n  ${m}`);
        assert.deepEqual(actual[i].fixes, e.fixes, `quick fixes of ${e.location}`);
      }
      checkMeta(res.findings, fx.files);
    });
  }
}

/**
 * What a rule's meta promises holds for every finding: a rule that is not fixable offers no fix;
 * a `file`-scope rule relates nothing outside the node of the file it reports in.
 */
function checkMeta(findings: import('../server/src/core/types').Finding[], files: ReadonlyMap<string, string>): void {
  void files;
  for (const f of findings) {
    const rule = RULES.find((r) => r.meta.code === f.code)!;
    if (!rule.meta.fixable) assert.ok(!f.fixes?.length, `${f.code} is not fixable (meta) but offers a fix: ${f.fixes?.[0]?.title}`);
    if (rule.meta.scope === 'file') {
      for (const r of f.related) assert.equal(nodeRootOf(r.file), nodeRootOf(f.file), `${f.code} has scope 'file' but relates ${r.file} to ${f.file}`);
      for (const x of f.fixes ?? []) for (const e of x.edits) assert.equal(nodeRootOf(e.file), nodeRootOf(f.file), `${f.code} has scope 'file' but its fix edits ${e.file}`);
    }
  }
}

describe('rule fixtures', () => run('rules', true));
describe('correct layouts from the seeds (no error or warning)', () => {
  run('layouts', false);
  it('layout fixtures carry no error/warning expectations', () => {
    for (const file of listFixtures(path.join(ROOT, 'layouts'))) {
      const fx = parseFixture(file, fs.readFileSync(file, 'utf8'));
      for (const e of fx.expect) assert.ok(!/ (error|warning) /.test(e.location), `${file}: ${e.location}`);
    }
  });
});
