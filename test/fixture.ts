/**
 * Multi-file fixtures, rust-analyzer style:
 *
 *   //# description of the case
 *   //# options: {"activemqVersion": "5.15.9"}
 *   //# codes: all            (default: only the code of the folder the fixture is in)
 *   //# eol: crlf             (write every file with CRLF line endings)
 *   //# nodes: broker:node1 zk:zk1   (the nodes the workspace model must hold, type:name)
 *   //- /node1/conf/activemq.xml
 *   <beans>...</beans>
 *   //- /node2/conf/activemq.xml
 *   ...
 *   //= expect
 *   node2/conf/activemq.xml:3:22-3:29 error broker-name-mismatch "zzyymq2"
 *    ~ a substring the message must contain
 *    ! Rename this broker to 'zzyymq' like node1, node3 (preferred)
 *
 * Expectation lines give 1-based line:column of the finding's start and end, its severity and
 * code, the exact text the range covers and, in brackets, its tags (`[deprecated]`). The ` ! `
 * lines are the finding's quick fixes, by title, `(preferred)` when fix-all applies it: exactly
 * these and in this order. `UPDATE_EXPECT=1 npm test` rewrites the location and fix lines from
 * the current output (message lines are kept where the location still matches).
 */
import * as fs from 'node:fs';
import type { AnalysisOptions, Finding } from '../server/src/core/types';
import { LineIndex } from '../server/src/core/text';

export interface Fixture {
  path: string;
  description: string;
  options: AnalysisOptions;
  allCodes: boolean;
  /** `//# nodes:` the model's nodes as type:name, sorted; undefined when not asserted */
  nodes?: string[];
  files: Map<string, string>;
  expect: ExpectLine[];
  /** raw fixture text up to the expect block */
  body: string;
}

export interface ExpectLine {
  location: string;
  messages: string[];
  /** quick fix titles, ` (preferred)` appended for preferred ones */
  fixes: string[];
}

export function parseFixture(path: string, text: string): Fixture {
  const fx: Fixture = { path, description: '', options: {}, allCodes: false, files: new Map(), expect: [], body: '' };
  const lines = text.split('\n');
  let current: string | undefined;
  let buf: string[] = [];
  let crlf = false;
  let inExpect = false;
  const bodyLines: string[] = [];
  const flush = () => {
    if (current !== undefined) {
      let content = buf.join('\n') + '\n';
      if (crlf) content = content.replace(/\r?\n/g, '\r\n');
      fx.files.set(current, content);
    }
    buf = [];
  };
  for (const line of lines) {
    if (inExpect) {
      if (line.startsWith(' ~ ')) {
        fx.expect[fx.expect.length - 1]?.messages.push(line.slice(3));
      } else if (line.startsWith(' ! ')) {
        fx.expect[fx.expect.length - 1]?.fixes.push(line.slice(3));
      } else if (line.trim()) {
        fx.expect.push({ location: line.trim(), messages: [], fixes: [] });
      }
      continue;
    }
    if (line.startsWith('//= expect')) {
      flush();
      current = undefined;
      inExpect = true;
      continue;
    }
    bodyLines.push(line);
    if (line.startsWith('//# ') && current === undefined) {
      const d = line.slice(4);
      if (d.startsWith('options:')) fx.options = JSON.parse(d.slice(8));
      else if (d.trim() === 'codes: all') fx.allCodes = true;
      else if (d.trim() === 'eol: crlf') crlf = true;
      else if (d.startsWith('nodes:')) fx.nodes = [...(fx.nodes ?? []), ...d.slice(6).trim().split(/\s+/).filter(Boolean)].sort();
      else fx.description += (fx.description ? ' ' : '') + d.trim();
      continue;
    }
    if (line.startsWith('//- /')) {
      flush();
      current = line.slice(5).trim();
      continue;
    }
    if (current !== undefined) buf.push(line);
  }
  flush();
  while (bodyLines.length && bodyLines[bodyLines.length - 1] === '') bodyLines.pop();
  fx.body = bodyLines.join('\n');
  return fx;
}

export function locationOf(f: Finding, files: ReadonlyMap<string, string>): string {
  const text = files.get(f.file) ?? '';
  const li = new LineIndex(text);
  const r = li.range(f.span);
  let covered = text.slice(f.span.start, f.span.end);
  if (covered.length > 60) covered = covered.slice(0, 57) + '...';
  const tags = f.tags?.length ? ` [${f.tags.join(',')}]` : '';
  return `${f.file}:${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} ${f.severity} ${f.code} ${JSON.stringify(covered)}${tags}`;
}

/** A finding's quick fixes as fixture lines. */
export function fixLines(f: Finding): string[] {
  return (f.fixes ?? []).map((x) => x.title + (x.isPreferred ? ' (preferred)' : ''));
}

export function writeFixture(fx: Fixture, actual: ExpectLine[]): void {
  const out = [fx.body, '//= expect'];
  for (const e of actual) {
    out.push(e.location);
    for (const m of e.messages) out.push(' ~ ' + m);
    for (const x of e.fixes) out.push(' ! ' + x);
  }
  fs.writeFileSync(fx.path, out.join('\n') + '\n');
}

export function listFixtures(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...listFixtures(p));
    else if (e.name.endsWith('.fixture')) out.push(p);
  }
  return out.sort();
}
