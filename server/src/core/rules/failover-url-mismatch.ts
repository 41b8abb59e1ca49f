import type { Rule } from './types';
import type { BrokerNode, Listener } from '../model/workspace';
import { parseUri, type UriEndpoint } from '../parse/uri';
import type { ClientUrl } from '../parse/clienturls';
import type { Fix, RelatedInfo, Span } from '../types';
import { addressesOverlap, normalizeAddress } from '../model/address';

/**
 * Two members of a master/slave group on one host with one port: only the master listens, so a
 * single `tcp://host:port` reaches whichever of them is master.
 */
function sameEndpoint(a: Listener, b: Listener): boolean {
  return a.node.host === b.node.host && a.port === b.port && addressesOverlap(a.address, b.address);
}

/** A member the URL reaches: named itself, or sharing host and port with a named member. */
function reached(b: BrokerNode, hitListeners: Listener[]): boolean {
  if (hitListeners.some((h) => h.node === b)) return true;
  const own = openwireListener(b);
  return !!own && hitListeners.some((h) => sameEndpoint(h, own));
}

const OPENWIRE = new Set(['tcp', 'nio', 'ssl', 'nio+ssl', 'auto', 'auto+nio', 'auto+ssl', 'auto+nio+ssl']);

/** How well an endpoint names a broker's transport listener: 2 = by its own host name/IP, 1 = compatible, 0 = no. */
function score(ep: UriEndpoint, l: Listener): number {
  if (l.kind !== 'transport' || ep.port === undefined || l.port !== ep.port) return 0;
  const a = normalizeAddress(ep.host);
  if (namesOf(l).has(a.key)) return 2;
  if (l.address.cls === 'ip' && a.cls === 'ip') return 0;
  return 1;
}

interface TransportIndex {
  byPort: Map<number, Listener[]>;
  /** `host:port` by the broker's own names (listen address, replicatedLevelDB hostname) */
  exact: Map<string, Listener[]>;
}
const indexes = new WeakMap<BrokerNode[], TransportIndex>();

/** brokerNames of a listener's broker, kept per listener (score asks for every endpoint it weighs) */
const NAMES = new WeakMap<Listener, Set<string>>();

function namesOf(l: Listener): Set<string> {
  let n = NAMES.get(l);
  if (!n) NAMES.set(l, (n = brokerNames(l.node as BrokerNode, l)));
  return n;
}

function brokerNames(b: BrokerNode, l: Listener): Set<string> {
  const names = new Set<string>();
  if (l.address.cls === 'ip' || l.address.cls === 'name') names.add(l.address.key);
  for (const pa of b.config.persistenceAdapters) {
    const hn = pa.attrs.get('hostname');
    if (hn && !hn.placeholder) names.add(normalizeAddress(hn.value).key);
  }
  return names;
}

/** Transport listeners of the brokers by port and by exact host:port (built once per model). */
function transportIndex(brokers: BrokerNode[]): TransportIndex {
  let idx = indexes.get(brokers);
  if (!idx) {
    idx = { byPort: new Map(), exact: new Map() };
    for (const b of brokers) {
      for (const l of b.listeners) {
        if (l.kind !== 'transport') continue;
        let arr = idx.byPort.get(l.port);
        if (!arr) idx.byPort.set(l.port, (arr = []));
        arr.push(l);
        for (const n of namesOf(l)) {
          let ex = idx.exact.get(`${n}:${l.port}`);
          if (!ex) idx.exact.set(`${n}:${l.port}`, (ex = []));
          ex.push(l);
        }
      }
    }
    indexes.set(brokers, idx);
  }
  return idx;
}

/**
 * Assigns each endpoint to the broker listener it names: exact host matches first, then the
 * remaining endpoints to brokers not yet taken (copies of one config on several servers all
 * listen on the same port, so a port alone cannot tell them apart).
 */
