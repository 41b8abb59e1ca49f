/**
 * Client connection URLs: `spring.activemq.broker-url` in application.yml / .yaml /
 * .properties, and `failover:(...)` string literals in Java sources (including literals
 * split with `+` concatenation across lines).
 */
import type { Scalar } from 'yaml';

/** The yaml library is loaded on first use only: a lint of a workspace without YAML never pays for it. */
let yamlLib: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (yamlLib ??= require('yaml') as typeof import('yaml'));
}
import type { Span } from '../types';
import { parseUri, type ParsedUri } from './uri';
import { loadProperties } from './zoocfg';

export interface ClientUrl {
  /** the URL text (decoded: YAML/properties/Java escapes and `+` concatenation resolved) */
  text: string;
  /** span covering the URL's source text (for a concatenation: first to last literal) */
  span: Span;
  /** parsed, with spans mapped back into the file */
  uri: ParsedUri;
  /** where it came from (`xml`: a Spring XML attribute value, entities decoded) */
  origin: 'yaml' | 'properties' | 'java' | 'xml';
  /**
   * YAML: the whole scalar as written (quotes, a block scalar's `>-` header and its lines, without
   * the final line break), which a rewrite replaces as a whole when the URL is not written literally
   */
  scalarSpan?: Span;
}

export interface ClientUrlFile {
  urls: ClientUrl[];
}

/** spring.activemq.broker-url, canonicalised like Spring Boot's relaxed binding */
const TARGET = ['spring', 'activemq', 'brokerurl'];

const BROKER_URL_KEY = /broker[-_]*url/i;

function canonical(element: string): string {
  return element.toLowerCase().replace(/[-_]/g, '');
}

/** A decoded string with per-char file offsets. */
interface Mapped {
  text: string;
  starts: number[];
  ends: number[];
  /** offset for an empty string */
  fallback: number;
  /** the whole source of the value (YAML scalar node) */
  whole?: Span;
}

function isSpaceCode(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x85 || c === 0xfeff || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x3000;
}

function makeUrl(m: Mapped, origin: ClientUrl['origin'], from = 0, to = m.text.length): ClientUrl {
  const text = m.text.slice(from, to);
  const n = text.length;
  const off = (i: number): number => (i < n ? m.starts[from + i] : n > 0 ? m.ends[from + n - 1] : m.fallback);
  const endOff = (i: number): number => (i > 0 ? m.ends[from + Math.min(i, n) - 1] : n > 0 ? m.starts[from] : m.fallback);
  const uri = parseUri(text, off, endOff);
  let x = 0;
  let y = n;
  while (x < y && isSpaceCode(text.charCodeAt(x))) x++;
  while (y > x && isSpaceCode(text.charCodeAt(y - 1))) y--;
  if (y > x && x > 0) {
    uri.problems.push({ span: { start: off(0), end: endOff(x) }, message: 'Leading whitespace before the URL: it is part of the value, and ActiveMQ rejects the URI ("Invalid broker URI")' });
  }
  if (y > x && y < n) {
    uri.problems.push({ span: { start: off(y), end: endOff(n) }, message: 'Trailing whitespace after the URL: it is part of the value, and ActiveMQ rejects the URI ("Invalid broker URI")' });
  }
  return { text, span: { start: off(0), end: endOff(n) }, uri, origin, ...(m.whole ? { scalarSpan: m.whole } : {}) };
}

// ---------------------------------------------------------------------------------------------
// YAML

function pushRange(m: Mapped, text: string, a: number, b: number): void {
  m.text += text.slice(a, b);
  for (let i = a; i < b; i++) {
    m.starts.push(i);
    m.ends.push(i + 1);
  }
}

function pushChar(m: Mapped, ch: string, start: number, end: number): void {
  m.text += ch;
  m.starts.push(start);
  m.ends.push(end);
}

