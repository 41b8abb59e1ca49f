/**
 * The CLI's workspace: the paths on the command line (folders, files, globs) as ONE workspace, its
 * root, its configuration file and settings, and the contained walk of what the paths name.
 *
 * The root is the repository root (the nearest folder above the paths that holds `.git`), else the
 * folder of the configuration file, else the deepest folder holding every path. Findings are
 * computed on paths relative to the root; they are shown relative to the current folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { resolveSettings, type ResolvedSettings, type SettingsLayer } from '../core/config';
import { makeScope, type Target } from '../core/scope';
import { findConfigFile, findRepositoryRoot, loadConfigFile } from '../io/config';
import { readWorkspaceSync, type FileEncoding, type Skipped } from '../io/walk';
import { UsageError, type Args } from './args';

export interface CliWorkspace {
  cwd: string;
  /** absolute path of the workspace root */
  root: string;
  /** the repository root, when the paths lie in one */
  repoRoot?: string;
  /** the configuration file in use */
  configFile?: string;
  settings: ResolvedSettings;
  targets: Target[];
  snapshot: Map<string, string>;
  encodings: Map<string, FileEncoding>;
  links: Map<string, string>;
  /** what was left out that the user may care about (not what lies outside the paths) */
  skipped: Skipped[];
  /** warnings about the configuration */
  warnings: string[];
  /** a workspace-relative path as shown: relative to the current folder, absolute outside it */
  display(rel: string): string;
  /** a workspace-relative path as an absolute one */
  abs(rel: string): string;
}

const GLOB_CHARS = /[*?[\]{}]/;

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function commonFolder(dirs: string[]): string {
  let common = dirs[0];
  for (const d of dirs.slice(1)) {
    while (!(d === common || d.startsWith(common.endsWith(path.sep) ? common : common + path.sep))) {
      const up = path.dirname(common);
      if (up === common) break;
      common = up;
    }
  }
  return common;
}

interface RawTarget {
  kind: 'folder' | 'file' | 'glob';
  /** absolute path (for a glob: its base folder) */
  abs: string;
  /** for a glob: the absolute glob (forward slashes) */
  glob?: string;
}

function resolveTargets(paths: string[], cwd: string): RawTarget[] {
  const out: RawTarget[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(abs);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) out.push({ kind: 'folder', abs });
    else if (st?.isFile()) out.push({ kind: 'file', abs });
    else if (st) throw new UsageError(`'${p}' is neither a file nor a folder`);
    else if (GLOB_CHARS.test(p)) {
      const g = toPosix(abs);
      const scan = picomatch.scan(g);
      const base = scan.base || '/';
      if (!fs.existsSync(base) || !fs.statSync(base).isDirectory()) throw new UsageError(`'${p}': no folder '${base}' to look for matches in`);
      out.push({ kind: 'glob', abs: path.resolve(base), glob: g });
    } else throw new UsageError(`'${p}': no such file or folder`);
  }
  return out;
}

/** Reads the workspace the command line names. Throws UsageError for paths or a configuration that cannot be used. */
export function loadWorkspace(args: Args, cwd: string): CliWorkspace {
  const raw = resolveTargets(args.paths, cwd);
  const base = commonFolder(raw.map((t) => (t.kind === 'file' ? path.dirname(t.abs) : t.abs)));
  const repoRoot = findRepositoryRoot(base);
  let configFile: string | undefined;
  if (args.config !== undefined) {
    configFile = path.resolve(cwd, args.config);
    if (!fs.existsSync(configFile)) throw new UsageError(`--config: '${args.config}' does not exist`);
  } else if (!args.noConfig) configFile = findConfigFile(base);
  const configDir = configFile && path.dirname(configFile);
  const configAbove = configDir && (base === configDir || base.startsWith(configDir.endsWith(path.sep) ? configDir : configDir + path.sep));
  const root = repoRoot ?? (configAbove ? configDir! : base);
  const rel = (abs: string) => toPosix(path.relative(root, abs));
  const targets: Target[] = raw.map((t) => {
    if (t.kind === 'glob') return { kind: 'glob', rel: rel(t.abs), pattern: rebaseGlobOnRoot(t.glob!, toPosix(root)) };
    return { kind: t.kind, rel: rel(t.abs) };
  });

  const layers: SettingsLayer[] = [];
  const warnings: string[] = [];
  const display = (r: string) => {
    const a = path.join(root, r);
    const fromCwd = path.relative(cwd, a);
    if (fromCwd === '') return '.';
    if (fromCwd.startsWith('..') || path.isAbsolute(fromCwd)) return toPosix(a);
    return toPosix(fromCwd);
  };
  if (configFile) {
    const shown = toPosix(path.relative(cwd, configFile)) || configFile;
    const loaded = loadConfigFile(configFile, root, shown.startsWith('..') ? configFile : shown);
    warnings.push(...loaded.warnings);
    if (loaded.error) throw new UsageError(`configuration file ${loaded.error}`);
    if (loaded.layer) layers.push(loaded.layer);
  }
  const flags: Record<string, unknown> = Object.create(null);
  if (args.activemqVersion) flags.activemqVersion = args.activemqVersion;
  if (args.zookeeperVersion) flags.zookeeperVersion = args.zookeeperVersion;
  if (args.maxFileSize) flags.maxFileSize = args.maxFileSize;
  if (args.rules.length) flags.severity = new Map(args.rules);
  layers.push({ source: 'command line', settings: flags });
  const settings = resolveSettings(layers);
  warnings.push(...settings.warnings);

  const scope = makeScope(targets, settings.exclude, settings.include);
  const walk = readWorkspaceSync(root, { exclude: scope.exclude, include: scope.include });
  for (const f of [...walk.snapshot.keys()]) {
    if (!scope.keepFile(f)) {
      walk.snapshot.delete(f);
      walk.encodings.delete(f);
      walk.links.delete(f);
    }
  }
  const skipped = walk.skipped.filter((s) => s.file === '' ? s.reason !== 'excluded' : !scope.outside(s.file));
  return {
    cwd,
    root,
    repoRoot,
    configFile,
    settings,
    targets,
    snapshot: walk.snapshot,
    encodings: walk.encodings,
    links: walk.links,
    skipped,
    warnings,
    display,
    abs: (r: string) => path.join(root, r),
  };
}

/** An absolute glob made relative to the root (`/r/a/**` on `/r` -> `a/**`). */
function rebaseGlobOnRoot(glob: string, root: string): string {
  const r = root.endsWith('/') ? root : root + '/';
  return glob.startsWith(r) ? glob.slice(r.length) : glob;
}
