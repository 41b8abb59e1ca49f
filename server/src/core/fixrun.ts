/**
 * Fix-all over a whole workspace (the CLI's `--fix`), through the analysis service: each pass takes,
 * file by file in path order, the editor's fix-all of that file (`service.fixAll(file)`: its
 * preferred, non-overlapping fixes), leaves out one that would overlap edits already taken in the
 * pass (it comes back in the next pass, computed on the new text), applies the pass, and analyses
 * again. Passes stop when nothing is left to fix or after `maxPasses` (a fix that keeps producing
 * work cannot loop for ever).
 */
import type { AnalysisService } from './service';
import type { Fix, Snapshot } from './types';
import { applyFix } from './fixes';

export const MAX_FIX_PASSES = 10;

export interface FixPass {
  /** per file: the fix-all taken for it (its edits may reach other files) */
  fixes: { file: string; fix: Fix; findings: number }[];
  /** path -> text after the pass (changed and created files) */
  changed: Map<string, string>;
}

export interface FixRun {
  passes: FixPass[];
  /** path -> original text (undefined: created by a fix) for every file the run changed */
  before: Map<string, string | undefined>;
  /** path -> final text of every file the run changed or created */
  after: Map<string, string>;
  /** findings whose preferred fix was applied */
  fixed: number;
}

function overlaps(fix: Fix, taken: Map<string, { start: number; end: number }[]>, created: Set<string>): boolean {
  for (const e of fix.edits) {
    if (created.has(e.file)) return true;
    for (const t of taken.get(e.file) ?? []) if (e.span.start < t.end && t.start < e.span.end || t.start === e.span.start) return true;
  }
  for (const c of fix.creates ?? []) if (created.has(c.file) || taken.has(c.file)) return true;
  return false;
}

/**
 * Runs fix-all passes on the service's workspace (its texts are updated as it goes). `skip`: files
 * no fix may change (e.g. not valid UTF-8, so writing them back would alter bytes).
 */
export function fixWorkspace(service: AnalysisService, options: { maxPasses?: number; skip?: ReadonlySet<string> } = {}): FixRun {
  const max = options.maxPasses ?? MAX_FIX_PASSES;
  const before = new Map<string, string | undefined>();
  const after = new Map<string, string>();
  const passes: FixPass[] = [];
  let fixed = 0;
  service.update();
  for (let p = 0; p < max; p++) {
    const files = [...new Set(service.allFindings().map((f) => f.file))];
    const taken = new Map<string, { start: number; end: number }[]>();
    const created = new Set<string>();
    const chosen: FixPass['fixes'] = [];
    for (const file of files) {
      const fix = service.fixAll(file);
      if (!fix) continue;
      const touched = [...fix.edits.map((e) => e.file), ...(fix.creates ?? []).map((c) => c.file)];
      if (options.skip && touched.some((f) => options.skip!.has(f))) continue;
      if (overlaps(fix, taken, created)) continue;
      for (const e of fix.edits) {
        let arr = taken.get(e.file);
        if (!arr) taken.set(e.file, (arr = []));
        arr.push({ start: e.span.start, end: e.span.end });
      }
      for (const c of fix.creates ?? []) created.add(c.file);
      const count = service.findings(file).filter((f) => f.fixes?.some((x) => x.isPreferred && fix.edits.some((e) => x.edits.includes(e)) || (x.isPreferred && (x.creates ?? []).some((c) => (fix.creates ?? []).includes(c))))).length;
      chosen.push({ file, fix, findings: count });
    }
    if (chosen.length === 0) break;
    const texts: Snapshot = { get: (f: string) => service.text(f), has: (f: string) => service.hasFile(f) } as unknown as Snapshot;
    const changed = applyFix(texts, { title: 'fix-all', edits: chosen.flatMap((c) => c.fix.edits), creates: chosen.flatMap((c) => c.fix.creates ?? []) });
    if (changed.size === 0) break;
    for (const [file, text] of changed) {
      if (!before.has(file)) before.set(file, service.text(file));
      after.set(file, text);
      service.setFile(file, text);
    }
    for (const c of chosen) fixed += c.findings;
    passes.push({ fixes: chosen, changed });
    service.update();
  }
  // a file a later pass changed back to its original text is no change
  for (const [file, text] of [...after]) {
    if (before.get(file) === text) {
      after.delete(file);
      before.delete(file);
    }
  }
  return { passes, before, after, fixed };
}
