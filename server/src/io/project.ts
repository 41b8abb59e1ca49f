/** Locates files shipped with the tool (snippets, docs, package.json) from wherever the code runs (tsc output, test build, esbuild bundle). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

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

/** Where the project lives on the web: package.json `homepage`, else its repository; undefined when it names neither. */
export function homepage(pkg: PackageJson | undefined = readProjectJson<PackageJson>('package.json')): string | undefined {
  if (pkg?.homepage && isPublicUrl(pkg.homepage)) return pkg.homepage;
  return repositoryUrl(pkg);
}

/** An http(s) address of a real host (not a reserved `.invalid`, `.example` or `.test` name). */
function isPublicUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !/(^|\.)(invalid|example|test|localhost)$/i.test(u.hostname);
  } catch {
    return false;
  }
}

/**
 * The repository's web address, from package.json `repository` (`git+https://x/y.git` ->
 * `https://x/y`); undefined when package.json names none (or a reserved placeholder host).
 */
export function repositoryUrl(pkg: PackageJson | undefined = readProjectJson<PackageJson>('package.json')): string | undefined {
  const repo = typeof pkg?.repository === 'string' ? pkg.repository : pkg?.repository?.url;
  if (!repo) return undefined;
  const url = repo.replace(/^git\+/, '').replace(/\.git$/, '').replace(/^git:\/\//, 'https://').replace(/^git@([^:]+):/, 'https://$1/').replace(/\/+$/, '');
  return isPublicUrl(url) ? url : undefined;
}

/**
 * The absolute URL of a rule's doc page: `docs/rules/<code>.md` in the repository's main branch
 * when package.json names a public repository, else the page shipped with the tool (a `file:` URL,
 * as the language server links it).
 */
export function ruleDocUrl(code: string, base = repositoryUrl()): string {
  if (base) return `${base}/blob/main/docs/rules/${encodeURIComponent(code)}.md`;
  return pathToFileURL(projectFile('docs', 'rules', `${code}.md`)).toString();
}

/** The text of a rule's doc page shipped with the tool (undefined when it is not there). */
export function ruleDocText(code: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(code)) return undefined;
  try {
    return fs.readFileSync(projectFile('docs', 'rules', `${code}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
