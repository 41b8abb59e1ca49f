/**
 * zoo.cfg parser with java.util.Properties semantics (as QuorumPeerConfig reads it)
 * and the full `server.N` grammar, with exact spans for every key and value.
 *
 * The Properties part follows `java.util.Properties.load` (LineReader + load0 + loadConvert):
 * logical lines joined by a trailing odd number of backslashes, leading whitespace of every
 * physical line dropped, comment lines starting with `#`/`!`, the key ending at the first
 * unescaped `=`, `:` or whitespace, escapes decoded. The `server.N` part follows ZooKeeper
 * 3.8's `QuorumServer.initializeWithAddressString` and `ConfigUtils.getHostAndPort`, which see
 * the value untrimmed (`QuorumMaj` reads the raw Properties).
 */
import type { Span } from '../types';

export interface ZooEntry {
  /** key after Properties unescaping and trim (case-sensitive) */
  key: string;
  keySpan: Span;
  /** value after unescaping and trim() (what parseProperties sees) */
  value: string;
  /** value after unescaping, before trim (what QuorumMaj sees for server.N) */
  untrimmedValue: string;
  /** span of the value text (trimmed of leading whitespace; includes trailing whitespace) */
  valueSpan: Span;
  /** span of the whole logical line (key through end of value, continuation lines included) */
  lineSpan: Span;
  /** key after unescaping, before trim (what Properties stores; only differs with escaped whitespace) */
  untrimmedKey?: string;
}

/**
 * What java.util.Properties or ZooKeeper's reading of the file runs into:
 * `malformed-unicode-escape` (Properties throws "Malformed \\uxxxx encoding."),
 * `bom` (a UTF-8 byte order mark that ZooKeeper reads as ISO-8859-1 and glues to the first key).
 */
export type ZooProblemKind = 'malformed-unicode-escape' | 'bom';

export interface ZooProblem {
  kind: ZooProblemKind;
  span: Span;
  message: string;
}

/**
 * Why ZooKeeper (3.5+ QuorumServer) rejects a server line: `number-format` (the id),
 * `address-unresolved` (a port that is not a number, trailing whitespace included), `port-range`,
 * `form` (wrong number of ':' / ';' parts, "does not have the form ..."), `ipv6` (a '[' without
 * ']:'), `same-ports` (quorum port = election port), `peer-type` (a role that is neither
 * participant nor observer), `mixed-roles` (several addresses with different roles),
 * `no-address` (an empty value: accepted, but the server cannot be reached).
 */
export type ServerErrorKind = 'number-format' | 'address-unresolved' | 'port-range' | 'form' | 'ipv6' | 'same-ports' | 'peer-type' | 'mixed-roles' | 'no-address' | 'internal';

export interface ZooServerAddress {
  host: string;
  hostSpan: Span;
  quorumPort?: number;
  quorumPortSpan?: Span;
  electionPort?: number;
  electionPortSpan?: Span;
  /** `participant` | `observer` as written (case-insensitive in ZooKeeper) */
  role?: string;
  roleSpan?: Span;
}

export interface ZooServer {
  entry: ZooEntry;
  /** numeric id (Long.parseLong of the text after `server.`), undefined when not a number */
  id?: number;
  idText: string;
  idSpan: Span;
  addresses: ZooServerAddress[];
  /** `participant` or `observer` (lower-cased), default participant */
  role: 'participant' | 'observer';
  clientHost?: string;
  clientHostSpan?: Span;
  clientPort?: number;
  clientPortSpan?: Span;
  /** why ZooKeeper would reject this line, if it would (message as ZooKeeper words it where known) */
  error?: { kind: ServerErrorKind; span: Span; message: string };
  /**
   * true when the line lists several `|`-separated addresses. ZooKeeper 3.6+ only accepts that
   * with the JVM flag `-Dzookeeper.multiAddress.enabled=true` (`multiAddress.enabled` in zoo.cfg
   * does not enable it); without it: "Multiple address feature is disabled, but multiple
   * addresses were specified for sid N". Not put into `error` since the flag may be set.
   */
  multiAddress?: boolean;
  /** the id as Java prints the parsed long (`server.01` → `1`); exact even beyond 2^53 */
  idString?: string;
}

