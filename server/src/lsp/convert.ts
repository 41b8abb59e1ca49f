/** Core data -> LSP shapes. */
import type {
  CodeAction,
  Diagnostic,
  DiagnosticRelatedInformation,
  DiagnosticSeverity as DS,
  TextEdit as LspTextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver';
import type { Finding, Fix, Severity, Span } from '../core/types';
import { LineIndex } from '../core/text';

export const SOURCE = 'amq-cluster';

const SEVERITY: Record<Severity, DS> = { error: 1, warning: 2, information: 3, hint: 4 };

export interface UriResolver {
  /** workspace-relative path -> URI */
  uri(file: string): string;
  /** current text of a workspace file */
  text(file: string): string | undefined;
  /** doc page URL for a rule code */
  docUrl(code: string): string | undefined;
}

export class Ranges {
  private readonly idx = new Map<string, { text: string; li: LineIndex }>();
  constructor(private readonly r: UriResolver) {}
  lineIndex(file: string): LineIndex {
    const text = this.r.text(file) ?? '';
    let e = this.idx.get(file);
    if (!e || e.text !== text) {
      e = { text, li: new LineIndex(text) };
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
  };
}

/** A WorkspaceEdit for a fix: plain `changes` unless files must be created. */
export function toWorkspaceEdit(fix: Fix, r: UriResolver, ranges: Ranges, versions: (file: string) => number | null): WorkspaceEdit {
  const byFile = new Map<string, LspTextEdit[]>();
  for (const e of fix.edits) {
    let arr = byFile.get(e.file);
    if (!arr) byFile.set(e.file, (arr = []));
    arr.push({ range: ranges.range(e.file, e.span), newText: e.newText });
  }
  if (!fix.creates || fix.creates.length === 0) {
    const changes: Record<string, LspTextEdit[]> = {};
    for (const [file, edits] of byFile) changes[r.uri(file)] = edits;
    return { changes };
  }
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const c of fix.creates) {
    const uri = r.uri(c.file);
    // never over an existing file: with ignoreIfExists the insertion below would edit it, so a file
    // that appeared since the analysis makes the client refuse the whole edit instead
    documentChanges.push({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } });
    documentChanges.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.content }] });
  }
  for (const [file, edits] of byFile) documentChanges.push({ textDocument: { uri: r.uri(file), version: versions(file) }, edits });
  return { documentChanges };
}

export function toCodeAction(fix: Fix, diagnostics: Diagnostic[], r: UriResolver, ranges: Ranges, versions: (file: string) => number | null): CodeAction {
  return {
    title: fix.title,
    kind: 'quickfix',
    diagnostics,
    isPreferred: fix.isPreferred === true,
    edit: toWorkspaceEdit(fix, r, ranges, versions),
  };
}

export function sameRange(a: Diagnostic['range'], b: Diagnostic['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
