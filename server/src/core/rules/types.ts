import type { Finding, FindingTag, Fix, RelatedInfo, Severity, Span } from '../types';
import type { BrokerNode, WorkspaceModel } from '../model/workspace';
import type { XmlDocument } from '../parse/xml';

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
  tags?: FindingTag[];
  /** a plural noun for a repetitive, mechanical kind of mistake (see Finding.repeat) */
  repeat?: string;
  /**
   * Root causes: `cause` names what this finding explains (e.g. `split-set:<file>`); a finding
   * whose `effectOf` names a cause reported in the same analysis is not reported by itself but
   * folded into that finding as related information (one mistake, one finding).
   */
  cause?: string;
  effectOf?: string;
}

export interface RuleContext {
  readonly model: WorkspaceModel;
  report(r: Report): void;
  /** text of a workspace file (every parsed file is available) */
  text(file: string): string | undefined;
  /**
   * True once this rule has reported as many findings for `file` as will be kept (the rest are
   * only counted): a rule that loops over items of a file may stop computing messages and fixes.
   */
  atLimit(file: string): boolean;
}

/** One XML file handed to a document check, with its parse tree. */
export interface XmlTarget {
  file: string;
  kind: 'activemq' | 'jetty';
  xml: XmlDocument;
  /** for activemq.xml: the broker node it configures */
  broker?: BrokerNode;
}

export interface Rule {
  meta: RuleMeta;
  /** the whole-model check */
  check?(ctx: RuleContext): void;
  /**
   * A check of one XML file's parse tree. Document checks of all rules run file by file, so that
   * only one file's tree (and its schema view) is alive at a time whatever the workspace size.
   */
  checkDocument?(ctx: RuleContext, target: XmlTarget): void;
}

/** Path of a rule's doc page relative to the project root. */
export function docPath(code: string): string {
  return `docs/rules/${code}.md`;
}

export type { Finding };