export interface ZooConfig {
  /** every logical entry in file order (duplicates included) */
  entries: ZooEntry[];
  /** last entry per key (java.util.Properties semantics: last wins) */
  byKey: Map<string, ZooEntry>;
  /** server.N entries (last entry per exact key) */
  servers: ZooServer[];
  /** group.N / weight.N entries (every key starting with `group` / `weight`, as ZooKeeper tests; last per key) */
  groups: ZooEntry[];
  weights: ZooEntry[];
  /** problems of the file itself, by kind (rules switch on the kind, never on the message) */
  problems: ZooProblem[];
  /** true when the text starts with a byte order mark (skipped for parsing) */
  bom?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Java number parsing helpers (shared with myid.ts)

const ND = /^\p{Nd}$/u;

/** Character.digit(ch, 10) for one UTF-16 code unit (Unicode decimal digits included). */
function javaDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code < 0x660 || (code >= 0xd800 && code <= 0xdfff)) return -1;
  if (!ND.test(String.fromCharCode(code))) return -1;
  // decimal digits come in contiguous runs of ten, starting at zero
  let z = code;
  while (z > 0 && ND.test(String.fromCharCode(z - 1))) z--;
  return (code - z) % 10;
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INT_MIN = -(2n ** 31n);
const INT_MAX = 2n ** 31n - 1n;

/**
 * `Long.parseLong(s)` (bits 64) or `Integer.parseInt(s)` (bits 32): optional sign, then at
 * least one decimal digit, nothing else, in range. Returns undefined where Java throws
 * NumberFormatException.
 */
export function javaParseInteger(s: string, bits: 32 | 64 = 64): bigint | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  if (n <= 9) {
    // the usual case (a port, an id): ASCII digits only, within both ranges
    let v = 0;
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    if (k === n) return BigInt(v);
  }
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 < 48) {
    if (c0 === 45) neg = true;
    else if (c0 !== 43) return undefined;
    if (n === 1) return undefined;
    i = 1;
  }
  let digits = '';
  let leading = true;
  for (; i < n; i++) {
    const d = javaDigit(s.charCodeAt(i));
    if (d < 0) return undefined;
    if (leading && d === 0) continue;
    leading = false;
    digits += String.fromCharCode(48 + d);
    if (digits.length > 20) {
      // too many significant digits: out of range, but Java still requires all chars be digits
      for (i++; i < n; i++) if (javaDigit(s.charCodeAt(i)) < 0) return undefined;
      return undefined;
    }
  }
  const v = digits === '' ? 0n : BigInt(digits);
  const r = neg ? -v : v;
  const min = bits === 64 ? LONG_MIN : INT_MIN;
  const max = bits === 64 ? LONG_MAX : INT_MAX;
  if (r < min || r > max) return undefined;
  return r;
}

/** Java's String.trim(): strips every char <= U+0020 at both ends. */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

// ---------------------------------------------------------------------------------------------
// java.util.Properties

/** One physical piece of a logical line: line[bufStart, bufStart+len) = text[fileStart, fileStart+len). */
interface Seg {
  bufStart: number;
  fileStart: number;
  len: number;
}

/** A decoded string with, for every char, the file offsets its source text starts and ends at. */
export interface MappedString {
  text: string;
  starts: number[];
  ends: number[];
  /** file offset to use for an empty string / the end of the string */
  endOffset: number;
}

/** One `key=value` line as java.util.Properties.load reads it. */
export interface PropertyLine {
  /** key after unescaping (untrimmed, exactly what Properties stores) */
  rawKey: string;
  /** value after unescaping (untrimmed, exactly what Properties stores) */
  rawValue: string;
  keySpan: Span;
  valueSpan: Span;
  lineSpan: Span;
  /** the key with a per-char map into the file */
  mappedKey(): MappedString;
  /** the value with a per-char map into the file */
  mappedValue(): MappedString;
}

export interface PropertiesResult {
  lines: PropertyLine[];
  problems: ZooProblem[];
  /** offset where parsing started (1 after a BOM) */
  start: number;
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

function isEol(c: number): boolean {
  return c === 10 || c === 13;
}

class PropLine implements PropertyLine {
  readonly rawKey: string;
  readonly rawValue: string;
  /** file offsets of the key, the value and the whole line (the spans are made when asked for) */
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueFrom: number;
  readonly valueEnd: number;
  readonly lineEnd: number;

