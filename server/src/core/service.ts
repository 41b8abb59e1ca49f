/**
 * The analysis service: one object per workspace that owns its state (the snapshot, the incremental
 * analyzer with its parse cache and memo caches, the tree an editor feature looked at last) and
 * answers every question the editor and the CLI ask, in plain offset-based data, always from the
 * state of the whole workspace: diagnostics, fixes and fix-all, suppression edits, hover, completion
 * with the workspace's values for snippets, the port plan and the generator. It does no I/O: the
 * adapters (lsp/, cli/, tests) feed it texts and turn its answers into their own shapes.
 *
 * In the spirit of rust-analyzer's AnalysisHost and yaml-language-server's LanguageService.
 */
import type { AnalysisOptions, Finding, Fix, Severity } from './types';
import { DEFAULT_MAX_FILE_SIZE } from './types';
import { compareFindings, type AnalysisResult, type InternalError } from './analyze';
import { IncrementalAnalyzer, type UpdateResult, type WorkspaceView } from './incremental';
import { classify } from './model/files';
import { isCandidate } from './sources/recognize';
import { parseXml, type XmlDocument } from './parse/xml';
import type { ActiveMqConfig } from './parse/activemq';
import type { JettyConfig } from './parse/jetty';
import { buildPlan, renderPlanMarkdown, type ClusterPlan } from './plan';
import { fixAll } from './fixes';
import { suppressionEdit, type SuppressionInsert } from './suppress-action';
import { schemaCompletions, schemaHover } from './assist/schema';
import { snippetCompletions, snippetVariables, workspaceHover } from './assist/workspace';
import type { CompletionEntry, HoverInfo } from './assist/types';
import { generateCluster, type ClusterSpec, type GeneratedCluster } from './generate/cluster';
import { placeCluster } from './generate/placement';

/** The editor settings of a workspace folder (`amqCluster.*`), as the client sends them. */
export interface WorkspaceSettings {
  activemqVersion?: string;
  zookeeperVersion?: string;
  severity?: Record<string, Severity | 'off'>;
  hostMap?: Record<string, string>;
  exclude?: string[];
  /** analysis size limit per file, in MB */
  maxFileSize?: number;
}

const MB = 1024 * 1024;

/** The analysis options a folder's settings stand for (the size limit is given in MB). */
export function optionsFromSettings(settings: WorkspaceSettings): AnalysisOptions {
  const mb = Number(settings.maxFileSize);
  return {
    activemqVersion: settings.activemqVersion || undefined,
    zookeeperVersion: settings.zookeeperVersion || undefined,
    severityOverrides: settings.severity,
    hostMap: settings.hostMap,
    maxFileSize: mb > 0 ? Math.round(mb * MB) : DEFAULT_MAX_FILE_SIZE,
  };
}

export interface ServiceConfig {
  /** one-shot use (the CLI): every update analyses the whole snapshot, parse trees kept for its checks */
  batch?: boolean;
}

/** What an update changed: the files whose findings may differ, and the rules that failed. */
export type ServiceUpdate = UpdateResult;

export class AnalysisService {
  private readonly inc: IncrementalAnalyzer;
  private options: AnalysisOptions;
  /** updates run on behalf of a query and not yet reported by update() */
  private unreported?: UpdateResult;
  /** the tree an editor feature used last (one at a time, whatever the workspace size) */
  private editorTree?: { file: string; text: string; doc: XmlDocument; owner?: ActiveMqConfig | JettyConfig };

  constructor(options: AnalysisOptions = {}, config: ServiceConfig = {}) {
    this.options = options;
    this.inc = new IncrementalAnalyzer(options, { batch: config.batch });
  }

