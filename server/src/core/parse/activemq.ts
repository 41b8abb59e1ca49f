/**
 * Extracts the broker model from an activemq.xml: broker attributes, transport and
 * network connectors, persistence adapters (with lockers), managementContext, imports.
 * Works on the tolerant XML tree, so a broken file still yields what it can.
 */
import type { Span } from '../types';
import { parseXml, ReleasableTree, valueOffset, type XmlAttribute, type XmlDocument, type XmlElement } from './xml';
import { parseUri, type ParsedUri } from './uri';

/** An attribute value with its spans. */
export interface AttrValue {
  name: string;
  value: string;
  /** span of the raw value inside the quotes */
  span: Span;
  nameSpan: Span;
  /** true when the value contains a `${...}` placeholder */
  placeholder: boolean;
  attr: XmlAttribute;
}

export interface ElementInfo {
  /** local name, e.g. `kahaDB` */
  kind: string;
  nameSpan: Span;
  span: Span;
  attrs: Map<string, AttrValue>;
}

export interface TransportConnector extends ElementInfo {
  name?: AttrValue;
  uri?: AttrValue;
  parsed?: ParsedUri;
}

export interface NetworkConnector extends ElementInfo {
  name?: AttrValue;
  uri?: AttrValue;
  parsed?: ParsedUri;
}

export interface Locker extends ElementInfo {}

export interface PersistenceAdapter extends ElementInfo {
  /** `replicatedLevelDB` | `levelDB` | `kahaDB` | `mKahaDB` | `jdbcPersistenceAdapter` | ... */
  kind: string;
  locker?: Locker;
  /** for mKahaDB: the nested kahaDB adapters */
  nested: PersistenceAdapter[];
  /** replicatedLevelDB zkAddress, parsed into host:port entries */
  zkAddress?: ZkAddressEntry[];
  /** replicatedLevelDB bind, parsed */
  bind?: ParsedUri;
}

export interface ZkAddressEntry {
  host: string;
  hostSpan: Span;
  /** defaults to 2181 when absent */
  port: number;
  portSpan?: Span;
  span: Span;
  placeholder: boolean;
}

export interface BrokerElement extends ElementInfo {
  brokerName?: AttrValue;
  dataDirectory?: AttrValue;
}

export interface ActiveMqConfig {
  /** the parse tree (rebuilt from the text on demand after `tree.release()`) */
  readonly tree: ReleasableTree;
  broker?: BrokerElement;
  transportConnectors: TransportConnector[];
  networkConnectors: NetworkConnector[];
  persistenceAdapters: PersistenceAdapter[];
  managementContext?: ElementInfo;
  /** `<import resource="..."/>` values */
  imports: AttrValue[];
}

const PLACEHOLDER = /\$\{[^}]*\}/;

export function hasPlaceholder(s: string): boolean {
  return s.includes('${') && PLACEHOLDER.test(s);
}

/** An AttrValue whose spans are the attribute's own, asked for only when used (most never are). */
class AttributeValue implements AttrValue {
  readonly name: string;
  readonly value: string;
  readonly placeholder: boolean;
  constructor(readonly attr: XmlAttribute) {
    this.name = attr.name;
    this.value = attr.value;
    this.placeholder = hasPlaceholder(attr.value);
  }
  get span(): Span {
    return this.attr.valueSpan;
  }
  get nameSpan(): Span {
    return this.attr.nameSpan;
  }
}

function attrValue(a: XmlAttribute): AttrValue {
  return new AttributeValue(a);
}

function info(el: XmlElement): ElementInfo {
  const attrs = new Map<string, AttrValue>();
  for (const a of el.attributes) {
    if (!attrs.has(a.name)) attrs.set(a.name, attrValue(a));
  }
  return { kind: el.localName, nameSpan: el.nameSpan, span: { start: el.start, end: el.end }, attrs };
}

/**
 * URIs parsed from attribute values, by attribute: the extraction parses connector and bind URIs,
 * and the document checks (invalid-value) judge the same attributes' URIs again; one parse serves
 * both. (A tree rebuilt from its text has new attributes, which parse anew.)
 */
const URI_OF = new WeakMap<XmlAttribute, ParsedUri>();

/** parseUri of an attribute's value, with spans in the file (memoised per attribute). */
export function attributeUri(attr: XmlAttribute): ParsedUri {
  let u = URI_OF.get(attr);
  if (!u) URI_OF.set(attr, (u = parseUri(attr.value, offsetsOf(attr))));
  return u;
}

/**
 * valueOffset(attr, i) as a function; for a value written without entity references (the usual
 * one) the offset arithmetic itself, without a call into valueOffset per offset.
 */
function offsetsOf(attr: XmlAttribute): (i: number) => number {
  if (attr.raw !== attr.value) return (i) => valueOffset(attr, i);
  const { start, end } = attr.valueSpan;
  const n = attr.value.length;
  return (i) => (!(i > 0) ? start : i >= n ? end : Math.min(start + Math.floor(i), end));
}

export function parseAttrUri(a: AttrValue): ParsedUri {
  return attributeUri(a.attr);
}

const ADAPTERS = new Set([
  'replicatedLevelDB',
  'levelDB',
  'kahaDB',
  'mKahaDB',
  'jdbcPersistenceAdapter',
  'journalPersistenceAdapter',
  'memoryPersistenceAdapter',
  'filteredKahaDB',
]);
const LOCKERS = new Set(['shared-file-locker', 'lease-database-locker', 'database-locker', 'transact-database-locker']);