  constructor(
    private readonly line: LogicalLine,
    private readonly keyLen: number,
    private readonly valueStart: number,
    problems: ZooProblem[],
  ) {
    const limit = line.buf.length;
    this.rawKey = convertText(line, 0, keyLen, problems);
    this.rawValue = convertText(line, valueStart, limit, problems);
    this.keyStart = line.spanStart(0, keyLen);
    this.keyEnd = line.spanEnd(0, keyLen);
    this.valueFrom = line.spanStart(valueStart, limit);
    this.valueEnd = line.spanEnd(valueStart, limit);
    this.lineEnd = line.spanEnd(0, limit);
  }

  get keySpan(): Span {
    return { start: this.keyStart, end: this.keyEnd };
  }

  get valueSpan(): Span {
    return { start: this.valueFrom, end: this.valueEnd };
  }

  get lineSpan(): Span {
    return { start: this.keyStart, end: this.lineEnd };
  }

  /** the key's offset map without per-char arrays when the key is written plainly (the usual line) */
  keyMap(): OffsetMap {
    return offsetMap(this.line, 0, this.keyLen);
  }

  /** the value's offset map (see keyMap) */
  valueMap(): OffsetMap {
    return offsetMap(this.line, this.valueStart, this.line.buf.length);
  }

  mappedKey(): MappedString {
    return loadConvert(this.line, 0, this.keyLen, true, undefined);
  }

  mappedValue(): MappedString {
    return loadConvert(this.line, this.valueStart, this.line.buf.length, true, undefined);
  }
}

/** A converted key or value with the file offset of each of its characters (what MappedString holds, without arrays where it can). */
interface OffsetMap {
  readonly text: string;
  /** file offset where character i starts */
  start(i: number): number;
  /** file offset just after character i */
  end(i: number): number;
  /** file offset for an empty string or the end */
  readonly endOffset: number;
}

/** text written plainly on one physical line: character i is at base + i */
class LinearMap implements OffsetMap {
  constructor(
    readonly text: string,
    private readonly base: number,
    readonly endOffset: number,
  ) {}
  start(i: number): number {
    return this.base + i;
  }
  end(i: number): number {
    return this.base + i + 1;
  }
}

/** text with escapes or continuation lines: the per-char arrays of loadConvert */
class ArrayMap implements OffsetMap {
  readonly text: string;
  readonly endOffset: number;
  constructor(private readonly m: MappedString) {
    this.text = m.text;
    this.endOffset = m.endOffset;
  }
  start(i: number): number {
    return this.m.starts[i];
  }
  end(i: number): number {
    return this.m.ends[i];
  }
}

function offsetMap(line: LogicalLine, from: number, to: number): OffsetMap {
  const base = line.singleStart;
  if (base >= 0) {
    const bs = line.buf.indexOf('\\', from);
    if (bs < 0 || bs >= to) return new LinearMap(line.buf.slice(from, to), base + from, line.spanStart(to, to));
  }
  return new ArrayMap(loadConvert(line, from, to, true, undefined));
}

class LogicalLine {
  /** file offset of buf[0] when the line is one physical piece (the usual case), else -1 */
  private readonly single: number;

  get singleStart(): number {
    return this.single;
  }
  private readonly segs: Seg[] | undefined;

  constructor(
    readonly buf: string,
    segs: Seg[],
    readonly fallback: number,
  ) {
    this.single = segs.length === 1 ? segs[0].fileStart : -1;
    this.segs = segs.length === 1 ? undefined : segs;
  }

  /** file offset of buf[i] */
  fileOf(i: number): number {
    const segs = this.segs;
    if (segs === undefined) return this.single + i;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].bufStart <= i) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo].fileStart + (i - segs[lo].bufStart);
  }

  /** file span of buf[a, b) */
  span(a: number, b: number): Span {
    return { start: this.spanStart(a, b), end: this.spanEnd(a, b) };
  }

  /** span(a, b).start, without the object */
  spanStart(a: number, b: number): number {
    if (b > a) return this.fileOf(a);
    return a < this.buf.length ? this.fileOf(a) : this.buf.length > 0 ? this.fileOf(this.buf.length - 1) + 1 : this.fallback;
  }

  /** span(a, b).end, without the object */
  spanEnd(a: number, b: number): number {
    if (b > a) return this.fileOf(b - 1) + 1;
    return this.spanStart(a, b);
  }
}

