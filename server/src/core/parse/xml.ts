/**
 * Error-tolerant single-pass XML scanner with exact offsets.
 *
 * It records elements, attributes (name span, value span inside the quotes, raw and
 * decoded value), and reports syntax problems as diagnostics with precise spans and
 * human messages, recovering so that the rest of the document still yields a model.
 * It never resolves an external entity, never reads a file and never throws.
 *
 * Design notes:
 * - one forward pass over char codes; native `indexOf` for comments, CDATA and PIs;
 *   no regular expressions and no substrings except names, values and non-blank text;
 * - nesting is tracked with an explicit stack (no recursion), so depth is unbounded;
 * - a DOCTYPE (with its internal subset) is skipped without interpreting it: no entity
 *   is ever declared, expanded or fetched, so `&xxe;` or a billion-laughs subset cost
 *   nothing and references to them stay literally in values and text;
 * - every loop advances, every diagnostic is capped (MAX_DIAGNOSTICS);
 * - `XmlElement.text` is the concatenation of the character-data runs (between two pieces of
 *   markup) that contain something other than whitespace, plus CDATA sections; whitespace-only
 *   runs (indentation) are never materialised;
 * - attribute values are not whitespace-normalised (a newline stays a newline), so that `value`
 *   maps back onto the file with `valueOffset`;
 * - references to entities other than the five predefined ones are kept literally; without a
 *   DOCTYPE they are reported (Xerces rejects them), with one they are not (it may declare them).
 */
import type { Span } from '../types';

export interface XmlAttribute {
  /** qualified name as written, e.g. `brokerName`, `xmlns:xsi` */
  name: string;
  nameSpan: Span;
  /** raw text of the value as written between the delimiters */
  raw: string;
  /** value with the five predefined entities and character references decoded;
   *  an undecodable `&` stays literally */
  value: string;
  /** span of the raw value text (inside the quotes); for a missing value an empty span after `=` or the name */
  valueSpan: Span;
  /** delimiter used: straight double/single quote, a typographic quote (recovered), or none (recovered) */
  quote: '"' | "'" | 'typographic' | 'none';
}

export interface XmlElement {
  /** qualified name as written, e.g. `broker`, `amq:broker` */
  name: string;
  /** name without prefix */
  localName: string;
  nameSpan: Span;
  /** offset of the `<` of the start tag */
  start: number;
  /** offset just after the `>` of the start tag (or where the start tag was cut off) */
  startTagEnd: number;
  /** offset just after the end tag, or where the element was implicitly closed */
  end: number;
  selfClosing: boolean;
  attributes: XmlAttribute[];
  children: XmlElement[];
  /** concatenated character data directly inside this element (entities decoded, CDATA included) */
  text: string;
  /** span of the first non-whitespace to the last non-whitespace character data, if any */
  textSpan?: Span;
  parent?: XmlElement;
}

export type XmlDiagnosticKind =
  | 'bare-ampersand'
  | 'typographic-quote'
  | 'typographic-comment'
  | 'comment-in-tag'
  | 'unquoted-attribute'
  | 'duplicate-attribute'
  | 'unclosed-element'
  | 'mismatched-end-tag'
  | 'unexpected-end-tag'
  | 'unterminated'
  | 'invalid-character'
  | 'malformed';

export interface XmlDiagnostic {
  kind: XmlDiagnosticKind;
  span: Span;
  message: string;
  /** a mechanical repair, when one is obvious (escape `&`, straighten quotes, move a comment) */
  fix?: { title: string; edits: { span: Span; newText: string }[] };
}

export interface XmlDocument {
  /** top-level elements in document order (normally one root) */
  roots: XmlElement[];
  diagnostics: XmlDiagnostic[];
}

/**
 * A parse tree its owner can drop and get back: rebuilt from the same text (same offsets, new
 * objects) the next time it is asked for. The language server releases the trees of every file
 * once its findings are known, so a large workspace keeps its texts and extracted models, not a
 * tree of every element and attribute.
 */
export class ReleasableTree {
  private doc: XmlDocument | undefined;
  constructor(doc: XmlDocument, private readonly text?: string) {
    this.doc = doc;
  }
  get(): XmlDocument {
    return (this.doc ??= parseXml(this.text ?? ''));
  }
  /** Drops the tree (only when it can be rebuilt, i.e. the text is known). */
  release(): void {
    if (this.text !== undefined) this.doc = undefined;
  }
  /** Whether the tree is held now (not released). */
  get held(): boolean {
    return this.doc !== undefined;
  }
}

/** At most this many diagnostics are reported per file (plus one saying how many more were suppressed). */
export const MAX_DIAGNOSTICS = 100;
/** Open elements beyond this depth are not built: the scan stops with one diagnostic. */
export const MAX_DEPTH = 200_000;
/** Elements beyond this count are not built: the scan stops with one diagnostic. */
export const MAX_ELEMENTS = 500_000;

// ---------------------------------------------------------------------------------------
// Tree nodes

/**
 * The empty attribute and child lists every element without attributes or children shares (most
 * elements of a configuration have one or the other): never mutated, the scanner replaces them
 * with an array of their own on the first attribute or child.
 */
const NO_ATTRIBUTES: XmlAttribute[] = [];
const NO_ELEMENTS: XmlElement[] = [];

/**
 * An attribute of the tree. Its spans are kept as offsets and become span objects when first
 * asked for (most never are): a tree of a large workspace holds a third fewer objects.
 */
class Attribute implements XmlAttribute {
  private ns: Span | undefined = undefined;
  private vs: Span | undefined = undefined;
  constructor(
    public name: string,
    private readonly nameStart: number,
    private readonly nameEnd: number,
    public raw: string,
    public value: string,
    private readonly valueStart: number,
    private readonly valueEnd: number,
    public quote: XmlAttribute['quote'],
  ) {}
  get nameSpan(): Span {
    return (this.ns ??= { start: this.nameStart, end: this.nameEnd });
  }
  get valueSpan(): Span {
    return (this.vs ??= { start: this.valueStart, end: this.valueEnd });
  }
}

/** An element of the tree; its name span (right after the '<') is made on first use. */
class Element implements XmlElement {
  private ns: Span | undefined = undefined;
  startTagEnd: number;
  end: number;
  selfClosing = false;
  attributes: XmlAttribute[] = NO_ATTRIBUTES;
  children: XmlElement[] = NO_ELEMENTS;
  text = '';
  textSpan: Span | undefined = undefined;
  constructor(
    public name: string,
    public localName: string,
    public start: number,
    n: number,
    public parent: XmlElement | undefined,
  ) {
    this.startTagEnd = n;
    this.end = n;
  }
  get nameSpan(): Span {
    return (this.ns ??= { start: this.start + 1, end: this.start + 1 + this.name.length });
  }
}

// ---------------------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------------------

const TAB = 9;
const LF = 10;
const CR = 13;
const SP = 32;
const BANG = 33;
const DQ = 34;
const HASH = 35;
const AMP = 38;
const SQ = 39;
const DASH = 45;
const SLASH = 47;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const QM = 63;
const LBRACKET = 91;
const RBRACKET = 93;
const EN_DASH = 0x2013;
const EM_DASH = 0x2014;

/** ASCII classes: bit 1 = name start, bit 2 = name char (not start). */
const ASCII_NAME = new Uint8Array(128);
(() => {
  for (let c = 65; c <= 90; c++) ASCII_NAME[c] = 1;
  for (let c = 97; c <= 122; c++) ASCII_NAME[c] = 1;
  ASCII_NAME[95] = 1; // _
  ASCII_NAME[58] = 1; // :
  for (let c = 48; c <= 57; c++) ASCII_NAME[c] = 2;
  ASCII_NAME[45] = 2; // -
  ASCII_NAME[46] = 2; // .
})();

/** XML 1.0 (5th ed.) NameStartChar above ASCII, minus characters we treat as quotes or spaces. */
function isHighNameStart(c: number): boolean {
  if (c < 0x2000) return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 && (c < 0x300 || c >= 0x370) && c !== 0x37e;
  if (c < 0x3001) return c === 0x200c || c === 0x200d || (c >= 0x2070 && c < 0x2190) || (c >= 0x2c00 && c < 0x2ff0);
  if (c < 0xdc00) return c < 0x301d || c > 0x301f; // CJK etc.; a high surrogate starts a supplementary char
  if (c < 0xf900) return false;
  return (c < 0xfdd0 || c >= 0xfdf0) && c <= 0xfffd && c !== 0xfeff && c !== 0xff02 && c !== 0xff07;
}

/** Characters that need a look inside an attribute value: quotes, '&', '<', and characters XML forbids. */
const VALUE_SPECIAL = new Uint8Array(65536);
(() => {
  for (let c = 0; c < 32; c++) if (c !== TAB && c !== LF && c !== CR) VALUE_SPECIAL[c] = 1;
  VALUE_SPECIAL[DQ] = 1;
  VALUE_SPECIAL[SQ] = 1;
  VALUE_SPECIAL[AMP] = 1;
  VALUE_SPECIAL[LT] = 1;
  for (let c = 0xd800; c < 0xe000; c++) VALUE_SPECIAL[c] = 1;
  VALUE_SPECIAL[0xfffe] = 1;
  VALUE_SPECIAL[0xffff] = 1;
})();

