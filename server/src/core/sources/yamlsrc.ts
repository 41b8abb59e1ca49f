/**
 * YAML sources (docker-compose files, Kubernetes manifests, Helm values): read with the `yaml`
 * package and its source ranges, never by hand. A string scalar can hold a whole document (an
 * activemq.xml in a ConfigMap's block scalar) or one value (an environment variable); either way
 * its characters are mapped back onto the YAML text, so findings and fixes land on the exact
 * characters inside the scalar.
 */
import type { Document, Scalar } from 'yaml';
import { DocMap, type Segment } from './docmap';

/** The yaml library is loaded on first use only: a lint of a workspace without YAML never pays for it. */
let yamlLib: typeof import('yaml') | undefined;
export function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (yamlLib ??= require('yaml') as typeof import('yaml'));
}

/** Documents bigger than this are not parsed as YAML (the library's work grows faster than linear). */
export const YAML_MAX_LENGTH = 8 * 1024 * 1024;

/** Every document of a (multi-document) YAML text; parse errors leave partial documents. */
export function parseYamlDocuments(text: string): Document[] {
  if (text.length > YAML_MAX_LENGTH) return [];
  try {
    const docs = yaml().parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false, prettyErrors: false, strict: false });
    return Array.isArray(docs) ? docs : [];
  } catch {
    return [];
  }
}

/** A string scalar's value with the map of its characters into the YAML text. */
export interface MappedScalar {
  value: string;
  /** segments in value offsets -> source offsets */
  segments: Segment[];
  /** the scalar's whole source span (for an unmappable value) */
  span: { start: number; end: number };
  /** for a block scalar: its indentation (what an inserted line break must be followed by) */
  indent?: string;
  /** true when every character of the value is a character of the source */
  verbatim: boolean;
}

/**
 * Maps a scalar: plain and quoted scalars on one line without escapes, and literal block scalars
 * (`|`, `|-`, `|+`, with any indentation) map character for character; anything else (folded
 * scalars, escapes, multi-line flow scalars) maps onto the whole scalar and is not editable.
 */
export function mapScalar(file: string, src: string, node: Scalar): MappedScalar | undefined {
  const value = node.value;
  if (typeof value !== 'string' || !node.range) return undefined;
  const [a, b] = node.range;
  const span = { start: a, end: b };
  const whole = (): MappedScalar => ({
    value,
    segments: [{ docStart: 0, length: value.length, file, srcStart: a, verbatim: false, srcLength: b - a }],
    span,
    verbatim: false,
  });
  const raw = src.slice(a, b);
  switch (node.type) {
    case 'PLAIN':
      if (raw === value) return verbatimAt(file, value, a, span);
      return whole();
    case 'QUOTE_SINGLE':
    case 'QUOTE_DOUBLE': {
      const inner = raw.slice(1, -1);
      if (inner === value && !/[\r\n]/.test(inner)) return verbatimAt(file, value, a + 1, span);
      return whole();
    }
    case 'BLOCK_LITERAL':
      return blockLiteral(file, src, node, a, b, value) ?? whole();
    default:
      return whole();
  }
}

function verbatimAt(file: string, value: string, at: number, span: { start: number; end: number }): MappedScalar {
  return { value, segments: [{ docStart: 0, length: value.length, file, srcStart: at, verbatim: true }], span, verbatim: true };
}

/** A literal block scalar: each content line maps to its source line after the indentation. */
function blockLiteral(file: string, src: string, node: Scalar, a: number, b: number, value: string): MappedScalar | undefined {
  // header: `|`, optional indentation indicator and chomping (`|2-`), then the end of the line
  let i = a;
  const headerEnd = nextBreak(src, i, b);
  const header = src.slice(a, headerEnd).replace(/\s+#.*$/, '').trim();
  const m = /^\|([1-9])?([+-])?$|^\|([+-])([1-9])$/.exec(header);
  if (!m) return undefined;
  const explicit = Number(m[1] ?? m[4] ?? 0);
  i = skipBreak(src, headerEnd);
  // the lines of the content
  const lines: { start: number; end: number; next: number }[] = [];
  while (i < b) {
    const e = nextBreak(src, i, b);
    lines.push({ start: i, end: e, next: skipBreak(src, e) });
    i = skipBreak(src, e);
  }
  let indent = explicit;
  if (!indent) {
    // the content's indentation is the first non-blank line's (relative to nothing: absolute columns)
    for (const l of lines) {
      const text = src.slice(l.start, l.end);
      if (text.trim() === '') continue;
      indent = text.length - text.trimStart().length;
      break;
    }
  } else {
    // an explicit indicator counts from the parent's indentation
    const lineStart = src.lastIndexOf('\n', a) + 1;
    const parent = src.slice(lineStart, a);
    indent += parent.length - parent.trimStart().length;
  }
  const segments: Segment[] = [];
  let text = '';
  for (const l of lines) {
    const lineText = src.slice(l.start, l.end);
    const contentStart = Math.min(l.start + indent, l.end);
    if (lineText.trim() === '' && lineText.length <= indent) {
      // an empty line of the block
    } else {
      if (!/^ *$/.test(src.slice(l.start, contentStart))) return undefined; // a tab or less indentation: not ours to map
      const len = l.end - contentStart;
      if (len > 0) segments.push({ docStart: text.length, length: len, file, srcStart: contentStart, verbatim: true });
      text += src.slice(contentStart, l.end);
    }
    if (l.next > l.end) {
      // the line break: one character in the value, `\n` or `\r\n` in the source
      const brk = src.slice(l.end, l.next);
      segments.push(brk === '\n' ? { docStart: text.length, length: 1, file, srcStart: l.end, verbatim: true } : { docStart: text.length, length: 1, file, srcStart: l.end, verbatim: false, srcLength: brk.length });
      text += '\n';
    }
  }
  // chomping decides the trailing line breaks; the value must be a prefix of what we rebuilt
  if (!text.startsWith(value) && !(value.endsWith('\n') && text + '\n' === value)) return undefined;
  const kept = segments.filter((s) => s.docStart < value.length).map((s) => (s.docStart + s.length > value.length ? { ...s, length: value.length - s.docStart } : s));
  return { value, segments: kept, span: { start: a, end: b }, indent: ' '.repeat(indent), verbatim: true };
}

function nextBreak(src: string, i: number, limit: number): number {
  while (i < limit) {
    const c = src.charCodeAt(i);
    if (c === 10 || c === 13) return i;
    i++;
  }
  return limit;
}

function skipBreak(src: string, i: number): number {
  if (src.charCodeAt(i) === 13 && src.charCodeAt(i + 1) === 10) return i + 2;
  if (src.charCodeAt(i) === 10 || src.charCodeAt(i) === 13) return i + 1;
  return i;
}

/** A DocMap for a mapped scalar. */
export function scalarDocMap(s: MappedScalar): DocMap {
  return new DocMap(s.segments);
}
