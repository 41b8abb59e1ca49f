/**
 * Bounds on what one analysis reports, whatever the input: a file with a million copies of one
 * mistake gives a hundred findings and one that counts the rest, a message quotes a short excerpt
 * of a value (never a 50 MB value), a finding lists a bounded number of related locations.
 */
import type { Finding, Fix, RelatedInfo } from './types';

/** Findings listed per rule and file; the rest are counted in one summary finding. */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 100;
/** A rule stops being asked for more findings of a file after this many (before suppressions). */
export const REPORT_LIMIT_PER_RULE_AND_FILE = 500;
/** Related locations listed per finding; one more entry says how many were left out. */
export const MAX_RELATED = 20;
/** Characters of a value quoted in a message. */
export const MAX_QUOTED = 80;
/** Characters of a whole message, fix title or related message. */
export const MAX_MESSAGE = 2000;

/** A value for a message: at most `max` characters, line breaks shown as spaces. */
export function quote(value: string, max = MAX_QUOTED): string {
  const s = value.length > max ? value.slice(0, max - 1) + '…' : value;
  return s.replace(/[\r\n\t]+/g, ' ');
}

/** `a, b, c and 7 more` */
export function nameList(names: readonly string[], max = 8, sep = ', '): string {
  if (names.length <= max) return names.join(sep);
  return names.slice(0, max).join(sep) + ` and ${names.length - max} more`;
}

/** opening quote -> closing quote (char codes): ' " ` < */
const QUOTES = new Map<number, number>([
  [39, 39],
  [34, 34],
  [96, 96],
  [60, 62],
]);

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127;
}

/**
 * Shortens a message whose quoted parts are long: every run between `'...'`, `"..."`, `` `...` ``,
 * or `<...>` longer than MAX_QUOTED keeps its start and an ellipsis; then the whole is cut at
 * MAX_MESSAGE. A quote opens only after a non-word character and closes only before one, so the
 * apostrophe of "ZooKeeper's" quotes nothing. Short messages are returned as they are.
 */
export function clampMessage(message: string): string {
  if (message.length <= 4 * MAX_QUOTED) return message;
  const m = message.length > 16 * MAX_MESSAGE ? message.slice(0, 16 * MAX_MESSAGE) : message;
  const n = m.length;
  const parts: string[] = [];
  let size = 0;
  let last = 0; // m[last, ...) not yet copied
  let open = -1; // offset of the opening quote, -1 outside quotes
  let close = 0;
  for (let i = 0; i < n && size < MAX_MESSAGE; i++) {
    const c = m.charCodeAt(i);
    if (open < 0) {
      const cl = QUOTES.get(c);
      if (cl !== undefined && (i === 0 || !isWordChar(m.charCodeAt(i - 1)))) {
        open = i;
        close = cl;
      }
    } else if (c === close && (i + 1 >= n || !isWordChar(m.charCodeAt(i + 1)))) {
      if (i - open - 1 > MAX_QUOTED) {
        const piece = m.slice(last, open + MAX_QUOTED) + '…';
        parts.push(piece);
        size += piece.length;
        last = i;
      }
      open = -1;
    }
  }
  if (open >= 0 && n - open - 1 > MAX_QUOTED && last <= open) {
    // a quote that never closes: the value runs to the end
    const piece = m.slice(last, open + MAX_QUOTED) + '…';
    parts.push(piece);
    size += piece.length;
    last = n;
  }
  if (last < n) parts.push(m.slice(last, Math.min(n, last + MAX_MESSAGE)));
  const out = parts.join('');
  return out.length > MAX_MESSAGE ? out.slice(0, MAX_MESSAGE - 1) + '…' : out;
}

function clampRelated(related: RelatedInfo[]): RelatedInfo[] {
  if (related.length === 0) return related;
  const out = related.length > MAX_RELATED ? related.slice(0, MAX_RELATED) : related.slice();
  for (let k = 0; k < out.length; k++) {
    const r = out[k];
    const m = clampMessage(r.message);
    if (m !== r.message) out[k] = { ...r, message: m };
  }
  if (related.length > MAX_RELATED) {
    const next = related[MAX_RELATED];
    out.push({ file: next.file, span: next.span, message: `… and ${related.length - MAX_RELATED} more location(s) not listed` });
  }
  return out;
}

function clampFixes(fixes: Fix[] | undefined): Fix[] | undefined {
  if (!fixes) return fixes;
  let changed = false;
  const out = fixes.map((f) => {
    const t = f.title.length > 200 ? clampMessage(f.title).slice(0, 200) : f.title;
    if (t === f.title) return f;
    changed = true;
    return { ...f, title: t };
  });
  return changed ? out : fixes;
}

/** A finding with its message, related list and fix titles bounded. */
export function boundFinding(f: Finding): Finding {
  const message = clampMessage(f.message);
  const related = f.related.length > MAX_RELATED || f.related.some((r) => r.message.length > 4 * MAX_QUOTED) ? clampRelated(f.related) : f.related;
  const fixes = clampFixes(f.fixes);
  if (message === f.message && related === f.related && fixes === f.fixes) return f;
  return { ...f, message, related, ...(fixes ? { fixes } : {}) };
}

export interface Overflow {
  /** findings a rule reported beyond REPORT_LIMIT_PER_RULE_AND_FILE (never stored) */
  count: number;
  first?: Finding;
}

/**
 * At most MAX_FINDINGS_PER_RULE_AND_FILE findings per (rule, file) in `sorted` (already sorted by
 * file and position); the rest, plus what the rules were not allowed to report (`overflow`, keyed
 * `code\0file`), become one summary finding per (rule, file) at the first left-out position.
 * A rule that already ends with its own summary (xml-syntax's `N more XML problems`) may list one more.
 */