/** physical lines of text[a, b): [start, end of content, start of next line] */
function linesOf(text: string, a: number, b: number): [number, number][] {
  const out: [number, number][] = [];
  let s = a;
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      out.push([s, i]);
      if (c === 13 && text.charCodeAt(i + 1) === 10 && i + 1 < b) i++;
      s = i + 1;
    }
  }
  out.push([s, b]);
  return out;
}

const isBlank = (c: number): boolean => c === 32 || c === 9;

/** plain and single-quoted flow scalars: line folding, and `''` in single quotes */
function decodeFolded(text: string, a: number, b: number, single: boolean): Mapped {
  const m: Mapped = { text: '', starts: [], ends: [], fallback: a };
  const lines = linesOf(text, a, b);
  let empties = 0;
  let prevEnd = a;
  lines.forEach(([ls, le], li) => {
    let cs = ls;
    let ce = le;
    if (li > 0) while (cs < ce && isBlank(text.charCodeAt(cs))) cs++;
    if (li < lines.length - 1 || !single) while (ce > cs && isBlank(text.charCodeAt(ce - 1))) ce--;
    if (li > 0) {
      if (ce === cs && li < lines.length - 1) {
        empties++;
        return;
      }
      if (empties > 0) for (let k = 0; k < empties; k++) pushChar(m, '\n', prevEnd, cs);
      else pushChar(m, ' ', prevEnd, cs);
      empties = 0;
    }
    if (!single) pushRange(m, text, cs, ce);
    else {
      for (let i = cs; i < ce; i++) {
        if (text.charCodeAt(i) === 39 && text.charCodeAt(i + 1) === 39 && i + 1 < ce) {
          pushChar(m, "'", i, i + 2);
          i++;
        } else pushChar(m, text[i], i, i + 1);
      }
    }
    prevEnd = ce;
  });
  return m;
}

const YAML_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

/** double-quoted flow scalar content text[a, b) */
function decodeDoubleQuoted(text: string, a: number, b: number): Mapped {
  const m: Mapped = { text: '', starts: [], ends: [], fallback: a };
  let pending: [number, number][] = []; // raw blanks, dropped before a line break
  const flush = (): void => {
    for (const [s] of pending) pushChar(m, text[s], s, s + 1);
    pending = [];
  };
  const skipBreak = (i: number): number => (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1);
  const skipBlanks = (i: number): number => {
    while (i < b && isBlank(text.charCodeAt(i))) i++;
    return i;
  };
  let i = a;
  while (i < b) {
    const c = text.charCodeAt(i);
    if (isBlank(c)) {
      pending.push([i, i + 1]);
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      pending = [];
      const foldStart = i;
      i = skipBreak(i);
      let empties = 0;
      while (true) {
        const j = skipBlanks(i);
        const d = text.charCodeAt(j);
        if (j < b && (d === 10 || d === 13)) {
          empties++;
          i = skipBreak(j);
        } else {
          i = j;
          break;
        }
      }
      if (empties > 0) for (let k = 0; k < empties; k++) pushChar(m, '\n', foldStart, i);
      else pushChar(m, ' ', foldStart, i);
      continue;
    }
    flush();
    if (c === 92 /* \ */ && i + 1 < b) {
      const e = text[i + 1];
      const ec = text.charCodeAt(i + 1);
      if (ec === 10 || ec === 13) {
        i = skipBlanks(skipBreak(i + 1));
        continue;
      }
      const hexLen = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hexLen > 0) {
        const hex = text.slice(i + 2, i + 2 + hexLen);
        if (hex.length === hexLen && /^[0-9a-fA-F]+$/.test(hex)) {
          const cp = parseInt(hex, 16);
          const s = cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
          for (const ch of s.split('')) pushChar(m, ch, i, i + 2 + hexLen);
          i += 2 + hexLen;
          continue;
        }
      }
      const rep = YAML_ESCAPES[e];
      if (rep !== undefined) {
        pushChar(m, rep, i, i + 2);
        i += 2;
        continue;
      }
      pushChar(m, '\\', i, i + 1);
      i++;
      continue;
    }
    pushChar(m, text[i], i, i + 1);
    i++;
  }
  flush();
  return m;
}

