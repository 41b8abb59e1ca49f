/** Data-driven rule tests: every fixture under test/fixtures/{rules,layouts}. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { listFixtures, locationOf, parseFixture, writeFixture, type ExpectLine } from './fixture';

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
        return { location, messages: prev ? prev.messages : [] };
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
      for (const e of fx.expect) {
        const f = findings[actual.findIndex((a) => a.location === e.location)];
        for (const m of e.messages) assert.ok(f.message.includes(m), `message of ${e.location}\n  ${f.message}\nshould contain\n  ${m}`);
      }
    });
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
