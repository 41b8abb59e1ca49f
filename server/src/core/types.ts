/**
 * Shared data shapes of the pure core. Nothing here touches I/O.
 *
 * Offsets are UTF-16 code-unit offsets into the file text as JavaScript holds it
 * (which is what LSP's default position encoding counts), so an offset range can be
 * turned into a {line, character} range with a LineIndex (see text.ts).
 */

export interface Span {
  /** inclusive start offset */
  start: number;
  /** exclusive end offset */
  end: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A value taken from a file together with where its text sits. */
export interface Located<T = string> {
  value: T;
  /** the span of the value's text (for an XML attribute: inside the quotes) */
  span: Span;
  /** the file the value came from (workspace-relative path, forward slashes) */
  file: string;
}

/** A text edit expressed on offsets of one file. */
export interface TextEdit {
  file: string;
  span: Span;
  newText: string;
}

export interface FileCreate {
  /** workspace-relative path of the file to create */
  file: string;
  content: string;
}

export interface Fix {
  title: string;
  /** edits to existing files; applied together */
  edits: TextEdit[];
  /** files to create */
  creates?: FileCreate[];
  /** this is the single obvious fix (LSP isPreferred); only such fixes run in fix-all */
  isPreferred?: boolean;
}

export interface RelatedInfo {
  file: string;
  span: Span;
  message: string;
}

/** What a rule reports: offsets, turned into ranges by the adapters. */
/** Extra marks of a finding (LSP DiagnosticTag): `deprecated` renders the range struck through. */
export type FindingTag = 'deprecated' | 'unnecessary';

export interface Finding {
  code: string;
  severity: Severity;
  file: string;
  span: Span;
  message: string;
  related: RelatedInfo[];
  fixes?: Fix[];
  tags?: FindingTag[];
  /**
   * A plural noun naming a mechanical, repetitive kind of mistake ("typographic quotes"): beyond
   * MAX_REPEATED_PER_FILE of one rule and kind in one file, the rest are summarised in one finding
   * that carries their fixes (core/bounds.ts `capRepeats`).
   */
  repeat?: string;
}

/** A workspace snapshot: relative path (forward slashes, no leading slash) -> text. */
export type Snapshot = ReadonlyMap<string, string>;

export interface AnalysisOptions {
  /** target ActiveMQ version, e.g. "5.17" or "5.15.9"; undefined = detect per node */
  activemqVersion?: string;
  /** target ZooKeeper version, e.g. "3.4" or "3.8.0"; undefined = detect per node (jars, folders, image tags) */
  zookeeperVersion?: string;
  /**
   * per-rule severity overrides ("off" disables the rule). A plain object is read by own
   * properties only (`settingValue`); `normalizeSettings` (options.ts) returns Maps.
   */
  severityOverrides?: ReadonlyMap<string, Severity | 'off'> | Record<string, Severity | 'off'>;
  /** explicit host mapping: node folder (relative path) -> host name */
  hostMap?: ReadonlyMap<string, string> | Record<string, string>;
  /**
   * Files longer than this (in UTF-16 code units, which is bytes for the ASCII these files are
   * written in) are not parsed: the file-too-large rule says so instead. Default DEFAULT_MAX_FILE_SIZE.
   */
  maxFileSize?: number;
  /**
   * Workspace-relative files and folders no fix may edit or create in: what the folder walk left
   * out (links out of the workspace, excluded or unreadable entries) and paths read through a link.
   */
  blockedPaths?: ReadonlySet<string>;
}

/** 8 MiB: real activemq.xml files are 10 to 40 KB, zoo.cfg files well under 1 KB. */
export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;
