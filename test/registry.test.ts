/** The rule registry, the rule files and the doc pages must agree. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESERVED_CODES, RULES } from '../server/src/core/rules';
import { docPath, type Rule } from '../server/src/core/rules/types';
import { listFixtures, parseFixture } from './fixture';

const ROOT = path.resolve(__dirname, '..', '..');
const RULE_DIR = path.join(ROOT, 'server', 'src', 'core', 'rules');
const NON_RULES = new Set(['index', 'types']);

describe('rule registry', () => {
  const codes = RULES.map((r) => r.meta.code);

  it('is sorted by code and has no duplicates', () => {
    assert.deepEqual(codes, [...codes].sort());
    assert.equal(new Set(codes).size, codes.length);
  });

  it('uses stable kebab-case codes that are not reserved', () => {
    for (const c of codes) {
      assert.match(c, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      assert.ok(!RESERVED_CODES.includes(c), `${c} is reserved`);
    }
  });

  it('has one file per rule, named by its code, and no unregistered rule files', () => {
    const files = fs
      .readdirSync(RULE_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .filter((f) => !NON_RULES.has(f));
    assert.deepEqual(files.sort(), [...codes].sort());
    for (const c of codes) {
      const src = fs.readFileSync(path.join(RULE_DIR, `${c}.ts`), 'utf8');
      assert.ok(src.includes(`code: '${c}'`), `${c}.ts declares code '${c}'`);
    }
  });

  it('has complete metadata', () => {
    for (const r of RULES) {
      assert.ok(r.meta.description.length > 20, r.meta.code);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(r.meta.defaultSeverity));
      assert.ok(['file', 'cross-node'].includes(r.meta.scope));
    }
  });

  it('has a doc page per rule with the required sections, and no page for an unknown rule', () => {
    const pages = fs
      .readdirSync(path.join(ROOT, 'docs', 'rules'))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => f.slice(0, -3));
    assert.deepEqual(pages.sort(), [...codes].sort());
    for (const r of RULES) {
      const doc = fs.readFileSync(path.join(ROOT, docPath(r.meta.code)), 'utf8');
      assert.ok(doc.startsWith(`# ${r.meta.code}\n`), `${r.meta.code}: title`);
      for (const h of ['## Why', '## Incorrect', '## Correct']) assert.ok(doc.includes(`\n${h}\n`), `${r.meta.code}: ${h}`);
      assert.ok(doc.includes(`Default severity: ${r.meta.defaultSeverity}`), `${r.meta.code}: default severity stated`);
    }
  });

  it('has a docs index generated from the rules\' meta (UPDATE_EXPECT=1 rewrites it)', () => {
    const file = path.join(ROOT, 'docs', 'rules', 'README.md');
    const text = fs.readFileSync(file, 'utf8');
    const start = text.indexOf(INDEX_START);
    const end = text.indexOf(INDEX_END);
    assert.ok(start >= 0 && end > start, `docs/rules/README.md holds the index between ${INDEX_START} and ${INDEX_END}`);
    const generated = `${INDEX_START}\n${indexTable(RULES)}\n${INDEX_END}`;
    const current = text.slice(start, end + INDEX_END.length);
    if (process.env.UPDATE_EXPECT === '1' && current !== generated) fs.writeFileSync(file, text.slice(0, start) + generated + text.slice(end + INDEX_END.length));
    else assert.equal(current, generated, 'docs/rules/README.md index differs from the rules\' meta');
  });

  it('keeps meta.fixable honest: a fixable rule has a fixture whose expectation shows a fix (and rules.test checks that a rule that is not fixable never offers one)', () => {
    for (const r of RULES) {
      const dir = path.join(ROOT, 'test', 'fixtures', 'rules', r.meta.code);
      const shows = listFixtures(dir).some((f) => parseFixture(f, fs.readFileSync(f, 'utf8')).expect.some((e) => e.fixes.length > 0));
      assert.equal(shows, r.meta.fixable, `${r.meta.code}: fixable=${r.meta.fixable}, but its fixtures ${shows ? 'show' : 'show no'} fix`);
    }
  });

  it('has valid and invalid fixtures per rule', () => {
    for (const c of codes) {
      const dir = path.join(ROOT, 'test', 'fixtures', 'rules', c);
      assert.ok(fs.existsSync(dir), `test/fixtures/rules/${c}/ exists`);
      const names = fs.readdirSync(dir);
      assert.ok(names.some((n) => n.startsWith('valid')), `${c}: a valid-*.fixture`);
      assert.ok(names.some((n) => n.startsWith('invalid')), `${c}: an invalid-*.fixture`);
    }
  });
});

const INDEX_START = '<!-- rules-index:start (generated from each rule\'s meta by test/registry.test.ts; UPDATE_EXPECT=1 rewrites it) -->';
const INDEX_END = '<!-- rules-index:end -->';

function indexTable(rules: readonly Rule[]): string {
  const rows = rules.map((r) => {
    const m = r.meta;
    return `| [${m.code}](${m.code}.md) | ${m.defaultSeverity} | ${m.fixable ? 'yes' : 'no'} | ${m.scope} | ${m.description.replace(/\|/g, '\\|')} |`;
  });
  return ['| Rule | Default severity | Fixable | Scope | Description |', '|---|---|---|---|---|', ...rows].join('\n');
}
