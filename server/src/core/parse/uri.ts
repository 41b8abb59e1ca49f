/**
 * ActiveMQ transport / discovery URI parsing with exact spans.
 *
 * Handles plain URIs (`tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=1`),
 * composite ones (`failover:(tcp://a:1,tcp://b:2)?randomize=false`, `failover:tcp://a:1,tcp://b:2`,
 * `static:(...)`, `masterslave:(...)`), and discovery URIs (`multicast://default`).
 * Pure: works on a string plus an offset map into the file it came from.
 *
 * Composite splitting follows ActiveMQ's `URISupport.parseComposite`: the part in parentheses
 * is split at top-level commas; without parentheses (`failover:a,b?x=y`) the whole rest is split,
 * so a trailing `?x=y` belongs to the last nested URI, not to the composite. `${...}`
 * placeholders are atomic everywhere (a `:` or `,` inside one splits nothing).
 */
import type { Span } from '../types';

export interface UriQueryParam {
  key: string;
  keySpan: Span;
  value: string;
  valueSpan: Span;
}

export interface UriEndpoint {
  /** e.g. `tcp`, `nio+ssl`, `mqtt`, `vm` (lower-cased) */
  scheme: string;
  schemeSpan: Span;
  /** host as written (IPv6 without brackets); undefined for `vm://localhost`-like or opaque URIs */
  host?: string;
  hostSpan?: Span;
  /** numeric port if written and numeric */
  port?: number;
  /** span of the port digits as written (also set when the port is not numeric) */
  portSpan?: Span;
  /** port text as written */
  portText?: string;
  query: UriQueryParam[];
  /** the whole endpoint text */
  span: Span;
  /** true when the endpoint text contains an unresolved `${...}` placeholder */
  hasPlaceholder: boolean;
  /**
   * for a nested composite endpoint (`fanout:(static:(tcp://a,tcp://b))`, `vm:(broker:(...))`):
   * its own parse (its problems are reported on the outermost ParsedUri only)
   */
  nested?: ParsedUri;
}

export interface ParsedUri {
  /** outer scheme, lower-cased: `tcp`, `failover`, `static`, `masterslave`, `multicast`, ... */
  scheme: string;
  /** true for failover/static/masterslave/fanout (a list of nested endpoints) */
  composite: boolean;
  /** the single endpoint of a plain URI, or the nested endpoints of a composite one */
  endpoints: UriEndpoint[];
  /** query params of the composite URI itself (after the closing parenthesis) */
  query: UriQueryParam[];
  span: Span;
  /** problems found while parsing, e.g. whitespace, unbalanced parentheses, empty list */
  problems: { span: Span; message: string }[];
  hasPlaceholder: boolean;
}

/** schemes whose scheme-specific part is a list of URIs even without parentheses */
const COMPOSITE_SCHEMES = new Set(['failover', 'fanout', 'static', 'masterslave']);

const MAX_PROBLEMS = 100;
/** nesting depth of composite URIs that is parsed (real ones nest two or three deep) */
const MAX_DEPTH = 12;

/** schemes that need `//host:port` */
const NETWORK_SCHEMES = new Set([
  'tcp', 'nio', 'ssl', 'nio+ssl', 'udp', 'multicast', 'auto', 'auto+nio', 'auto+ssl', 'auto+nio+ssl',
  'amqp', 'amqp+nio', 'amqp+ssl', 'amqp+nio+ssl', 'amqp+ws', 'amqp+wss',
  'stomp', 'stomp+nio', 'stomp+ssl', 'stomp+nio+ssl', 'mqtt', 'mqtt+nio', 'mqtt+ssl', 'mqtt+nio+ssl',
  'http', 'https', 'ws', 'wss',
]);

function isSpace(c: number): boolean {
  if (c <= 32) return true;
  if (c < 0x80) return false;
  return /\s/.test(String.fromCharCode(c));
}

