/**
 * Builds a document from pieces of source files: a ZooKeeper zoo.cfg assembled from a container's
 * environment variables is the image's defaults (mapped onto the image name) plus the variables'
 * values (mapped character for character onto the YAML text).
 */
import type { Span } from '../types';
import type { Segment } from './docmap';
import type { Val } from './containers';

export class DocBuilder {
  text = '';
  readonly segments: Segment[] = [];
  readonly masked: Span[] = [];

  constructor(readonly file: string) {}

  /** Text that stands for a source span (a key name, an image default): not editable. */
  synth(text: string, at: Span): this {
    if (text.length === 0) return this;
    this.segments.push({ docStart: this.text.length, length: text.length, file: this.file, srcStart: at.start, verbatim: false, srcLength: at.end - at.start });
    this.text += text;
    return this;
  }

  /** A value read from the source, keeping its map; `from`/`to` cut a part of it. */
  val(v: Val, from = 0, to = v.text.length): this {
    const base = this.text.length;
    for (const s of v.segments) {
      const a = Math.max(s.docStart, from);
      const b = Math.min(s.docStart + s.length, to);
      if (b <= a) continue;
      if (s.verbatim) this.segments.push({ ...s, docStart: base + (a - from), length: b - a, srcStart: s.srcStart + (a - s.docStart) });
      else this.segments.push({ ...s, docStart: base + (a - from), length: b - a });
    }
    for (const m of v.masked) {
      const a = Math.max(m.start, from);
      const b = Math.min(m.end, to);
      if (b > a || (m.start >= from && m.end <= to)) this.masked.push({ start: base + (a - from), end: base + (b - from) });
    }
    this.text += v.text.slice(from, to);
    return this;
  }

  /** A line break that belongs to the line before it. */
  nl(at: Span): this {
    return this.synth('\n', at);
  }
}

/** A value given as plain text that stands for a source span. */
export function synthVal(text: string, at: Span, file: string): Val {
  return { text, segments: text.length ? [{ docStart: 0, length: text.length, file, srcStart: at.start, verbatim: false, srcLength: at.end - at.start }] : [], masked: [], span: at };
}
