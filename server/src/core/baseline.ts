/**
 * Baselines: a file that records today's findings by fingerprint (core/fingerprint.ts) so that a
 * run fails only on new ones. A fingerprint recorded N times tolerates N findings with it (two
 * identical mistakes on identical lines of one file have one fingerprint). Paths in the file are
 * relative to the baseline file's folder, so a baseline works from any current folder.
 */

export const BASELINE_FORMAT = 'amq-cluster-lint-baseline';
export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  fingerprint: string;
  code: string;
  /** relative to the baseline file's folder, forward slashes */
  file: string;
  /** the message when it was recorded (for the reader; matching uses the fingerprint only) */
  message: string;
  /** how many findings with this fingerprint are tolerated */
  count: number;
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: number;
  entries: BaselineEntry[];
}

export interface BaselineItem {
  fingerprint: string;
  code: string;
  file: string;
  message: string;
}

/** Today's findings as a baseline, sorted by file, code and fingerprint (a stable file to commit). */
export function buildBaseline(items: Iterable<BaselineItem>): Baseline {
  const by = new Map<string, BaselineEntry>();
  for (const it of items) {
    const e = by.get(it.fingerprint);
    if (e) e.count++;
    else by.set(it.fingerprint, { fingerprint: it.fingerprint, code: it.code, file: it.file, message: it.message, count: 1 });
  }
  const entries = [...by.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { format: BASELINE_FORMAT, version: BASELINE_VERSION, entries };
}

export function serializeBaseline(b: Baseline): string {
  const lines = b.entries.map((e) => '    ' + JSON.stringify(e));
  return `{\n  "format": ${JSON.stringify(b.format)},\n  "version": ${b.version},\n  "entries": [${lines.length ? '\n' + lines.join(',\n') + '\n  ' : ''}]\n}\n`;
}

/** Reads a baseline file's text; an error says why it cannot be used. */
export function parseBaseline(text: string): { baseline?: Baseline; error?: string } {
  let v: unknown;
  try {
    v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { error: `is not JSON (${(e as Error).message})` };
  }
  const o = v as Partial<Baseline> | null;
  if (!o || typeof o !== 'object' || o.format !== BASELINE_FORMAT) return { error: `is not an amq-cluster-lint baseline (no "format": "${BASELINE_FORMAT}")` };
  if (o.version !== BASELINE_VERSION) return { error: `has version ${String(o.version)}; this amq-cluster-lint reads version ${BASELINE_VERSION} (write it again with --baseline-write)` };
  if (!Array.isArray(o.entries)) return { error: 'has no "entries" list' };
  const entries: BaselineEntry[] = [];
  for (const e of o.entries) {
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string') continue;
    const count = Number.isInteger(e.count) && e.count > 0 ? e.count : 1;
    entries.push({ fingerprint: e.fingerprint, code: String(e.code ?? ''), file: String(e.file ?? ''), message: String(e.message ?? ''), count });
  }
  return { baseline: { format: BASELINE_FORMAT, version: BASELINE_VERSION, entries } };
}

export interface BaselineOutcome<T> {
  /** findings the baseline does not hold: the new ones */
  kept: T[];
  /** findings the baseline tolerated */
  tolerated: number;
  /** recorded findings that no longer occur (fixed since) */
  gone: number;
}

/** Splits findings into new ones and ones the baseline tolerates (each recorded count used once). */
export function applyBaseline<T>(items: readonly T[], fingerprintOf: (t: T) => string, baseline: Baseline): BaselineOutcome<T> {
  const left = new Map<string, number>();
  for (const e of baseline.entries) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + e.count);
  const kept: T[] = [];
  let tolerated = 0;
  for (const it of items) {
    const fp = fingerprintOf(it);
    const n = left.get(fp) ?? 0;
    if (n > 0) {
      left.set(fp, n - 1);
      tolerated++;
    } else kept.push(it);
  }
  let gone = 0;
  for (const n of left.values()) gone += n;
  return { kept, tolerated, gone };
}
