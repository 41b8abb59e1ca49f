/**
 * Where a document's characters come from. A document is the text one parser reads (an
 * activemq.xml, a zoo.cfg, ...); usually it is a whole file, but it can be cut out of a larger
 * source (the block scalar of a Kubernetes ConfigMap) or assembled from several (a compose
 * service's ZooKeeper environment variables). A DocMap maps every document offset back to a file
 * and an offset in it, so findings and fixes land on the exact characters of the source.
 */
import type { Span } from '../types';

export interface Segment {
  /** first document offset of the segment */
  docStart: number;
  /** number of document characters it covers */
  length: number;
  /** source file (workspace-relative path) */
  file: string;
  /** the source offset of `docStart` */
  srcStart: number;
  /**
   * true when the segment's characters are the source's characters one for one; false when the
   * document holds text that stands for the source span (a synthesised key, a decoded escape):
   * every offset inside then maps onto the whole source span, and edits there cannot be mapped.
   */
  verbatim: boolean;
  /** for a non-verbatim segment: the length of the source span it stands for */
  srcLength?: number;
}

export interface MappedSpan {
  file: string;
  span: Span;
}

export class DocMap {
  /** sorted by docStart, not overlapping */
  readonly segments: readonly Segment[];

  constructor(segments: Segment[]) {
    this.segments = [...segments].sort((a, b) => a.docStart - b.docStart);
  }

  /** The segment holding a document offset (the previous one for an offset in a gap or at the end). */
  private segmentAt(offset: number): Segment | undefined {
    const segs = this.segments;
    if (segs.length === 0) return undefined;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].docStart <= offset) lo = mid;
      else hi = mid - 1;
    }
    return segs[lo];
  }

  /** The source file and offset of a document offset. `end` maps an exclusive end offset. */
  locate(offset: number, end = false): { file: string; offset: number } | undefined {
    // an exclusive end belongs to the segment of the character before it
    const seg = this.segmentAt(end && offset > 0 ? offset - 1 : offset);
    if (!seg) return undefined;
    if (!seg.verbatim) return { file: seg.file, offset: end ? seg.srcStart + (seg.srcLength ?? 0) : seg.srcStart };
    const rel = Math.max(0, Math.min(offset - seg.docStart, seg.length));
    return { file: seg.file, offset: seg.srcStart + rel };
  }

  /** A document span in the source: the file of its start; the end is clamped to that file. */
  mapSpan(span: Span): MappedSpan | undefined {
    const a = this.locate(span.start);
    if (!a) return undefined;
    if (span.end <= span.start) return { file: a.file, span: { start: a.offset, end: a.offset } };
    const b = this.locate(span.end, true);
    if (!b || b.file !== a.file || b.offset < a.offset) {
      const seg = this.segmentAt(span.start)!;
      const segEnd = seg.verbatim ? seg.srcStart + seg.length : seg.srcStart + (seg.srcLength ?? 0);
      return { file: a.file, span: { start: a.offset, end: Math.max(a.offset, segEnd) } };
    }
    return { file: a.file, span: { start: a.offset, end: b.offset } };
  }

  /**
   * A span whose characters are all verbatim in one source file, so that replacing them in the
   * source replaces exactly them in the document; undefined otherwise (the edit cannot be mapped).
   */
  mapEditSpan(span: Span): MappedSpan | undefined {
    const first = this.segmentAt(span.start);
    if (!first) return undefined;
    const segs = this.segments;
    let i = segs.indexOf(first);
    let pos = span.start;
    let file: string | undefined;
    let start: number | undefined;
    let lastEnd: number | undefined;
    // walk the segments the span covers: all verbatim, one file, contiguous in the source
    while (true) {
      const seg = segs[i];
      if (!seg || !seg.verbatim || pos < seg.docStart || pos > seg.docStart + seg.length) return undefined;
      const srcPos = seg.srcStart + (pos - seg.docStart);
      if (file === undefined) {
        file = seg.file;
        start = srcPos;
      } else if (seg.file !== file || srcPos !== lastEnd) return undefined;
      const segEnd = seg.docStart + seg.length;
      if (span.end <= segEnd) return { file, span: { start: start!, end: seg.srcStart + (span.end - seg.docStart) } };
      lastEnd = seg.srcStart + seg.length;
      pos = segEnd;
      i++;
    }
  }
}

/** A document cut verbatim out of one source at a fixed offset (for example a quoted value). */
export function sliceMap(file: string, docLength: number, srcStart: number): DocMap {
  return new DocMap([{ docStart: 0, length: docLength, file, srcStart, verbatim: true }]);
}
