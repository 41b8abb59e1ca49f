/**
 * The repository's configuration file (`.amq-cluster.json`) and how it combines with the editor's
 * settings and the CLI's flags: one meaning everywhere. Pure: the caller reads the file (io/config.ts)
 * and says where it lies relative to the workspace root.
 *
 * Layers, lowest precedence first: the configuration file, the editor's settings of the folder
 * (`amqCluster.*`), the CLI's flags. A scalar (versions, maxFileSize) set in a later layer wins;
 * the maps (`severity`, `hostMap`) merge entry by entry, the later layer winning per rule or
 * folder; the lists (`exclude`, `include`) add up. Paths in a layer (hostMap folders, exclude and
 * include globs) are relative to where the layer lives (the configuration file's folder) and are
 * rebased onto the workspace root before they are combined.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import { normalizeSettings, settingEntries, type NormalizedSettings } from './options';
import { compileGlobList, normalizeGlob, type CompiledGlobs } from './glob';
import { RULES } from './rules';

/** The configuration file's name, looked for in the linted folder and upward to the repository root. */
export const CONFIG_FILE_NAME = '.amq-cluster.json';

/** The keys a configuration file may hold (the editor's `amqCluster.*` settings, plus `$schema`). */
export const CONFIG_KEYS = ['$schema', 'activemqVersion', 'zookeeperVersion', 'severity', 'hostMap', 'exclude', 'include', 'maxFileSize'] as const;

const SETTING_KEYS = new Set<string>(CONFIG_KEYS.filter((k) => k !== '$schema'));

export interface ParsedConfig {
  /** the settings object (without `$schema`); undefined when the file cannot be used at all */
  settings?: Record<string, unknown>;
  /** why the file cannot be used (not JSON, not an object) */
  error?: string;
  /** keys not understood, and the like */
  warnings: string[];
}

function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return `${line}:${offset - last}`;
}

/** JSON with comments and trailing commas (as VS Code's `jsonc`) -> the settings it holds. */
export function parseConfigText(text: string): ParsedConfig {
  const errors: ParseError[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = parseJsonc(src, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (e) {
    return { error: `cannot be read as JSON (${(e as Error).message})`, warnings: [] };
  }
  if (errors.length) {
    const e = errors[0];
    return { error: `is not valid JSON at ${lineCol(src, e.offset)}: ${printParseErrorCode(e.error)}`, warnings: [] };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'must hold a JSON object ({ ... })', warnings: [] };
  const warnings: string[] = [];
  const settings: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(value)) {
    if (k === '$schema') continue;
    if (!SETTING_KEYS.has(k)) {
      const near = [...SETTING_KEYS].find((s) => s.toLowerCase() === k.toLowerCase() || s.toLowerCase() === k.toLowerCase().replace(/^amqcluster\./, ''));
      warnings.push(`unknown key '${k.slice(0, 60)}'${near ? ` (did you mean '${near}'?)` : ''}; ignored`);
      continue;
    }
    settings[k] = (value as Record<string, unknown>)[k];
  }
  return { settings, warnings };
}

/**
 * How the paths of a layer map onto the workspace root: `add` when the layer lives in a folder
 * below the root (its paths get that folder as a prefix), `strip` when the root lies below the
 * layer's folder (only paths under the root's folder apply, without it). Neither: the same folder.
 */
export interface Rebase {
  add?: string;
  strip?: string;
}

/** One source of settings, lowest precedence first in a list. */
export interface SettingsLayer {
  /** named in warnings: the configuration file's path, `settings`, `command line` */
  source: string;
  settings: unknown;
  rebase?: Rebase;
}

function cleanPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '');
}

/** A relative path of a layer on the workspace root; undefined when it lies outside the root. */
export function rebasePath(rel: string, rebase: Rebase | undefined): string | undefined {
  const p = cleanPath(rel);
  if (!rebase) return p;
  if (rebase.add) {
    const a = cleanPath(rebase.add);
    return a ? (p ? `${a}/${p}` : a) : p;
  }
  if (rebase.strip) {
    const s = cleanPath(rebase.strip);
    if (!s) return p;
    if (p === s) return '';
    return p.startsWith(s + '/') ? p.slice(s.length + 1) : undefined;
  }
  return p;
}

/**
 * A glob of a layer on the workspace root; undefined when it can match nothing there. Stripping
 * a prefix goes segment by segment: a literal or glob segment must match the prefix's segment, a
 * `**` may absorb the rest of the prefix (what follows it then applies below the root).
 */
export function rebaseGlob(glob: string, rebase: Rebase | undefined): string | undefined {
  const { pattern } = normalizeGlob(glob);
  if (pattern === undefined) return typeof glob === 'string' ? glob : undefined; // refused later, with its warning
  if (!rebase) return pattern;
  if (rebase.add) {
    const a = cleanPath(rebase.add);
    return a ? `${a}/${pattern}` : pattern;
  }
  const s = cleanPath(rebase.strip ?? '');
  if (!s) return pattern;
  const segs = pattern.split('/');
  const pre = s.split('/');
  let i = 0;
  for (const ps of pre) {
    if (i >= segs.length) return undefined;
    const g = segs[i];
    if (g === '**') return segs.join('/') === '**' ? '**' : ['**', ...segs.slice(i + 1)].join('/');
    let ok: boolean;
    try {
      ok = g === ps || picomatch.isMatch(ps, g, { dot: true, noextglob: true, nonegate: true });
    } catch {
      ok = false;
    }
    if (!ok) return undefined;
    i++;
  }
  const rest = segs.slice(i);
  return rest.length ? rest.join('/') : '**';
}

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

