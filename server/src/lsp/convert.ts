/** Core data -> LSP shapes: offsets to positions, workspace paths to URIs, core kinds to LSP enums. */
import {
  CompletionItemKind,
  CompletionItemTag,
  InsertTextFormat,
  MarkupKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type DiagnosticSeverity as DS,
  type Hover,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Fix, Severity, Span } from '../core/types';
import type { CompletionEntry, CompletionKind, HoverInfo } from '../core/assist/types';
import { LineIndex } from '../core/text';

export const SOURCE = 'amq-cluster';

const SEVERITY: Record<Severity, DS> = { error: 1, warning: 2, information: 3, hint: 4 };
/** LSP DiagnosticTag values */
const TAG = { unnecessary: 1, deprecated: 2 } as const;

export interface UriResolver {
  /** workspace-relative path -> URI */
  uri(file: string): string;
  /** current text of a workspace file */
  text(file: string): string | undefined;
  /** doc page URL for a rule code */
  docUrl(code: string): string | undefined;
}

/** Texts at least this long keep their line index across requests (a few of them, most recent first). */
const SHARED_INDEX_MIN = 64 * 1024;
const SHARED_INDEX_MAX = 8;
const sharedIndex = new Map<string, LineIndex>();

/** The line index of a text; large texts reuse the one built for the same text by an earlier request. */
export function lineIndexOf(text: string): LineIndex {
  if (text.length < SHARED_INDEX_MIN) return new LineIndex(text);
  let li = sharedIndex.get(text);
  if (li) {
    sharedIndex.delete(text);
  } else {
    li = new LineIndex(text);
    if (sharedIndex.size >= SHARED_INDEX_MAX) sharedIndex.delete(sharedIndex.keys().next().value!);
  }
  sharedIndex.set(text, li);
  return li;
}

export class Ranges {
  private readonly idx = new Map<string, { text: string; li: LineIndex }>();
  constructor(private readonly r: UriResolver) {}
  lineIndex(file: string): LineIndex {
    const text = this.r.text(file) ?? '';
    let e = this.idx.get(file);
    if (!e || e.text !== text) {
      e = { text, li: lineIndexOf(text) };
      this.idx.set(file, e);
    }
    return e.li;
  }
  range(file: string, span: Span) {
    return this.lineIndex(file).range(span);
  }
}

export function toDiagnostic(f: Finding, r: UriResolver, ranges: Ranges): Diagnostic {
  const related: DiagnosticRelatedInformation[] = f.related.map((x) => ({
    location: { uri: r.uri(x.file), range: ranges.range(x.file, x.span) },
    message: x.message,
  }));
  const href = r.docUrl(f.code);
  return {
    range: ranges.range(f.file, f.span),
    severity: SEVERITY[f.severity],
    code: f.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: SOURCE,
    message: f.message,
    ...(related.length ? { relatedInformation: related } : {}),
    ...(f.tags?.length ? { tags: f.tags.map((t) => TAG[t]) } : {}),
  };
}

/**
 * A WorkspaceEdit for a fix: plain `changes` unless files must be created or `versioned` asks for
 * document versions (an edit computed on a text the buffer no longer holds: the client refuses it
 * instead of applying it at the wrong place).
 */
export function toWorkspaceEdit(fix: Fix, r: UriResolver, ranges: Ranges, versions: (file: string) => number | null, versioned = false): WorkspaceEdit {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of fix.edits) {
    let arr = byFile.get(e.file);
    if (!arr) byFile.set(e.file, (arr = []));
    arr.push({ range: ranges.range(e.file, e.span), newText: e.newText });
  }
  if (!versioned && (!fix.creates || fix.creates.length === 0)) {
    const changes: Record<string, LspTextEdit[]> = {};
    for (const [file, edits] of byFile) changes[r.uri(file)] = edits;
    return { changes };
  }
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const c of fix.creates ?? []) {
    const uri = r.uri(c.file);
    // never over an existing file: with ignoreIfExists the edit below would change it, so a file
    // that appeared since the analysis makes the client refuse the whole edit instead
    documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    // The content replaces the new file's whole (empty) text: the range ends on line 1, past its
    // end. VS Code clamps the range to the empty document. Neovim 0.7 holds an empty buffer as one
    // empty line: an insertion of `3\n` at 0:0 left the lines `3` and `` (saved as `3\n\n`), while
    // an edit that reaches past the last line makes it drop the empty last line it leaves (saved as `3\n`).
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, newText: c.content }] });
  }
  for (const [file, edits] of byFile) documentChanges.push({ textDocument: { uri: r.uri(file), version: versions(file) }, edits });
  return { documentChanges };
}

export function toCodeAction(fix: Fix, diagnostics: Diagnostic[], r: UriResolver, ranges: Ranges, versions: (file: string) => number | null, versioned = false): CodeAction {
  return {
    title: fix.title,
    kind: 'quickfix',
    diagnostics,
    isPreferred: fix.isPreferred === true,
    edit: toWorkspaceEdit(fix, r, ranges, versions, versioned),
  };
}

export function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  snippet: CompletionItemKind.Snippet,
  field: CompletionItemKind.Field,
  class: CompletionItemKind.Class,
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
};

/** A core completion entry as an LSP item; `li` indexes the document's text. */
export function toCompletionItem(e: CompletionEntry, li: LineIndex): CompletionItem {
  const item: CompletionItem = { label: e.label, kind: COMPLETION_KIND[e.kind] };
  if (e.detail !== undefined) item.detail = e.detail;
  if (e.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
  if (e.filterText !== undefined) item.filterText = e.filterText;
  if (e.sortText !== undefined) item.sortText = e.sortText;
  if (e.deprecated) item.tags = [CompletionItemTag.Deprecated];
  if (e.edit) item.textEdit = { range: li.range(e.edit.span), newText: e.edit.newText };
  else if (e.insertText !== undefined) item.insertText = e.insertText;
  if (e.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  return item;
}

export function toHover(h: HoverInfo, li: LineIndex): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: li.range(h.span) };
}
