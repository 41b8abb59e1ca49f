/**
 * Which paths of a workspace a walk reads: the targets named on the command line (folders, files,
 * globs; all in one workspace), the `exclude` globs, and the `include` globs that open folders the
 * folder rule skips (build output, dot folders). Pure path logic over workspace-relative paths.
 *
 * The folder rule: folders named node_modules, .git, .hg, .svn, out, target, build, dist, and every
 * folder whose name starts with a dot, are not walked (io/walk.ts `SKIP_DIRS`). An `include`
 * pattern that matches such a folder opens it (it is then walked like any other; folders inside it
 * follow the rule again). The skipped folders on the way to a longer include pattern
 * (`deploy/.ansible/build`) are entered only along that way. A target named explicitly is always
 * walked, even inside a skipped or excluded folder, and the folders on the way to it only along
 * that way. Version control folders are opened by nothing but an explicit target.
 */
import picomatch from 'picomatch';
import type { CompiledGlobs } from './glob';

export type Target =
  /** a folder (`''` = the workspace root) */
  | { kind: 'folder'; rel: string }
  | { kind: 'file'; rel: string }
  /** the files under `base` that match `pattern` (a glob on workspace-relative paths) */
  | { kind: 'glob'; rel: string; pattern: string };

/** Folder names the folder rule skips (the walk's list) */
export const FOLDER_RULE_NAMES: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'target', 'build', 'dist']);
const VCS = new Set(['.git', '.hg', '.svn']);

export function skippedByFolderRule(name: string): boolean {
  return FOLDER_RULE_NAMES.has(name) || name.startsWith('.');
}

export interface Scope {
  /** for the walk: leave this file or folder out (an exclude pattern, or not under any target) */
  exclude(rel: string): boolean;
  /** for the walk: enter this folder although the folder rule skips it */
  include(rel: string): boolean;
  /** not under any target (or off the way to an include): left out without a word */
  outside(rel: string): boolean;
  /** after the walk: keep this file (a file under a glob target must match the glob) */
  keepFile(rel: string): boolean;
}

function isUnder(rel: string, base: string): boolean {
  return base === '' || rel === base || rel.startsWith(base + '/');
}

function literalPrefixes(pattern: string): string[] {
  const segs = pattern.split('/');
  const out: string[] = [];
  for (let k = 1; k < segs.length; k++) {
    const pre = segs.slice(0, k);
    if (pre.some((s) => s.includes('**'))) break;
    out.push(pre.join('/'));
  }
  return out;
}

export function makeScope(targets: readonly Target[], exclude: CompiledGlobs, include: CompiledGlobs): Scope {
  const roots = targets.map((t) => t.rel);
  const everything = targets.some((t) => t.kind === 'folder' && t.rel === '');
  const globs = targets
    .filter((t): t is Extract<Target, { kind: 'glob' }> => t.kind === 'glob')
    .map((t) => ({ base: t.rel, test: picomatch(t.pattern, { dot: true, noextglob: true, nonegate: true }) }));
  const folders = targets.filter((t) => t.kind === 'folder').map((t) => t.rel);
  const files = new Set(targets.filter((t) => t.kind === 'file').map((t) => t.rel));
  // a target an exclude pattern covers was asked for by name: the patterns do not apply inside it
  const forced = roots.filter((r) => r !== '' && exclude.excluded(r));
  const prefixMatchers = include.patterns
    .flatMap(literalPrefixes)
    .map((p) => picomatch(p, { dot: true, noextglob: true, nonegate: true }));
  const prefixInclude = (rel: string): boolean => prefixMatchers.some((m) => m(rel));

  const ancestorOfTarget = (rel: string): boolean => roots.some((r) => r !== rel && isUnder(r, rel));
  const isTarget = (rel: string): boolean => roots.includes(rel);
  const insideTarget = (rel: string): boolean => everything || files.has(rel) || folders.some((f) => isUnder(rel, f)) || globs.some((g) => isUnder(rel, g.base));
  /** a rule-skipped folder entered only on the way to a longer include pattern */
  const wayOnly = (p: string): boolean => {
    const name = p.slice(p.lastIndexOf('/') + 1);
    return skippedByFolderRule(name) && !include.matches(p) && !ancestorOfTarget(p) && !isTarget(p) && prefixInclude(p);
  };
  const offTheWay = (rel: string): boolean => {
    if (prefixMatchers.length === 0) return false;
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
      const p = rel.slice(0, i);
      if (!wayOnly(p)) continue;
      const j = rel.indexOf('/', i + 1);
      const child = j < 0 ? rel : rel.slice(0, j);
      if (!include.matches(child) && !prefixInclude(child) && !ancestorOfTarget(child) && !isTarget(child)) return true;
    }
    return false;
  };
  const outside = (rel: string): boolean => (!ancestorOfTarget(rel) && !insideTarget(rel)) || offTheWay(rel);
  return {
    outside,
    exclude(rel) {
      if (outside(rel)) return true;
      if (ancestorOfTarget(rel)) return false;
      if (forced.some((f) => isUnder(rel, f))) return false;
      return exclude.excluded(rel);
    },
    include(rel) {
      if (ancestorOfTarget(rel) || isTarget(rel)) return true;
      const name = rel.slice(rel.lastIndexOf('/') + 1);
      if (VCS.has(name)) return false;
      return include.matches(rel) || prefixInclude(rel);
    },
    keepFile(rel) {
      if (everything || files.has(rel) || folders.some((f) => isUnder(rel, f))) return true;
      return globs.some((g) => isUnder(rel, g.base) && g.test(rel));
    },
  };
}