function mapScalar(text: string, node: Scalar, value: string): Mapped {
  const range = node.range;
  const a = range ? range[0] : 0;
  const b = range ? range[1] : 0;
  let m: Mapped | undefined;
  try {
    if (range) {
      if (node.type === 'PLAIN') m = decodeFolded(text, a, b, false);
      else if (node.type === 'QUOTE_SINGLE' && b - a >= 2) m = decodeFolded(text, a + 1, b - 1, true);
      else if (node.type === 'QUOTE_DOUBLE' && b - a >= 2) m = decodeDoubleQuoted(text, a + 1, b - 1);
    }
  } catch {
    m = undefined;
  }
  if (m && m.text === value) return m;
  // block scalars and anything we decode differently: locate the text, else approximate
  const out: Mapped = { text: value, starts: [], ends: [], fallback: a };
  const at = value.length > 0 ? text.indexOf(value, a) : -1;
  if (at >= 0 && at + value.length <= Math.max(b, range ? range[2] : b)) {
    for (let i = 0; i < value.length; i++) {
      out.starts.push(at + i);
      out.ends.push(at + i + 1);
    }
    return out;
  }
  const q = node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE' ? 1 : 0;
  const lo = Math.min(a + q, b);
  const hi = Math.max(lo, b - q);
  for (let i = 0; i < value.length; i++) {
    const s = Math.min(lo + i, hi);
    out.starts.push(s);
    out.ends.push(Math.min(s + 1, hi));
  }
  return out;
}

