/**
 * Glob matching for the `exclude` setting (and anything else that filters workspace-relative
 * paths): picomatch does the matching; this module decides which patterns it is given.
 *
 * A glob compiles to a regular expression, and a regular expression backtracks: picomatch takes
 * minutes on `*a*a*a*a*b` against a long name, and extended globs (`@(a*)*(a*)`) are as bad.
 * So extended globs and negations are off (VS Code's `files.exclude` has neither), repeated
 * globstars collapse (`**` followed by `**` is one `**`), and a pattern with more than
 * MAX_STARS_PER_SEGMENT stars in one path segment is refused with a warning: two stars keep the
 * worst case quadratic in the length of one file name (at most 255 characters).
 */
import picomatch from 'picomatch';

export const MAX_STARS_PER_SEGMENT = 2;
export const MAX_PATTERNS = 256;
export const MAX_PATTERN_LENGTH = 1024;

export interface CompiledGlobs {
  /** true when the workspace-relative path (forward slashes) or one of its ancestor folders matches */
  excluded(rel: string): boolean;
  /** true when the path itself matches (the walker tests each folder once on its way down) */
  matches(rel: string): boolean;
  /** patterns refused, and why */
  warnings: string[];
  /** the patterns in use, normalised */
  patterns: string[];
}

/** `./a/`, `/a` -> `a`; `**` runs collapsed; undefined with a reason for a pattern that is refused. */
export function normalizeGlob(raw: unknown, what = 'exclude'): { pattern?: string; warning?: string } {
  if (typeof raw !== 'string') return { warning: `an ${what} pattern must be a string, not ${describe(raw)}` };
  let g = raw.trim();
  if (!g) return {};
  if (g.length > MAX_PATTERN_LENGTH) return { warning: `${what} pattern of ${g.length} characters is longer than ${MAX_PATTERN_LENGTH}; ignored` };
  g = g.replace(/\\/g, '/');
  while (g.startsWith('./')) g = g.slice(2);
  g = g.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\/{2,}/g, '/');
  const segs = g.split('/');
  const out: string[] = [];
  for (const s of segs) {
    if (s === '**' && out[out.length - 1] === '**') continue;
    if (s === '.') continue;
    out.push(s);
  }
  for (const s of out) {
    if (s === '**') continue;
    const stars = countStars(s);
    if (stars > MAX_STARS_PER_SEGMENT) {
      return { warning: `${what} pattern '${shorten(raw)}' has ${stars} '*' in the segment '${shorten(s)}' (at most ${MAX_STARS_PER_SEGMENT}, so that matching stays fast); ignored` };
    }
  }
  if (out.length === 0) return {};
  return { pattern: out.join('/') };
}

function countStars(seg: string): number {
  let n = 0;
  for (let i = 0; i < seg.length; i++) if (seg.charCodeAt(i) === 42) n++;
  return n;
}

function shorten(s: string, max = 60): string {
  return s.length > max ? s.slice(0, max) + '…' : s;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** Compiles exclude (or include) patterns; junk entries are dropped with a warning, never thrown. */
export function compileGlobList(globs: unknown, what = 'exclude'): CompiledGlobs {
  const warnings: string[] = [];
  let list: unknown[];
  if (globs === undefined || globs === null) list = [];
  else if (typeof globs === 'string') list = [globs];
  else if (Array.isArray(globs)) list = globs;
  else {
    warnings.push(`${what} must be a list of glob patterns, not ${describe(globs)}; ignored`);
    list = [];
  }
  if (list.length > MAX_PATTERNS) {
    warnings.push(`${what} has ${list.length} patterns; only the first ${MAX_PATTERNS} are used`);
    list = list.slice(0, MAX_PATTERNS);
  }
  const patterns: string[] = [];
  for (const raw of list) {
    const { pattern, warning } = normalizeGlob(raw, what);
    if (warning) warnings.push(warning);
    if (pattern && !patterns.includes(pattern)) patterns.push(pattern);
  }
  if (patterns.length === 0) return { excluded: () => false, matches: () => false, warnings, patterns };
  let test: (rel: string) => boolean;
  try {
    test = picomatch(patterns, { dot: true, noextglob: true, nonegate: true, strictBrackets: false });
  } catch (e) {
    warnings.push(`${what} patterns could not be compiled (${(e as Error).message}); ignored`);
    return { excluded: () => false, matches: () => false, warnings, patterns: [] };
  }
  const matches = (rel: string): boolean => {
    try {
      return test(rel);
    } catch {
      return false;
    }
  };
  const excluded = (rel: string): boolean => {
    if (matches(rel)) return true;
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) if (matches(rel.slice(0, i))) return true;
    return false;
  };
  return { excluded, matches, warnings, patterns };
}

/** The path filter alone (the language server's historical entry point). */
export function compileGlobs(globs: unknown): (rel: string) => boolean {
  return compileGlobList(globs).excluded;
}