/** Properties.loadConvert over line.buf[from, to), the text only (the usual line has no backslash). */
function convertText(line: LogicalLine, from: number, to: number, problems: ZooProblem[]): string {
  const buf = line.buf;
  const bs = buf.indexOf('\\', from);
  if (bs < 0 || bs >= to) return from === 0 && to === buf.length ? buf : buf.slice(from, to);
  return loadConvert(line, from, to, false, problems).text;
}

/**
 * Properties.loadConvert over line.buf[from, to), optionally with a per-char file map.
 * Malformed `\uxxxx` escapes are reported (Java throws) and decoded as the letter `u`.
 */
function loadConvert(
  line: LogicalLine,
  from: number,
  to: number,
  withMap: boolean,
  problems: ZooProblem[] | undefined,
): MappedString {
  const buf = line.buf;
  const starts: number[] = [];
  const ends: number[] = [];
  const endOffset = line.span(to, to).start;
  if (buf.indexOf('\\', from) < 0 || buf.indexOf('\\', from) >= to) {
    const text = buf.slice(from, to);
    if (withMap) {
      for (let i = from; i < to; i++) {
        const f = line.fileOf(i);
        starts.push(f);
        ends.push(f + 1);
      }
    }
    return { text, starts, ends, endOffset };
  }
  let out = '';
  let i = from;
  while (i < to) {
    const c = buf.charCodeAt(i);
    if (c !== 92 /* \ */) {
      // copy a run of plain chars
      let j = i + 1;
      while (j < to && buf.charCodeAt(j) !== 92) j++;
      out += buf.slice(i, j);
      if (withMap) {
        for (let k = i; k < j; k++) {
          const f = line.fileOf(k);
          starts.push(f);
          ends.push(f + 1);
        }
      }
      i = j;
      continue;
    }
    if (i + 1 >= to) {
      // cannot happen for Properties (a trailing backslash continues the line); keep it literally
      out += '\\';
      if (withMap) {
        const f = line.fileOf(i);
        starts.push(f);
        ends.push(f + 1);
      }
      i++;
      continue;
    }
    const e = buf.charCodeAt(i + 1);
    if (e === 117 /* u */) {
      let ok = i + 2 + 4 <= to;
      let value = 0;
      let k = i + 2;
      if (ok) {
        for (; k < i + 6; k++) {
          const h = buf.charCodeAt(k);
          let d = -1;
          if (h >= 48 && h <= 57) d = h - 48;
          else if (h >= 97 && h <= 102) d = h - 87;
          else if (h >= 65 && h <= 70) d = h - 55;
          if (d < 0) {
            ok = false;
            break;
          }
          value = (value << 4) + d;
        }
      }
      if (ok) {
        out += String.fromCharCode(value);
        if (withMap) {
          starts.push(line.fileOf(i));
          ends.push(line.fileOf(i + 5) + 1);
        }
        i += 6;
      } else {
        if (problems) {
          let last = i + 1;
          while (last + 1 < to && last + 1 < i + 6 && /[0-9a-fA-F]/.test(buf[last + 1])) last++;
          problems.push({
            kind: 'malformed-unicode-escape',
            span: { start: line.fileOf(i), end: line.fileOf(last) + 1 },
            message: 'Malformed \\uxxxx encoding.',
          });
        }
        out += 'u';
        if (withMap) {
          starts.push(line.fileOf(i));
          ends.push(line.fileOf(i + 1) + 1);
        }
        i += 2;
      }
      continue;
    }
    let ch = buf[i + 1];
    if (e === 116) ch = '\t';
    else if (e === 114) ch = '\r';
    else if (e === 110) ch = '\n';
    else if (e === 102) ch = '\f';
    out += ch;
    if (withMap) {
      starts.push(line.fileOf(i));
      ends.push(line.fileOf(i + 1) + 1);
    }
    i += 2;
  }
  return { text: out, starts, ends, endOffset };
}