function isSchemeChar(c: number, first: boolean): boolean {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (first) return letter;
  return letter || (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46;
}

class Ctx {
  /** for each index: the end (exclusive) of the outermost placeholder starting there, else 0 */
  phEndAt: Int32Array | undefined;
  readonly phStarts: number[] = [];
  readonly phEnds: number[] = [];
  /** index of '(' -> index of its ')' */
  readonly close = new Map<number, number>();
  readonly problems: { span: Span; message: string }[] = [];

  constructor(
    readonly text: string,
    readonly off: (i: number) => number,
    readonly endOff: (i: number) => number,
  ) {}

  span(a: number, b: number): Span {
    const s = this.off(a);
    return { start: s, end: b > a ? this.endOff(b) : s };
  }

  problem(a: number, b: number, message: string): void {
    // bounded: junk input must not produce millions of diagnostics
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ span: this.span(a, b), message });
  }

  /** true when a placeholder overlaps [a, b) */
  hasPh(a: number, b: number): boolean {
    const ends = this.phEnds;
    if (ends.length === 0) return false;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo < ends.length && this.phStarts[lo] < b;
  }

  /** the end of the placeholder starting at i, or -1 */
  phAt(i: number): number {
    const m = this.phEndAt;
    if (m === undefined || i >= m.length) return -1;
    const e = m[i];
    return e > 0 ? e : -1;
  }

  /** first index in [a, b) of one of `chars`, outside placeholders; b when none */
  find(a: number, b: number, chars: string): number {
    const t = this.text;
    const c0 = chars.charCodeAt(0);
    const c1 = chars.length > 1 ? chars.charCodeAt(1) : c0;
    const c2 = chars.length > 2 ? chars.charCodeAt(2) : c0;
    for (let i = a; i < b; i++) {
      const c = t.charCodeAt(i);
      if (c === 36) {
        const e = this.phAt(i);
        if (e >= 0) {
          i = e - 1;
          continue;
        }
      }
      if (c === c0 || c === c1 || c === c2) return i;
    }
    return b;
  }

  /** trimmed [a, b) is [trimStart(a, b), trimEnd(trimStart(a, b), b)) (two numbers, no tuple to allocate) */
  trimStart(a: number, b: number): number {
    const t = this.text;
    while (a < b && isSpace(t.charCodeAt(a))) a++;
    return a;
  }

  trimEnd(a: number, b: number): number {
    const t = this.text;
    while (b > a && isSpace(t.charCodeAt(b - 1))) b--;
    return b;
  }
}

function findPlaceholders(ctx: Ctx): void {
  const t = ctx.text;
  if (t.indexOf('${') < 0) return;
  const stack: number[] = [];
  // matched `${...}` pairs in the order they close (so by increasing end)
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = t.indexOf('{') - 1; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c === 36 /* $ */ && t.charCodeAt(i + 1) === 123) {
      stack.push(i);
      i++;
    } else if (c === 123) {
      stack.push(-1);
    } else if (c === 125 && stack.length > 0) {
      const s = stack.pop()!;
      if (s >= 0) {
        starts.push(s);
        ends.push(i + 1);
      }
    }
  }
  if (starts.length === 0) return;
  // pairs nest or are disjoint: walking by decreasing end, a pair is outermost iff it starts
  // before every pair seen so far
  const outS: number[] = [];
  const outE: number[] = [];
  let minStart = Infinity;
  for (let k = starts.length - 1; k >= 0; k--) {
    if (starts[k] < minStart) {
      outS.push(starts[k]);
      outE.push(ends[k]);
      minStart = starts[k];
    }
  }
  const m = new Int32Array(t.length + 1);
  for (let k = outS.length - 1; k >= 0; k--) {
    ctx.phStarts.push(outS[k]);
    ctx.phEnds.push(outE[k]);
    m[outS[k]] = outE[k];
  }
  ctx.phEndAt = m;
}

function checkWhitespaceAndParens(ctx: Ctx, a: number, b: number): void {
  const t = ctx.text;
  const open: number[] = [];
  for (let i = a; i < b; ) {
    const c = t.charCodeAt(i);
    if (c === 36) {
      const e = ctx.phAt(i);
      if (e >= 0) {
        i = e;
        continue;
      }
    }
    if (isSpace(c)) {
      let j = i + 1;
      while (j < b && isSpace(t.charCodeAt(j))) j++;
      ctx.problem(i, j, 'Whitespace is not allowed inside a URI (e.g. around "," in a failover/static list); ActiveMQ rejects or misreads it');
      i = j;
      continue;
    }
    if (c === 40) open.push(i);
    else if (c === 41) {
      if (open.length > 0) ctx.close.set(open.pop()!, i);
      else ctx.problem(i, i + 1, "Unbalanced parentheses: this ')' has no matching '('");
    }
    i++;
  }
  for (const o of open) ctx.problem(o, o + 1, "Unbalanced parentheses: this '(' is never closed");
}

