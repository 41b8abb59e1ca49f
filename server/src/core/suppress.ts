/**
 * In-file suppressions, honoured by every adapter:
 *
 *   XML:       <!-- amq-cluster-disable-next-line port-conflict: two test brokers, never run together -->
 *   zoo.cfg:   # amq-cluster-disable-next-line zk-even-ensemble: fourth server is being retired
 *   Java:      // amq-cluster-disable-next-line failover-url-mismatch: reason
 *
 * The codes are a comma- or space-separated list (none = every rule); text after the first `:` is
 * the reason (a colon, not ESLint's ` -- `, because `--` is not allowed inside an XML comment).
 * In XML the comment covers the next start tag (which may span several lines, and cannot hold a
 * comment itself) and the rest of the line it starts on; in YAML and properties files it covers the
 * next logical line (a value continued over several lines included); elsewhere the next line.
 */
import type { Finding, Span } from './types';

export const SUPPRESS_DIRECTIVE = 'amq-cluster-disable-next-line';

interface Suppression {
  span: Span;
  codes: Set<string> | undefined;
}

const cache = new Map<string, Suppression[]>();

export function suppressionsIn(file: string, text: string): Suppression[] {
  if (!text.includes(SUPPRESS_DIRECTIVE)) return [];
  const hit = cache.get(text);
  if (hit) return hit;
  const out: Suppression[] = [];
  const isXml = file.endsWith('.xml');
  let i = text.indexOf(SUPPRESS_DIRECTIVE);
  while (i >= 0) {
    const lineEnd = nextLineEnd(text, i);
    let rest = text.slice(i + SUPPRESS_DIRECTIVE.length, lineEnd);
    const close = rest.indexOf('-->');
    if (close >= 0) rest = rest.slice(0, close);
    const colon = rest.indexOf(':');
    const dashes = rest.indexOf(' -- ');
    const reasonAt = colon >= 0 && (dashes < 0 || colon < dashes) ? colon : dashes;
    const codesText = (reasonAt >= 0 ? rest.slice(0, reasonAt) : rest).trim();
    const codes = codesText ? new Set(codesText.split(/[\s,]+/).filter(Boolean)) : undefined;
    let span: Span;
    if (isXml) {
      const commentEnd = text.indexOf('-->', i);
      const from = commentEnd >= 0 ? commentEnd + 3 : lineEnd;
      const lt = text.indexOf('<', from);
      const gt = lt >= 0 ? text.indexOf('>', lt) : -1;
      // the next start tag (however many lines it spans) and whatever else starts on its line
      span = { start: from, end: gt >= 0 ? Math.max(gt + 1, nextLineEnd(text, lt)) : text.length };
    } else {
      const start = skipEol(text, lineEnd);
      span = { start, end: logicalLineEnd(file, text, start) };
    }
    out.push({ span, codes });
    i = text.indexOf(SUPPRESS_DIRECTIVE, i + SUPPRESS_DIRECTIVE.length);
  }
  if (cache.size > 512) cache.clear();
  cache.set(text, out);
  return out;
}

type LineSyntax = 'properties' | 'yaml' | 'plain';

function lineSyntax(file: string): LineSyntax {
  if (file.endsWith('.properties') || file.endsWith('.cfg')) return 'properties';
  if (file.endsWith('.yml') || file.endsWith('.yaml')) return 'yaml';
  return 'plain';
}

function lineStartAt(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}

/** Start of the physical line before the one starting at `ls` (ls > 0). */
function previousLineStart(text: string, ls: number): number {
  let e = ls;
  if (e > 0 && text.charCodeAt(e - 1) === 10) e--;
  if (e > 0 && text.charCodeAt(e - 1) === 13) e--;
  return lineStartAt(text, e);
}

/** A properties line (not a comment) that ends with an odd number of backslashes continues on the next line. */
function propertiesContinues(text: string, ls: number): boolean {
  const le = nextLineEnd(text, ls);
  let k = ls;
  while (k < le && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9 || text.charCodeAt(k) === 12)) k++;
  const c = text.charCodeAt(k);
  if (k >= le || c === 35 || c === 33) return false; // blank or a comment (# or !)
  let b = 0;
  for (let j = le - 1; j >= ls && text.charCodeAt(j) === 92; j--) b++;
  return b % 2 === 1;
}

