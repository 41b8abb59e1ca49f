/** Where a "suppress for this line" comment goes, and what it says. */
import type { Finding, Span } from './types';
import { SUPPRESS_DIRECTIVE, logicalLineStart } from './suppress';
import { detectEol } from './text';

export interface SuppressionInsert {
  /** empty span where the comment line is inserted */
  span: Span;
  /** text before the reason */
  prefix: string;
  /** text after the reason (closing the comment, line ending) */
  suffix: string;
}

function lineStartOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text.charCodeAt(i - 1) !== 10 && text.charCodeAt(i - 1) !== 13) i--;
  return i;
}

export function suppressionEdit(f: Finding, text: string): SuppressionInsert | undefined {
  const eol = detectEol(text);
  let anchor = f.span.start;
  let open: string;
  let close = '';
  if (f.file.endsWith('.xml')) {
    // the comment must precede the start tag that holds the finding
    const lt = text.lastIndexOf('<', f.span.start);
    if (lt < 0) return undefined;
    anchor = lt;
    open = '<!-- ';
    close = ' -->';
  } else if (f.file.endsWith('.java')) {
    open = '// ';
  } else if (f.file.endsWith('myid')) {
    return undefined; // myid is read by ZooKeeper as a bare number: no comments possible
  } else {
    open = '# ';
  }
  // outside a YAML block scalar or multi-line value, and outside a properties continuation
  let ls = f.file.endsWith('.xml') || f.file.endsWith('.java') ? lineStartOf(text, anchor) : logicalLineStart(f.file, text, anchor);
  // never before a byte order mark an editor buffer may hold
  if (ls === 0 && text.charCodeAt(0) === 0xfeff) ls = 1;
  const lineEnd = (() => {
    let e = ls;
    while (e < text.length && text.charCodeAt(e) !== 10 && text.charCodeAt(e) !== 13) e++;
    return e;
  })();
  const indent = /^[ \t]*/.exec(text.slice(ls, Math.min(anchor, lineEnd) > ls ? Math.min(anchor, lineEnd) : lineEnd))![0];
  return { span: { start: ls, end: ls }, prefix: `${indent}${open}${SUPPRESS_DIRECTIVE} ${f.code}: `, suffix: `${close}${eol}` };
}
