/** File-system helpers of the hostile-workspace tests (CLI and language server). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every file under `dir` with its content (links not followed): to prove nothing outside a workspace changed. */
export function snapshotTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.set(p, fs.readFileSync(p, 'latin1'));
      else if (e.isSymbolicLink()) out.set(p, '-> ' + fs.readlinkSync(p));
    }
  };
  walk(dir);
  return out;
}