function assign(eps: UriEndpoint[], brokers: BrokerNode[]): (Listener | undefined)[] {
  const out: (Listener | undefined)[] = eps.map(() => undefined);
  const taken = new Set<BrokerNode>();
  const idx = transportIndex(brokers);
  const exactOf = (ep: UriEndpoint) => (ep.port === undefined ? [] : idx.exact.get(`${normalizeAddress(ep.host).key}:${ep.port}`) ?? []);
  for (const wanted of [2, 1]) {
    eps.forEach((ep, i) => {
      if (out[i]) return;
      const pool = wanted === 2 ? exactOf(ep) : ep.port === undefined ? [] : idx.byPort.get(ep.port) ?? [];
      const free = pool.find((l) => score(ep, l) === wanted && !taken.has(l.node as BrokerNode));
      if (free) {
        out[i] = free;
        taken.add(free.node as BrokerNode);
      }
    });
  }
  // endpoints repeating an already assigned broker still name a listener
  eps.forEach((ep, i) => {
    if (!out[i]) out[i] = exactOf(ep)[0] ?? (ep.port === undefined ? [] : idx.byPort.get(ep.port) ?? []).find((l) => score(ep, l) > 0);
  });
  return out;
}

function openwireListener(b: BrokerNode): Listener | undefined {
  const ls = b.listeners.filter((l) => l.kind === 'transport');
  return ls.find((l) => l.label === 'openwire') ?? ls.find((l) => OPENWIRE.has(schemeOf(b, l)));
}

function schemeOf(b: BrokerNode, l: Listener): string {
  const t = b.config.transportConnectors.find((c) => c.parsed?.endpoints[0]?.portSpan?.start === l.span.start);
  return t?.parsed?.scheme ?? '';
}

/**
 * A client failover URL that does not list exactly the brokers of its master/slave group: an
 * endpoint no broker listens on, an endpoint listed twice, or a member left out (clients cannot
 * follow the master there).
 */