/** `scheme:` at a: returns the index of the ':' */
function matchScheme(ctx: Ctx, a: number, b: number): { colon: number; placeholder: boolean } | undefined {
  const t = ctx.text;
  let placeholder = false;
  for (let i = a; i < b; ) {
    const e = ctx.phAt(i);
    if (e >= 0) {
      placeholder = true;
      i = e;
      continue;
    }
    const c = t.charCodeAt(i);
    if (c === 58 /* : */) return i > a ? { colon: i, placeholder } : undefined;
    if (!isSchemeChar(c, i === a)) return undefined;
    i++;
  }
  return undefined;
}

function parseQuery(ctx: Ctx, a: number, b: number): UriQueryParam[] {
  const out: UriQueryParam[] = [];
  const t = ctx.text;
  const end = ctx.find(a, b, '#');
  let s = a;
  while (s <= end) {
    const amp = ctx.find(s, end, '&');
    const ka = ctx.trimStart(s, amp);
    const kb0 = ctx.trimEnd(ka, amp);
    if (kb0 > ka) {
      const eq = ctx.find(ka, kb0, '=');
      const k1 = ctx.trimStart(ka, eq);
      const k2 = ctx.trimEnd(k1, eq);
      if (eq < kb0) {
        const v1 = ctx.trimStart(eq + 1, kb0);
        const v2 = ctx.trimEnd(v1, kb0);
        out.push({ key: t.slice(k1, k2), keySpan: ctx.span(k1, k2), value: t.slice(v1, v2), valueSpan: ctx.span(v1, v2) });
      } else {
        out.push({ key: t.slice(k1, k2), keySpan: ctx.span(k1, k2), value: '', valueSpan: ctx.span(k2, k2) });
      }
    }
    if (amp >= end) break;
    s = amp + 1;
  }
  return out;
}

/** host[:port] (after `//`, or where the scheme is missing) up to b; fills ep and returns the index after the authority */
function parseAuthority(ctx: Ctx, ep: UriEndpoint, p: number, b: number): number {
  const t = ctx.text;
  const ae = ctx.find(p, b, '/?#');
  let hs = p;
  // user info
  for (let i = ctx.find(p, ae, '@'); i < ae; i = ctx.find(i + 1, ae, '@')) hs = i + 1;
  let hostA = hs;
  let hostB: number;
  let portA = -1;
  if (t.charCodeAt(hs) === 91 /* [ */ && hs < ae) {
    const rb = t.indexOf(']', hs);
    if (rb >= 0 && rb < ae) {
      hostA = hs + 1;
      hostB = rb;
      if (rb + 1 < ae && t.charCodeAt(rb + 1) === 58) portA = rb + 2;
      else if (rb + 1 < ae) portA = rb + 1; // junk after ']' is reported as a bad port
    } else {
      hostB = ae;
    }
  } else {
    const colon = ctx.find(hs, ae, ':');
    hostB = colon;
    if (colon < ae) portA = colon + 1;
  }
  const h1 = ctx.trimStart(hostA, hostB);
  const h2 = ctx.trimEnd(h1, hostB);
  if (h2 > h1) {
    ep.host = t.slice(h1, h2);
    ep.hostSpan = ctx.span(h1, h2);
  }
  if (portA >= 0) {
    const p1 = ctx.trimStart(portA, ae);
    const p2 = ctx.trimEnd(p1, ae);
    const portText = t.slice(p1, p2);
    ep.portText = portText;
    ep.portSpan = ctx.span(p1, p2);
    if (ctx.hasPh(p1, p2)) {
      // resolved at runtime
    } else if (/^[0-9]+$/.test(portText)) {
      const v = portText.length > 10 ? Infinity : Number(portText);
      if (v > 65535) ctx.problem(p1, p2, `Port ${portText.length > 20 ? portText.slice(0, 20) + '…' : portText} is out of range (0-65535)`);
      else ep.port = v;
    } else if (portText === '') {
      ctx.problem(portA - 1, portA, "Missing port number after ':'");
    } else {
      ctx.problem(p1, p2, `Port '${portText.length > 40 ? portText.slice(0, 40) + '…' : portText}' is not a number`);
    }
  }
  return ae;
}

