/**
 * Fingerprints of findings that survive unrelated edits: made of the rule code, the file's path
 * and the text the finding covers with the rest of its line (whitespace collapsed), never of line
 * or column numbers, nor of the message (which names other nodes: a third node joining a port
 * clash rewrites the messages of the two findings already there, which are no new mistakes). Lines added above a finding or
 * a file re-indented leave its fingerprint as it was; changing the finding's own line changes it.
 * Used by baselines (core/baseline.ts) and SARIF `partialFingerprints`.
 */
import type { Finding } from './types';

export const FINGERPRINT_VERSION = 'v1';

/** At most this many characters of context go into a fingerprint. */
const MAX_CONTEXT = 400;

/** `line 12` in a message (another entry's line) -> `line #`, and any summary count -> `#`. */
export function stableMessage(message: string): string {
  return message.replace(/\bline \d+/g, 'line #').replace(/^… and \d+ more/, '… and # more');
}

/** The finding's text and the rest of its line(s), whitespace collapsed. */
export function findingContext(text: string | undefined, span: { start: number; end: number }): string {
  if (text === undefined) return '';
  const start = Math.max(0, Math.min(span.start, text.length));
  const end = Math.max(start, Math.min(span.end, text.length));
  let ls = start;
  while (ls > 0 && text.charCodeAt(ls - 1) !== 10 && text.charCodeAt(ls - 1) !== 13 && start - ls < MAX_CONTEXT) ls--;
  let le = end;
  while (le < text.length && text.charCodeAt(le) !== 10 && text.charCodeAt(le) !== 13 && le - end < MAX_CONTEXT) le++;
  const covered = text.slice(start, Math.min(end, start + MAX_CONTEXT));
  const line = text.slice(ls, Math.min(le, ls + 2 * MAX_CONTEXT));
  return `${covered.replace(/\s+/g, ' ').trim()}\u0001${line.replace(/\s+/g, ' ').trim()}`;
}

/** A 64-bit hash (two 32-bit FNV-1a style lanes with murmur finalisers) as 16 hex digits. */
export function hash64(s: string): string {
  let h1 = 0x811c9dc5 ^ s.length;
  let h2 = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x85ebca6b);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/**
 * The fingerprint of `f`, whose file is named `file` (a path that is stable for the caller: relative
 * to the baseline file, or to the repository root), with `text` its file's text.
 */
export function fingerprint(f: Pick<Finding, 'code' | 'span'>, file: string, text: string | undefined): string {
  return hash64([f.code, file, findingContext(text, f.span)].join('\u0000'));
}
