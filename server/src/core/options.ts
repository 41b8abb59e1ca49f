/**
 * Settings of any shape -> clean analysis options plus warnings. Never throws: the language server
 * hands it whatever the client sent (`amqCluster.*`, possibly from a repository's own
 * `.vscode/settings.json`), the CLI its flags. User-controlled names (folders, rule codes) are
 * kept in Maps, never as keys of plain objects, so `__proto__` or `constructor` are just names.
 */
import { DEFAULT_MAX_FILE_SIZE, type AnalysisOptions, type Severity } from './types';
import { compileGlobList, type CompiledGlobs } from './glob';

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint', 'off']);
const VERSION = /^\d{1,4}\.\d{1,4}(\.\d{1,4})?$/;
/** entries of a map-valued setting beyond this are ignored (a settings file is written by hand) */
export const MAX_SETTING_ENTRIES = 10_000;
const MAX_KEY = 1024;

export interface NormalizedSettings {
  options: AnalysisOptions & { severityOverrides: Map<string, Severity | 'off'>; hostMap: Map<string, string> };
  exclude: CompiledGlobs;
  warnings: string[];
}

/** Reads `key` of a settings map given as a Map or an object (own properties only). */
export function settingValue<V>(m: ReadonlyMap<string, V> | Record<string, V> | undefined, key: string): V | undefined {
  if (!m) return undefined;
  if (m instanceof Map) return m.get(key);
  if (typeof m !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(m, key) ? (m as Record<string, V>)[key] : undefined;
}

/** The entries of a settings map given as a Map or an object (own enumerable properties only). */
export function settingEntries<V>(m: ReadonlyMap<string, V> | Record<string, V> | undefined): [string, V][] {
  if (!m || typeof m !== 'object') return [];
  if (m instanceof Map) return [...m];
  return Object.keys(m).map((k) => [k, (m as Record<string, V>)[k]]);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : String(JSON.stringify(v) ?? v);
  return s.length > 60 ? s.slice(0, 60) + '…' : s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ownEntries(v: unknown, what: string, warnings: string[]): [string, unknown][] {
  if (v === undefined || v === null) return [];
  let entries: [string, unknown][];
  if (v instanceof Map) entries = [...v].map(([k, x]) => [String(k), x]);
  else if (isPlainObject(v)) {
    try {
      entries = Object.keys(v).map((k) => [k, v[k]]);
    } catch {
      warnings.push(`${what} could not be read; ignored`);
      return [];
    }
  } else {
    warnings.push(`${what} must be an object, not ${describe(v)}; ignored`);
    return [];
  }
  if (entries.length > MAX_SETTING_ENTRIES) {
    warnings.push(`${what} has ${entries.length} entries; only the first ${MAX_SETTING_ENTRIES} are used`);
    entries = entries.slice(0, MAX_SETTING_ENTRIES);
  }
  return entries;
}

/**
 * @param raw the `amqCluster` settings object as received: `{ activemqVersion, zookeeperVersion,
 *   severity, hostMap, exclude, maxFileSize }` (maxFileSize in MB), or anything else.
 */
export function normalizeSettings(raw: unknown): NormalizedSettings {
  const warnings: string[] = [];
  const severityOverrides = new Map<string, Severity | 'off'>();
  const hostMap = new Map<string, string>();
  const options: NormalizedSettings['options'] = { severityOverrides, hostMap };
  let settings: Record<string, unknown> = {};
  if (raw !== undefined && raw !== null) {
    if (isPlainObject(raw)) settings = raw;
    else warnings.push(`settings must be an object, not ${describe(raw)}; defaults are used`);
  }
  const get = (k: string): unknown => (Object.prototype.hasOwnProperty.call(settings, k) ? settings[k] : undefined);

  const version = get('activemqVersion');
  if (version !== undefined && version !== null && version !== '') {
    if (typeof version === 'string' && VERSION.test(version.trim())) options.activemqVersion = version.trim();
    else warnings.push(`activemqVersion must look like 5.17 or 5.16.7, not ${short(version)}; detected per node instead`);
  }

  const zkVersion = get('zookeeperVersion');
  if (zkVersion !== undefined && zkVersion !== null && zkVersion !== '') {
    if (typeof zkVersion === 'string' && VERSION.test(zkVersion.trim())) options.zookeeperVersion = zkVersion.trim();
    else warnings.push(`zookeeperVersion must look like 3.8 or 3.4.14, not ${short(zkVersion)}; detected per server instead`);
  }

  for (const [code, v] of ownEntries(get('severity'), 'severity', warnings)) {
    if (code.length > MAX_KEY) continue;
    if (typeof v === 'string' && SEVERITIES.has(v.trim())) severityOverrides.set(code, v.trim() as Severity | 'off');
    else warnings.push(`severity of '${short(code)}' must be one of error, warning, information, hint, off, not ${short(v)}; ignored`);
  }

  for (const [folder, host] of ownEntries(get('hostMap'), 'hostMap', warnings)) {
    if (folder.length > MAX_KEY) continue;
    if (typeof host === 'string' && host.trim() && host.length <= MAX_KEY) {
      hostMap.set(folder.replace(/\\/g, '/').replace(/^\.?\/+/, '').replace(/\/+$/, ''), host.trim());
    } else warnings.push(`hostMap entry '${short(folder)}' must name a host as a string, not ${short(host)}; ignored`);
  }

  const mfs = get('maxFileSize');
  if (mfs !== undefined && mfs !== null && mfs !== '') {
    const mb = typeof mfs === 'number' ? mfs : typeof mfs === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(mfs) ? Number(mfs) : NaN;
    if (Number.isFinite(mb) && mb > 0 && mb <= 4096) options.maxFileSize = Math.max(1, Math.round(mb * 1024 * 1024));
    else warnings.push(`maxFileSize must be a number of MB above 0 (at most 4096), not ${short(mfs)}; ${DEFAULT_MAX_FILE_SIZE / 1024 / 1024} MB is used`);
  }

  const exclude = compileGlobList(get('exclude'));
  warnings.push(...exclude.warnings);
  return { options, exclude, warnings };
}
