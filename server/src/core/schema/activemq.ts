/**
 * Read access to schemas/activemq.schema.json (generated from ActiveMQ's activemq.xsd by
 * scripts/gen-activemq-schema.mjs) and schemas/jetty.schema.json. Pure lookups: which elements
 * exist, their attributes (XSD type, default, enum, description, versions) and child groups,
 * with version filtering. Every attribute list lives in the JSON; none is repeated in code.
 */
import schemaJson from '../../../../schemas/activemq.schema.json';
import jettyJson from '../../../../schemas/jetty.schema.json';

// ---------------------------------------------------------------------------------------------
// the JSON's shape

interface RawVersioned {
  'x-since'?: string;
  'x-removed'?: string;
  'x-unsupported-since'?: string;
}

interface RawAttribute extends RawVersioned {
  type: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  'x-xsd-type': string;
  description?: string;
  default?: unknown;
  enum?: string[];
  'x-enum-case-insensitive'?: boolean;
  'x-tokens'?: string[];
  'x-token-separator'?: string;
  'x-version-defaults'?: { since?: string; before?: string; default: unknown }[];
  'x-uri-kind'?: UriKind;
  'x-property-editor'?: PropertyEditor;
}

interface RawGroup {
  description?: string;
  elements?: string[];
  any?: boolean;
  multiple: boolean;
  otherNamespaces?: boolean;
}

interface RawElement extends RawVersioned {
  title: string;
  description?: string;
  'x-java-class'?: string;
  'x-attributes-complete'?: boolean;
  properties: Record<string, RawAttribute>;
  'x-anyAttributeOtherNs': boolean;
  'x-content': 'elements' | 'empty';
  'x-otherNamespaceChildren': boolean;
  'x-children': Record<string, RawGroup>;
}

interface RawOption {
  type: string;
  default?: unknown;
  description?: string;
}

interface RawSchema {
  'x-xsd': { file: string; version: string; namespace: string };
  'x-uri': {
    transportSchemes: Record<string, string[]>;
    discoverySchemes: Record<string, string[]>;
    tcpServerOptions: Record<string, RawOption>;
    optionPrefixes: string[];
  };
  $defs: Record<string, RawElement>;
}

interface RawJetty {
  'x-java-class': string;
  'x-since'?: string;
  properties: Record<string, { type: string; default?: unknown; minimum?: number; maximum?: number; description?: string }>;
}

const RAW = schemaJson as unknown as RawSchema;
const RAW_JETTY = jettyJson as unknown as RawJetty;

// ---------------------------------------------------------------------------------------------
// versions

const PARSED_VERSIONS = new Map<string, readonly number[] | null>();

/** `5.17.2` -> [5, 17, 2]; `5.17` -> [5, 17]; undefined when not a version. */
export function parseVersion(v: string | undefined): readonly number[] | undefined {
  if (!v) return undefined;
  // a workspace names a handful of versions, and every schema lookup asks again
  let r = PARSED_VERSIONS.get(v);
  if (r === undefined) {
    if (PARSED_VERSIONS.size > 1000) PARSED_VERSIONS.clear();
    const m = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(v);
    r = !m ? null : m[3] !== undefined ? [Number(m[1]), Number(m[2]), Number(m[3])] : [Number(m[1]), Number(m[2])];
    PARSED_VERSIONS.set(v, r);
  }
  return r ?? undefined;
}


/** Compares two versions part by part; a missing part counts as 0. */
export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a) ?? [];
  const y = parseVersion(b) ?? [];
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export interface Versioned {
  /** first version that has it */
  since?: string;
  /** first version that no longer has it */
  removed?: string;
  /** first version in which it is documented as unsupported */
  unsupportedSince?: string;
}

export type Availability = 'available' | 'not-yet' | 'removed' | 'unknown';

