/**
 * Finding and reading the repository's configuration file (`.amq-cluster.json`, core/config.ts):
 * looked for in a folder and its parents, up to the repository root (the first folder holding
 * `.git`) or the file system root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, parseConfigText, type ParsedConfig, type Rebase, type SettingsLayer } from '../core/config';

/** The nearest folder at or above `dir` that holds `.git` (a folder, or a worktree's file). */
export function findRepositoryRoot(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** The configuration file that applies to `dir`: in it or a parent, not above the repository root. */
export function findConfigFile(dir: string): string | undefined {
  let d = path.resolve(dir);
  for (;;) {
    const f = path.join(d, CONFIG_FILE_NAME);
    try {
      if (fs.statSync(f).isFile()) return f;
    } catch {
      // not here
    }
    if (fs.existsSync(path.join(d, '.git'))) return undefined;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** At most this many bytes are read from a configuration file. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function readConfigFile(file: string): ParsedConfig {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { error: 'is not a file', warnings: [] };
    if (st.size > MAX_CONFIG_BYTES) return { error: `is larger than ${MAX_CONFIG_BYTES} bytes`, warnings: [] };
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { error: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, warnings: [] };
  }
  return parseConfigText(text);
}

/** How paths written in a file in `configDir` map onto the workspace `root`; undefined when neither holds the other. */
export function rebaseFor(configDir: string, root: string): Rebase | undefined {
  const a = path.resolve(configDir);
  const r = path.resolve(root);
  if (a === r) return {};
  const down = path.relative(r, a);
  if (!down.startsWith('..') && !path.isAbsolute(down)) return { add: down.split(path.sep).join('/') };
  const up = path.relative(a, r);
  if (!up.startsWith('..') && !path.isAbsolute(up)) return { strip: up.split(path.sep).join('/') };
  return undefined;
}

export interface LoadedConfig {
  /** the file's absolute path */
  file: string;
  layer?: SettingsLayer;
  error?: string;
  warnings: string[];
}

/**
 * The configuration layer of a workspace folder `root` (the language server's): the file found
 * in the folder or above it, its paths rebased onto the folder. Undefined when there is none.
 */
export function loadConfigFor(root: string, label = (f: string) => f): LoadedConfig | undefined {
  const file = findConfigFile(root);
  if (!file) return undefined;
  return loadConfigFile(file, root, label(file));
}

/** Reads `file` as the configuration of the workspace `root`. */
export function loadConfigFile(file: string, root: string, source = file): LoadedConfig {
  const parsed = readConfigFile(file);
  const warnings = parsed.warnings.map((w) => `${source}: ${w}`);
  if (!parsed.settings) return { file, error: `${source} ${parsed.error}`, warnings };
  let rebase = rebaseFor(path.dirname(file), root);
  if (!rebase) {
    warnings.push(`${source}: lies outside the linted folder's tree; its hostMap folders are ignored and its globs apply from the linted folder`);
    rebase = {};
    const s = parsed.settings;
    if (s.hostMap !== undefined) delete s.hostMap;
  }
  return { file, layer: { source, settings: parsed.settings, rebase }, warnings };
}
