/**
 * Every rule page's examples are linted: the files of its "## Incorrect" section must give at least
 * one finding of the page's rule, and the "## Correct" section (its files laid over the Incorrect
 * ones) none. The example format is described in docs/rules/README.md ("Examples on these pages").
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../server/src/core/analyze';
import { RULES } from '../server/src/core/rules';
import { docPath } from '../server/src/core/rules/types';
import type { AnalysisOptions } from '../server/src/core/types';

const ROOT = path.resolve(__dirname, '..', '..');

export interface DocExample {
  files: Map<string, string>;
  options: AnalysisOptions;
  /** `<!-- lint: none (why) -->`: the section is not linted */
  skip?: string;
}

/**
 * The examples of one section: each `### <workspace-relative path>` heading followed by one fenced
 * code block is a file; `<!-- lint: {...} -->` gives analysis options (JSON), `<!-- lint: none
 * (reason) -->` exempts the section.
 */
export function sectionExample(markdown: string, heading: string): DocExample | undefined {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) return undefined;
  let end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  if (end < 0) end = lines.length;
  const ex: DocExample = { files: new Map(), options: {} };
  let pending: string | undefined;
  for (let i = start + 1; i < end; i++) {
    const l = lines[i];
    const lint = /^<!-- lint: (.*) -->$/.exec(l.trim());
    if (lint) {
      if (lint[1].startsWith('none')) ex.skip = lint[1];
      else Object.assign(ex.options, JSON.parse(lint[1]) as AnalysisOptions);
      continue;
    }
    const h = /^### (\S+)\s*$/.exec(l);
    if (h) {
      pending = h[1].replace(/^`|`$/g, '');
      continue;
    }
    const fence = /^(`{3,})/.exec(l);
    if (fence) {
      const close = lines.findIndex((x, j) => j > i && x.startsWith(fence[1]) && x.trim() === fence[1]);
      assert.ok(close > i, `unclosed code fence at line ${i + 1}`);
      if (pending !== undefined) {
        ex.files.set(pending, lines.slice(i + 1, close).join('\n') + '\n');
        pending = undefined;
      }
      i = close;
    }
  }
  return ex;
}

describe('rule doc examples', () => {
  for (const r of RULES) {
    const code = r.meta.code;
    it(`${code}: the Incorrect example gives a ${code} finding, the Correct one none`, () => {
      const md = fs.readFileSync(path.join(ROOT, docPath(code)), 'utf8');
      const incorrect = sectionExample(md, 'Incorrect');
      const correct = sectionExample(md, 'Correct');
      assert.ok(incorrect && correct, 'both sections exist');
      if (incorrect.skip || correct.skip) {
        assert.match(incorrect.skip ?? correct.skip ?? '', /^none \(.{10,}\)$/, 'a skipped section says why');
        return;
      }
      assert.ok(incorrect.files.size > 0, 'the Incorrect section shows files (### path + code block)');
      const bad = analyze(incorrect.files, incorrect.options).findings.filter((f) => f.code === code);
      assert.ok(bad.length > 0, `the Incorrect example gives no ${code} finding`);
      const files = new Map([...incorrect.files, ...correct.files]);
      const good = analyze(files, { ...incorrect.options, ...correct.options }).findings.filter((f) => f.code === code);
      assert.deepEqual(good.map((f) => `${f.file}: ${f.severity} ${f.message}`), [], `the Correct example still gives ${code} findings`);
    });
  }
});