/** java.util.Properties.load over `text` (a BOM at the start is skipped). Never throws. */
export function loadProperties(text: string): PropertiesResult {
  const problems: ZooProblem[] = [];
  const lines: PropertyLine[] = [];
  const start = scanProperties(text, problems, (l) => lines.push(l));
  return { lines, problems, start };
}

/**
 * loadProperties, handing each line to `sink` as it is read (a caller that keeps only what it
 * derives from the lines never holds all of them); returns where parsing started.
 */
function scanProperties(text: string, problems: ZooProblem[], sink: (line: PropLine) => void): number {
  const n = text.length;
  const start = n > 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let pos = start;

  const emit = (segs: Seg[], fallback: number): void => {
    const buf = segs.length === 1 ? text.slice(segs[0].fileStart, segs[0].fileStart + segs[0].len) : segs.map((s) => text.slice(s.fileStart, s.fileStart + s.len)).join('');
    const line = new LogicalLine(buf, segs, fallback);
    const limit = buf.length;
    // load0: find the end of the key
    let keyLen = 0;
    let valueStart = limit;
    let hasSep = false;
    let pb = false;
    while (keyLen < limit) {
      const c = buf.charCodeAt(keyLen);
      if ((c === 61 || c === 58) && !pb) {
        valueStart = keyLen + 1;
        hasSep = true;
        break;
      } else if (isWs(c) && !pb) {
        valueStart = keyLen + 1;
        break;
      }
      pb = c === 92 ? !pb : false;
      keyLen++;
    }
    while (valueStart < limit) {
      const c = buf.charCodeAt(valueStart);
      if (!isWs(c)) {
        if (!hasSep && (c === 61 || c === 58)) hasSep = true;
        else break;
      }
      valueStart++;
    }
    sink(new PropLine(line, keyLen, valueStart, problems));
  };

  outer: while (true) {
    // start of a logical line: skip whitespace and line terminators
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (isWs(c) || isEol(c)) pos++;
      else break;
    }
    if (pos >= n) break;
    const first = text.charCodeAt(pos);
    if (first === 35 /* # */ || first === 33 /* ! */) {
      while (pos < n && !isEol(text.charCodeAt(pos))) pos++;
      if (pos < n) pos++;
      continue;
    }
    const segs: Seg[] = [];
    let total = 0;
    const lineStart = pos;
    while (true) {
      const segStart = pos;
      let pb = false;
      while (pos < n) {
        const c = text.charCodeAt(pos);
        if (isEol(c)) break;
        pb = c === 92 ? !pb : false;
        pos++;
      }
      if (pos >= n) {
        const len = (pb ? pos - 1 : pos) - segStart;
        segs.push({ bufStart: total, fileStart: segStart, len });
        emit(segs, lineStart);
        break outer;
      }
      if (!pb) {
        segs.push({ bufStart: total, fileStart: segStart, len: pos - segStart });
        pos++;
        emit(segs, lineStart);
        continue outer;
      }
      // a continuation: the backslash is dropped
      const len = pos - 1 - segStart;
      segs.push({ bufStart: total, fileStart: segStart, len });
      total += len;
      if (pos + 1 >= n) {
        pos = n;
        emit(segs, lineStart);
        break outer;
      }
      const eol = text.charCodeAt(pos);
      pos++;
      if (eol === 13 && text.charCodeAt(pos) === 10) pos++;
      while (pos < n && isWs(text.charCodeAt(pos))) pos++;
      if (total === 0) continue outer;
      if (pos >= n) {
        emit(segs, lineStart);
        break outer;
      }
      if (isEol(text.charCodeAt(pos))) {
        pos++;
        emit(segs, lineStart);
        continue outer;
      }
    }
  }
  return start;
}

// ---------------------------------------------------------------------------------------------
// server.N

const WRONG_FORMAT =
  ' does not have the form server_config or server_config;client_config where server_config is the pipe separated list of host:port:port or host:port:port:type and client_config is port or host:port';

interface Part {
  text: string;
  /** index range in the mapped value */
  a: number;
  b: number;
}

/** Java String.split with a one-char literal separator and limit 0, over s[a, b). */
function javaSplit(s: string, a: number, b: number, sep: string): Part[] {
  const out: Part[] = [];
  let last = a;
  let found = false;
  for (let i = s.indexOf(sep, a); i >= 0 && i < b; i = s.indexOf(sep, i + 1)) {
    found = true;
    out.push({ text: s.slice(last, i), a: last, b: i });
    last = i + 1;
  }
  if (!found) return [{ text: s.slice(a, b), a, b }];
  out.push({ text: s.slice(last, b), a: last, b });
  while (out.length > 0 && out[out.length - 1].text === '') out.pop();
  return out;
}