/** Whether something exists in `version`; `unknown` when the version is not known (or not a version). */
export function availability(v: Versioned, version: string | undefined): Availability {
  if (!v.since && !v.removed) return 'available';
  if (!parseVersion(version)) return 'unknown';
  if (v.since && compareVersions(version!, v.since) < 0) return 'not-yet';
  if (v.removed && compareVersions(version!, v.removed) >= 0) return 'removed';
  return 'available';
}

/** True unless `version` is known and does not have it (unknown versions get the benefit of the doubt). */
export function existsIn(v: Versioned, version: string | undefined): boolean {
  const a = availability(v, version);
  return a === 'available' || a === 'unknown';
}

export function describeVersions(v: Versioned): string | undefined {
  const parts: string[] = [];
  if (v.since) parts.push(`since ${v.since}`);
  if (v.unsupportedSince) parts.push(`unsupported since ${v.unsupportedSince}`);
  if (v.removed) parts.push(`removed in ${v.removed}`);
  return parts.length ? parts.join(', ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// the model the rest of the code sees

/** What a URI attribute holds: a server transport (transportConnector), a network bridge's discovery URI, a discovery agent. */
export type UriKind = 'server' | 'network' | 'discovery';

/**
 * How xbean converts an xs:string attribute that is not a string in Java: `boolean` (ActiveMQ's
 * BooleanEditor: true or false in any case, nothing else), `memory` / `memory-int` (a byte size
 * such as `100 mb` into a long / an int).
 */
export type PropertyEditor = 'boolean' | 'memory' | 'memory-int';

export type XsdType = 'xs:string' | 'xs:boolean' | 'xs:integer' | 'xs:long' | 'xs:short' | 'xs:float' | 'xs:double' | 'xs:ID';

export interface AttributeDef extends Versioned {
  name: string;
  /** the element it belongs to */
  element: string;
  xsdType: XsdType;
  /** JSON Schema type: string, boolean, integer, number */
  type: string;
  description?: string;
  default?: unknown;
  enum?: readonly string[];
  enumCaseInsensitive: boolean;
  /** for a separated list of tokens (replicatedLevelDB sync) */
  tokens?: readonly string[];
  tokenSeparator?: string;
  versionDefaults?: readonly { since?: string; before?: string; default: unknown }[];
  uriKind?: UriKind;
  propertyEditor?: PropertyEditor;
}

export interface ChildGroupDef {
  name: string;
  /** the element it belongs to */
  element: string;
  description?: string;
  /** the elements it may hold (unfiltered by version); undefined for `any` */
  elements?: readonly string[];
  /** any declared element of any namespace (xs:any) */
  any: boolean;
  /** more than one child element allowed */
  multiple: boolean;
  /** elements of other namespaces (Spring beans) are allowed */
  otherNamespaces: boolean;
}

export interface ElementDef extends Versioned {
  name: string;
  description?: string;
  javaClass?: string;
  /** false when the attribute list is known to be possibly incomplete (elements of removed versions) */
  attributesComplete: boolean;
  anyAttributeOtherNs: boolean;
  /** `empty`: no child elements at all */
  content: 'elements' | 'empty';
  otherNamespaceChildren: boolean;
  attributes: ReadonlyMap<string, AttributeDef>;
  children: ReadonlyMap<string, ChildGroupDef>;
}

function versioned(r: RawVersioned): Versioned {
  const v: Versioned = {};
  if (r['x-since']) v.since = r['x-since'];
  if (r['x-removed']) v.removed = r['x-removed'];
  if (r['x-unsupported-since']) v.unsupportedSince = r['x-unsupported-since'];
  return v;
}

const ELEMENTS = new Map<string, ElementDef>();
for (const [name, r] of Object.entries(RAW.$defs)) {
  const attributes = new Map<string, AttributeDef>();
  // built at start-up for ~1,600 attributes: plain assignments, not a spread per optional field
  for (const an in r.properties) {
    const a = r.properties[an];
    const d: AttributeDef = { name: an, element: name, xsdType: a['x-xsd-type'] as XsdType, type: a.type, enumCaseInsensitive: a['x-enum-case-insensitive'] === true };
    if (a.description !== undefined) d.description = a.description;
    if (a.default !== undefined) d.default = a.default;
    if (a.enum) d.enum = a.enum;
    if (a['x-tokens']) {
      d.tokens = a['x-tokens'];
      d.tokenSeparator = a['x-token-separator'] ?? ',';
    }
    if (a['x-version-defaults']) d.versionDefaults = a['x-version-defaults'];
    if (a['x-uri-kind']) d.uriKind = a['x-uri-kind'];
    if (a['x-property-editor']) d.propertyEditor = a['x-property-editor'];
    if (a['x-since']) d.since = a['x-since'];
    if (a['x-removed']) d.removed = a['x-removed'];
    if (a['x-unsupported-since']) d.unsupportedSince = a['x-unsupported-since'];
    attributes.set(an, d);
  }
  const children = new Map<string, ChildGroupDef>();
  for (const [gn, g] of Object.entries(r['x-children'])) {
    children.set(gn, {
      name: gn,
      element: name,
      ...(g.description !== undefined ? { description: g.description } : {}),
      ...(g.elements ? { elements: g.elements } : {}),
      any: g.any === true,
      multiple: g.multiple,
      otherNamespaces: g.any === true || g.otherNamespaces === true,
    });
  }
  ELEMENTS.set(name, {
    name,
    ...(r.description !== undefined ? { description: r.description } : {}),
    ...(r['x-java-class'] ? { javaClass: r['x-java-class'] } : {}),
    attributesComplete: r['x-attributes-complete'] !== false,
    anyAttributeOtherNs: r['x-anyAttributeOtherNs'],
    content: r['x-content'],
    otherNamespaceChildren: r['x-otherNamespaceChildren'],
    attributes,
    children,
    ...versioned(r),
  });
}

/** The ActiveMQ core namespace. */
export const CORE_NS: string = RAW['x-xsd'].namespace;
/** The ActiveMQ version whose XSD the schema was generated from. */
export const SCHEMA_VERSION: string = RAW['x-xsd'].version;
export const SCHEMA_SOURCE: string = RAW['x-xsd'].file;

/** True when `version` is newer (by major.minor) than the XSD the schema was generated from. */
export function newerThanSchema(version: string | undefined): boolean {
  const v = parseVersion(version);
  const s = parseVersion(SCHEMA_VERSION)!;
  if (!v) return false;
  return v[0] > s[0] || (v[0] === s[0] && v[1] > s[1]);
}

/** Every element name of the schema (all versions). */
export function elementNames(): string[] {
  return [...ELEMENTS.keys()];
}

/** An element definition, whatever the version. */
export function elementDef(name: string): ElementDef | undefined {
  return ELEMENTS.get(name);
}

/** Element names that exist in `version` (all of them when it is unknown). */
export function elementsIn(version: string | undefined): string[] {
  return [...ELEMENTS.values()].filter((e) => existsIn(e, version)).map((e) => e.name);
}

/** An attribute of an element, whatever the version. */
export function attributeDef(element: string, attribute: string): AttributeDef | undefined {
  return ELEMENTS.get(element)?.attributes.get(attribute);
}

/** The attributes of an element that exist in `version`. */
export function attributesIn(element: string, version: string | undefined): AttributeDef[] {
  const e = ELEMENTS.get(element);
  if (!e || !existsIn(e, version)) return [];
  return [...e.attributes.values()].filter((a) => existsIn(a, version));
}

/** The attribute when it exists in `version`. */
export function attributeIn(element: string, attribute: string, version: string | undefined): AttributeDef | undefined {
  const e = ELEMENTS.get(element);
  if (!e || !existsIn(e, version)) return undefined;
  const a = e.attributes.get(attribute);
  return a && existsIn(a, version) ? a : undefined;
}

export function childGroupDef(element: string, group: string): ChildGroupDef | undefined {
  return ELEMENTS.get(element)?.children.get(group);
}

/** The elements a child group may hold in `version` (undefined for an `any` group). */
export function groupElementsIn(g: ChildGroupDef, version: string | undefined): string[] | undefined {
  if (!g.elements) return undefined;
  return g.elements.filter((n) => {
    const e = ELEMENTS.get(n);
    return e !== undefined && existsIn(e, version);
  });
}

/** The child groups of `element` that may hold `child` (for "wrap it in <...>" hints). */
export function groupsHolding(element: string, child: string): ChildGroupDef[] {
  const e = ELEMENTS.get(element);
  if (!e) return [];
  return [...e.children.values()].filter((g) => g.elements?.includes(child));
}

/** The default of an attribute for a version (a version-dependent default when the schema has one). */
export function defaultFor(a: AttributeDef, version: string | undefined): unknown {
  if (a.versionDefaults && parseVersion(version)) {
    for (const d of a.versionDefaults) {
      if (d.since && compareVersions(version!, d.since) < 0) continue;
      if (d.before && compareVersions(version!, d.before) >= 0) continue;
      return d.default;
    }
  }
  return a.default;
}

// ---------------------------------------------------------------------------------------------
// transport URIs

export interface UriOptionDef {
  name: string;
  type: string;
  default?: unknown;
  description?: string;
}

const TRANSPORT_SCHEMES = new Set(Object.values(RAW['x-uri'].transportSchemes).flat());
const DISCOVERY_SCHEMES = new Set(Object.values(RAW['x-uri'].discoverySchemes).flat());
const TCP_SERVER_OPTIONS = new Map<string, UriOptionDef>(
  Object.entries(RAW['x-uri'].tcpServerOptions).map(([name, o]) => [
    name,
    { name, type: o.type, ...(o.default !== undefined ? { default: o.default } : {}), ...(o.description ? { description: o.description } : {}) },
  ]),
);

export function transportSchemes(): string[] {
  return [...TRANSPORT_SCHEMES];
}

export function isTransportScheme(s: string): boolean {
  return TRANSPORT_SCHEMES.has(s);
}

export function discoverySchemes(): string[] {
  return [...DISCOVERY_SCHEMES];
}

export function isDiscoveryScheme(s: string): boolean {
  return DISCOVERY_SCHEMES.has(s);
}

/** The query options a tcp:// server (transportConnector) understands, without the prefixed families. */
export function tcpServerOptions(): UriOptionDef[] {
  return [...TCP_SERVER_OPTIONS.values()];
}

export function tcpServerOption(name: string): UriOptionDef | undefined {
  return TCP_SERVER_OPTIONS.get(name);
}

/** `transport.`, `wireFormat.`, `jms.`: option families passed on to other objects. */
export function optionPrefixes(): readonly string[] {
  return RAW['x-uri'].optionPrefixes;
}

// ---------------------------------------------------------------------------------------------
// jetty.xml

export interface BeanPropertyDef {
  name: string;
  type: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  description?: string;
}

export const WEB_CONSOLE_BEAN_CLASS: string = RAW_JETTY['x-java-class'];

export function webConsoleProperty(name: string): BeanPropertyDef | undefined {
  const p = Object.prototype.hasOwnProperty.call(RAW_JETTY.properties, name) ? RAW_JETTY.properties[name] : undefined;
  return p ? { name, ...p } : undefined;
}

export function webConsoleProperties(): BeanPropertyDef[] {
  return Object.keys(RAW_JETTY.properties).map((n) => webConsoleProperty(n)!);
}

/** Elements the schema marks as removed in some version (the LevelDB stores): `leveldb-unsupported` reports them. */
export function isRemovedStore(name: string): boolean {
  const e = ELEMENTS.get(name);
  return e !== undefined && e.removed !== undefined;
}