/** one URI of a list (or a whole plain URI), [a, b) trimmed and non-empty */
function parseEndpoint(ctx: Ctx, a: number, b: number, depth: number): UriEndpoint {
  const t = ctx.text;
  const ep: UriEndpoint = { scheme: '', schemeSpan: ctx.span(a, a), query: [], span: ctx.span(a, b), hasPlaceholder: ctx.hasPh(a, b) };
  const queryFrom = (from: number): void => {
    const q = ctx.find(from, b, '?');
    if (q < b) ep.query = parseQuery(ctx, q + 1, b);
  };
  const sch = matchScheme(ctx, a, b);
  if (!sch) {
    if (ep.hasPlaceholder) {
      // e.g. `${broker.url}`: nothing to check before it is resolved
      queryFrom(a);
      return ep;
    }
    ctx.problem(a, b, 'Missing scheme: an ActiveMQ URI starts with a transport such as tcp://');
    const p = t.startsWith('//', a) ? a + 2 : a;
    const ae = parseAuthority(ctx, ep, p, b);
    queryFrom(ae);
    return ep;
  }
  const colon = sch.colon;
  const r = colon + 1;
  if (!sch.placeholder) {
    // `localhost:61616`: a host and a port, but no scheme
    let j = r;
    while (j < b && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) j++;
    if (j > r && (j === b || '/?#'.indexOf(t[j]) >= 0)) {
      ctx.problem(a, b, `Missing scheme: '${t.slice(a, b)}' has no transport; write e.g. tcp://${t.slice(a, b)}`);
      const ae = parseAuthority(ctx, ep, a, b);
      queryFrom(ae);
      return ep;
    }
  }
  ep.scheme = t.slice(a, colon).toLowerCase();
  ep.schemeSpan = ctx.span(a, colon);
  let q = r;
  if (t.startsWith('//', r) && (t.charCodeAt(r + 2) === 40 || COMPOSITE_SCHEMES.has(ep.scheme))) q = r + 2;
  if (t.charCodeAt(q) === 40 /* ( */ || COMPOSITE_SCHEMES.has(ep.scheme)) {
    if (depth < MAX_DEPTH) {
      ep.nested = parseList(ctx, a, b, depth + 1);
      ep.query = ep.nested.query;
    }
    return ep;
  }
  if (t.startsWith('//', r)) {
    const ae = parseAuthority(ctx, ep, r + 2, b);
    queryFrom(ae);
    return ep;
  }
  if (NETWORK_SCHEMES.has(ep.scheme) && !sch.placeholder) {
    // `tcp:host:61616`: Java's URI parser sees an opaque URI without host or port
    ctx.problem(a, r, `Missing '//' after '${t.slice(a, r)}': write ${t.slice(a, r)}//host:port`);
    const ae = parseAuthority(ctx, ep, r, b);
    queryFrom(ae);
    return ep;
  }
  // opaque, e.g. `zeroconf:_activemq_development.`
  queryFrom(r);
  return ep;
}

/** split [a, b) at top-level commas; returns raw element ranges */
function splitTop(ctx: Ctx, a: number, b: number): [number, number][] {
  const t = ctx.text;
  const out: [number, number][] = [];
  let depth = 0;
  let last = a;
  for (let i = a; i < b; ) {
    const c = t.charCodeAt(i);
    if (c === 36) {
      const e = ctx.phAt(i);
      if (e >= 0) {
        i = e;
        continue;
      }
    }
    if (c === 40) depth++;
    else if (c === 41) depth--;
    else if (c === 44 && depth === 0) {
      out.push([last, i]);
      last = i + 1;
    }
    i++;
  }
  out.push([last, b]);
  return out;
}