/** the broker-url scalars of a YAML text, with per-char maps into that text */
function yamlScalars(text: string): Mapped[] {
  const found: Mapped[] = [];
  const { parseAllDocuments, isMap, isScalar } = yaml();
  const docs = parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const walk = (node: unknown, prefix: string[], depth: number): void => {
    if (depth > 64 || !isMap(node)) return;
    for (const pair of node.items) {
      const key = pair.key;
      if (!isScalar(key) || key.value === null || key.value === undefined) continue;
      const parts = String(key.value).split('.').map(canonical);
      const path = prefix.concat(parts);
      if (path.length > TARGET.length || path.some((p, i) => p !== TARGET[i])) continue;
      if (path.length === TARGET.length) {
        const v = pair.value;
        if (isScalar(v) && typeof v.value === 'string' && v.value.trim() !== '') {
          const m = mapScalar(text, v as Scalar, v.value);
          const r = (v as Scalar).range;
          if (r) {
            let e = Math.max(r[0], r[1]);
            while (e > r[0] && (text.charCodeAt(e - 1) === 10 || text.charCodeAt(e - 1) === 13 || text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
            m.whole = { start: r[0], end: e };
          }
          found.push(m);
        }
      } else {
        walk(pair.value, path, depth + 1);
      }
    }
  };
  for (const d of list) {
    try {
      walk(d.contents, [], 0);
    } catch {
      /* a broken document: skip it */
    }
  }
  return found;
}

/** above this size the yaml library gets slow (superlinear on long collections): parse excerpts instead */
const YAML_FULL_PARSE_LIMIT = 32 * 1024;
const YAML_MAX_CANDIDATES = 200;
const YAML_MAX_LINES_BACK = 20_000;
const YAML_MAX_LINES_FORWARD = 200;

function lineStartOf(text: string, i: number): number {
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

function lineEndOf(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** start of the line after the one ending at e (a line end), or -1 at EOF */
function nextLineStart(text: string, e: number): number {
  if (e >= text.length) return -1;
  return text.charCodeAt(e) === 13 && text.charCodeAt(e + 1) === 10 ? e + 2 : e + 1;
}

/** start of the line before the one starting at s, or -1 */
function prevLineStart(text: string, s: number): number {
  if (s <= 0) return -1;
  let e = s - 1;
  if (text.charCodeAt(e) === 10 && e > 0 && text.charCodeAt(e - 1) === 13) e--;
  return lineStartOf(text, e);
}

/** indentation of the line at s; -1 for a blank or comment line */
function indentOf(text: string, s: number, e: number): number {
  let i = s;
  while (i < e && text.charCodeAt(i) === 32) i++;
  if (i >= e || text.charCodeAt(i) === 35 /* # */) return -1;
  return i - s;
}

/**
 * Large files: for every line that may hold the key, build a small YAML excerpt of that line,
 * its parent lines (by indentation) and its continuation lines, and parse only that.
 */
function yamlScalarsLarge(text: string): Mapped[] {
  const found: Mapped[] = [];
  const seen = new Set<number>();
  const re = /broker[-_]*url/gi;
  let m: RegExpExecArray | null;
  let candidates = 0;
  while ((m = re.exec(text)) !== null && candidates < YAML_MAX_CANDIDATES) {
    const ls = lineStartOf(text, m.index);
    if (seen.has(ls)) continue;
    seen.add(ls);
    candidates++;
    const le = lineEndOf(text, ls);
    const ind = indentOf(text, ls, le);
    if (ind < 0) continue;
    const lines: [number, number][] = [[ls, le]];
    // parents: the closest less-indented line, repeatedly
    let cur = ind;
    let p = ls;
    for (let steps = 0; cur > 0 && steps < YAML_MAX_LINES_BACK; steps++) {
      p = prevLineStart(text, p);
      if (p < 0) break;
      const pe = lineEndOf(text, p);
      if (text.startsWith('---', p) || text.startsWith('...', p)) break;
      const pi = indentOf(text, p, pe);
      if (pi >= 0 && pi < cur) {
        lines.unshift([p, pe]);
        cur = pi;
      }
    }
    // continuation lines of the value: blank or more indented
    let q = nextLineStart(text, le);
    for (let k = 0; q >= 0 && k < YAML_MAX_LINES_FORWARD; k++) {
      const qe = lineEndOf(text, q);
      const qi = indentOf(text, q, qe);
      // blank and comment lines (qi < 0) do not end the value; a line indented like the key does
      if (qi >= 0 && qi <= ind) break;
      lines.push([q, qe]);
      q = nextLineStart(text, qe);
    }
    // the excerpt and its map back into the file
    let snippet = '';
    const segs: { at: number; file: number; len: number }[] = [];
    for (const [a, b] of lines) {
      segs.push({ at: snippet.length, file: a, len: b - a });
      snippet += text.slice(a, b) + '\n';
    }
    const toFile = (o: number): number => {
      let k = segs.length - 1;
      while (k > 0 && segs[k].at > o) k--;
      const sg = segs[k];
      return sg.file + Math.min(Math.max(o - sg.at, 0), sg.len);
    };
    let scalars: Mapped[] = [];
    try {
      scalars = yamlScalars(snippet);
    } catch {
      scalars = [];
    }
    for (const sc of scalars) {
      found.push({
        text: sc.text,
        starts: sc.starts.map(toFile),
        ends: sc.ends.map((e) => (e > 0 ? toFile(e - 1) + 1 : toFile(e))),
        fallback: toFile(sc.fallback),
        ...(sc.whole ? { whole: { start: toFile(sc.whole.start), end: sc.whole.end > sc.whole.start ? toFile(sc.whole.end - 1) + 1 : toFile(sc.whole.start) } } : {}),
      });
    }
  }
  // one excerpt can repeat a value another excerpt found: keep each source position once
  const bySpan = new Map<string, Mapped>();
  for (const f of found) bySpan.set(`${f.starts[0] ?? f.fallback}:${f.text.length}`, f);
  return [...bySpan.values()].sort((x, y) => (x.starts[0] ?? x.fallback) - (y.starts[0] ?? y.fallback));
}

function yamlUrls(text: string): ClientUrl[] {
  const scalars = text.length <= YAML_FULL_PARSE_LIMIT ? yamlScalars(text) : yamlScalarsLarge(text);
  return scalars.map((m) => makeUrl(m, 'yaml'));
}

// ---------------------------------------------------------------------------------------------
// .properties

function isSpringBrokerUrlKey(key: string): boolean {
  if (!key.includes('.')) return false;
  const parts = key.split('.').map(canonical);
  return parts.length === TARGET.length && parts.every((p, i) => p === TARGET[i]);
}

/** JNDI: `java.naming.provider.url` of ActiveMQ's ActiveMQInitialContextFactory. */
function isJndiUrlKey(key: string): boolean {
  return key === 'java.naming.provider.url';
}

/** `.env` files: a variable that names the broker URL (BROKER_URL, ACTIVEMQ_BROKER_URL, SPRING_ACTIVEMQ_BROKER_URL, AMQ_URL, ...). */
function isEnvUrlKey(key: string): boolean {
  return /^(export\s+)?[A-Z0-9_]*(BROKER_?URL|BROKERURL|(ACTIVEMQ|AMQ|JMS)_?(URL|URI))$/i.test(key.trim());
}

function propertiesUrls(text: string, isKey: (key: string) => boolean = isSpringBrokerUrlKey): ClientUrl[] {
  const urls: ClientUrl[] = [];
  for (const line of loadProperties(text).lines) {
    const key = line.rawKey.trim();
    if (!isKey(key)) continue;
    if (line.rawValue.trim() === '') continue;
    const mv = line.mappedValue();
    urls.push(makeUrl({ text: mv.text, starts: mv.starts, ends: mv.ends, fallback: mv.endOffset }, 'properties'));
  }
  return urls;
}

// ---------------------------------------------------------------------------------------------
// Java

interface JavaLiteral {
  m: Mapped;
  terminated: boolean;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** a "..." literal whose opening quote is at q; returns the literal and the index after it */
function readJavaString(text: string, q: number): [JavaLiteral, number] {
  const n = text.length;
  const m: Mapped = { text: '', starts: [], ends: [], fallback: q + 1 };
  let i = q + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) return [{ m, terminated: true }, i + 1];
    if (c === 10 || c === 13) return [{ m, terminated: false }, i];
    if (c !== 92) {
      pushChar(m, text[i], i, i + 1);
      i++;
      continue;
    }
    if (i + 1 >= n) {
      i++;
      break;
    }
    const e = text[i + 1];
    const ec = text.charCodeAt(i + 1);
    if (ec === 10 || ec === 13) {
      // not valid in a string literal
      return [{ m, terminated: false }, i + 1];
    }
    if (e === 'u') {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) === 117) j++;
      if (j + 4 <= n && isHex(text.charCodeAt(j)) && isHex(text.charCodeAt(j + 1)) && isHex(text.charCodeAt(j + 2)) && isHex(text.charCodeAt(j + 3))) {
        pushChar(m, String.fromCharCode(parseInt(text.slice(j, j + 4), 16)), i, j + 4);
        i = j + 4;
        continue;
      }
      pushChar(m, 'u', i, i + 2);
      i += 2;
      continue;
    }
    if (ec >= 48 && ec <= 55) {
      let j = i + 1;
      const max = ec <= 51 ? 3 : 2;
      while (j < n && j - (i + 1) < max && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 55) j++;
      pushChar(m, String.fromCharCode(parseInt(text.slice(i + 1, j), 8)), i, j);
      i = j;
      continue;
    }
    const rep: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', s: ' ', '"': '"', "'": "'", '\\': '\\' };
    pushChar(m, rep[e] ?? e, i, i + 2);
    i += 2;
  }
  return [{ m, terminated: false }, i];
}

function concatMapped(parts: Mapped[]): Mapped {
  if (parts.length === 1) return parts[0];
  const out: Mapped = { text: '', starts: [], ends: [], fallback: parts[0].fallback };
  for (const p of parts) {
    out.text += p.text;
    for (let i = 0; i < p.starts.length; i++) {
      out.starts.push(p.starts[i]);
      out.ends.push(p.ends[i]);
    }
  }
  return out;
}

/** end of a URL embedded in a longer string: the first whitespace/quote outside parentheses */
function embeddedUrlEnd(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 59)) return i;
  }
  return s.length;
}