interface YamlLine {
  /** column where the node's content starts (`- ` items count as indentation) */
  indent: number;
  /** blank or comment only */
  empty: boolean;
  /** the line holds a value after its key (or is a sequence item with a scalar): more-indented lines below continue that value */
  hasValue: boolean;
}

function yamlLine(text: string, ls: number): YamlLine {
  const le = nextLineEnd(text, ls);
  let k = ls;
  for (;;) {
    while (k < le && text.charCodeAt(k) === 32) k++;
    if (k + 1 < le && text.charCodeAt(k) === 45 && text.charCodeAt(k + 1) === 32) {
      k += 2;
      continue;
    }
    break;
  }
  if (k >= le || text.charCodeAt(k) === 35) return { indent: k - ls, empty: true, hasValue: false };
  let body = text.slice(k, le);
  const hash = body.search(/\s#/);
  if (hash >= 0) body = body.slice(0, hash);
  body = body.trimEnd();
  return { indent: k - ls, empty: false, hasValue: body !== '' && !body.endsWith(':') };
}

/**
 * Start of the logical line holding `offset`: the first line of a properties value continued with
 * backslashes, or the YAML line whose value (block scalar, folded or quoted over several lines)
 * the offset's line continues. A comment inserted above it stays outside the value.
 */
export function logicalLineStart(file: string, text: string, offset: number): number {
  let ls = lineStartAt(text, offset);
  const syntax = lineSyntax(file);
  if (syntax === 'properties') {
    for (let guard = 0; ls > 0 && guard < 100_000; guard++) {
      const prev = previousLineStart(text, ls);
      if (!propertiesContinues(text, prev)) break;
      ls = prev;
    }
  } else if (syntax === 'yaml') {
    let cur = yamlLine(text, ls);
    let scanned = 0;
    for (let p = ls; p > 0 && scanned < 100_000; scanned++) {
      p = previousLineStart(text, p);
      const pl = yamlLine(text, p);
      if (pl.empty || pl.indent >= cur.indent) continue;
      if (!pl.hasValue) break;
      ls = p;
      cur = pl;
    }
  }
  return ls;
}

/** End (before the line break) of the logical line starting at `ls`: with its continuation lines. */
export function logicalLineEnd(file: string, text: string, ls: number): number {
  const syntax = lineSyntax(file);
  let end = nextLineEnd(text, ls);
  if (syntax === 'properties') {
    let start = ls;
    for (let guard = 0; guard < 100_000 && end < text.length && propertiesContinues(text, start); guard++) {
      start = skipEol(text, end);
      end = nextLineEnd(text, start);
    }
  } else if (syntax === 'yaml') {
    const first = yamlLine(text, ls);
    if (first.empty || !first.hasValue) return end;
    let next = skipEol(text, end);
    for (let guard = 0; guard < 100_000 && next < text.length; guard++) {
      const nl = yamlLine(text, next);
      const ne = nextLineEnd(text, next);
      if (!nl.empty && nl.indent <= first.indent) break;
      if (!nl.empty) end = ne;
      if (ne >= text.length) break;
      next = skipEol(text, ne);
    }
  }
  return end;
}

function nextLineEnd(text: string, from: number): number {
  for (let k = from; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) return k;
  }
  return text.length;
}

function skipEol(text: string, at: number): number {
  if (text.charCodeAt(at) === 13 && text.charCodeAt(at + 1) === 10) return at + 2;
  if (at < text.length) return at + 1;
  return at;
}

export function isSuppressed(f: Finding, text: string | undefined, known?: Suppression[]): boolean {
  if (!text) return false;
  for (const s of known ?? suppressionsIn(f.file, text)) {
    if (f.span.start >= s.span.start && f.span.start <= s.span.end && (!s.codes || s.codes.has(f.code))) return true;
  }
  return false;
}

export function applySuppressions(findings: Finding[], texts: ReadonlyMap<string, string>): Finding[] {
  // once per file: a file with thousands of findings must not be scanned once per finding
  const perFile = new Map<string, Suppression[]>();
  return findings.filter((f) => {
    if (f.code === 'xml-syntax') return true;
    const text = texts.get(f.file);
    if (!text) return true;
    let sup = perFile.get(f.file);
    if (!sup) perFile.set(f.file, (sup = suppressionsIn(f.file, text)));
    return sup.length === 0 || !isSuppressed(f, text, sup);
  });
}
