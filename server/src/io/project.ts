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

interface PackageJson {
  version?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

/** Where the project lives on the web: package.json `homepage`, else its repository. */
export function homepage(pkg: PackageJson | undefined = readProjectJson<PackageJson>('package.json')): string {
  if (pkg?.homepage && /^https?:\/\//.test(pkg.homepage)) return pkg.homepage;
  return repositoryUrl(pkg);
}

/** The repository's web address, from package.json `repository` (`git+https://x/y.git` -> `https://x/y`). */
export function repositoryUrl(pkg: PackageJson | undefined = readProjectJson<PackageJson>('package.json')): string {
  const repo = typeof pkg?.repository === 'string' ? pkg.repository : pkg?.repository?.url;
  if (repo) {
    const url = repo.replace(/^git\+/, '').replace(/\.git$/, '').replace(/^git:\/\//, 'https://').replace(/^git@([^:]+):/, 'https://$1/');
    if (/^https?:\/\//.test(url)) return url.replace(/\/+$/, '');
  }
  return DEFAULT_HOMEPAGE;
}

/** Used when package.json cannot be read (a bundle copied elsewhere). */
export const DEFAULT_HOMEPAGE = 'https://example.invalid/amq-cluster-tools';

/** The absolute URL of a rule's doc page: `docs/rules/<code>.md` in the repository's main branch. */
export function ruleDocUrl(code: string, base = repositoryUrl()): string {
  return `${base}/blob/main/docs/rules/${encodeURIComponent(code)}.md`;
}