function listEndpoints(ctx: Ctx, a: number, b: number, depth: number): UriEndpoint[] {
  const elems = splitTop(ctx, a, b);
  const out: UriEndpoint[] = [];
  const t = ctx.text;
  if (elems.length === 1) {
    const x = ctx.trimStart(elems[0][0], elems[0][1]);
    const y = ctx.trimEnd(x, elems[0][1]);
    if (y <= x) {
      const s = a > 0 && t.charCodeAt(a - 1) === 40 ? a - 1 : a;
      const e = b < t.length && t.charCodeAt(b) === 41 ? b + 1 : b;
      ctx.problem(s, Math.max(e, s), 'Empty URI list');
      return out;
    }
  }
  elems.forEach(([ea, eb], k) => {
    const x = ctx.trimStart(ea, eb);
    const y = ctx.trimEnd(x, eb);
    if (y > x) {
      out.push(parseEndpoint(ctx, x, y, depth));
      return;
    }
    // an empty element: point at the comma(s) around it
    const s = k > 0 ? ea - 1 : ea;
    const e = k < elems.length - 1 ? eb + 1 : eb;
    const last = k === elems.length - 1;
    ctx.problem(
      s,
      Math.max(e, s),
      last ? "Empty element at the end of the URI list (a trailing ',')" : "Empty element in the URI list (two ',' in a row, or a ',' at the start)",
    );
  });
  return out;
}

/** a URI at [a, b) that may be composite (`scheme:(...)?q` or `failover:a,b`) */
function parseList(ctx: Ctx, a: number, b: number, depth: number): ParsedUri {
  const t = ctx.text;
  const res = (scheme: string, composite: boolean, endpoints: UriEndpoint[], query: UriQueryParam[]): ParsedUri => ({
    scheme,
    composite,
    endpoints,
    query,
    span: ctx.span(a, b),
    problems: [],
    hasPlaceholder: ctx.hasPh(a, b),
  });
  const sch = matchScheme(ctx, a, b);
  if (sch) {
    const scheme = t.slice(a, sch.colon).toLowerCase();
    const r = sch.colon + 1;
    let q = r;
    const known = COMPOSITE_SCHEMES.has(scheme);
    if (t.startsWith('//', r) && (t.charCodeAt(r + 2) === 40 || known)) q = r + 2;
    if (t.charCodeAt(q) === 40) {
      let close = ctx.close.get(q);
      if (close === undefined || close > b) {
        const l = t.lastIndexOf(')', b - 1);
        close = l > q ? l : b;
      }
      const endpoints = listEndpoints(ctx, q + 1, close, depth);
      let query: UriQueryParam[] = [];
      if (close < b) {
        const qm = ctx.find(close + 1, b, '?');
        if (qm < b) query = parseQuery(ctx, qm + 1, b);
      }
      return res(scheme, true, endpoints, query);
    }
    if (known) {
      return res(scheme, true, listEndpoints(ctx, q, b, depth), []);
    }
  }
  const ep = parseEndpoint(ctx, a, b, depth);
  if (ep.nested) return { ...ep.nested, span: ctx.span(a, b) };
  return res(ep.scheme, false, [ep], ep.query);
}

/**
 * Parses `text`. `offsetOf(i)` maps an index into `text` to a file offset (defaults to identity),
 * so that all spans in the result are file offsets.
 *
 * `endOffsetOf(i)`, optional, maps an *end* index (exclusive; the span's last char is i - 1) to
 * the file offset just after that char's source. It defaults to `offsetOf`, which is right when
 * the text is contiguous in the file; callers whose text is pieced together (Java `"a" + "b"`)
 * pass it so that a span ending at a piece boundary does not run into the next piece.
 */
export function parseUri(text: string, offsetOf: (i: number) => number = (i) => i, endOffsetOf?: (i: number) => number): ParsedUri {
  const safeText = typeof text === 'string' ? text : '';
  const ctx = new Ctx(safeText, offsetOf, endOffsetOf ?? offsetOf);
  try {
    findPlaceholders(ctx);
    const a = ctx.trimStart(0, safeText.length);
    const b = ctx.trimEnd(a, safeText.length);
    if (b <= a) {
      ctx.problem(0, safeText.length, 'Empty URI');
      return { scheme: '', composite: false, endpoints: [], query: [], span: ctx.span(0, safeText.length), problems: ctx.problems, hasPlaceholder: false };
    }
    checkWhitespaceAndParens(ctx, a, b);
    const res = parseList(ctx, a, b, 0);
    res.problems = ctx.problems;
    res.hasPlaceholder = ctx.phStarts.length > 0;
    return res;
  } catch {
    let span: Span = { start: 0, end: 0 };
    try {
      span = ctx.span(0, safeText.length);
    } catch {
      /* keep the fallback */
    }
    return { scheme: '', composite: false, endpoints: [], query: [], span, problems: ctx.problems, hasPlaceholder: ctx.phStarts.length > 0 };
  }
}
