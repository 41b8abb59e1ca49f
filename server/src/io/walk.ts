/**
 * Reads a workspace folder into a snapshot, contained:
 *
 * - every file read lies inside the workspace after resolving symbolic links; a link that leaves
 *   it is skipped and reported, never followed (a link to `/` does not walk the file system);
 *   a folder or file reached through two paths (a link to a folder of the workspace, a link loop)
 *   is read once, by its real path first;
 * - only regular files are opened: FIFOs, sockets and devices are skipped by their directory entry
 *   before any open, and each file is opened with O_NONBLOCK and O_NOFOLLOW and checked with fstat
 *   before it is read, so a FIFO or a link swapped in between the walk and the read cannot block
 *   or redirect it;
 * - names that are not valid UTF-8 (which a string path cannot name back) and files or folders
 *   that cannot be read are reported, not guessed at;
 * - every folder left out (dependency and build folders, dot folders, `exclude` patterns) and
 *   every file skipped comes back with a typed reason.
 *
 * Synchronous on purpose: for thousands of small files, plain sync calls beat a promise per
 * open/stat/read/close by a wide margin, both callers (the CLI, the server's initial index) wait
 * for the whole snapshot anyway, and a non-blocking open cannot stall the thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classify } from '../core/model/files';
import { isCandidate } from '../core/sources/recognize';
import { markerNeedsText } from '../core/model/versions';
import { decodeBytes, type Decoded } from './decode';

/** Folders never walked into: version control, dependencies, build output. Dot folders neither. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'target', 'build', 'dist']);

/** True for a folder name the walk never enters (VCS, dependencies, build output, hidden folders). */
export function isSkippedDir(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.');
}

/**
 * Files above this size are not read at all. Smaller files above the analysis limit are read and
 * handed to the core, which reports them (file-too-large) instead of parsing them.
 */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export type SkipReason =
  /** larger than the read limit */
  | 'too-large'
  /** a folder the walk never enters (node_modules, build, .git, any dot folder) */
  | 'folder-rule'
  /** matched an `exclude` pattern */
  | 'excluded'
  /** a symbolic link whose target lies outside the workspace */
  | 'symlink-outside'
  /** a symbolic link whose target does not exist */
  | 'symlink-broken'
  /** a symbolic link that resolves to itself (ELOOP) */
  | 'symlink-loop'
  /** reached through another path already (a link to a folder or file of the workspace, a loop) */
  | 'duplicate'
  /** a FIFO, socket or device, or a file that turned into one before it was opened */
  | 'not-regular'
  /** a name that is not valid UTF-8 */
  | 'unreadable-name'
  /** the file system refused (permissions, I/O error, vanished) */
  | 'unreadable';

export interface Skipped {
  /** workspace-relative path (forward slashes); a name that is not UTF-8 shows U+FFFD for its bad bytes */
  file: string;
  /** a folder (its whole content is left out) rather than a file */
  folder: boolean;
  reason: SkipReason;
  /** a human sentence: why, and (for links) where to */
  detail: string;
}

export interface FileEncoding {
  /** a UTF-8 (or UTF-16) byte order mark was there; the snapshot text does not hold it */
  bom: boolean;
  encoding: Decoded['encoding'];
  /** bytes that are not valid UTF-8 were read as U+FFFD: writing the text back would change them */
  invalid?: boolean;
}

export interface WalkResult {
  /** relative path -> text (BOM removed) */
  snapshot: Map<string, string>;
  /** every file or folder left out, with why (sorted by path) */
  skipped: Skipped[];
  /** files that are not plain BOM-less UTF-8: how to write them back */
  encodings: Map<string, FileEncoding>;
  /** files read through a symbolic link: relative path -> real path */
  links: Map<string, string>;
}

export interface WalkOptions {
  /** workspace-relative path (file or folder) -> true to leave it out (e.g. `compileGlobList(...).matches`) */
  exclude?: (rel: string) => boolean;
  /** default MAX_READ_BYTES */
  maxReadBytes?: number;
  /** workspace-relative folder -> true to walk it although the folder rule skips it (the `include` setting) */
  include?: (rel: string) => boolean;
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

/** Is `p` the folder `root` or inside it (both real, absolute paths)? */
export function isInside(root: string, p: string): boolean {
  if (p === root) return true;
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  return p.startsWith(base);
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'error';
}

function describeError(e: unknown): string {
  const code = errCode(e);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it vanished while the folder was read';
    case 'ELOOP':
      return 'it became a symbolic link while the folder was read';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return `${code}: ${(e as Error)?.message ?? String(e)}`.slice(0, 200);
  }
}