export const rule: Rule = {
  meta: {
    code: 'failover-url-mismatch',
    description: "A client failover:(...) URL does not match the brokers' openwire endpoints (unknown, repeated or missing members).",
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    const brokers = ctx.model.brokers;
    if (brokers.length === 0) return;
    for (const { file, url } of ctx.model.clientUrls) {
      const uri = url.uri;
      if (uri.hasPlaceholder) continue;
      const eps = uri.endpoints.filter((e) => !e.hasPlaceholder);
      const assigned = assign(eps, brokers);
      const matched = eps.map((e, i) => ({ e, l: assigned[i] }));
      const hits = matched.filter((m) => m.l);
      const hitListeners = hits.map((h) => h.l!);
      if (hits.length === 0) continue; // talks to brokers outside this workspace
      const targetNodes = new Set(hits.map((m) => m.l!.node as BrokerNode));
      const groups = new Set([...targetNodes].map((n) => n.group).filter((g) => !!g));
      const group = groups.size === 1 ? [...groups][0] : undefined;
      const expected = group ? group.members : [...targetNodes];
      // built only when a finding is reported: most URLs are fine
      let fixMemo: Fix[] | undefined | null = null;
      const fixes = (): Fix[] | undefined => (fixMemo === null ? (fixMemo = buildFix()) : fixMemo);
      const buildFix = (): Fix[] | undefined => {
        // rewrite fix from the group's openwire endpoints
        const hostText = hits[0].e.host;
        const sameHost = new Set(expected.map((b) => b.host)).size === 1;
        // the rewrite is built from the decoded URL (a folded or escaped value's file text is not the URL)
        const local = parseUri(url.text);
        const localOf = (e: (typeof uri.endpoints)[number]) => local.endpoints[uri.endpoints.indexOf(e)];
        const parts: string[] = [];
        for (const b of expected) {
          const hit = hits.find((h) => h.l!.node === b);
          if (hit) {
            const le = localOf(hit.e);
            parts.push(le ? url.text.slice(le.span.start, le.span.end) : ctx.text(file)!.slice(hit.e.span.start, hit.e.span.end));
            continue;
          }
          const l = openwireListener(b);
          if (!l) continue;
          const host = l.address.cls === 'ip' || l.address.cls === 'name' ? l.host : sameHost && hostText ? hostText : undefined;
          if (!host) continue;
          parts.push(`tcp://${host}:${l.port}`);
        }
        const query = local.query.length === uri.query.length && local.query.length ? url.text.slice(local.query[0].keySpan.start - 1, local.query[local.query.length - 1].valueSpan.end) : '';
        const rewritten = `${uri.composite ? uri.scheme : 'failover'}:(${parts.join(',')})${query}`;
        const edit = rewriteEdit(ctx.text(file)!, url, rewritten);
        return parts.length === expected.length && edit ? [{ title: `Rewrite the URL as ${rewritten}`, edits: [{ file, ...edit }], isPreferred: true }] : undefined;
      };
      let relatedMemo: RelatedInfo[] | undefined;
      const relatedOf = (): RelatedInfo[] => (relatedMemo ??= buildRelated());
      const buildRelated = (): RelatedInfo[] => {
        return expected
          .map((b) => openwireListener(b))
          .filter((l): l is Listener => !!l)
          .map((l) => ({ file: l.file, span: l.span, message: `${l.node.name} listens on ${l.port}` }));
      };
      if (!uri.composite) {
        if (group && group.members.length > 1 && !group.members.every((b) => reached(b, hitListeners))) {
          ctx.report({
            file,
            span: uri.span,
            message: `This URL names one broker of the master/slave group ${group.members.map((m) => m.name).join(', ')}; when another member becomes master the client cannot follow it. Use failover:(...) with every member.`,
            related: relatedOf(),
            fixes: fixes(),
          });
        }
        continue;
      }
      const seen = new Map<string, UriEndpoint>();
      for (const { e, l } of matched) {
        const key = `${normalizeAddress(e.host).key}:${e.port}`;
        const first = seen.get(key);
        if (first) {
          ctx.report({
            file,
            span: e.span,
            message: `${ctx.text(file)!.slice(e.span.start, e.span.end)} is listed twice in this failover URL${l ? '' : ''}; the list probably meant another broker.`,
            related: [{ file, span: first.span, message: 'first listed here' }, ...relatedOf()],
            fixes: fixes(),
          });
          continue;
        }
        seen.set(key, e);
        if (!l) {
          ctx.report({
            file,
            span: e.portSpan ?? e.span,
            message: `No broker of the workspace listens on ${e.host ?? ''}:${e.port ?? e.portText ?? '?'}; ${expected.map((b) => `${b.name} listens on ${openwireListener(b)?.port ?? '?'}`).join(', ')}.`,
            related: relatedOf(),
            fixes: fixes(),
          });
        }
      }
      if (group) {
        const missing = group.members.filter((b) => !reached(b, hitListeners));
        if (missing.length > 0) {
          ctx.report({
            file,
            span: uri.span,
            message: `This failover URL omits ${missing.map((b) => `${b.name} (port ${openwireListener(b)?.port ?? '?'})`).join(', ')} of the master/slave group; when ${missing.length === 1 ? 'it becomes' : 'one of them becomes'} master the clients cannot reach it.`,
            related: relatedOf(),
            fixes: fixes(),
          });
        }
      }
    }
  },
};

/**
 * Where the rewritten URL goes: over the URL itself when the file holds it literally; a YAML value
 * that is folded, quoted with escapes or a block scalar is replaced as a whole by a double-quoted
 * scalar; anything else (a Java concatenation, a properties continuation) gets no rewrite.
 */
function rewriteEdit(text: string, url: ClientUrl, rewritten: string): { span: Span; newText: string } | undefined {
  const literal = text.slice(url.uri.span.start, url.uri.span.end);
  if (url.uri.span.end > url.uri.span.start && literal.trim() === url.text.trim() && !/[\r\n]/.test(literal)) {
    return { span: url.uri.span, newText: rewritten };
  }
  if (url.origin === 'yaml' && url.scalarSpan) return { span: url.scalarSpan, newText: JSON.stringify(rewritten) };
  // an XML attribute value: the text is entity-decoded, the rewrite is written escaped again
  if (url.origin === 'xml' && url.uri.span.end > url.uri.span.start && !/[\r\n]/.test(literal)) {
    return { span: url.uri.span, newText: rewritten.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;') };
  }
  return undefined;
}
