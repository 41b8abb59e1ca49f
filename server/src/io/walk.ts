/** Reads a folder into a snapshot: every file the core classifies, skipping VCS and dependency folders. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { classify } from '../core/model/files';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'target', 'build', 'dist']);
/** Files above this size are not read (the core would treat them as opaque anyway). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface WalkResult {
  snapshot: Map<string, string>;
  /** files skipped, with why */
  skipped: { file: string; reason: string }[];
}

export async function readWorkspace(root: string): Promise<WalkResult> {
  const paths: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const subdirs: Promise<void>[] = [];
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || e.name.startsWith('.')) continue;
        subdirs.push(walk(path.join(dir, e.name), r));
      } else if (e.isFile() && classify(r)) {
        paths.push(r);
      }
    }
    await Promise.all(subdirs);
  }
  await walk(root, '');
  paths.sort();
  const snapshot = new Map<string, string>();
  const texts = await Promise.all(
    paths.map(async (p) => {
      const kind = classify(p);
      if (kind === 'marker') return '';
      const abs = path.join(root, p);
      try {
        const st = await fs.stat(abs);
        if (st.size > MAX_FILE_BYTES) {
          skipped.push({ file: p, reason: `larger than ${MAX_FILE_BYTES} bytes` });
          return undefined;
        }
        return await fs.readFile(abs, 'utf8');
      } catch (e) {
        skipped.push({ file: p, reason: (e as Error).message });
        return undefined;
      }
    }),
  );
  paths.forEach((p, i) => {
    const t = texts[i];
    if (t !== undefined) snapshot.set(p, t);
  });
  return { snapshot, skipped };
}
