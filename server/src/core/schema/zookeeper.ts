/**
 * Read access to schemas/zookeeper.schema.json: which zoo.cfg keys ZooKeeper 3.5-3.9 knows, how
 * it reads their values, defaults, descriptions and versions. Every key list lives in the JSON;
 * none is repeated here.
 */
import schemaJson from '../../../../schemas/zookeeper.schema.json';
import { suggest } from './suggest';

/**
 * `config`: read by QuorumPeerConfig.parseProperties; `dynamic`: server.N / group / weight /
 * version; `system-property`: becomes the JVM property zookeeper.<key>, which ZooKeeper reads;
 * `no-effect`: a documented name zoo.cfg cannot set; `unknown`: anything else (also becomes a
 * system property, which nothing reads).
 */
export type ZkKeyKind = 'config' | 'dynamic' | 'system-property' | 'no-effect' | 'unknown';

/** How ZooKeeper turns the text into a value (see the schema's description). */
export type ZkParse =
  | 'int'
  | 'long'
  | 'boolean'
  | 'lenient-boolean'
  | 'yes-no'
  | 'path'
  | 'address'
  | 'peer-type'
  | 'hex-long'
  | 'string'
  | 'server'
  | 'group'
  | 'weight';

export interface ZkKeySpec {
  /** the key as written in the schema (`server.N`, `authProvider.N` for patterns) */
  key: string;
  /** true when the spec comes from a key pattern (server.N, group.N, ...) */
  pattern: boolean;
  kind: ZkKeyKind;
  parse: ZkParse;
  /** JSON type of the converted value */
  type: string;
  description: string;
  default?: unknown;
  /** the default in words where it depends on other keys (`2 × tickTime`) */
  defaultText?: string;
  since?: string;
  /** false when `since` was not verified at patch level */
  sinceVerified: boolean;
  systemProperty?: string;
  enum?: readonly (string | number)[];
  enumCaseInsensitive: boolean;
  minimum?: number;
  maximum?: number;
  required: boolean;
  /** no-effect keys: what to write instead (a zoo.cfg key, or a `-D` JVM option) */
  instead?: string;
  /** values known to exist (metricsProvider.className) */
  knownValues?: readonly string[];
  /** booleans that were strict before 3.7 already */
  strictBooleanSince?: string;
}

interface RawSpec {
  'x-kind': ZkKeyKind;
  'x-parse'?: ZkParse;
  'x-pattern-name'?: string;
  type?: string;
  description?: string;
  default?: unknown;
  'x-default-text'?: string;
  'x-since'?: string;
  'x-since-verified'?: boolean;
  'x-system-property'?: string;
  enum?: (string | number)[];
  'x-enum-case-insensitive'?: boolean;
  minimum?: number;
  maximum?: number;
  'x-required'?: boolean;
  'x-instead'?: string;
  'x-known-values'?: string[];
  'x-strict-boolean-since'?: string;
}

interface RawSchema {
  title: string;
  properties: Record<string, RawSpec>;
  patternProperties: Record<string, RawSpec>;
  additionalProperties: RawSpec;
  required?: string[];
}

const raw = schemaJson as unknown as RawSchema;

function toSpec(key: string, r: RawSpec, pattern: boolean): ZkKeySpec {
  return {
    key,
    pattern,
    kind: r['x-kind'],
    parse: r['x-parse'] ?? 'string',
    type: r.type ?? 'string',
    description: r.description ?? '',
    default: r.default,
    defaultText: r['x-default-text'],
    since: r['x-since'],
    sinceVerified: r['x-since-verified'] !== false,
    systemProperty: r['x-system-property'],
    enum: r.enum,
    enumCaseInsensitive: r['x-enum-case-insensitive'] === true,
    minimum: r.minimum,
    maximum: r.maximum,
    required: r['x-required'] === true || (raw.required ?? []).includes(key),
    instead: r['x-instead'],
    knownValues: r['x-known-values'],
    strictBooleanSince: r['x-strict-boolean-since'],
  };
}

const EXACT = new Map<string, ZkKeySpec>();
for (const [k, r] of Object.entries(raw.properties)) EXACT.set(k, toSpec(k, r, false));

interface PatternSpec {
  re: RegExp;
  /** the literal prefix of the pattern (`server.`, `group`) */
  prefix: string;
  spec: ZkKeySpec;
}

const PATTERNS: PatternSpec[] = Object.entries(raw.patternProperties).map(([re, r]) => ({
  re: new RegExp(re),
  prefix: re.replace(/^\^/, '').replace(/\\\./g, '.'),
  spec: toSpec(r['x-pattern-name'] ?? re, r, true),
}));

const UNKNOWN: ZkKeySpec = toSpec('*', raw.additionalProperties, true);

/** Keys ZooKeeper matches by prefix, in the order it tests them: server., group, weight, ... */
export function zkPatternSpecs(): readonly ZkKeySpec[] {
  return PATTERNS.map((p) => p.spec);
}

/** The spec of an exact key (case-sensitive, as ZooKeeper compares), else of a key pattern; undefined for an unknown key. */
export function zkKeySpec(key: string): ZkKeySpec | undefined {
  const exact = EXACT.get(key);
  if (exact) return exact;
  for (const p of PATTERNS) if (p.re.test(key)) return p.spec;
  return undefined;
}

/** What an unknown key is (it becomes the system property zookeeper.<key>). */
export function zkUnknownSpec(): ZkKeySpec {
  return UNKNOWN;
}

/** Every exact key of the schema (patterns excluded), sorted. */
export function zkKnownKeys(): readonly string[] {
  return [...EXACT.keys()];
}

/** Keys ZooKeeper requires in every zoo.cfg (dataDir). */
export function zkRequiredKeys(): readonly string[] {
  // asked once per zoo.cfg: computed once
  return (requiredKeys ??= [...EXACT.values()].filter((s) => s.required).map((s) => s.key));
}

let requiredKeys: readonly string[] | undefined;

/**
 * "Did you mean" candidates for an unknown key: known keys in another case or a short edit away,
 * and pattern keys whose prefix is mistyped (`Server.1`, `sever.1` -> `server.1`).
 */
const suggestionMemo = new Map<string, string[]>();

/** Did-you-mean candidates for an unknown key (memoised: a file may repeat one bad key thousands of times). */
export function zkSuggestKeys(key: string): string[] {
  let hit = suggestionMemo.get(key);
  if (!hit) {
    if (suggestionMemo.size > 5000) suggestionMemo.clear();
    hit = computeSuggestions(key);
    suggestionMemo.set(key, hit);
  }
  return hit;
}

function computeSuggestions(key: string): string[] {
  const out: string[] = [];
  // a pattern key with a mistyped prefix: compare the part up to and including the first dot
  const dot = key.indexOf('.');
  if (dot > 0) {
    const head = key.slice(0, dot + 1);
    const rest = key.slice(dot + 1);
    const prefixes = PATTERNS.map((p) => (p.prefix.endsWith('.') ? p.prefix : p.prefix + '.'));
    for (const c of suggest(head, prefixes)) out.push(c + rest);
  }
  for (const c of suggest(key, zkKnownKeys())) if (!out.includes(c)) out.push(c);
  // never suggest something that is itself unknown
  return out.filter((c) => c !== key && zkKeySpec(c) !== undefined);
}

/** Facts about the schema itself, for hover texts and documentation. */
export const ZK_SCHEMA_TITLE: string = raw.title;
