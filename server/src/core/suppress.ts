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
 * comment itself); elsewhere it covers the next line.
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
      span = { start: from, end: gt >= 0 ? gt + 1 : text.length };
    } else {
      const start = skipEol(text, lineEnd);
      span = { start, end: nextLineEnd(text, start) };
    }
    out.push({ span, codes });
    i = text.indexOf(SUPPRESS_DIRECTIVE, i + SUPPRESS_DIRECTIVE.length);
  }
  if (cache.size > 512) cache.clear();
  cache.set(text, out);
  return out;
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
