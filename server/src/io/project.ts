/** Locates files shipped with the tool (snippets, docs, package.json) from wherever the code runs (tsc output, test build, esbuild bundle). */
import * as fs from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'snippets'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return (root = path.resolve(__dirname, '..', '..', '..'));
}

export function projectFile(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}

export function readProjectJson<T>(...parts: string[]): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(projectFile(...parts), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function toolVersion(): string {
  return readProjectJson<{ version: string }>('package.json')?.version ?? '0.0.0';
}