export function capFindings(sorted: Finding[], overflow: ReadonlyMap<string, Overflow>): Finding[] {
  const counts = new Map<string, number>();
  for (const f of sorted) {
    const k = f.code + '\u0000' + f.file;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let needed = overflow.size > 0;
  for (const c of counts.values()) if (c > MAX_FINDINGS_PER_RULE_AND_FILE + 1) needed = true;
  if (!needed) return sorted;
  const seen = new Map<string, number>();
  const left = new Map<string, Overflow>();
  const out: Finding[] = [];
  for (const f of sorted) {
    const k = f.code + '\u0000' + f.file;
    const total = counts.get(k)!;
    const n = (seen.get(k) ?? 0) + 1;
    seen.set(k, n);
    if (total <= MAX_FINDINGS_PER_RULE_AND_FILE + 1 || n <= MAX_FINDINGS_PER_RULE_AND_FILE) {
      out.push(f);
      continue;
    }
    let o = left.get(k);
    if (!o) left.set(k, (o = { count: 0, first: f }));
    o.count++;
  }
  for (const [k, o] of overflow) {
    let l = left.get(k);
    if (!l) left.set(k, (l = { count: 0, first: o.first }));
    l.count += o.count;
  }
  for (const o of left.values()) {
    const f = o.first;
    if (!f || o.count === 0) continue;
    out.push({
      code: f.code,
      severity: f.severity,
      file: f.file,
      span: f.span,
      message: `… and ${o.count} more ${f.code} finding(s) in this file, not listed: at most ${MAX_FINDINGS_PER_RULE_AND_FILE} are reported per rule and file. Fix the ones above and check again.`,
      related: [],
    });
  }
  return out;
}

/**
 * Findings of one repetitive kind (`Finding.repeat`) listed per rule and file. A blog-pasted
 * activemq.xml with curly quotes gives one finding per attribute (97 in the case that set this):
 * all accurate, and all the same news. The first ones show the pattern and where it starts; the
 * summary counts the rest, points at them (related locations) and carries their fixes as one
 * preferred fix, so fix-all (the editor's, the CLI's --fix) still repairs every one of them.
 */
export const MAX_REPEATED_PER_FILE = 10;

const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** Non-overlapping preferred fixes of `findings`, merged into one (undefined when none). */
function mergedFix(findings: readonly Finding[], title: string): Fix | undefined {
  const edits: Fix['edits'] = [];
  const creates: NonNullable<Fix['creates']> = [];
  const taken: { file: string; start: number; end: number }[] = [];
  for (const f of findings) {
    const fix = (f.fixes ?? []).find((x) => x.isPreferred);
    if (!fix) continue;
    if (fix.edits.some((e) => taken.some((t) => t.file === e.file && ((e.span.start < t.end && t.start < e.span.end) || t.start === e.span.start)))) continue;
    for (const e of fix.edits) {
      taken.push({ file: e.file, start: e.span.start, end: e.span.end });
      edits.push(e);
    }
    creates.push(...(fix.creates ?? []));
  }
  if (edits.length === 0 && creates.length === 0) return undefined;
  return { title, edits, ...(creates.length ? { creates } : {}), isPreferred: true };
}

/**
 * At most MAX_REPEATED_PER_FILE findings of one rule, file and repetitive kind in `sorted` (sorted
 * by file and position); the rest become one summary finding at the first one left out.
 */
export function capRepeats(sorted: Finding[]): Finding[] {
  let counts: Map<string, number> | undefined;
  for (const f of sorted) {
    if (!f.repeat) continue;
    counts ??= new Map();
    const k = f.code + '\u0000' + f.file + '\u0000' + f.repeat;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (!counts || ![...counts.values()].some((c) => c > MAX_REPEATED_PER_FILE + 1)) return sorted;
  const seen = new Map<string, number>();
  const hidden = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of sorted) {
    const k = f.repeat ? f.code + '\u0000' + f.file + '\u0000' + f.repeat : '';
    const total = k ? counts.get(k)! : 0;
    const n = (seen.get(k) ?? 0) + 1;
    if (k) seen.set(k, n);
    if (!k || total <= MAX_REPEATED_PER_FILE + 1 || n <= MAX_REPEATED_PER_FILE) {
      out.push(f);
      continue;
    }
    let arr = hidden.get(k);
    if (!arr) hidden.set(k, (arr = []));
    arr.push(f);
  }
  for (const fs of hidden.values()) {
    const first = fs[0];
    const noun = first.repeat!;
    let severity = first.severity;
    for (const f of fs) if (SEVERITY_RANK[f.severity] < SEVERITY_RANK[severity]) severity = f.severity;
    const fix = mergedFix(fs, `Fix the ${fs.length} more ${noun} of this file`);
    const related: RelatedInfo[] = fs.slice(0, MAX_RELATED).map((f) => ({ file: f.file, span: f.span, message: clampMessage(f.message) }));
    if (fs.length > MAX_RELATED) related.push({ file: first.file, span: fs[MAX_RELATED].span, message: `… and ${fs.length - MAX_RELATED} more` });
    out.push({
      code: first.code,
      severity,
      file: first.file,
      span: first.span,
      message: `… and ${fs.length} more ${noun} in this file, not listed one by one${fix ? '; fix-all repairs them (the editor\'s "Fix all", amq-cluster-lint --fix)' : ''}.`,
      related,
      ...(fix ? { fixes: [fix] } : {}),
      repeat: noun,
    });
  }
  return out.sort((a, b) => (a.file !== b.file ? (a.file < b.file ? -1 : 1) : a.span.start - b.span.start));
}