/** ConfigUtils.getHostAndPort over a part. */
function getHostAndPort(s: string, p: Part): Part[] | string {
  const t = p.text;
  if (t.startsWith('[')) {
    const i = t.indexOf(']');
    if (i < 0) return `${t} starts with '[' but has no matching ']:'`;
    if (i + 2 === t.length) return `${t} doesn't have a port after colon`;
    if (i + 2 < t.length) {
      return [{ text: t.slice(1, i), a: p.a + 1, b: p.a + i }, ...javaSplit(s, p.a + i + 2, p.b, ':')];
    }
    return [{ text: t.replace(/\[|\]/g, ''), a: p.a + 1, b: p.b - 1 }];
  }
  return javaSplit(s, p.a, p.b, ':');
}

/** A server line's address; its spans are made when asked for, never kept (10^5 server lines keep 10^5 of these). */
class Address implements ZooServerAddress {
  quorumPort: number | undefined = undefined;
  electionPort: number | undefined = undefined;
  role: string | undefined = undefined;
  roleSpan: Span | undefined = undefined;
  private qpStart = -1;
  private qpEnd = -1;
  private epStart = -1;
  private epEnd = -1;

  constructor(
    readonly host: string,
    private readonly hostStart: number,
    private readonly hostEnd: number,
  ) {}

  setQuorumPortSpan(start: number, end: number): void {
    this.qpStart = start;
    this.qpEnd = end;
  }

  setElectionPortSpan(start: number, end: number): void {
    this.epStart = start;
    this.epEnd = end;
  }

  get hostSpan(): Span {
    return { start: this.hostStart, end: this.hostEnd };
  }

  get quorumPortSpan(): Span | undefined {
    return this.qpStart < 0 ? undefined : { start: this.qpStart, end: this.qpEnd };
  }

  get electionPortSpan(): Span | undefined {
    return this.epStart < 0 ? undefined : { start: this.epStart, end: this.epEnd };
  }
}

