/**
 * Fixes as data: choosing the fixes that run together (fix-all) and applying a fix's edits to texts
 * (what a CLI `--fix` and the tests stand on; the editor applies them through LSP workspace edits).
 * Several fixes are applied together as one: `applyFix(texts, fixAll(findings))`.
 */
import type { Finding, Fix, Snapshot } from './types';
import { applyEdits } from './text';

/** Non-overlapping preferred fixes of the given findings, first come first served. */
export function preferredFixes(findings: readonly Finding[]): Fix[] {
  const out: Fix[] = [];
  const taken: { file: string; start: number; end: number }[] = [];
  const created = new Set<string>();
  for (const f of findings) {
    const fix = (f.fixes ?? []).find((x) => x.isPreferred);
    if (!fix) continue;
    const overlaps = fix.edits.some((e) => taken.some((t) => t.file === e.file && e.span.start < t.end && t.start < e.span.end || (t.file === e.file && t.start === e.span.start)));
    if (overlaps || (fix.creates ?? []).some((c) => created.has(c.file))) continue;
    for (const e of fix.edits) taken.push({ file: e.file, start: e.span.start, end: e.span.end });
    for (const c of fix.creates ?? []) created.add(c.file);
    out.push(fix);
  }
  return out;
}

export const FIX_ALL_TITLE = 'Fix all auto-fixable amq-cluster problems';

/** The preferred, non-overlapping fixes of `findings` as one fix; undefined when there is none. */
export function fixAll(findings: readonly Finding[]): Fix | undefined {
  const fixes = preferredFixes(findings);
  if (fixes.length === 0) return undefined;
  return { title: FIX_ALL_TITLE, edits: fixes.flatMap((x) => x.edits), creates: fixes.flatMap((x) => x.creates ?? []) };
}

export class FixConflictError extends Error {}

/**
 * Applies a fix to a snapshot and returns the texts it changes or creates (path -> new text); the
 * snapshot itself is left alone. A file to create that already exists keeps its text (like the
 * editor's `ignoreIfExists`); edits of one file must not overlap, nor touch a file the snapshot
 * does not hold (FixConflictError), so a fix is applied whole or not at all.
 */
export function applyFix(texts: Snapshot, fix: Fix): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of fix.creates ?? []) if (!texts.has(c.file) && !out.has(c.file)) out.set(c.file, c.content);
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) {
    let arr = byFile.get(e.file);
    if (!arr) byFile.set(e.file, (arr = []));
    arr.push(e);
  }
  for (const [file, edits] of byFile) {
    const text = out.get(file) ?? texts.get(file);
    if (text === undefined) throw new FixConflictError(`${fix.title}: ${file} is not in the workspace`);
    const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    for (let i = 0; i < sorted.length; i++) {
      const e = sorted[i];
      if (e.span.start < 0 || e.span.end < e.span.start || e.span.end > text.length) throw new FixConflictError(`${fix.title}: an edit lies outside ${file}`);
      if (i > 0 && e.span.start < sorted[i - 1].span.end) throw new FixConflictError(`${fix.title}: edits of ${file} overlap`);
    }
    out.set(file, applyEdits(text, sorted));
  }
  return out;
}
