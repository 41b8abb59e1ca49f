/**
 * The one guard every quick fix passes before any adapter sees it: a fix edits only files the
 * workspace snapshot holds, creates only new files inside the node folder of its finding, never
 * through `..`, an absolute path, or a path the folder walk left out (a link out of the workspace,
 * an excluded or unreadable file). An unsafe fix is dropped; the finding stays and says why in its
 * related information.
 */
import type { Finding, Fix, Snapshot } from './types';
import { nodeRootOf } from './model/files';

/** A workspace-relative path written plainly: no `.`/`..` segments, no leading `/`, no drive, no NUL. */
export function isPlainRelativePath(p: string): boolean {
  if (!p || p.length > 4096 || p.includes('\u0000') || p.includes('\\')) return false;
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return false;
  for (const seg of p.split('/')) if (seg === '' || seg === '.' || seg === '..') return false;
  return true;
}

function isUnder(p: string, folder: string): boolean {
  return folder === '' || p === folder || p.startsWith(folder + '/');
}

/** Is `p` or one of its ancestor folders in `blocked`? */
function isBlocked(p: string, blocked: ReadonlySet<string> | undefined): boolean {
  if (!blocked || blocked.size === 0) return false;
  if (blocked.has(p)) return true;
  for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (blocked.has(p.slice(0, i))) return true;
  return false;
}

/** Why `fix` is unsafe for `finding`, or undefined when it is safe. */
export function unsafeFixReason(finding: Finding, fix: Fix, texts: Snapshot, blocked?: ReadonlySet<string>): string | undefined {
  for (const e of fix.edits) {
    if (!isPlainRelativePath(e.file)) return `it would edit '${e.file}', which is not a plain path inside the workspace`;
    if (isBlocked(e.file, blocked)) return `it would edit ${e.file}, which the folder walk left out (a link out of the workspace, or excluded)`;
    const text = texts.get(e.file);
    if (text === undefined) return `it would edit ${e.file}, which is not a file of the workspace`;
    if (!(e.span.start >= 0 && e.span.end >= e.span.start && e.span.end <= text.length)) return `its edit of ${e.file} lies outside the file`;
  }
  const node = nodeRootOf(finding.file);
  for (const c of fix.creates ?? []) {
    if (!isPlainRelativePath(c.file)) return `it would create '${c.file}', which is not a plain path inside the workspace`;
    if (texts.has(c.file)) return `it would "create" ${c.file}, which already exists`;
    if (isBlocked(c.file, blocked)) return `it would create ${c.file} where the folder walk left something out (a link out of the workspace, or excluded)`;
    if (!isUnder(c.file, node)) return `it would create ${c.file}, outside the node folder ${node}`;
  }
  return undefined;
}

/** The finding with its unsafe fixes dropped (and a related note per dropped fix); the same object when all are safe. */
export function guardFixes(finding: Finding, texts: Snapshot, blocked?: ReadonlySet<string>): Finding {
  if (!finding.fixes || finding.fixes.length === 0) return finding;
  const kept: Fix[] = [];
  const notes: string[] = [];
  for (const fix of finding.fixes) {
    const why = unsafeFixReason(finding, fix, texts, blocked);
    if (why === undefined) kept.push(fix);
    else notes.push(`No quick fix "${fix.title}": ${why}.`);
  }
  if (notes.length === 0) return finding;
  const out: Finding = { ...finding, related: [...finding.related, ...notes.map((message) => ({ file: finding.file, span: finding.span, message }))] };
  if (kept.length) out.fixes = kept;
  else delete out.fixes;
  return out;
}