function javaUrls(text: string): ClientUrl[] {
  const urls: ClientUrl[] = [];
  if (!/failover:/i.test(text)) return urls;
  const n = text.length;
  type Chain = { lits: JavaLiteral[]; incomplete: boolean };
  let chain: Chain | undefined;
  let last: 'none' | 'literal' | 'plus' | 'other' = 'none';

  const finish = (): void => {
    const c = chain;
    chain = undefined;
    if (!c || c.incomplete || c.lits.some((l) => !l.terminated)) return;
    const m = concatMapped(c.lits.map((l) => l.m));
    if (/^failover:\s*(\(|\$\{|[A-Za-z][A-Za-z0-9+.-]*:)/i.test(m.text)) {
      urls.push(makeUrl(m, 'java'));
      return;
    }
    const at = m.text.toLowerCase().indexOf('failover:(');
    if (at >= 0) urls.push(makeUrl(m, 'java', at, embeddedUrlEnd(m.text, at)));
  };
  const other = (): void => {
    if (chain && last === 'plus') chain.incomplete = true;
    finish();
    last = 'other';
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    if (c === 47 /* / */) {
      const d = text.charCodeAt(i + 1);
      if (d === 47) {
        while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
        continue;
      }
      if (d === 42) {
        const e = text.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
        continue;
      }
      other();
      i++;
      continue;
    }
    if (c === 34 /* " */) {
      if (text.startsWith('"""', i)) {
        // a text block: skipped (not parsed as a URL)
        other();
        let j = i + 3;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 92) j += 2;
          else if (d === 34 && text.startsWith('"""', j)) break;
          else j++;
        }
        i = j < n ? j + 3 : n;
        continue;
      }
      const [lit, next] = readJavaString(text, i);
      if (chain && last === 'plus') chain.lits.push(lit);
      else {
        finish();
        chain = { lits: [lit], incomplete: last === 'plus' };
      }
      last = 'literal';
      i = next;
      continue;
    }
    if (c === 39 /* ' */) {
      other();
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === 39) {
          j++;
          break;
        } else if (d === 10 || d === 13) break;
        else j++;
      }
      i = Math.min(j, n);
      continue;
    }
    if (c === 43 /* + */) {
      const d = text.charCodeAt(i + 1);
      if (d === 43) {
        other();
        i += 2;
        continue;
      }
      if (d === 61) {
        // `s += "..."`: what follows is appended to something unknown
        finish();
        last = 'plus';
        i += 2;
        continue;
      }
      last = 'plus';
      i++;
      continue;
    }
    // identifiers, numbers, punctuation
    other();
    i++;
    while (i < n) {
      const d = text.charCodeAt(i);
      if ((d >= 48 && d <= 57) || (d >= 65 && d <= 90) || (d >= 97 && d <= 122) || d === 95 || d === 36) i++;
      else break;
    }
  }
  if (chain && last === 'plus') chain.incomplete = true;
  finish();
  return urls;
}