/** A layer's settings with its paths on the workspace root (entries outside the root dropped). */
export function rebaseSettings(raw: unknown, rebase: Rebase | undefined): unknown {
  if (!isObject(raw) || !rebase || (!rebase.add && !rebase.strip)) return raw;
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(raw)) out[k] = raw[k];
  if (isObject(raw.hostMap) || raw.hostMap instanceof Map) {
    const m = new Map<string, unknown>();
    for (const [folder, host] of settingEntries(raw.hostMap as Record<string, unknown>)) {
      const p = rebasePath(String(folder), rebase);
      if (p !== undefined) m.set(p, host);
    }
    out.hostMap = m;
  }
  for (const key of ['exclude', 'include']) {
    const v = raw[key];
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : undefined;
    if (!list) continue;
    out[key] = list.map((g) => (typeof g === 'string' ? rebaseGlob(g, rebase) : g)).filter((g) => g !== undefined);
  }
  return out;
}

/**
 * The layers' settings as one raw settings object: scalars of later layers win, `severity` and
 * `hostMap` merge per entry (later wins), `exclude` and `include` add up. Values of the wrong
 * shape are passed on for normalizeSettings to refuse (with its warning).
 */
export function mergeSettings(layers: readonly SettingsLayer[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  const severity = new Map<string, unknown>();
  const hostMap = new Map<string, unknown>();
  const lists: Record<'exclude' | 'include', unknown[]> = { exclude: [], include: [] };
  let sawSeverity = false;
  let sawHostMap = false;
  for (const layer of layers) {
    const raw = rebaseSettings(layer.settings, layer.rebase);
    if (!isObject(raw)) continue;
    for (const k of ['activemqVersion', 'zookeeperVersion', 'maxFileSize']) if (isSet(raw[k])) out[k] = raw[k];
    if (raw.severity !== undefined && raw.severity !== null) {
      if (isObject(raw.severity) || raw.severity instanceof Map) for (const [c, v] of settingEntries(raw.severity as Record<string, unknown>)) severity.set(c, v);
      else out.severity = raw.severity; // junk: normalizeSettings says so
      sawSeverity = true;
    }
    if (raw.hostMap !== undefined && raw.hostMap !== null) {
      if (isObject(raw.hostMap) || raw.hostMap instanceof Map) for (const [f, h] of settingEntries(raw.hostMap as Record<string, unknown>)) hostMap.set(f, h);
      sawHostMap = true;
    }
    for (const key of ['exclude', 'include'] as const) {
      const v = raw[key];
      if (v === undefined || v === null) continue;
      if (Array.isArray(v)) lists[key].push(...v);
      else lists[key].push(v);
    }
  }
  if (sawSeverity && !(out.severity !== undefined)) out.severity = severity;
  if (sawHostMap) out.hostMap = hostMap;
  if (lists.exclude.length) out.exclude = lists.exclude;
  if (lists.include.length) out.include = lists.include;
  return out;
}

export interface ResolvedSettings extends NormalizedSettings {
  /** folders the folder rule skips (build output, dot folders) that are walked all the same */
  include: CompiledGlobs;
}

const RULE_CODES = new Set(RULES.map((r) => r.meta.code));

/**
 * Settings layers -> clean analysis options, the exclude and include globs, and warnings naming
 * the layer they come from. Never throws. The one function the CLI and the language server use.
 */
export function resolveSettings(layers: readonly SettingsLayer[]): ResolvedSettings {
  const warnings: string[] = [];
  for (const layer of layers) {
    const raw = rebaseSettings(layer.settings, layer.rebase);
    const own = normalizeSettings(isObject(raw) ? withoutInclude(raw) : raw);
    for (const w of own.warnings) warnings.push(`${layer.source}: ${w}`);
    if (isObject(raw)) {
      const inc = compileGlobList(raw.include, 'include');
      for (const w of inc.warnings) warnings.push(`${layer.source}: ${w}`);
      for (const [code] of settingEntries(isObject(raw.severity) || raw.severity instanceof Map ? (raw.severity as Record<string, unknown>) : undefined)) {
        if (!RULE_CODES.has(code)) warnings.push(`${layer.source}: severity names '${code.slice(0, 60)}', which is no rule (see --list-rules); ignored`);
      }
    }
  }
  const merged = mergeSettings(layers);
  const n = normalizeSettings(withoutInclude(merged));
  const include = compileGlobList(merged.include, 'include');
  return { options: n.options, exclude: n.exclude, include, warnings };
}

function withoutInclude(raw: Record<string, unknown>): Record<string, unknown> {
  if (!('include' in raw)) return raw;
  const out: Record<string, unknown> = Object.create(null);
  for (const k of Object.keys(raw)) if (k !== 'include') out[k] = raw[k];
  return out;
}