function kindOf(st: fs.Stats | fs.Dirent): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a folder';
  return 'not a regular file';
}

/** Names of `dir` that are not valid UTF-8, as Node shows them (with U+FFFD). */
function undecodableNames(dir: string): Set<string> {
  const bad = new Set<string>();
  try {
    for (const raw of fs.readdirSync(dir, { encoding: 'buffer' })) {
      const s = raw.toString('utf8');
      if (!Buffer.from(s, 'utf8').equals(raw)) bad.add(s);
    }
  } catch {
    // the string listing worked a moment ago; nothing better to say
  }
  return bad;
}

interface PendingFile {
  rel: string;
  /** real path to open */
  abs: string;
  /** reached through a symbolic link */
  link: boolean;
}

interface PendingDir {
  /** real path */
  abs: string;
  rel: string;
}

interface PendingLink {
  abs: string;
  rel: string;
  name: string;
}

/** Lists what a walk would read (no file is opened): files to read, folders and files left out. */
export function listWorkspaceSync(root: string, options: WalkOptions = {}): { rootReal?: string; files: PendingFile[]; skipped: Skipped[] } {
  const skipped: Skipped[] = [];
  const files: PendingFile[] = [];
  let rootReal: string;
  try {
    rootReal = fs.realpathSync.native(root);
    if (!fs.statSync(rootReal).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (e) {
    skipped.push({ file: '', folder: true, reason: 'unreadable', detail: `the workspace folder cannot be read (${describeError(e)})` });
    return { files, skipped };
  }
  const exclude = options.exclude;
  const include = options.include;
  const visitedDirs = new Set<string>([rootReal]);
  /** real path -> relative path it was first reached by */
  const realFiles = new Map<string, string>();
  const dirs: PendingDir[] = [{ abs: rootReal, rel: '' }];
  const links: PendingLink[] = [];

  const skipDir = (rel: string, name: string): boolean => {
    if ((SKIP_DIRS.has(name) || name.startsWith('.')) && !(include && include(rel))) {
      skipped.push({ file: rel, folder: true, reason: 'folder-rule', detail: name.startsWith('.') ? 'a dot folder (hidden folders are not walked)' : `a '${name}' folder (dependencies and build output are not walked)` });
      return true;
    }
    if (exclude && exclude(rel)) {
      skipped.push({ file: rel, folder: true, reason: 'excluded', detail: 'matches an exclude pattern' });
      return true;
    }
    return false;
  };
  const addFile = (rel: string, abs: string, link: boolean): void => {
    if (exclude && exclude(rel)) {
      skipped.push({ file: rel, folder: false, reason: 'excluded', detail: 'matches an exclude pattern' });
      return;
    }
    const first = realFiles.get(abs);
    if (first !== undefined) {
      skipped.push({ file: rel, folder: false, reason: 'duplicate', detail: `the same file as ${first}, which is read instead` });
      return;
    }
    realFiles.set(abs, rel);
    files.push({ rel, abs, link });
  };

  const walkDir = (d: PendingDir): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d.abs, { withFileTypes: true });
    } catch (e) {
      skipped.push({ file: d.rel, folder: true, reason: 'unreadable', detail: `the folder cannot be listed (${describeError(e)})` });
      return;
    }
    let bad: Set<string> | undefined;
    for (const e of entries) {
      const name = e.name;
      const rel = d.rel ? `${d.rel}/${name}` : name;
      if (name.indexOf('\ufffd') >= 0 && (bad ??= undecodableNames(d.abs)).has(name)) {
        skipped.push({ file: rel, folder: e.isDirectory(), reason: 'unreadable-name', detail: 'its name is not valid UTF-8, so it cannot be named back; rename it' });
        continue;
      }
      const abs = d.abs + path.sep + name;
      let ent: fs.Dirent | fs.Stats = e;
      if (!e.isDirectory() && !e.isFile() && !e.isSymbolicLink() && !e.isFIFO() && !e.isSocket() && !e.isCharacterDevice() && !e.isBlockDevice()) {
        // file systems that do not report entry types
        try {
          ent = fs.lstatSync(abs);
        } catch (err) {
          if (isCandidate(rel)) skipped.push({ file: rel, folder: false, reason: 'unreadable', detail: describeError(err) });
          continue;
        }
      }
      if (ent.isDirectory()) {
        if (skipDir(rel, name)) continue;
        visitedDirs.add(abs);
        dirs.push({ abs, rel });
      } else if (ent.isFile()) {
        if (isCandidate(rel)) addFile(rel, abs, false);
      } else if (ent.isSymbolicLink()) {
        links.push({ abs, rel, name });
      } else if (isCandidate(rel)) {
        skipped.push({ file: rel, folder: false, reason: 'not-regular', detail: `${kindOf(ent)}, not a regular file; not opened` });
      }
    }
  };

  const followLink = (l: PendingLink): void => {
    let target: string;
    try {
      target = fs.realpathSync.native(l.abs);
    } catch (e) {
      const code = errCode(e);
      if (code === 'ELOOP') skipped.push({ file: l.rel, folder: false, reason: 'symlink-loop', detail: 'a symbolic link that resolves to itself' });
      else if (isCandidate(l.rel) || code !== 'ENOENT') skipped.push({ file: l.rel, folder: false, reason: code === 'ENOENT' ? 'symlink-broken' : 'unreadable', detail: code === 'ENOENT' ? 'a symbolic link to nothing' : describeError(e) });
      return;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(target);
    } catch (e) {
      if (isCandidate(l.rel)) skipped.push({ file: l.rel, folder: false, reason: 'unreadable', detail: describeError(e) });
      return;
    }
    const inside = isInside(rootReal, target);
    if (st.isDirectory()) {
      if (!inside) {
        skipped.push({ file: l.rel, folder: true, reason: 'symlink-outside', detail: `a symbolic link to ${target}, outside the workspace; not followed` });
        return;
      }
      if (skipDir(l.rel, l.name)) return;
      if (visitedDirs.has(target)) {
        const loop = isInside(target, path.dirname(l.abs));
        skipped.push({ file: l.rel, folder: true, reason: 'duplicate', detail: loop ? 'a symbolic link to a folder that contains it (a loop); not followed' : 'a symbolic link to a folder that is read by its own path; not followed' });
        return;
      }
      visitedDirs.add(target);
      dirs.push({ abs: target, rel: l.rel });
      return;
    }
    if (!isCandidate(l.rel)) return;
    if (!inside) {
      skipped.push({ file: l.rel, folder: false, reason: 'symlink-outside', detail: `a symbolic link to ${target}, outside the workspace; not read` });
      return;
    }
    if (!st.isFile()) {
      skipped.push({ file: l.rel, folder: false, reason: 'not-regular', detail: `a symbolic link to ${kindOf(st)}; not opened` });
      return;
    }
    addFile(l.rel, target, true);
  };

  // real folders first, then links in path order: a folder or file reachable by its own path is read by it
  for (;;) {
    while (dirs.length) walkDir(dirs.pop()!);
    if (links.length === 0) break;
    links.sort((a, b) => (a.rel < b.rel ? 1 : a.rel > b.rel ? -1 : 0));
    followLink(links.pop()!);
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { rootReal, files, skipped };
}