function isHighNameChar(c: number): boolean {
  return (
    isHighNameStart(c) ||
    c === 0xb7 ||
    (c >= 0x300 && c < 0x370) ||
    c === 0x203f ||
    c === 0x2040 ||
    (c >= 0xdc00 && c < 0xe000)
  );
}

function isNameStart(c: number): boolean {
  return c < 128 ? ASCII_NAME[c] === 1 : isHighNameStart(c);
}

function isNameChar(c: number): boolean {
  return c < 128 ? ASCII_NAME[c] !== 0 : isHighNameChar(c);
}

function isWs(c: number): boolean {
  return c === SP || c === LF || c === TAB || c === CR;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** `1.` followed by digits (XML VersionNum). */
function isVersionNum(v: string): boolean {
  if (v.length < 3 || v.charCodeAt(0) !== 49 || v.charCodeAt(1) !== 46) return false;
  for (let k = 2; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** XML EncName: a letter followed by letters, digits, '.', '_' or '-'. */
function isEncName(v: string): boolean {
  if (v.length === 0 || !isAsciiLetter(v.charCodeAt(0))) return false;
  for (let k = 1; k < v.length; k++) {
    const c = v.charCodeAt(k);
    if (!(isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 45)) return false;
  }
  return true;
}

/** Quote-like characters that blog engines and word processors substitute for `"` and `'`. */
function isTypographicQuote(c: number): boolean {
  if (c < 0xab) return false;
  return (
    (c >= 0x2018 && c <= 0x201f) ||
    c === 0x2032 ||
    c === 0x2033 ||
    c === 0x2035 ||
    c === 0x2036 ||
    c === 0xab ||
    c === 0xbb ||
    (c >= 0x301d && c <= 0x301f) ||
    c === 0xff02 ||
    c === 0xff07
  );
}

/** Space-like characters that are not XML whitespace (no-break space, ideographic space, ...). */
function isOddSpace(c: number): boolean {
  return c === 0xa0 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Is `c` a code point XML 1.0 allows in a document? */
function isXmlChar(c: number): boolean {
  if (c < 0x20) return c === TAB || c === LF || c === CR;
  if (c < 0xd800) return true;
  if (c < 0xe000) return false;
  if (c < 0xfffe) return true;
  return c >= 0x10000 && c <= 0x10ffff;
}

function codePointName(c: number): string {
  return 'U+' + c.toString(16).toUpperCase().padStart(4, '0');
}

/** A short, single-line excerpt for messages. */
function excerpt(s: string, max = 40): string {
  let t = '';
  for (let k = 0; k < s.length && t.length < max; k++) {
    const c = s.charCodeAt(k);
    t += c === LF || c === CR || c === TAB ? ' ' : s[k];
  }
  t = t.trim();
  return s.length > max ? t + '…' : t;
}

function describeChar(c: number): string {
  if (c < 0x20 || c === 0x7f) return codePointName(c);
  return `'${String.fromCharCode(c)}' ${codePointName(c)}`;
}

// ---------------------------------------------------------------------------------------
// Entity / character references (shared by parseXml and valueOffset)
// ---------------------------------------------------------------------------------------

const REF_OK = 0; // decoded: refText holds the replacement
const REF_LITERAL = 1; // well-formed reference to an entity we do not expand: kept literally
const REF_NO_NAME = 2; // '&' not followed by a name
const REF_NO_SEMI = 3; // '&name' without ';'
const REF_BAD_DEC = 4; // '&#' not followed by digits
const REF_BAD_HEX = 5; // '&#x' not followed by hex digits
const REF_CHAR_NO_SEMI = 6; // '&#123' without ';'
const REF_BAD_CHAR = 7; // '&#0;': decoded (refText is set), but a character XML does not allow
const REF_NO_CHAR = 8; // '&#xD800;', '&#99999999;': not a Unicode scalar value, kept literally

let refKind = REF_OK;
let refEnd = 0;
let refText = '';
/** start/end of the name (entity) or digits (char ref) of the last scanned reference */
let refNameStart = 0;
let refNameEnd = 0;
let refCodePoint = 0;

/** Scans the reference starting at the `&` at `p` (s[p] === '&'), not looking at or past `end`. */
function scanRef(s: string, p: number, end: number): void {
  let q = p + 1;
  const c = q < end ? s.charCodeAt(q) : -1;
  if (c === HASH) {
    q++;
    let hex = false;
    if (q < end && s.charCodeAt(q) === 120 /* x */) {
      hex = true;
      q++;
    }
    const ds = q;
    let v = 0;
    for (; q < end; q++) {
      const d = s.charCodeAt(q);
      let digit: number;
      if (d >= 48 && d <= 57) digit = d - 48;
      else if (hex && d >= 97 && d <= 102) digit = d - 87;
      else if (hex && d >= 65 && d <= 70) digit = d - 55;
      else break;
      if (v <= 0x10ffff) v = v * (hex ? 16 : 10) + digit;
    }
    refNameStart = ds;
    refNameEnd = q;
    if (q === ds) {
      refKind = hex ? REF_BAD_HEX : REF_BAD_DEC;
      refEnd = p + 1;
      return;
    }
    if (q >= end || s.charCodeAt(q) !== SEMI) {
      refKind = REF_CHAR_NO_SEMI;
      refEnd = p + 1;
      return;
    }
    refCodePoint = v;
    refEnd = q + 1;
    if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) {
      refKind = REF_NO_CHAR;
      return;
    }
    refKind = isXmlChar(v) ? REF_OK : REF_BAD_CHAR;
    refText = String.fromCodePoint(v);
    return;
  }
  if (c < 0 || !isNameStart(c)) {
    refKind = REF_NO_NAME;
    refEnd = p + 1;
    return;
  }
  q++;
  while (q < end && isNameChar(s.charCodeAt(q))) q++;
  refNameStart = p + 1;
  refNameEnd = q;
  if (q >= end || s.charCodeAt(q) !== SEMI) {
    refKind = REF_NO_SEMI;
    refEnd = p + 1;
    return;
  }
  refEnd = q + 1;
  const len = q - p - 1;
  refKind = REF_OK;
  if (len === 2) {
    const a = s.charCodeAt(p + 1);
    const b = s.charCodeAt(p + 2);
    if (b === 116 /* t */ && (a === 108 /* l */ || a === 103) /* g */) {
      refText = a === 108 ? '<' : '>';
      return;
    }
  } else if (len === 3) {
    if (s.charCodeAt(p + 1) === 97 && s.charCodeAt(p + 2) === 109 && s.charCodeAt(p + 3) === 112) {
      refText = '&';
      return;
    }
  } else if (len === 4) {
    const a = s.charCodeAt(p + 1);
    if (a === 113 && s.charCodeAt(p + 2) === 117 && s.charCodeAt(p + 3) === 111 && s.charCodeAt(p + 4) === 116) {
      refText = '"';
      return;
    }
    if (a === 97 && s.charCodeAt(p + 2) === 112 && s.charCodeAt(p + 3) === 111 && s.charCodeAt(p + 4) === 115) {
      refText = "'";
      return;
    }
  }
  refKind = REF_LITERAL;
}

/** The file offset of the character at `index` of `attr.value` (decoded). */
export function valueOffset(attr: XmlAttribute, index: number): number {
  const vs = attr.valueSpan.start;
  const ve = attr.valueSpan.end;
  if (!(index > 0)) return vs; // also NaN
  if (index >= attr.value.length) return ve;
  const raw = attr.raw;
  if (raw === attr.value) return Math.min(vs + Math.floor(index), ve);
  let decoded = 0;
  let p = 0;
  const n = raw.length;
  while (p < n) {
    if (raw.charCodeAt(p) === AMP) {
      scanRef(raw, p, n);
      if (refKind === REF_OK || refKind === REF_BAD_CHAR) {
        const len = refText.length;
        if (index < decoded + len) return vs + p;
        decoded += len;
        p = refEnd;
        continue;
      }
      // literal: the reference text (or the bare '&') is copied as is
      const lit = refEnd - p;
      if (index < decoded + lit) return vs + p + (index - decoded);
      decoded += lit;
      p = refEnd;
      continue;
    }
    if (index === decoded) return vs + p;
    decoded++;
    p++;
  }
  return ve;
}

// ---------------------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------------------

type Fix = NonNullable<XmlDiagnostic['fix']>;

interface PendingTagComment {
  diag: XmlDiagnostic;
  removeStart: number;
  commentStart: number;
  commentEnd: number;
}

/**
 * The scanner: one object per parse, one method per state of the scan. `run` reads character data
 * up to the next '<' and hands the markup to the state it starts (`startTag` with its `attribute`
 * and value states, `endTag`, `bang` for comments, CDATA and DOCTYPE, `pi`); every state returns
 * the offset after what it consumed, reports through `report` (capped by `want`), and keeps the
 * open elements on `stack`.
 */
class XmlScanner {
  readonly roots: XmlElement[] = [];
  readonly diagnostics: XmlDiagnostic[] = [];
  private readonly n: number;
  private readonly stack: XmlElement[] = [];
  private cur: XmlElement | undefined;
  private suppressed = 0;
  private firstSuppressedAt = 0;
  /** undeclared entities are only reported when there is no DOCTYPE (which may declare them) */
  private sawDoctype = false;
  /** How many elements of each name are open; built on the first mismatched end tag only, so that
   *  well-formed input never pays for it and hostile input (deep nesting plus stray end tags) stays linear. */
  private openNames: Map<string, number> | undefined;
  /** elements created so far */
  private elements = 0;
  /** the scan stopped at MAX_DEPTH or MAX_ELEMENTS */
  private truncated = false;

  constructor(private readonly text: string) {
    this.n = text.length;
  }

  // ----- diagnostics ------------------------------------------------------------------

  /** True when another diagnostic may be reported; counts the suppressed ones otherwise. */
  want(at: number): boolean {
    if (this.diagnostics.length < MAX_DIAGNOSTICS) return true;
    if (this.suppressed++ === 0) this.firstSuppressedAt = at;
    return false;
  }

  report(kind: XmlDiagnosticKind, start: number, end: number, message: string, fix?: Fix): XmlDiagnostic {
    const d: XmlDiagnostic = fix ? { kind, span: { start, end }, message, fix } : { kind, span: { start, end }, message };
    this.diagnostics.push(d);
    return d;
  }

  edit(start: number, end: number, newText: string): { span: Span; newText: string } {
    return { span: { start, end }, newText };
  }

  where(): string {
    return this.cur ? `the text of <${this.cur.name}>` : 'the text outside the root element';
  }

  /** Reports the problem with the non-decodable reference just scanned by scanRef at `p`. */
  reportRef(p: number, context: string): void {
    if (!this.want(p)) return;
    if (refKind === REF_BAD_CHAR || refKind === REF_NO_CHAR) {
      const ref = this.text.slice(p, refEnd);
      this.report(
        'invalid-character',
        p,
        refEnd,
        `Character reference '${ref}' in ${context} ` +
          (refKind === REF_BAD_CHAR
            ? `stands for ${codePointName(refCodePoint)}, which XML does not allow. `
            : 'does not stand for any Unicode character. ') +
          `ActiveMQ refuses to start with: Character reference "${this.text.slice(p, refEnd - 1)}" is an invalid XML character. Remove it.`,
      );
      return;
    }
    let xerces: string;
    switch (refKind) {
      case REF_NO_SEMI:
        xerces = `The reference to entity "${this.text.slice(refNameStart, refNameEnd)}" must end with the ';' delimiter.`;
        break;
      case REF_BAD_DEC:
        xerces = 'A decimal representation must immediately follow the "&#" in a character reference.';
        break;
      case REF_BAD_HEX:
        xerces = 'A hexadecimal representation must immediately follow the "&#x" in a character reference.';
        break;
      case REF_CHAR_NO_SEMI:
        xerces = "The character reference must end with the ';' delimiter.";
        break;
      default:
        xerces = "The entity name must immediately follow the '&' in the entity reference.";
    }
    this.report(
      'bare-ampersand',
      p,
      p + 1,
      `Bare '&' in ${context}: XML requires '&amp;'. ActiveMQ refuses to start with: ${xerces}`,
      { title: "Escape '&' as '&amp;'", edits: [this.edit(p, p + 1, '&amp;')] },
    );
  }

  /** A reference to an entity that is not predefined, in a document without DOCTYPE (refName* set by scanRef). */
  undeclaredEntity(p: number): void {
    if (!this.want(p)) return;
    const name = this.text.slice(refNameStart, refNameEnd);
    const nbsp = name === 'nbsp';
    this.report(
      'malformed',
      p,
      refEnd,
      `The entity '&${name};' is not declared: XML predefines only &amp; &lt; &gt; &quot; and &apos;. ` +
        (nbsp
          ? "Write '&#160;' for a no-break space (or a plain space). "
          : `Write the character itself or a numeric reference (like &#169;); if the '&' is meant literally, write '&amp;${name};'. `) +
        `ActiveMQ refuses to start with: The entity "${name}" was referenced, but not declared.`,
      nbsp ? { title: "Replace '&nbsp;' with '&#160;'", edits: [this.edit(p, refEnd, '&#160;')] } : undefined,
    );
  }

  /** Decodes text[start, end) which contains at least one '&', reporting bad references. */
  decode(start: number, end: number, context: string): string {
    const src = this.text;
    let out = '';
    let last = start;
    let p = start;
    while (p < end) {
      if (src.charCodeAt(p) !== AMP) {
        p++;
        continue;
      }
      scanRef(this.text, p, end);
      if (refKind === REF_OK || refKind === REF_BAD_CHAR) {
        if (refKind === REF_BAD_CHAR) this.reportRef(p, context);
        if (p > last) out += this.text.slice(last, p);
        out += refText;
        p = refEnd;
        last = p;
      } else {
        if (refKind !== REF_LITERAL) this.reportRef(p, context);
        else if (!this.sawDoctype) this.undeclaredEntity(p);
        p = refEnd; // literal text stays in [last, p)
      }
    }
    if (end > last) out += this.text.slice(last, end);
    return out;
  }

  /** Reports a character XML does not allow at `p`; returns the offset after it. */
  badChar(p: number, context: string): number {
    const c = this.text.charCodeAt(p);
    let e = p + 1;
    if (c >= 0xd800 && c < 0xdc00 && e < this.n) {
      const d = this.text.charCodeAt(e);
      if (d >= 0xdc00 && d < 0xe000) return e + 1; // a valid surrogate pair
    }
    // one diagnostic per run of invalid characters
    while (e < this.n) {
      const d = this.text.charCodeAt(e);
      if ((d < SP && d !== TAB && d !== LF && d !== CR) || d === 0xfffe || d === 0xffff || (d >= 0xdc00 && d < 0xe000)) e++;
      else if (d >= 0xd800 && d < 0xdc00 && !(e + 1 < this.n && this.text.charCodeAt(e + 1) >= 0xdc00 && this.text.charCodeAt(e + 1) < 0xe000)) e++;
      else break;
    }
    if (this.want(p)) {
      const what = c >= 0xd800 && c < 0xe000 ? `an unpaired surrogate (${codePointName(c)})` : `the character ${codePointName(c)}`;
      this.report(
        'invalid-character',
        p,
        e,
        `${context} contains ${what}${e - p > 1 ? ` and ${e - p - 1} more invalid character(s)` : ''}, which XML does not allow; ` +
          `remove it (is this a binary or mis-encoded file?). ActiveMQ refuses to start with: ` +
          `An invalid XML character (Unicode: 0x${c.toString(16)}) was found.`,
        { title: 'Remove the invalid character(s)', edits: [this.edit(p, e, '')] },
      );
    }
    return e;
  }

  isBadChar(c: number): boolean {
    return (c < SP && c !== TAB && c !== LF && c !== CR) || (c >= 0xd800 && c < 0xe000) || c === 0xfffe || c === 0xffff;
  }

  // ----- element bookkeeping ------------------------------------------------------------

  appendText(el: XmlElement, piece: string, firstNonWs: number, lastNonWsEnd: number): void {
    el.text += piece;
    if (firstNonWs >= 0) {
      if (el.textSpan === undefined) el.textSpan = { start: firstNonWs, end: lastNonWsEnd };
      else el.textSpan.end = lastNonWsEnd;
    }
  }

  /** How many elements of each name are open; built on the first mismatched end tag only, so that
   *  well-formed input never pays for it and hostile input (deep nesting plus stray end tags) stays linear. */

  push(el: XmlElement): void {
    this.stack.push(el);
    this.cur = el;
    if (this.openNames !== undefined) this.openNames.set(el.name, (this.openNames.get(el.name) ?? 0) + 1);
  }

  pop(): void {
    const el = this.stack.pop();
    this.cur = this.stack.length > 0 ? this.stack[this.stack.length - 1] : undefined;
    if (this.openNames !== undefined && el !== undefined) this.openNames.set(el.name, (this.openNames.get(el.name) as number) - 1);
  }

  isOpen(name: string): boolean {
    if (this.openNames === undefined) {
      this.openNames = new Map();
      for (const el of this.stack) this.openNames.set(el.name, (this.openNames.get(el.name) ?? 0) + 1);
    }
    return (this.openNames.get(name) ?? 0) > 0;
  }

  cdataEndInText(p: number): void {
    if (this.cur === undefined || !this.want(p)) return;
    this.report(
      'malformed',
      p,
      p + 3,
      `The sequence ']]>' is not allowed in the text of <${this.cur.name}>: write ']]&gt;'. ` +
        `ActiveMQ refuses to start with: The character sequence "]]>" must not appear in content unless used to mark the end of a CDATA section.`,
      { title: "Escape as ']]&gt;'", edits: [this.edit(p + 2, p + 3, '&gt;')] },
    );
  }

  // ----- top-level text -----------------------------------------------------------------

  topLevelText(s: number, e: number): void {
    if (!this.want(s)) return;
    const snippet = excerpt(this.text.slice(s, Math.min(e, s + 60)));
    if (this.roots.length === 0) {
      this.report(
        'malformed',
        s,
        e,
        `Text '${snippet}' appears before the root element; only comments, processing instructions and a DOCTYPE may come before it. ` +
          `ActiveMQ refuses to start with: Content is not allowed in prolog.`,
      );
    } else {
      this.report(
        'malformed',
        s,
        e,
        `Text '${snippet}' appears after the end of the root element <${this.roots[0].name}>: only one root element is allowed, ` +
          `and only comments may follow it. ActiveMQ refuses to start with: Content is not allowed in trailing section.`,
      );
    }
  }

  // ----- comments -----------------------------------------------------------------------

  /** `<!--` at i: returns the offset after the comment. */
  comment(i: number): number {
    const e = this.text.indexOf('-->', i + 4);
    if (e < 0) {
      if (this.want(i)) {
        this.report(
          'unterminated',
          i,
          i + 4,
          "This comment is never closed: add '-->' where it should end. Everything after '<!--' is ignored until then.",
        );
      }
      return this.n;
    }
    const dd = this.text.indexOf('--', i + 4);
    if (dd >= 0 && dd < e && this.want(dd)) {
      this.report(
        'malformed',
        dd,
        dd + 2,
        `'--' is not allowed inside a comment; write '- -' or remove it. ActiveMQ refuses to start with: The string "--" is not permitted within comments.`,
        { title: "Replace '--' with '- -'", edits: [this.edit(dd, dd + 2, '- -')] },
      );
    }
    return e + 3;
  }

  /** `<!–` or `<!—` at i (dash at i + 2): returns the offset after the comment. */
  typographicComment(i: number, inTag = false): number {
    const dash = this.text.charCodeAt(i + 2);
    let p = i + 3;
    let close = -1; // offset of the '>' that ends the comment
    let closerDash = -1; // offset of a typographic dash before that '>'
    for (;;) {
      const g = this.text.indexOf('>', p);
      if (g < 0) break;
      const pc = this.text.charCodeAt(g - 1);
      if (g - 1 >= i + 3 && (pc === EN_DASH || pc === EM_DASH)) {
        close = g;
        closerDash = g - 1;
        break;
      }
      if (g - 2 >= i + 3 && pc === DASH && this.text.charCodeAt(g - 2) === DASH) {
        close = g;
        break;
      }
      p = g + 1;
    }
    const dashName = dash === EN_DASH ? 'en dash' : 'em dash';
    const aDash = dash === EN_DASH ? 'an en dash' : 'an em dash';
    const opener = '<!' + String.fromCharCode(dash);
    if (close < 0) {
      // no closer at all: end the comment at the next '>' (or the end of the file)
      const g = this.text.indexOf('>', i + 3);
      if (this.want(i)) {
        this.report(
          'typographic-comment',
          i,
          i + 3,
          `This comment starts with '${opener}' (${dashName} ${codePointName(dash)}) instead of '<!--' and is never closed: ` +
            `XML comments are written <!-- ... --> with two ASCII hyphens at both ends. This usually comes from copying a blog page ` +
            `that turned '--' into a dash.`,
          { title: "Replace the dash with '--'", edits: [this.edit(i + 2, i + 3, '--')] },
        );
      }
      return g < 0 ? this.n : g + 1;
    }
    // inside a start tag the comment-in-tag fix moves the comment and straightens its dashes
    if (!inTag && this.want(i)) {
      const edits = [this.edit(i + 2, i + 3, '--')];
      if (closerDash >= 0) edits.push(this.edit(closerDash, closerDash + 1, '--'));
      const closer = closerDash >= 0 ? String.fromCharCode(this.text.charCodeAt(closerDash)) + '>' : '-->';
      this.report(
        'typographic-comment',
        i,
        i + 3,
        `This comment is written '${opener} ... ${closer}' with ${aDash} (${codePointName(dash)}) instead of two hyphens: ` +
          `XML comments must be written <!-- ... -->. This usually comes from copying a blog page that turned '--' into a dash. ` +
          `ActiveMQ refuses to start with: ` +
          (this.cur
            ? 'The content of elements must consist of well-formed character data or markup.'
            : this.roots.length === 0
              ? 'The markup in the document preceding the root element must be well-formed.'
              : 'The markup in the document following the root element must be well-formed.'),
        { title: "Replace the dash with '--'", edits },
      );
    }
    return close + 1;
  }

  // ----- <!...> markup ------------------------------------------------------------------

  startsWithAt(s: string, p: number): boolean {
    return this.text.startsWith(s, p);
  }

  bang(i: number): number {
    const c2 = this.text.charCodeAt(i + 2);
    if (c2 === DASH && this.text.charCodeAt(i + 3) === DASH) return this.comment(i);
    if (c2 === EN_DASH || c2 === EM_DASH) return this.typographicComment(i);
    if (c2 === LBRACKET && this.startsWithAt('<![CDATA[', i)) return this.cdata(i);
    if (c2 === 68 /* D */ && this.startsWithAt('<!DOCTYPE', i)) return this.doctype(i);
    // unknown markup declaration: skip to the next '>' (but not past a '<')
    let p = i + 2;
    while (p < this.n) {
      const c = this.text.charCodeAt(p);
      if (c === GT) {
        p++;
        break;
      }
      if (c === LT) break;
      p++;
    }
    if (this.want(i)) {
      this.report(
        'malformed',
        i,
        p,
        `'${excerpt(this.text.slice(i, Math.min(p, i + 30)), 30)}' is not valid markup: after '<!' XML expects '--' (a comment), ` +
          `'[CDATA[' or 'DOCTYPE'.`,
      );
    }
    return p;
  }

  cdata(i: number): number {
    const s = i + 9;
    const e = this.text.indexOf(']]>', s);
    const end = e < 0 ? this.n : e;
    if (e < 0 && this.want(i)) {
      this.report('unterminated', i, s, "This CDATA section is never closed: add ']]>' where it should end.");
    }
    if (this.cur) {
      let first = -1;
      let last = -1;
      for (let p = s; p < end; p++) {
        if (!isWs(this.text.charCodeAt(p))) {
          if (first < 0) first = p;
          last = p;
        }
      }
      if (end > s) this.appendText(this.cur, this.text.slice(s, end), first, last + 1);
    } else if (this.want(i)) {
      this.report(
        'malformed',
        i,
        s,
        this.roots.length === 0
          ? 'A CDATA section cannot appear before the root element.'
          : 'A CDATA section cannot appear after the root element: only one root element is allowed and only comments may follow it.',
      );
    }
    return e < 0 ? this.n : e + 3;
  }

  /** Skips a DOCTYPE including its internal subset; never interprets declarations. */
  doctype(i: number): number {
    this.sawDoctype = true;
    if ((this.roots.length > 0 || this.cur) && this.want(i)) {
      this.report('malformed', i, i + 9, 'A DOCTYPE declaration is only allowed before the root element.');
    }
    let p = i + 9;
    while (p < this.n) {
      const c = this.text.charCodeAt(p);
      if (c === DQ || c === SQ) {
        const e = this.text.indexOf(c === DQ ? '"' : "'", p + 1);
        p = e < 0 ? this.n : e + 1;
      } else if (c === LBRACKET) {
        p = this.internalSubset(p + 1);
      } else if (c === GT) {
        return p + 1;
      } else {
        p++;
      }
    }
    if (this.want(i)) this.report('unterminated', i, i + 9, "This DOCTYPE declaration is never closed with '>'.");
    return this.n;
  }

  /** Skips an internal subset starting after '['; returns the offset after its ']'. */
  internalSubset(p: number): number {
    while (p < this.n) {
      const c = this.text.charCodeAt(p);
      if (c === RBRACKET) return p + 1;
      if (c === LT) {
        if (this.startsWithAt('<!--', p)) {
          const e = this.text.indexOf('-->', p + 4);
          p = e < 0 ? this.n : e + 3;
        } else if (this.text.charCodeAt(p + 1) === QM) {
          const e = this.text.indexOf('?>', p + 2);
          p = e < 0 ? this.n : e + 2;
        } else {
          // a markup declaration (<!ENTITY ...>, <!ELEMENT ...>): skip it, honouring quoted literals
          p++;
          while (p < this.n) {
            const d = this.text.charCodeAt(p);
            if (d === DQ || d === SQ) {
              const e = this.text.indexOf(d === DQ ? '"' : "'", p + 1);
              p = e < 0 ? this.n : e + 1;
            } else if (d === GT) {
              p++;
              break;
            } else {
              p++;
            }
          }
        }
      } else {
        p++;
      }
    }
    return this.n;
  }

  // ----- processing instructions ----------------------------------------------------------

  pi(i: number, docStart: number): number {
    const e = this.text.indexOf('?>', i + 2);
    let t = i + 2;
    while (t < this.n && isNameChar(this.text.charCodeAt(t))) t++;
    const isDecl =
      t - i - 2 === 3 &&
      (this.text.charCodeAt(i + 2) | 32) === 120 &&
      (this.text.charCodeAt(i + 3) | 32) === 109 &&
      (this.text.charCodeAt(i + 4) | 32) === 108 &&
      (t >= this.n || isWs(this.text.charCodeAt(t)) || this.text.charCodeAt(t) === QM);
    if (isDecl && i !== docStart && this.want(i)) {
      let blank = true;
      for (let p = docStart; p < i; p++) {
        if (!isWs(this.text.charCodeAt(p))) {
          blank = false;
          break;
        }
      }
      this.report(
        'malformed',
        i,
        t,
        (blank
          ? `The XML declaration '<?xml ...?>' must be the very first thing in the file, but ${i - docStart} blank character(s) come before it; remove them.`
          : `The XML declaration '<?xml ...?>' must be the very first thing in the file; move it to the top or remove it.`) +
          ` ActiveMQ refuses to start with: The processing instruction target matching "[xX][mM][lL]" is not allowed.`,
        blank ? { title: 'Remove the blank text before the XML declaration', edits: [this.edit(docStart, i, '')] } : undefined,
      );
    }
    if (e < 0) {
      if (this.want(i)) this.report('unterminated', i, i + 2, "This processing instruction is never closed with '?>'.");
      return this.n;
    }
    if (isDecl) {
      this.checkXmlDecl(i, e);
    } else if ((t === i + 2 || !(t === e || isWs(this.text.charCodeAt(t)))) && this.want(i)) {
      this.report(
        'malformed',
        i,
        e + 2,
        `'<?' must be followed by a processing-instruction name and a space, as in <?xml version="1.0"?>; ` +
          `'${excerpt(this.text.slice(i, e + 2))}' is not a valid processing instruction.`,
      );
    }
    return e + 2;
  }

  /** Validates `<?xml version="1.0" encoding="..." standalone="..."?>` (text[e] is the '?' of '?>'). */
  checkXmlDecl(i: number, e: number): void {
    const problem = this.xmlDeclProblem(i, e);
    if (problem === undefined || !this.want(i)) return;
    // keep a readable encoding name in the rewritten declaration
    let enc = '';
    const k = this.text.indexOf('encoding', i);
    if (k >= 0 && k < e) {
      let p = k + 8;
      while (p < e && !isAsciiLetter(this.text.charCodeAt(p))) p++;
      const s0 = p;
      while (p < e && (isAsciiLetter(this.text.charCodeAt(p)) || ASCII_NAME[this.text.charCodeAt(p)] === 2 || this.text.charCodeAt(p) === 95)) p++;
      enc = this.text.slice(s0, p);
    }
    const decl = `<?xml version="1.0"${enc ? ` encoding="${enc}"` : ''}?>`;
    this.report('malformed', i, e + 2, `The XML declaration is malformed: ${problem}. Write it as ${decl}.`, {
      title: `Rewrite as ${decl}`,
      edits: [this.edit(i, e + 2, decl)],
    });
  }

  xmlDeclProblem(i: number, e: number): string | undefined {
    if (!this.startsWithAt('<?xml', i)) return "'xml' must be written in lower case";
    const names = ['version', 'encoding', 'standalone'];
    let next = 0; // index in names of the first pseudo-attribute still allowed
    let p = i + 5;
    for (;;) {
      const ws = p;
      while (p < e && isWs(this.text.charCodeAt(p))) p++;
      if (p >= e) break;
      if (p === ws) return `a space is missing before '${excerpt(this.text.slice(p, e), 20)}'`;
      const ns = p;
      while (p < e && isNameChar(this.text.charCodeAt(p))) p++;
      const name = this.text.slice(ns, p);
      const at = names.indexOf(name, next);
      if (at < 0) {
        if (name === '') return `unexpected '${String.fromCharCode(this.text.charCodeAt(p))}'`;
        return names.indexOf(name) >= 0 ? `'${name}' is given twice or out of order (the order is version, encoding, standalone)` : `'${name}' is not allowed there (only version, encoding and standalone are)`;
      }
      if (at > 0 && next === 0) return "'version' is required and must come first";
      next = at + 1;
      while (p < e && isWs(this.text.charCodeAt(p))) p++;
      if (this.text.charCodeAt(p) !== EQ) return `'=' is missing after '${name}'`;
      p++;
      while (p < e && isWs(this.text.charCodeAt(p))) p++;
      const q = this.text.charCodeAt(p);
      if (isTypographicQuote(q)) return `'${name}' is quoted with typographic quotes (${String.fromCharCode(q)} ${codePointName(q)}) instead of straight quotes (")`;
      if (q !== DQ && q !== SQ) return `the value of '${name}' must be quoted`;
      const vs = p + 1;
      const ve = this.text.indexOf(q === DQ ? '"' : "'", vs);
      if (ve < 0 || ve > e) return `the value of '${name}' is not closed`;
      const v = this.text.slice(vs, ve);
      if (at === 0 && !isVersionNum(v)) return `version '${v}' is not valid (use "1.0")`;
      if (at === 1 && !isEncName(v)) return `encoding '${v}' is not a valid encoding name`;
      if (at === 2 && v !== 'yes' && v !== 'no') return `standalone must be "yes" or "no", not '${v}'`;
      p = ve + 1;
    }
    if (next === 0) return "'version' is required";
    return undefined;
  }

  // ----- end tags -----------------------------------------------------------------------

  endTag(i: number): number {
    const src = this.text;
    const len = this.n;
    const ns = i + 2;
    let p = ns;
    if (p < len && isNameStart(src.charCodeAt(p))) {
      p++;
      while (p < len && isNameChar(src.charCodeAt(p))) p++;
    }
    const ne = p;
    while (p < len && isWs(src.charCodeAt(p))) p++;
    let end: number;
    if (p < len && src.charCodeAt(p) === GT) {
      end = p + 1;
    } else {
      // junk or a cut-off end tag: skip to '>' but not past a '<'
      const js = p;
      while (p < len) {
        const c = src.charCodeAt(p);
        if (c === GT || c === LT) break;
        p++;
      }
      const closed = p < len && src.charCodeAt(p) === GT;
      end = closed ? p + 1 : p;
      if (this.want(js)) {
        const shown = ne > ns ? `</${this.text.slice(ns, ne)}>` : "'</'";
        if (closed) {
          this.report('malformed', js, p, `Unexpected text '${excerpt(this.text.slice(js, p))}' in the end tag ${shown}: an end tag holds only the element name.`, {
            title: 'Remove the unexpected text',
            edits: [this.edit(js, p, '')],
          });
        } else {
          this.report('unterminated', i, ne, `The end tag ${shown} is not closed with '>'.`);
        }
      }
    }
    if (ne === ns) {
      if (this.want(i)) this.report('malformed', i, Math.max(end, i + 2), "'</' must be followed by the name of the element to close.");
      return end;
    }
    const name = this.text.slice(ns, ne);
    if (this.cur !== undefined && this.cur.name === name) {
      this.cur.end = end;
      this.pop();
      return end;
    }
    // mismatch: look for the element further down the stack (the search is paid back by the pops)
    let k = -1;
    if (this.isOpen(name)) {
      for (let j = this.stack.length - 2; j >= 0; j--) {
        if (this.stack[j].name === name) {
          k = j;
          break;
        }
      }
    }
    if (k >= 0) {
      const top = this.cur as XmlElement;
      const unclosed = this.stack.length - 1 - k;
      if (this.want(ns)) {
        this.report(
          'mismatched-end-tag',
          ns,
          ne,
          `End tag </${name}> does not match the open element <${top.name}>` +
            (unclosed > 1 ? ` (and ${unclosed - 1} more open element(s) inside <${name}>)` : '') +
            `: close <${top.name}> with </${top.name}> before </${name}>, or make it self-closing with '/>'. ` +
            `ActiveMQ refuses to start with: The element type "${top.name}" must be terminated by the matching end-tag "</${top.name}>".`,
          unclosed === 1 ? { title: `Insert </${top.name}>`, edits: [this.edit(i, i, `</${top.name}>`)] } : undefined,
        );
      }
      while (this.stack.length - 1 > k) {
        (this.cur as XmlElement).end = i;
        this.pop();
      }
      (this.cur as XmlElement).end = end;
      this.pop();
      return end;
    }
    if (this.want(ns)) {
      this.report(
        'unexpected-end-tag',
        ns,
        ne,
        this.cur
          ? `End tag </${name}> has no matching start tag: the open element here is <${this.cur.name}> and no <${name}> is open. The end tag is ignored.`
          : this.roots.length > 0
            ? `End tag </${name}> comes after the root element <${this.roots[0].name}> was closed; it has no matching start tag and is ignored.`
            : `End tag </${name}> has no matching start tag; it is ignored.`,
      );
    }
    return end;
  }

  // ----- start tags ---------------------------------------------------------------------

  /** Start tag at i (text[i] === '<', text[i+1] is a name start). Returns the offset after it. */
  startTag(i: number): number {
    const src = this.text;
    const len = this.n;
    const ns = i + 1;
    let p = ns + 1;
    while (p < len && isNameChar(src.charCodeAt(p))) p++;
    const ne = p;
    if (this.stack.length >= MAX_DEPTH || this.elements >= MAX_ELEMENTS) return this.giveUp(ns, ne);
    this.elements++;
    const name = this.text.slice(ns, ne);
    const colon = name.indexOf(':');
    const el = new Element(name, colon >= 0 ? name.slice(colon + 1) : name, i, this.n, this.cur);
    if (this.cur !== undefined) {
      const parent = this.cur;
      if (parent.children === NO_ELEMENTS) parent.children = [el];
      else parent.children.push(el);
    } else {
      if (this.roots.length > 0 && this.want(ns)) {
        this.report(
          'malformed',
          ns,
          ne,
          `Only one root element is allowed, but <${name}> follows the root element <${this.roots[0].name}>. ` +
            `ActiveMQ refuses to start with: The markup in the document following the root element must be well-formed.`,
        );
      }
      this.roots.push(el);
    }
    let seen: Set<string> | undefined;
    let pending: PendingTagComment[] | undefined;
    let sawWs = false;

    for (;;) {
      const wsFrom = p;
      while (p < len) {
        const c = src.charCodeAt(p);
        if (c === SP || c === LF || c === TAB || c === CR) p++;
        else break;
      }
      if (p > wsFrom) sawWs = true;
      if (p >= len) {
        if (this.want(ns)) {
          this.report('unterminated', ns, ne, `The start tag <${name}> is cut off by the end of the file: close it with '>' or '/>'.`);
        }
        el.startTagEnd = this.n;
        el.end = this.n;
        return this.n;
      }
      const c = src.charCodeAt(p);
      if (c === GT) {
        p++;
        el.startTagEnd = p;
        if (pending) this.finishTagComments(pending, p);
        this.push(el);
        return p;
      }
      if (c === SLASH && src.charCodeAt(p + 1) === GT) {
        p += 2;
        el.startTagEnd = p;
        el.end = p;
        el.selfClosing = true;
        if (pending) this.finishTagComments(pending, p);
        return p;
      }
      if (c < 128 ? ASCII_NAME[c] === 1 : isHighNameStart(c)) {
        p = this.attribute(el, p, sawWs, el.attributes.length > 0 ? el.attributes[el.attributes.length - 1] : undefined);
        // duplicate check (linear for the usual handful of attributes, a set beyond that)
        const attrs = el.attributes;
        const a = attrs[attrs.length - 1];
        if (attrs.length > 1) {
          let dup = false;
          if (seen !== undefined) {
            dup = seen.has(a.name);
            seen.add(a.name);
          } else {
            for (let k = attrs.length - 2; k >= 0; k--) {
              if (attrs[k].name === a.name) {
                dup = true;
                break;
              }
            }
            if (attrs.length >= 8) {
              seen = new Set<string>();
              for (const b of attrs) seen.add(b.name);
            }
          }
          if (dup && this.want(a.nameSpan.start)) {
            this.report(
              'duplicate-attribute',
              a.nameSpan.start,
              a.nameSpan.end,
              `Attribute '${a.name}' is given twice on <${name}>; keep only one. ` +
                `ActiveMQ refuses to start with: Attribute "${a.name}" was already specified for element "${name}".`,
            );
          }
        }
        sawWs = false;
        continue;
      }
      if (c === LT) {
        const c1 = src.charCodeAt(p + 1);
        const c2 = src.charCodeAt(p + 2);
        if (c1 === BANG && ((c2 === DASH && src.charCodeAt(p + 3) === DASH) || c2 === EN_DASH || c2 === EM_DASH)) {
          const cs = p;
          p = c2 === DASH ? this.comment(p) : this.typographicComment(p, true);
          if (this.want(cs)) {
            const d = this.report(
              'comment-in-tag',
              cs,
              p,
              `A comment cannot appear inside the start tag of <${name}>: move it after the tag's closing '>'.`,
            );
            (pending ??= []).push({ diag: d, removeStart: wsFrom, commentStart: cs, commentEnd: p });
          }
          sawWs = true;
          continue;
        }
        // another tag begins: this start tag was never closed
        if (this.want(ns)) {
          this.report(
            'unterminated',
            ns,
            ne,
            `The start tag <${name}> is not closed: '>' or '/>' is missing before the next '<'. ` +
              `ActiveMQ refuses to start with: Element type "${name}" must be followed by either attribute specifications, ">" or "/>".`,
          );
        }
        el.startTagEnd = p;
        el.end = p;
        return p;
      }
      if (c === DQ || c === SQ || isTypographicQuote(c)) {
        // a value without a name
        // skip to the matching quote, but not past the end of the tag
        const qs = p;
        const straight = c === DQ || c === SQ;
        let e = p + 1;
        while (e < len) {
          const d = src.charCodeAt(e);
          if (straight ? d === c : isTypographicQuote(d) || d === DQ || d === SQ) {
            e++;
            break;
          }
          if (d === GT || d === LT) break;
          e++;
        }
        if (this.want(qs)) {
          this.report(
            'malformed',
            qs,
            e,
            `A quoted value '${excerpt(this.text.slice(qs, e))}' in the start tag of <${name}> has no attribute name: write name="value".`,
          );
        }
        p = e;
        sawWs = true;
        continue;
      }
      if (this.isBadChar(c)) {
        p = this.badChar(p, `The start tag of <${name}>`);
        sawWs = true;
        continue;
      }
      if (isOddSpace(c)) {
        if (this.want(p)) {
          this.report(
            'invalid-character',
            p,
            p + 1,
            `The start tag of <${name}> contains ${describeChar(c)}, which looks like a space but is not XML whitespace; replace it with a plain space. ` +
              `ActiveMQ refuses to start with: Element type "${name}" must be followed by either attribute specifications, ">" or "/>".`,
            { title: 'Replace with a plain space', edits: [this.edit(p, p + 1, ' ')] },
          );
        }
        p++;
        sawWs = true;
        continue;
      }
      // junk: skip a run of characters that cannot start anything meaningful
      const js = p;
      p++;
      while (p < len) {
        const d = src.charCodeAt(p);
        if (
          isWs(d) ||
          d === GT ||
          d === LT ||
          d === DQ ||
          d === SQ ||
          (d === SLASH && src.charCodeAt(p + 1) === GT) ||
          isNameStart(d) ||
          isTypographicQuote(d) ||
          isOddSpace(d)
        )
          break;
        p++;
      }
      if (this.want(js)) {
        this.report(
          'malformed',
          js,
          p,
          `Unexpected '${excerpt(this.text.slice(js, p))}' in the start tag of <${name}>: only attributes written name="value" may appear there. ` +
            `ActiveMQ refuses to start with: Element type "${name}" must be followed by either attribute specifications, ">" or "/>".`,
          { title: 'Remove the unexpected text', edits: [this.edit(js, p, '')] },
        );
      }
      sawWs = true;
    }
  }

  finishTagComments(pending: PendingTagComment[], tagEnd: number): void {
    for (const pc of pending) {
      const after = pc.commentEnd < this.n ? this.text.charCodeAt(pc.commentEnd) : GT;
      const needSpace = !(isWs(after) || after === GT || after === SLASH);
      let moved = this.text.slice(pc.commentStart, pc.commentEnd);
      const d = this.text.charCodeAt(pc.commentStart + 2);
      if (d === EN_DASH || d === EM_DASH) {
        // `<!– ... –>` or `<!– ... -->`: move it as a proper comment
        const cd = this.text.charCodeAt(pc.commentEnd - 2);
        const innerEnd = cd === EN_DASH || cd === EM_DASH ? pc.commentEnd - 2 : pc.commentEnd - 3;
        moved = '<!--' + this.text.slice(pc.commentStart + 3, Math.max(pc.commentStart + 3, innerEnd)) + '-->';
      }
      pc.diag.fix = {
        title: 'Move the comment after the tag',
        edits: [
          this.edit(pc.removeStart, pc.commentEnd, needSpace ? ' ' : ''),
          this.edit(tagEnd, tagEnd, ' ' + moved),
        ],
      };
    }
  }

  /** Parses one attribute whose name starts at p; appends it to el.attributes; returns the offset after it. */
  attribute(el: XmlElement, p: number, sawWs: boolean, prev: XmlAttribute | undefined): number {
    const src = this.text;
    const len = this.n;
    const ns = p;
    p++;
    while (p < len && isNameChar(src.charCodeAt(p))) p++;
    const ne = p;
    const aname = this.text.slice(ns, ne);
    if (!sawWs && this.want(ns)) {
      this.report(
        'malformed',
        ns,
        ne,
        (prev ? `Attributes '${prev.name}' and '${aname}'` : `Attribute '${aname}'`) +
          ` on <${el.name}> must be separated by whitespace: write a space before '${aname}'. ` +
          `ActiveMQ refuses to start with: Element type "${el.name}" must be followed by either attribute specifications, ">" or "/>".`,
        { title: `Insert a space before '${aname}'`, edits: [this.edit(ns, ns, ' ')] },
      );
    }
    let q = p;
    while (q < len && isWs(src.charCodeAt(q))) q++;
    let c = q < len ? src.charCodeAt(q) : -1;
    if (c === EQ) {
      const eq = q;
      q++;
      const afterEq = q;
      while (q < len && isWs(src.charCodeAt(q))) q++;
      c = q < len ? src.charCodeAt(q) : -1;
      if (c === DQ || c === SQ) return this.quotedValue(el, aname, ns, ne, q, c);
      if (isTypographicQuote(c)) return this.typographicValue(el, aname, ns, ne, q, c);
      // unquoted value or no value at all
      let e = q;
      while (e < len) {
        const d = src.charCodeAt(e);
        if (isWs(d) || d === GT || d === LT || (d === SLASH && src.charCodeAt(e + 1) === GT)) break;
        e++;
      }
      let missing = e === q;
      if (!missing && q > afterEq) {
        // `a= b="2"`: what follows the blank is the next attribute, not a value
        let k = q;
        while (k < e && isNameChar(src.charCodeAt(k))) k++;
        if (k < e && src.charCodeAt(k) === EQ) missing = true;
      }
      if (missing) {
        if (this.want(eq)) {
          this.report(
            'malformed',
            eq,
            eq + 1,
            `Attribute '${aname}' on <${el.name}> has '=' but no value: write ${aname}="...". ` +
              `ActiveMQ refuses to start with: Open quote is expected for attribute "${aname}" associated with an element type "${el.name}".`,
            { title: 'Insert an empty value ""', edits: [this.edit(eq + 1, eq + 1, '""')] },
          );
        }
        this.pushAttr(el, aname, ns, ne, '', '', afterEq, afterEq, 'none');
        return afterEq;
      }
      const raw = this.text.slice(q, e);
      const value = this.hasAmp(q, e) ? this.decode(q, e, `attribute value of '${aname}'`) : raw;
      if (this.want(q)) {
        const qc = raw.indexOf('"') >= 0 ? "'" : '"';
        this.report(
          'unquoted-attribute',
          q,
          e,
          `The value of attribute '${aname}' must be quoted: write ${aname}=${qc}${excerpt(raw)}${qc}. ` +
            `ActiveMQ refuses to start with: Open quote is expected for attribute "${aname}" associated with an element type "${el.name}".`,
          { title: 'Add quotes around the value', edits: [this.edit(q, q, qc), this.edit(e, e, qc)] },
        );
      }
      this.pushAttr(el, aname, ns, ne, raw, value, q, e, 'none');
      return e;
    }
    if (c === DQ || c === SQ || isTypographicQuote(c)) {
      // `name"value"`: the '=' is missing
      if (this.want(ne)) {
        this.report(
          'malformed',
          ns,
          ne,
          `Attribute '${aname}' on <${el.name}> is missing '=' before its value: write ${aname}="...". ` +
            `ActiveMQ refuses to start with: Attribute name "${aname}" associated with an element type "${el.name}" must be followed by the ' = ' character.`,
          { title: "Insert '='", edits: [this.edit(ne, q, '=')] },
        );
      }
      return c === DQ || c === SQ ? this.quotedValue(el, aname, ns, ne, q, c) : this.typographicValue(el, aname, ns, ne, q, c);
    }
    // a name without '=' and value
    if (this.want(ns)) {
      this.report(
        'malformed',
        ns,
        ne,
        `Attribute '${aname}' on <${el.name}> has no value: write ${aname}="...". ` +
          `ActiveMQ refuses to start with: Attribute name "${aname}" associated with an element type "${el.name}" must be followed by the ' = ' character.`,
      );
    }
    this.pushAttr(el, aname, ns, ne, '', '', ne, ne, 'none');
    return ne;
  }

  /** Is the '=' at `eq` (inside a value starting at vs) the `=` of a next attribute, as in ` name="`? */
  runsIntoNextAttribute(vs: number, eq: number): boolean {
    const src = this.text;
    const len = this.n;
    const d = eq + 1 < len ? src.charCodeAt(eq + 1) : -1;
    if (!(d === DQ || d === SQ || isTypographicQuote(d))) return false;
    let k = eq - 1;
    while (k >= vs && isNameChar(src.charCodeAt(k))) k--;
    return k < eq - 1 && k >= vs && isWs(src.charCodeAt(k)) && isNameStart(src.charCodeAt(k + 1));
  }

  hasAmp(s: number, e: number): boolean {
    const src = this.text;
    for (let k = s; k < e; k++) if (src.charCodeAt(k) === AMP) return true;
    return false;
  }

  pushAttr(
    el: XmlElement,
    name: string,
    ns: number,
    ne: number,
    raw: string,
    value: string,
    vs: number,
    ve: number,
    quote: XmlAttribute['quote'],
  ): void {
    const a = new Attribute(name, ns, ne, raw, value, vs, ve, quote);
    if (el.attributes === NO_ATTRIBUTES) el.attributes = [a];
    else el.attributes.push(a);
  }

  /** Value delimited by a straight quote at q; returns the offset after the closing quote. */
  quotedValue(el: XmlElement, aname: string, ns: number, ne: number, q: number, qc: number): number {
    const src = this.text; // local aliases: much faster than the captured variables in hot loops
    const len = this.n;
    const vs = q + 1;
    let p = vs;
    let amp = false;
    let lt = -1;
    while (p < len) {
      const c = src.charCodeAt(p);
      if (VALUE_SPECIAL[c] === 0) {
        p++;
        continue;
      }
      if (c === qc) break;
      if (c === AMP) amp = true;
      else if (c === LT) {
        if (lt < 0) lt = p;
      } else if (c !== DQ && c !== SQ) {
        p = this.badChar(p, `The value of attribute '${aname}'`);
        continue;
      }
      p++;
    }
    if (p >= len || lt >= 0) {
      const cut = this.runawayValueEnd(vs, p, lt);
      if (cut >= 0) {
        // `directory="x/>` + newline + `<next>`: the closing quote is missing; end the value before the tag end
        const raw = this.text.slice(vs, cut);
        const value = this.hasAmp(vs, cut) ? this.decode(vs, cut, `attribute value of '${aname}'`) : raw;
        if (this.want(q)) {
          const ch = String.fromCharCode(qc);
          const tagEnd = src.charCodeAt(cut) === SLASH ? '/>' : '>';
          this.report(
            'unterminated',
            q,
            q + 1,
            `The value of attribute '${aname}' is not closed: the closing ${ch} seems to be missing before '${tagEnd}'. ` +
              `ActiveMQ refuses to start with: ` +
              (p >= len
                ? 'XML document structures must start and end within the same entity.'
                : `The value of attribute "${aname}" associated with an element type "${el.name}" must not contain the '<' character.`),
            { title: `Insert the closing ${ch}`, edits: [this.edit(cut, cut, ch)] },
          );
        }
        this.pushAttr(el, aname, ns, ne, raw, value, vs, cut, qc === DQ ? '"' : "'");
        return cut;
      }
    }
    const ve = p;
    const raw = this.text.slice(vs, ve);
    const value = amp ? this.decode(vs, ve, `attribute value of '${aname}'`) : raw;
    if (lt >= 0 && this.want(lt)) {
      this.report(
        'malformed',
        lt,
        lt + 1,
        `The value of attribute '${aname}' contains '<', which XML does not allow in attribute values: write '&lt;'. ` +
          `ActiveMQ refuses to start with: The value of attribute "${aname}" associated with an element type "${el.name}" must not contain the '<' character.`,
        { title: "Escape '<' as '&lt;'", edits: [this.edit(lt, lt + 1, '&lt;')] },
      );
    }
    this.pushAttr(el, aname, ns, ne, raw, value, vs, ve, qc === DQ ? '"' : "'");
    if (p >= this.n) {
      if (this.want(q)) {
        const ch = String.fromCharCode(qc);
        this.report(
          'unterminated',
          q,
          q + 1,
          `The value of attribute '${aname}' is never closed: add the closing ${ch} (it runs to the end of the file).`,
        );
      }
      return this.n;
    }
    return p + 1;
  }

  /**
   * A straight-quoted value [vs, ve) that ran to the end of the file (ve === n) or swallowed a '<' (at lt)
   * probably lacks its closing quote. Returns where the value should end (before the '>' or '/>' that ends
   * the tag), or -1 when there is no convincing place. For a '<', the '>' must be followed by a line break
   * before the '<', as in `dir="x/>` + newline + `</persistenceAdapter>`.
   */
  runawayValueEnd(vs: number, ve: number, lt: number): number {
    let g = -1;
    if (lt < 0) {
      g = this.text.indexOf('>', vs);
      if (g >= ve) g = -1;
    } else {
      g = this.text.lastIndexOf('>', lt);
      if (g < vs) return -1;
      let nl = false;
      for (let k = g + 1; k < lt; k++) {
        const c = this.text.charCodeAt(k);
        if (c === LF || c === CR) {
          nl = true;
          break;
        }
      }
      if (!nl) return -1;
    }
    if (g < 0) return -1;
    return g > vs && this.text.charCodeAt(g - 1) === SLASH ? g - 1 : g;
  }

  /** Value opened by a typographic quote at q (recovered); returns the offset after the value. */
  typographicValue(el: XmlElement, aname: string, ns: number, ne: number, q: number, oc: number): number {
    const src = this.text;
    const len = this.n;
    const vs = q + 1;
    let p = vs;
    let closer = -1;
    while (p < len) {
      const c = src.charCodeAt(p);
      if (c === DQ || c === SQ || isTypographicQuote(c)) {
        closer = c;
        break;
      }
      if (c === LT) break;
      if (c === EQ && this.runsIntoNextAttribute(vs, p)) break; // `a=”x b="2"`: the closing quote is missing
      p++;
    }
    let ve: number;
    let after: number;
    if (closer >= 0) {
      ve = p;
      after = p + 1;
    } else {
      // no closing quote: the value ends at whitespace, '>' or '/>'
      p = vs;
      while (p < len) {
        const c = src.charCodeAt(p);
        if (isWs(c) || c === GT || c === LT || (c === SLASH && src.charCodeAt(p + 1) === GT)) break;
        p++;
      }
      ve = p;
      after = p;
    }
    const raw = this.text.slice(vs, ve);
    const value = this.hasAmp(vs, ve) ? this.decode(vs, ve, `attribute value of '${aname}'`) : raw;
    if (this.want(q)) {
      const open = `${String.fromCharCode(oc)} ${codePointName(oc)}`;
      const shown = closer >= 0 && closer !== oc && closer !== DQ && closer !== SQ ? `${open} and ${String.fromCharCode(closer)} ${codePointName(closer)}` : open;
      const straight = raw.indexOf('"') >= 0 ? "'" : '"';
      const edits = [this.edit(q, q + 1, straight)];
      if (closer < 0) edits.push(this.edit(ve, ve, straight));
      else if (closer !== straight.charCodeAt(0)) edits.push(this.edit(ve, ve + 1, straight));
      this.report(
        'typographic-quote',
        q,
        q + 1,
        `Attribute '${aname}' is quoted with typographic quotes (${shown}); XML needs straight quotes (${straight}) — this usually comes from copying a blog page.` +
          (closer < 0 ? ' The closing quote is missing as well.' : '') +
          ` ActiveMQ refuses to start with: Open quote is expected for attribute "${aname}" associated with an element type "${el.name}".`,
        { title: `Replace the typographic quotes with '${straight}'`, edits },
      );
    }
    this.pushAttr(el, aname, ns, ne, raw, value, vs, ve, 'typographic');
    return after;
  }


  // ----- main loop ----------------------------------------------------------------------

  run(): XmlDocument {
    let i = this.n > 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const docStart = i;
    while (i < this.n) {
      i = this.characterData(i);
      if (i < this.n) i = this.markup(i, docStart);
    }
    this.finish(docStart);
    return { roots: this.roots, diagnostics: this.diagnostics };
  }

  /** Character data from `i` up to the next '<' (or the end): appended to the open element; returns where it stops. */
  private characterData(i: number): number {
    const src = this.text;
    const len = this.n;
    // character data up to the next '<'
    const runStart = i;
    let first = -1;
    let last = -1;
    let amp = false;
    while (i < len) {
      const c = src.charCodeAt(i);
      if (c === LT) break;
      if (c > SP) {
        if (first < 0) first = i;
        last = i;
        if (c === AMP) amp = true;
        else if (c === RBRACKET) {
          if (src.charCodeAt(i + 1) === RBRACKET && src.charCodeAt(i + 2) === GT) this.cdataEndInText(i);
        } else if (c >= 0xd800 && (c < 0xe000 || c >= 0xfffe) && this.isBadChar(c)) {
          i = this.badChar(i, this.cur ? `The text of <${this.cur.name}>` : 'The text');
          last = i - 1;
          continue;
        }
      } else if (c !== SP && c !== LF && c !== TAB && c !== CR) {
        if (first < 0) first = i;
        i = this.badChar(i, this.cur ? `The text of <${this.cur.name}>` : 'The text');
        last = i - 1;
        continue;
      }
      i++;
    }
    if (first >= 0) {
      if (this.cur !== undefined) {
        this.appendText(this.cur, amp ? this.decode(runStart, i, this.where()) : this.text.slice(runStart, i), first, last + 1);
      } else {
        this.topLevelText(first, last + 1);
      }
    }
    return i;
  }

  /** The markup at the '<' at `i`: start tag, end tag, `<!...>`, `<?...?>`, or a stray '<'. */
  private markup(i: number, docStart: number): number {
    const src = this.text;
    const len = this.n;
    // markup at '<'
    const c1 = i + 1 < len ? src.charCodeAt(i + 1) : -1;
    if (c1 >= 0 && (c1 < 128 ? ASCII_NAME[c1] === 1 : isHighNameStart(c1))) {
      i = this.startTag(i);
    } else if (c1 === SLASH) {
      i = this.endTag(i);
    } else if (c1 === BANG) {
      i = this.bang(i);
    } else if (c1 === QM) {
      i = this.pi(i, docStart);
    } else {
      // a '<' that starts nothing: keep it as text
      if (this.want(i)) {
        this.report(
          'malformed',
          i,
          i + 1,
          `A '<' that does not start a tag must be written '&lt;'` +
            (c1 >= 0 && isWs(c1) ? " (a tag name must follow '<' immediately)" : '') +
            `. ActiveMQ refuses to start with: The content of elements must consist of well-formed character data or markup.`,
          { title: "Escape '<' as '&lt;'", edits: [this.edit(i, i + 1, '&lt;')] },
        );
      }
      if (this.cur !== undefined) this.appendText(this.cur, '<', i, i + 1);
      i++;
    }
    return i;
  }

  // ----- end of file --------------------------------------------------------------------

  /**
   * Past MAX_DEPTH open elements or MAX_ELEMENTS in all, the tree would cost more memory than any
   * configuration needs: one diagnostic says so and the scan stops (the elements still open are
   * closed at the end of the file without a diagnostic each).
   */
  private giveUp(ns: number, ne: number): number {
    this.truncated = true;
    const deep = this.stack.length >= MAX_DEPTH;
    this.diagnostics.push({
      kind: 'malformed',
      span: { start: ns, end: ne },
      message: deep
        ? `Elements are nested more than ${MAX_DEPTH} levels deep here; the rest of the file is not analysed. A real configuration is nested a few levels deep: is this file generated or damaged?`
        : `The file has more than ${MAX_ELEMENTS} elements; the rest of the file is not analysed. A real configuration has a few hundred: is this file generated or damaged?`,
    });
    return this.n;
  }

  private finish(docStart: number): void {
    if (this.truncated) {
      for (const el of this.stack) el.end = this.n;
      return;
    }
    for (let k = 0; k < this.stack.length; k++) {
      const el = this.stack[k];
      el.end = this.n;
      if (this.want(el.nameSpan.start)) {
        this.report(
          'unclosed-element',
          el.nameSpan.start,
          el.nameSpan.end,
          `<${el.name}> is never closed: add </${el.name}> where it should end. ` +
            `ActiveMQ refuses to start with: XML document structures must start and end within the same entity.`,
        );
      }
    }
    if (this.roots.length === 0 && this.diagnostics.length === 0 && this.want(docStart)) {
      this.report(
        'malformed',
        docStart,
        Math.min(this.n, docStart + 1),
        'The file contains no XML element. ActiveMQ refuses to start with: Premature end of file.',
      );
    }
    if (this.suppressed > 0) {
      this.diagnostics.push({
        kind: 'malformed',
        span: { start: this.firstSuppressedAt, end: Math.min(this.n, this.firstSuppressedAt + 1) },
        message: `${this.suppressed} more XML problem(s) were found but not listed (at most ${MAX_DIAGNOSTICS} are reported per file); fix the ones above and check again.`,
      });
    }
  }
}

export function parseXml(text: string): XmlDocument {
  if (typeof text !== 'string') return { roots: [], diagnostics: [] };
  return new XmlScanner(text).run();
}
