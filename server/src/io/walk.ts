/** Reads a folder into a snapshot: every file the core classifies, skipping VCS and dependency folders. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classify } from '../core/model/files';
import { isCandidate } from '../core/sources/recognize';
import { markerNeedsText } from '../core/model/versions';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'target', 'build', 'dist']);

/** True for a folder name the walk never enters (VCS, dependencies, build output, hidden folders). */
export function isSkippedDir(name: string): boolean {
  return SKIP_DIRS.has(name) || name.startsWith('.');
}
/**
 * Files above this size are not read at all. Smaller files above the analysis limit are read and
 * handed to the core, which reports them (file-too-large) instead of parsing them.
 */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

export interface WalkResult {
  snapshot: Map<string, string>;
  /** files skipped, with why */
  skipped: { file: string; reason: string }[];
}

/**
 * Reads a folder synchronously: for thousands of small files, plain sync reads beat a promise per
 * open/stat/read/close by a wide margin, and both callers (the CLI, the server's initial index) wait
 * for the whole snapshot anyway.
 */
export function readWorkspaceSync(root: string): WalkResult {
  const snapshot = new Map<string, string>();
  const skipped: { file: string; reason: string }[] = [];
  const paths: string[] = [];
  const stack: [string, string][] = [[root, '']];
  while (stack.length) {
    const [dir, rel] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push([path.join(dir, e.name), r]);
      } else if (e.isFile() && isCandidate(r)) {
        paths.push(r);
      }
    }
  }
  paths.sort();
  for (const p of paths) {
    // jar names are all a marker tells; Dockerfiles and compose files are read for their image tags
    if (classify(p) === 'marker' && !markerNeedsText(p)) {
      snapshot.set(p, '');
      continue;
    }
    const abs = path.join(root, p);
    try {
      const fd = fs.openSync(abs, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size > MAX_READ_BYTES) {
          skipped.push({ file: p, reason: `larger than ${MAX_READ_BYTES} bytes, not read` });
          continue;
        }
        const buf = Buffer.allocUnsafe(size);
        let off = 0;
        while (off < size) {
          const n = fs.readSync(fd, buf, off, size - off, off);
          if (n <= 0) break;
          off += n;
        }
        snapshot.set(p, buf.toString('utf8', 0, off));
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      skipped.push({ file: p, reason: (e as Error).message });
    }
  }
  return { snapshot, skipped };
}

export async function readWorkspace(root: string): Promise<WalkResult> {
  return readWorkspaceSync(root);
}