function parseServer(entry: ZooEntry, line: PropertyLine): ZooServer {
  const mk = (line as PropLine).keyMap();
  const dot = mk.text.indexOf('.');
  const idA = dot + 1;
  const idText = mk.text.slice(idA);
  const keySpanOf = (a: number, b: number): Span =>
    b > a ? { start: mk.start(a), end: mk.end(b - 1) } : { start: a < mk.text.length ? mk.start(a) : mk.endOffset, end: a < mk.text.length ? mk.start(a) : mk.endOffset };
  const idSpan = keySpanOf(idA, mk.text.length);
  const idBig = javaParseInteger(idText, 64);
  // every field present from the start: one object shape, no separate property store
  const server: ZooServer = {
    entry,
    id: undefined,
    idText,
    idSpan,
    addresses: [],
    role: 'participant',
    clientHost: undefined,
    clientHostSpan: undefined,
    clientPort: undefined,
    clientPortSpan: undefined,
    error: undefined,
    multiAddress: undefined,
    idString: undefined,
  };
  let error: { kind: ServerErrorKind; span: Span; message: string } | undefined;
  const setError = (kind: ServerErrorKind, span: Span, message: string): void => {
    if (!error) error = { kind, span, message };
  };
  if (idBig === undefined) {
    setError('number-format', idSpan, `NumberFormatException: For input string: "${idText}"`);
  } else {
    server.id = Number(idBig);
    const str = idBig.toString();
    // the id as written when it is written canonically (no second copy of the same digits)
    server.idString = str === idText ? idText : str;
  }
  const idShown = server.idString ?? idText;

  const mv = (line as PropLine).valueMap();
  const s = mv.text;
  const spanStartOf = (a: number, b: number): number => (b > a ? mv.start(a) : a < s.length ? mv.start(a) : mv.endOffset);
  const spanEndOf = (a: number, b: number): number => (b > a ? mv.end(b - 1) : spanStartOf(a, b));
  const spanOf = (a: number, b: number): Span => ({ start: spanStartOf(a, b), end: spanEndOf(a, b) });

  const serverClientParts = javaSplit(s, 0, s.length, ';');
  if (serverClientParts.length === 0) {
    setError('internal', entry.valueSpan, 'java.lang.ArrayIndexOutOfBoundsException: Index 0 out of bounds for length 0');
    server.error = error;
    return server;
  }
  const p0 = serverClientParts[0];
  const serverAddresses = javaSplit(s, p0.a, p0.b, '|');
  if (serverClientParts.length === 2) {
    const cp = getHostAndPort(s, serverClientParts[1]);
    if (typeof cp === 'string') {
      setError('ipv6', spanOf(serverClientParts[1].a, serverClientParts[1].b), cp);
    } else if (cp.length > 2) {
      setError('form', entry.valueSpan, s + WRONG_FORMAT);
    } else {
      const portPart = cp[cp.length - 1];
      if (cp.length === 2) {
        server.clientHost = cp[0].text;
        server.clientHostSpan = spanOf(cp[0].a, cp[0].b);
      }
      const portSpan = spanOf(portPart.a, portPart.b);
      server.clientPortSpan = portSpan;
      const port = javaParseInteger(portPart.text, 32);
      if (port === undefined) setError('address-unresolved', portSpan, `Address unresolved: null:${portPart.text}`);
      else if (port < 0n || port > 65535n) setError('port-range', portSpan, `port out of range:${port}`);
      else server.clientPort = Number(port);
    }
  }
  if (serverAddresses.length > 1) server.multiAddress = true;
  let newType: string | undefined;
  for (const addrPart of serverAddresses) {
    const sp = getHostAndPort(s, addrPart);
    if (typeof sp === 'string') {
      setError('ipv6', spanOf(addrPart.a, addrPart.b), sp);
      continue;
    }
    if (serverClientParts.length > 2 || sp.length < 3 || sp.length > 4) setError('form', entry.valueSpan, s + WRONG_FORMAT);
    const host = sp[0];
    if (sp.length === 1 && host.text === '') continue;
    const addr = new Address(host.text, spanStartOf(host.a, host.b), spanEndOf(host.a, host.b));
    server.addresses.push(addr);
    let qp: bigint | undefined;
    let ep: bigint | undefined;
    if (sp.length >= 2) {
      const q = sp[1];
      addr.setQuorumPortSpan(spanStartOf(q.a, q.b), spanEndOf(q.a, q.b));
      qp = javaParseInteger(q.text, 32);
      if (qp === undefined) setError('address-unresolved', addr.quorumPortSpan!, `Address unresolved: ${host.text}:${q.text}`);
      else if (qp < 0n || qp > 65535n) setError('port-range', addr.quorumPortSpan!, `port out of range:${qp}`);
      else addr.quorumPort = Number(qp);
    }
    if (sp.length >= 3) {
      const e = sp[2];
      addr.setElectionPortSpan(spanStartOf(e.a, e.b), spanEndOf(e.a, e.b));
      ep = javaParseInteger(e.text, 32);
      if (ep === undefined) setError('address-unresolved', addr.electionPortSpan!, `Address unresolved: ${host.text}:${e.text}`);
      else if (ep < 0n || ep > 65535n) setError('port-range', addr.electionPortSpan!, `port out of range:${ep}`);
      else addr.electionPort = Number(ep);
    }
    if (addr.quorumPort !== undefined && addr.quorumPort === addr.electionPort) {
      setError('same-ports', addr.electionPortSpan!, `Client and election port must be different! Please update the configuration file on server.${idShown}`);
    }
    if (sp.length === 4) {
      const r = sp[3];
      addr.role = r.text;
      addr.roleSpan = spanOf(r.a, r.b);
      const t = javaTrim(r.text).toLowerCase();
      if (t !== 'observer' && t !== 'participant') {
        setError('peer-type', addr.roleSpan, `Unrecognised peertype: ${r.text}`);
      } else if (newType === undefined) {
        newType = t;
      } else if (newType !== t) {
        setError('mixed-roles', addr.roleSpan, `Multiple addresses should have similar roles: PARTICIPANT vs ${t.toUpperCase()}`);
      }
    }
  }
  if (newType === 'observer') server.role = 'observer';
  if (serverAddresses.length === 0 && !error) {
    setError('no-address', entry.valueSpan, `server.${idShown} has no address; ZooKeeper accepts the line but cannot reach this server`);
  }
  if (error) server.error = error;
  // an array grown by push keeps room for 16 more: a one-address line keeps one slot
  if (server.addresses.length === 1) server.addresses = [server.addresses[0]];
  return server;
}