/** Parses a ZooKeeper connect string (`h1:p1,h2:p2[/chroot]`) with spans. */
export function parseZkAddress(a: AttrValue): ZkAddressEntry[] {
  const out: ZkAddressEntry[] = [];
  const at = offsetsOf(a.attr);
  let text = a.value;
  const slash = text.indexOf('/');
  if (slash >= 0) text = text.slice(0, slash);
  let i = 0;
  while (i <= text.length) {
    let j = text.indexOf(',', i);
    if (j < 0) j = text.length;
    const part = text.slice(i, j);
    if (part.trim().length > 0) {
      const lead = part.length - part.trimStart().length;
      const p = part.trim();
      let host = p;
      let portText: string | undefined;
      let hostStart = i + lead;
      if (p.startsWith('[')) {
        const close = p.indexOf(']');
        host = close > 0 ? p.slice(1, close) : p.slice(1);
        hostStart += 1;
        const rest = close > 0 ? p.slice(close + 1) : '';
        if (rest.startsWith(':')) portText = rest.slice(1);
      } else {
        const c = p.lastIndexOf(':');
        if (c >= 0) {
          host = p.slice(0, c);
          portText = p.slice(c + 1);
        }
      }
      const portStart = i + lead + p.length - (portText?.length ?? 0);
      const port = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : portText === undefined ? 2181 : NaN;
      out.push({
        host,
        hostSpan: { start: at(hostStart), end: at(hostStart + host.length) },
        port,
        portSpan:
          portText !== undefined
            ? { start: at(portStart), end: at(portStart + portText.length) }
            : undefined,
        span: { start: at(i + lead), end: at(i + lead + p.length) },
        placeholder: hasPlaceholder(p),
      });
    }
    i = j + 1;
  }
  return out;
}

function adapter(el: XmlElement): PersistenceAdapter {
  const base = info(el);
  const pa: PersistenceAdapter = { kind: base.kind, nameSpan: base.nameSpan, span: base.span, attrs: base.attrs, nested: [] };
  const stack: XmlElement[] = [...el.children];
  while (stack.length) {
    const c = stack.shift()!;
    if (LOCKERS.has(c.localName)) {
      if (!pa.locker) pa.locker = info(c);
    } else if (c.localName === 'kahaDB' && el.localName !== 'kahaDB') {
      pa.nested.push(adapter(c));
    } else {
      for (const ch of c.children) stack.push(ch);
    }
  }
  const zk = base.attrs.get('zkAddress');
  if (zk && el.localName === 'replicatedLevelDB') pa.zkAddress = parseZkAddress(zk);
  const bind = base.attrs.get('bind');
  if (bind && el.localName === 'replicatedLevelDB') pa.bind = parseAttrUri(bind);
  return pa;
}

export function parseActiveMq(text: string): ActiveMqConfig {
  return extractActiveMq(parseXml(text), text);
}

/** The broker model of a parsed activemq.xml; with `text`, the tree can be released and rebuilt. */
export function extractActiveMq(xml: XmlDocument, text?: string): ActiveMqConfig {
  const cfg: ActiveMqConfig = {
    tree: new ReleasableTree(xml, text),
    transportConnectors: [],
    networkConnectors: [],
    persistenceAdapters: [],
    imports: [],
  };
  // iterative walk; the broker element may sit under <beans> or be the root
  const stack: { el: XmlElement; inBroker: boolean }[] = xml.roots.map((el) => ({ el, inBroker: false })).reverse();
  while (stack.length) {
    const { el, inBroker } = stack.pop()!;
    const ln = el.localName;
    let childInBroker = inBroker;
    let descend = true;
    if (ln === 'broker' && !cfg.broker) {
      const b = info(el) as BrokerElement;
      b.brokerName = b.attrs.get('brokerName');
      b.dataDirectory = b.attrs.get('dataDirectory');
      cfg.broker = b;
      childInBroker = true;
    } else if (ln === 'import' && !inBroker) {
      const r = el.attributes.find((a) => a.name === 'resource');
      if (r) cfg.imports.push(attrValue(r));
    } else if (inBroker && ln === 'transportConnector') {
      const t = info(el) as TransportConnector;
      t.name = t.attrs.get('name');
      t.uri = t.attrs.get('uri');
      if (t.uri) t.parsed = parseAttrUri(t.uri);
      cfg.transportConnectors.push(t);
      descend = false;
    } else if (inBroker && (ln === 'networkConnector' || ln === 'multicastNetworkConnector' || ln === 'ldapNetworkConnector')) {
      const n = info(el) as NetworkConnector;
      n.name = n.attrs.get('name');
      n.uri = n.attrs.get('uri');
      if (n.uri) n.parsed = parseAttrUri(n.uri);
      cfg.networkConnectors.push(n);
      descend = false;
    } else if (inBroker && ADAPTERS.has(ln) && el.parent?.localName === 'persistenceAdapter') {
      cfg.persistenceAdapters.push(adapter(el));
      descend = false;
    } else if (inBroker && ln === 'managementContext' && el.parent?.localName === 'managementContext') {
      cfg.managementContext = info(el);
      descend = false;
    }
    if (descend) {
      for (let i = el.children.length - 1; i >= 0; i--) stack.push({ el: el.children[i], inBroker: childInBroker });
    }
  }
  return cfg;
}