// ---------------------------------------------------------------------------------------------

export function parseClientUrls(path: string, text: string): ClientUrlFile {
  try {
    if (typeof text !== 'string' || typeof path !== 'string') return { urls: [] };
    const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
    // the key always spells broker-url / brokerUrl / broker_url: skip files that cannot hold it
    if (/^application.*\.ya?ml$/i.test(name)) return { urls: BROKER_URL_KEY.test(text) ? yamlUrls(text) : [] };
    if (/^application.*\.properties$/i.test(name)) return { urls: BROKER_URL_KEY.test(text) ? propertiesUrls(text) : [] };
    if (/\.(java|kt|kts|groovy|scala)$/i.test(name)) return { urls: javaUrls(text) };
    if (name === 'jndi.properties') return { urls: propertiesUrls(text, isJndiUrlKey) };
    if (name === '.env' || /\.env$/i.test(name)) return { urls: envUrls(text) };
    if (/\.xml$/i.test(name)) return { urls: springXmlUrls(text) };
    return { urls: [] };
  } catch {
    return { urls: [] };
  }
}

// ---------------------------------------------------------------------------------------------
// .env files and Spring XML

/** `.env`: KEY=value lines (Compose's syntax: optional quotes, `#` comments), broker URL keys only. */
function envUrls(text: string): ClientUrl[] {
  const urls: ClientUrl[] = [];
  const re = /^[ \t]*((?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!isEnvUrlKey(m[1])) continue;
    let start = m.index + m[0].length - m[2].length;
    let value = m[2].replace(/\r$/, '');
    const q = value[0];
    if ((q === '"' || q === "'") && value.indexOf(q, 1) > 0) {
      value = value.slice(1, value.indexOf(q, 1));
      start += 1;
    } else {
      const hash = value.search(/[ \t]#/);
      if (hash >= 0) value = value.slice(0, hash);
      value = value.replace(/[ \t]+$/, '');
    }
    if (!/^(failover:|tcp:|nio:|ssl:|nio\+ssl:|auto|amqp|stomp|mqtt|ws)/.test(value)) continue;
    const mapped: Mapped = { text: '', starts: [], ends: [], fallback: start };
    pushRange(mapped, text, start, start + value.length);
    urls.push(makeUrl(mapped, 'properties'));
  }
  return urls;
}

/**
 * Spring XML: `brokerURL="..."` on a connection factory element (`<amq:connectionFactory>`,
 * `<bean p:brokerURL>`), or `<property name="brokerURL" value="..."/>`. `&amp;` and the other
 * predefined entities are decoded with their offsets kept.
 */
function springXmlUrls(text: string): ClientUrl[] {
  const urls: ClientUrl[] = [];
  const attr = /(?:\s(?:[\w-]+:)?brokerURL\s*=\s*)(["'])([^"'<]*)\1/g;
  for (let m = attr.exec(text); m; m = attr.exec(text)) {
    urls.push(makeUrl(decodeXmlValue(text, m.index + m[0].length - 1 - m[2].length, m[2]), 'xml'));
  }
  const prop = /<(?:[\w-]+:)?property\b[^>]*?\bname\s*=\s*(["'])brokerURL\1[^>]*?\bvalue\s*=\s*(["'])([^"'<]*)\2/g;
  for (let m = prop.exec(text); m; m = prop.exec(text)) {
    urls.push(makeUrl(decodeXmlValue(text, m.index + m[0].length - 1 - m[3].length, m[3]), 'xml'));
  }
  const prop2 = /<(?:[\w-]+:)?property\b[^>]*?\bvalue\s*=\s*(["'])([^"'<]*)\1[^>]*?\bname\s*=\s*(["'])brokerURL\3/g;
  for (let m = prop2.exec(text); m; m = prop2.exec(text)) {
    const valueStart = text.indexOf(m[2], m.index + m[0].indexOf('value'));
    urls.push(makeUrl(decodeXmlValue(text, valueStart, m[2]), 'xml'));
  }
  return urls.filter((u) => !u.text.includes('${'));
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXmlValue(text: string, start: number, raw: string): Mapped {
  const m: Mapped = { text: '', starts: [], ends: [], fallback: start };
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '&') {
      const semi = raw.indexOf(';', i);
      const name = semi > i ? raw.slice(i + 1, semi) : '';
      const rep = Object.prototype.hasOwnProperty.call(XML_ENTITIES, name) ? XML_ENTITIES[name] : undefined;
      if (rep !== undefined) {
        pushChar(m, rep, start + i, start + semi + 1);
        i = semi;
        continue;
      }
    }
    pushChar(m, raw[i], start + i, start + i + 1);
  }
  return m;
}