// ---------------------------------------------------------------------------------------------

/**
 * A zoo.cfg entry: offsets kept as numbers, spans made when asked for and never kept (a file of
 * 10^5 server lines keeps 10^5 entries alive, and three span objects each were 40% of them).
 */
class Entry implements ZooEntry {
  readonly key: string;
  readonly value: string;
  readonly untrimmedValue: string;
  readonly untrimmedKey: string | undefined;
  private readonly keyStart: number;
  private readonly keyEnd: number;
  private readonly valueStart: number;
  private readonly valueEnd: number;
  private readonly lineEnd: number;

  constructor(l: PropLine) {
    this.key = javaTrim(l.rawKey);
    this.value = javaTrim(l.rawValue);
    this.untrimmedValue = l.rawValue;
    this.untrimmedKey = this.key !== l.rawKey ? l.rawKey : undefined;
    this.keyStart = l.keyStart;
    this.keyEnd = l.keyEnd;
    this.valueStart = l.valueFrom;
    this.valueEnd = l.valueEnd;
    this.lineEnd = l.lineEnd;
  }

  // a new object each time: nothing is kept for a span read once (rules read them for every line)
  get keySpan(): Span {
    return { start: this.keyStart, end: this.keyEnd };
  }

  get valueSpan(): Span {
    return { start: this.valueStart, end: this.valueEnd };
  }

  get lineSpan(): Span {
    return { start: this.keyStart, end: this.lineEnd };
  }
}

export function parseZooCfg(text: string): ZooConfig {
  const result: ZooConfig = { entries: [], byKey: new Map(), servers: [], groups: [], weights: [], problems: [] };
  try {
    if (typeof text !== 'string') return result;
    // each line is turned into its entry (and a server line into its server) as it is read, so
    // that the lines of a large file are never all alive at once; a server line that a later line
    // with the same key overrides is dropped below
    const rawKeys: string[] = [];
    const parsed: (ZooServer | undefined)[] = [];
    const start = scanProperties(text, result.problems, (l) => {
      const e = new Entry(l);
      result.entries.push(e);
      result.byKey.set(e.key, e);
      rawKeys.push(l.rawKey);
      let server: ZooServer | undefined;
      if (l.rawKey.startsWith('server.')) {
        try {
          server = parseServer(e, l);
        } catch {
          /* never throw */
        }
      }
      parsed.push(server);
    });
    if (start === 1) result.bom = true;
    if (result.bom) {
      // ZooKeeper reads zoo.cfg as ISO-8859-1: the BOM becomes three characters glued to the first line
      let p = 1;
      while (p < text.length && isWs(text.charCodeAt(p))) p++;
      const c = text.charCodeAt(p);
      const first = result.entries[0];
      if (p < text.length && !isEol(c) && c !== 35 && c !== 33 && first && first.keySpan.start === p) {
        result.problems.push({
          kind: 'bom',
          span: { start: 0, end: first.keySpan.end },
          message: `The file starts with a UTF-8 byte order mark; ZooKeeper reads zoo.cfg as ISO-8859-1, so the first line's key is not "${first.key}" (it gets the prefix "ï»¿" or is cut at the whitespace after it)`,
        });
      }
    }
    // last entry per raw key, in file order of the winners
    const last = new Map<string, number>();
    for (let i = 0; i < rawKeys.length; i++) last.set(rawKeys[i], i);
    for (let i = 0; i < rawKeys.length; i++) {
      const raw = rawKeys[i];
      if (last.get(raw) !== i) continue;
      const e = result.entries[i];
      if (raw.startsWith('server.')) {
        const server = parsed[i];
        if (server) result.servers.push(server);
      }
      if (e.key.startsWith('group')) result.groups.push(e);
      else if (e.key.startsWith('weight')) result.weights.push(e);
    }
  } catch {
    /* never throw: return what we have */
  }
  return result;
}
