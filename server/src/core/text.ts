import type { Position, Range, Span } from './types';

/** Maps offsets to LSP positions (0-based line, UTF-16 character) and back. */
export class LineIndex {
  /** offset at which each line starts */
  private readonly starts: number[];

  constructor(private readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // LF line ends only (the usual file): the native search finds them
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) {
        starts.push(i + 1);
      } else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.starts[lo] };
  }

  offset(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    const lineStart = this.starts[pos.line];
    const lineEnd = pos.line + 1 < this.starts.length ? this.starts[pos.line + 1] : this.text.length;
    return Math.min(lineStart + Math.max(0, pos.character), lineEnd);
  }

  range(span: Span): Range {
    return { start: this.position(span.start), end: this.position(span.end) };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
}

const stringCache = new Map<string, LineIndex>();

/** A LineIndex for a text, memoised for the last few texts seen. */
export function lineIndexFor(text: string): LineIndex {
  let idx = stringCache.get(text);
  if (!idx) {
    if (stringCache.size > 256) stringCache.clear();
    idx = new LineIndex(text);
    stringCache.set(text, idx);
  }
  return idx;
}

/** The line ending of a file (its first line break: LF, CRLF or a lone CR), for edits that insert lines. */
export function detectEol(text: string): string {
  const n = Math.min(text.length, 1 << 20);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return '\n';
    if (c === 13) return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
  }
  return '\n';
}

/** Applies offset edits to a text (edits must not overlap). */
export function applyEdits(text: string, edits: { span: Span; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) {
    out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  }
  return out;
}
