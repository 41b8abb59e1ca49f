/**
 * What the editor assists answer, in plain offset-based data (the language server turns spans into
 * LSP ranges and kinds into LSP enums; nothing here knows the protocol).
 */
import type { Span } from '../types';

export type CompletionKind = 'snippet' | 'field' | 'class' | 'property' | 'value';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown */
  documentation?: string;
  /** inserted at the cursor (when there is no `edit`) */
  insertText?: string;
  /** replaces `span` of the document with `newText` */
  edit?: { span: Span; newText: string };
  /** insertText / newText is a snippet (`$1`, `${1:x}`, `$0`) */
  snippet?: boolean;
  filterText?: string;
  sortText?: string;
  deprecated?: boolean;
}

export interface HoverInfo {
  /** Markdown */
  markdown: string;
  span: Span;
}