/** One reusable read buffer: most configuration files are a few KB. */
let shared = Buffer.allocUnsafe(1 << 16);

type ReadOutcome = { ok: true; decoded: Decoded } | { ok: false; reason: SkipReason; detail: string };

/**
 * Opens `abs` without following a final link and without blocking, checks it is a regular file of
 * at most `max` bytes, reads it. `expect` (optional): the real path the descriptor must resolve to.
 */
export function readRegularFile(abs: string, max: number, containedIn?: string): ReadOutcome {
  let fd: number;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: describeError(e) };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not-regular', detail: `${kindOf(st)}, not a regular file; not read` };
    if (st.size > max) return { ok: false, reason: 'too-large', detail: `${st.size} bytes, larger than ${max}; not read` };
    if (containedIn !== undefined) {
      // the descriptor's own path: a folder on the way swapped for a link cannot lead outside
      let real: string | undefined;
      try {
        real = fs.readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        real = undefined; // no /proc: the realpath check before the open stands
      }
      if (real !== undefined && !isInside(containedIn, real)) return { ok: false, reason: 'symlink-outside', detail: 'it resolves outside the workspace; not read' };
    }
    const size = st.size;
    if (shared.length < size + 1) shared = Buffer.allocUnsafe(Math.max(size + 1, shared.length * 2));
    let off = 0;
    // read up to the size fstat gave (a file that grows meanwhile is read as it was)
    while (off < size) {
      const n = fs.readSync(fd, shared, off, size - off, off);
      if (n <= 0) break;
      off += n;
    }
    const decoded = decodeBytes(shared, off);
    if (shared.length > 1 << 22) shared = Buffer.allocUnsafe(1 << 16); // do not keep a huge buffer alive
    return { ok: true, decoded };
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: describeError(e) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing to do
    }
  }
}

