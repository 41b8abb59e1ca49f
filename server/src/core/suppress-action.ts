/** Where a "suppress for this line" comment goes, and what it says. */
import type { Finding, Span } from './types';
import { SUPPRESS_DIRECTIVE } from './suppress';
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
  const ls = lineStartOf(text, anchor);
  const indent = /^[ \t]*/.exec(text.slice(ls, anchor))![0];
  return { span: { start: ls, end: ls }, prefix: `${indent}${open}${SUPPRESS_DIRECTIVE} ${f.code}: `, suffix: `${close}${eol}` };
}
