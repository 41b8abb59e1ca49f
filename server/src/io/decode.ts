/**
 * Bytes of a configuration file -> the text the core analyses. A UTF-8 byte order mark is kept out
 * of the text (editors keep it out of their buffers too, so offsets agree with theirs) and recorded,
 * so that a writer can put it back; UTF-16 with a byte order mark (or XML that starts `<?` in
 * UTF-16, as the XML spec's appendix F detects it) is decoded instead of being read as UTF-8 junk.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Decoded {
  text: string;
  /** the file starts with a byte order mark (not part of `text`) */
  bom: boolean;
  encoding: TextEncodingName;
  /** UTF-8 that is not valid UTF-8 (the bad bytes read as U+FFFD): a writer must not rewrite it */
  invalid?: boolean;
}

/** Decodes `buf[0, length)`. */
export function decodeBytes(buf: Buffer, length: number = buf.length): Decoded {
  const b0 = length > 0 ? buf[0] : -1;
  const b1 = length > 1 ? buf[1] : -1;
  if (b0 === 0xef && b1 === 0xbb && length > 2 && buf[2] === 0xbf) return utf8(buf, 3, length, true);
  if (b0 === 0xff && b1 === 0xfe) return { text: buf.toString('utf16le', 2, 2 + ((length - 2) & ~1)), bom: true, encoding: 'utf-16le' };
  if (b0 === 0xfe && b1 === 0xff) return { text: utf16be(buf, 2, length), bom: true, encoding: 'utf-16be' };
  // no BOM: UTF-16 XML still announces itself with '<' '?' (or '<' and a letter) interleaved with NULs
  if (length >= 4 && b0 === 0x3c && b1 === 0 && buf[3] === 0 && buf[2] !== 0) return { text: buf.toString('utf16le', 0, length & ~1), bom: false, encoding: 'utf-16le' };
  if (length >= 4 && b0 === 0 && b1 === 0x3c && buf[2] === 0 && buf[3] !== 0) return { text: utf16be(buf, 0, length), bom: false, encoding: 'utf-16be' };
  return utf8(buf, 0, length, false);
}

function utf8(buf: Buffer, start: number, end: number, bom: boolean): Decoded {
  const text = buf.toString('utf8', start, end);
  // U+FFFD in the text: either written as such or the mark of invalid bytes
  if (text.indexOf('\ufffd') >= 0 && !isValidUtf8(buf, start, end)) return { text, bom, encoding: 'utf-8', invalid: true };
  return { text, bom, encoding: 'utf-8' };
}

function utf16be(buf: Buffer, start: number, end: number): string {
  const n = (end - start) & ~1;
  const swapped = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i += 2) {
    swapped[i] = buf[start + i + 1];
    swapped[i + 1] = buf[start + i];
  }
  return swapped.toString('utf16le');
}

/** Strict UTF-8 validity (no overlongs, no surrogates, at most U+10FFFF). */
export function isValidUtf8(buf: Uint8Array, start = 0, end = buf.length): boolean {
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = c & 0x07;
    } else return false;
    if (i + need >= end) return false;
    for (let k = 1; k <= need; k++) {
      const d = buf[i + k];
      if ((d & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) return false;
    i += need + 1;
  }
  return true;
}

/** The bytes to write back for a text read as `d` (BOM and encoding restored). */
export function encodeText(text: string, d: Pick<Decoded, 'bom' | 'encoding'>): Buffer {
  if (d.encoding === 'utf-8') return Buffer.from((d.bom ? '\ufeff' : '') + text, 'utf8');
  const le = Buffer.from((d.bom ? '\ufeff' : '') + text, 'utf16le');
  if (d.encoding === 'utf-16le') return le;
  for (let i = 0; i + 1 < le.length; i += 2) {
    const t = le[i];
    le[i] = le[i + 1];
    le[i + 1] = t;
  }
  return le;
}