export function readWorkspaceSync(root: string, options: WalkOptions = {}): WalkResult {
  const max = options.maxReadBytes ?? MAX_READ_BYTES;
  const { files, skipped } = listWorkspaceSync(root, options);
  const snapshot = new Map<string, string>();
  const encodings = new Map<string, FileEncoding>();
  const links = new Map<string, string>();
  for (const f of files) {
    if (f.link) links.set(f.rel, f.abs);
    if (classify(f.rel) === 'marker' && !markerNeedsText(f.rel)) {
      snapshot.set(f.rel, '');
      continue;
    }
    const r = readRegularFile(f.abs, max);
    if (!r.ok) {
      skipped.push({ file: f.rel, folder: false, reason: r.reason, detail: r.detail });
      continue;
    }
    const d = r.decoded;
    snapshot.set(f.rel, d.text);
    if (d.bom || d.encoding !== 'utf-8' || d.invalid) encodings.set(f.rel, { bom: d.bom, encoding: d.encoding, ...(d.invalid ? { invalid: true } : {}) });
  }
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { snapshot, skipped, encodings, links };
}

export async function readWorkspace(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  return readWorkspaceSync(root, options);
}

export type ContainedRead =
  | { ok: true; text: string; bom: boolean; encoding: Decoded['encoding']; invalid?: boolean; realPath: string }
  | { ok: false; reason: SkipReason | 'missing' | 'outside-path'; detail: string };

/**
 * Reads one workspace file (for a watcher event or an unopened file a fix edits), with the walk's
 * containment: `rel` must stay inside the workspace (no absolute path, no `..` out of it), its real
 * path too (symbolic links resolved), it must be a regular file of at most `maxReadBytes`, opened
 * without blocking; the descriptor's own path is checked again after the open where /proc shows it.
 */
export function readFileContainedSync(root: string, rel: string, options: { maxReadBytes?: number } = {}): ContainedRead {
  const norm = containedRelative(rel);
  if (norm === undefined) return { ok: false, reason: 'outside-path', detail: `'${rel.slice(0, 200)}' is not a path inside the workspace` };
  let rootReal: string;
  try {
    rootReal = fs.realpathSync.native(root);
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: `the workspace folder cannot be read (${describeError(e)})` };
  }
  let real: string;
  try {
    real = fs.realpathSync.native(path.join(rootReal, norm));
  } catch (e) {
    const code = errCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', detail: 'no such file' };
    if (code === 'ELOOP') return { ok: false, reason: 'symlink-loop', detail: 'a symbolic link that resolves to itself' };
    return { ok: false, reason: 'unreadable', detail: describeError(e) };
  }
  if (!isInside(rootReal, real)) return { ok: false, reason: 'symlink-outside', detail: `it resolves to ${real}, outside the workspace; not read` };
  if (classify(norm) === 'marker' && !markerNeedsText(norm)) return { ok: true, text: '', bom: false, encoding: 'utf-8', realPath: real };
  const r = readRegularFile(real, options.maxReadBytes ?? MAX_READ_BYTES, rootReal);
  if (!r.ok) return r;
  return { ok: true, text: r.decoded.text, bom: r.decoded.bom, encoding: r.decoded.encoding, ...(r.decoded.invalid ? { invalid: true } : {}), realPath: real };
}

export async function readFileContained(root: string, rel: string, options: { maxReadBytes?: number } = {}): Promise<ContainedRead> {
  return readFileContainedSync(root, rel, options);
}

/** `a/./b` -> `a/b`; undefined for an absolute path, a `..` that leaves the root, a NUL, or nothing. */
export function containedRelative(rel: string): string | undefined {
  if (typeof rel !== 'string' || rel.length === 0 || rel.length > 4096 || rel.includes('\u0000')) return undefined;
  const p = rel.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return undefined;
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(seg);
  }
  return out.length ? out.join('/') : undefined;
}
