import type { Finding, Fix, RelatedInfo, Severity, Span } from '../types';
import type { WorkspaceModel } from '../model/workspace';

export interface RuleMeta {
  /** stable kebab-case code; part of the public contract (CLI JSON, editor diagnostics) */
  code: string;
  /** one line: what the rule finds */
  description: string;
  defaultSeverity: Severity;
  /** true when the rule offers quick fixes */
  fixable: boolean;
  /** single-file or cross-node */
  scope: 'file' | 'cross-node';
}

export interface Report {
  file: string;
  span: Span;
  message: string;
  /** defaults to the rule's default severity */
  severity?: Severity;
  related?: RelatedInfo[];
  fixes?: Fix[];
}

export interface RuleContext {
  readonly model: WorkspaceModel;
  report(r: Report): void;
  /** text of a workspace file (every parsed file is available) */
  text(file: string): string | undefined;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Path of a rule's doc page relative to the project root. */
export function docPath(code: string): string {
  return `docs/rules/${code}.md`;
}

export type { Finding };