  // ---------------------------------------------------------------------------------------------
  // the snapshot

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.inc.setOptions(options);
  }

  get analysisOptions(): AnalysisOptions {
    return this.options;
  }

  /** Whether the core reads a file at this path at all (its content decides what it holds). */
  static understands(path: string): boolean {
    return isCandidate(path);
  }

  setFile(path: string, text: string): void {
    this.inc.set(path, text);
  }

  /** Sets every file of a snapshot. */
  setFiles(snapshot: ReadonlyMap<string, string>): void {
    for (const [p, t] of snapshot) this.inc.set(p, t);
  }

  deleteFile(path: string): void {
    this.inc.delete(path);
  }

  hasFile(path: string): boolean {
    return this.inc.has(path);
  }

  text(path: string): string | undefined {
    return this.inc.text(path);
  }

  paths(): IterableIterator<string> {
    return this.inc.paths();
  }

  /** The next update analyses the whole workspace. */
  invalidate(): void {
    this.inc.invalidate();
  }

  // ---------------------------------------------------------------------------------------------
  // analysis and diagnostics

  /**
   * Brings the analysis up to date with the snapshot and says what changed since the previous
   * update() (including analyses a query ran in between).
   */
  update(): ServiceUpdate {
    const r = this.inc.update();
    const pending = this.unreported;
    this.unreported = undefined;
    return pending ? merge(pending, r) : r;
  }

  /**
   * Builds what partial analyses need from the last whole one (its relation index), if that is
   * still owed: work for an idle moment after the first results are shown. Otherwise the next
   * update() builds it.
   */
  prepare(): void {
    this.inc.prepare();
  }

  /** Analyses pending changes before a query answers (reported by the next update()). */
  private current(): void {
    if (!this.inc.stale) return;
    const r = this.inc.update();
    this.unreported = this.unreported ? merge(this.unreported, r) : r;
  }

  /** Findings of one file (as of the last update). */
  findings(file: string): Finding[] {
    return this.inc.findings(file);
  }

  /** Every finding of the workspace, in the CLI's order. */
  allFindings(): Finding[] {
    return this.inc.allFindings().sort(compareFindings);
  }

  /**
   * A full analysis result of the whole workspace (the CLI's answer; in the editor, the plan's):
   * computed now if only parts of the workspace were analysed since the last full one.
   */
  fullResult(): AnalysisResult {
    this.current();
    return this.inc.fullResult();
  }

  /** The whole workspace's model as the latest analyses see it (cheap: no analysis runs). */
  workspace(): WorkspaceView | undefined {
    this.current();
    return this.inc.workspaceView();
  }

  // ---------------------------------------------------------------------------------------------
  // fixes

  /** One fix made of the preferred, non-overlapping fixes of a file's findings. */
  fixAll(file: string): Fix | undefined {
    return fixAll(this.findings(file));
  }

  /** Where the comment that suppresses a finding goes (none for syntax errors and myid files). */
  suppression(finding: Finding): SuppressionInsert | undefined {
    if (finding.code === 'xml-syntax') return undefined;
    return suppressionEdit(finding, this.text(finding.file) ?? '');
  }

  // ---------------------------------------------------------------------------------------------
  // editor assists

  /** The ActiveMQ version a file is judged against: the setting, else what its node folder tells. */
  versionFor(file: string): string | undefined {
    if (this.options.activemqVersion) return this.options.activemqVersion;
    return this.workspace()?.brokers.find((b) => b.file === file || b.jettyFile === file)?.version;
  }

  /** Completion and hover parse the buffer: not for a file above the analysis limit. */
  private tooLarge(text: string): boolean {
    return text.length > (this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  }

  /**
   * The XML tree of `text`: the analysis's own parse when it parsed this very text (rebuilt from
   * it if released), else a parse of the buffer; kept until an editor feature asks for another.
   */
  private treeOf(file: string, text: string): XmlDocument {
    const held = this.editorTree;
    if (held && held.file === file && held.text === text) return held.doc;
    held?.owner?.tree.release();
    const owner = this.inc.parsedXml(file, text);
    const doc = owner ? owner.tree.get() : parseXml(text);
    this.editorTree = { file, text, doc, ...(owner ? { owner } : {}) };
    return doc;
  }

  /**
   * Completion at `offset` of `file` (whose buffer text is `text`, by default the snapshot's):
   * schema elements, attributes and values, then the snippets with this workspace's values.
   */
  completion(file: string, offset: number, text = this.text(file)): CompletionEntry[] {
    if (text === undefined || this.tooLarge(text)) return [];
    const schema = file.endsWith('.xml') ? schemaCompletions(text, offset, file, this.versionFor(file), this.treeOf(file, text)) : [];
    return [...schema, ...snippetCompletions(file, this.workspace())];
  }

  /** Hover at `offset`: a port's host, quorum arithmetic, else the schema's description. */
  hover(file: string, offset: number, text = this.text(file)): HoverInfo | null {
    if (text === undefined || this.tooLarge(text)) return null;
    const here = workspaceHover(file, offset, this.workspace());
    if (here) return here;
    if (!file.endsWith('.xml')) return null;
    return schemaHover(text, offset, file, this.versionFor(file), this.treeOf(file, text));
  }

  /** The values the `$AMQ_*` snippet variables take in `file`. */
  snippetVariables(file: string): Record<string, string> {
    return snippetVariables(file, this.workspace());
  }

  // ---------------------------------------------------------------------------------------------
  // plan and generator

  /** The cluster picture of the whole workspace. */
  plan(): ClusterPlan {
    const full = this.fullResult();
    return buildPlan(full.model, this.inc.allFindings());
  }

  planMarkdown(title: string): string {
    return renderPlanMarkdown(this.plan(), title);
  }

  /**
   * A new cluster to be written into this workspace: its ports are free on the machines it runs
   * on and its broker name (with the install root, zkPath and shared store it names) is its own,
   * so it collides with nothing here and its ensemble merges with no existing one. Paths are
   * relative to the target folder. Throws GeneratorError for an invalid spec.
   */
  generate(spec: ClusterSpec): GeneratedCluster {
    return generateCluster(placeCluster(this.workspace(), { ...spec, folder: '.' }));
  }
}

function merge(a: UpdateResult, b: UpdateResult): UpdateResult {
  return { affected: new Set([...a.affected, ...b.affected]), full: a.full || b.full, internalErrors: [...a.internalErrors, ...b.internalErrors] };
}

export type { InternalError, SuppressionInsert, CompletionEntry, HoverInfo, ClusterSpec, GeneratedCluster, WorkspaceView };
