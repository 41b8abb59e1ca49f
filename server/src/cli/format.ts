/**
 * Output formats of the CLI: compiler-style text (coloured on a terminal), JSON, SARIF 2.1.0,
 * GitHub workflow commands, JUnit XML. Every format is written finding by finding in chunks (a
 * huge result never becomes one string).
 */
import type * as sarif from 'sarif';
import type { Finding, Range } from '../core/types';
import { LineIndex } from '../core/text';
import { RULES } from '../core/rules';

/** Everything a format needs to know about one run. */
export interface RunOutput {
  /** findings to report, sorted by file and position; paths are workspace-relative */
  findings: readonly Finding[];
  /** workspace-relative path -> text */
  texts: ReadonlyMap<string, string>;
  /** absolute path of the workspace root (SARIF's %SRCROOT%) */
  root: string;
  /** how a workspace-relative path is shown (relative to the current folder) */
  display(rel: string): string;
  /** SARIF partial fingerprint of a finding */
  fingerprint(f: Finding): string;
  /** the absolute documentation URL of a rule */
  docUrl(code: string): string;
  /** a rule's doc page (Markdown), for SARIF `help.markdown` (what code scanning shows as the rule's help) */
  docText?(code: string): string | undefined;
  toolVersion: string;
  /** the tool's home page (SARIF `informationUri`), when it has a public one */
  homepage?: string;
  /** files read (workspace-relative), for formats that list passing files (JUnit) */
  filesRead: readonly string[];
}

export interface JsonFinding {
  file: string;
  range: Range;
  severity: Finding['severity'];
  code: string;
  message: string;
  related: { file: string; range: Range; message: string }[];
}

export class Ranges {
  private idx = new Map<string, LineIndex>();
  constructor(private texts: ReadonlyMap<string, string>) {}
  range(file: string, span: { start: number; end: number }): Range {
    let li = this.idx.get(file);
    if (!li) {
      li = new LineIndex(this.texts.get(file) ?? '');
      this.idx.set(file, li);
    }
    return li.range(span);
  }
}

/** One finding at a time: a large result is never held as one array of converted objects. */
export function* jsonFindings(r: Pick<RunOutput, 'findings' | 'texts' | 'display'>): Generator<JsonFinding> {
  const rs = new Ranges(r.texts);
  for (const f of r.findings) {
    yield {
      file: r.display(f.file),
      range: rs.range(f.file, f.span),
      severity: f.severity,
      code: f.code,
      message: f.message,
      related: f.related.map((x) => ({ file: r.display(x.file), range: rs.range(x.file, x.span), message: x.message })),
    };
  }
}

/**
 * Writes in chunks of about 64 KB instead of building the whole output as one string (a huge
 * result must not become one huge string: V8 caps a string at 512 MB, and memory would double).
 */
export class ChunkedWriter {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly out: { write(s: string): unknown }) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buf.length) this.out.write(this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
}

/** `JSON.stringify(items, null, 2)` at nesting `indent`, written item by item; byte-identical to it. */
export function writeJsonArray(w: ChunkedWriter, items: Iterable<unknown>, indent = ''): void {
  let first = true;
  let chunk: unknown[] = [];
  // a few hundred items at a time, stringified as one array: JSON.stringify indents them as
  // `pad + JSON.stringify(item, null, 2)` with its lines shifted by two spaces would, and at the
  // top level (indent '') no line has to be shifted afterwards
  const flush = (): void => {
    if (chunk.length === 0) return;
    const s = JSON.stringify(chunk, null, 2);
    let inner = s.slice(2, s.length - 2); // without "[\n" and "\n]"
    if (indent) inner = indent + inner.replace(/\n/g, '\n' + indent);
    w.write((first ? '[\n' : ',\n') + inner);
    first = false;
    chunk = [];
  };
  for (const it of items) {
    chunk.push(it);
    if (chunk.length >= 256) flush();
  }
  flush();
  w.write(first ? '[]' : '\n' + indent + ']');
}

/** The JSON output: one array of findings. */
export function writeJson(w: ChunkedWriter, r: RunOutput): void {
  writeJsonArray(w, jsonFindings(r));
  w.write('\n');
  w.flush();
}

// ----- text -----------------------------------------------------------------------------------

export interface Colors {
  error(s: string): string;
  warning(s: string): string;
  info(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const ANSI: Colors = { error: sgr(31, 39), warning: sgr(33, 39), info: sgr(36, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
const id = (s: string) => s;
export const PLAIN: Colors = { error: id, warning: id, info: id, dim: id, bold: id };

export function severityColor(c: Colors, s: Finding['severity']): (x: string) => string {
  return s === 'error' ? c.error : s === 'warning' ? c.warning : c.info;
}

/** `file:line:col: severity code message`, one line per finding. */
export function writeText(w: ChunkedWriter, r: RunOutput, colors: Colors = PLAIN): void {
  for (const f of jsonFindings(r)) {
    const where = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}:`;
    w.write(`${colors.bold(where)} ${severityColor(colors, f.severity)(f.severity)} ${colors.dim(f.code)} ${oneLine(f.message)}\n`);
  }
  w.flush();
}

function oneLine(s: string): string {
  return s.replace(/\r\n|[\r\n]/g, ' ');
}

// ----- GitHub workflow commands ---------------------------------------------------------------

/** Escapes a workflow command's message (`%`, CR, LF). */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value (also `:` and `,`). */
export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', information: 'notice', hint: 'notice' };

/** `::error file=...,line=...,col=...,endLine=...,endColumn=...,title=...::message` per finding. */
export function writeGithub(w: ChunkedWriter, r: RunOutput): void {
  for (const f of jsonFindings(r)) {
    const props = [
      `file=${escapeGithubProperty(f.file)}`,
      `line=${f.range.start.line + 1}`,
      `col=${f.range.start.character + 1}`,
      `endLine=${f.range.end.line + 1}`,
      `endColumn=${f.range.end.character + 1}`,
      `title=${escapeGithubProperty(`amq-cluster-lint ${f.code}`)}`,
    ];
    w.write(`::${GITHUB_LEVEL[f.severity]} ${props.join(',')}::${escapeGithubData(f.message)}\n`);
  }
  w.flush();
}

// ----- JUnit ----------------------------------------------------------------------------------

export function escapeXml(s: string): string {
  // characters XML 1.0 cannot hold at all are replaced
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * JUnit XML as CI systems read it: one test suite per file read, one failing test case per
 * finding (errors as `<failure>`, the rest as passing cases with their text in `<system-out>`, so
 * a warning does not fail a CI's test report unless the exit code does), one passing case for a
 * file without findings.
 */
export function writeJunit(w: ChunkedWriter, r: RunOutput): void {
  const byFile = new Map<string, JsonFinding[]>();
  for (const f of r.filesRead) byFile.set(r.display(f), []);
  for (const f of jsonFindings(r)) {
    let arr = byFile.get(f.file);
    if (!arr) byFile.set(f.file, (arr = []));
    arr.push(f);
  }
  let failures = 0;
  let tests = 0;
  for (const fs of byFile.values()) {
    tests += Math.max(1, fs.length);
    failures += fs.filter((f) => f.severity === 'error').length;
  }
  w.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="amq-cluster-lint" tests="${tests}" failures="${failures}" errors="0">\n`);
  const files = [...byFile.keys()].sort();
  for (const file of files) {
    const fs = byFile.get(file)!;
    const fails = fs.filter((f) => f.severity === 'error').length;
    w.write(`  <testsuite name="${escapeXml(file)}" tests="${Math.max(1, fs.length)}" failures="${fails}" errors="0">\n`);
    if (fs.length === 0) w.write(`    <testcase name="no problems" classname="${escapeXml(file)}"/>\n`);
    for (const f of fs) {
      const where = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const name = `${f.code} at ${f.range.start.line + 1}:${f.range.start.character + 1}`;
      w.write(`    <testcase name="${escapeXml(name)}" classname="${escapeXml(file)}">\n`);
      if (f.severity === 'error') w.write(`      <failure message="${escapeXml(f.message)}" type="${f.code}">${escapeXml(`${where}: ${f.severity} ${f.code} ${f.message}`)}</failure>\n`);
      else w.write(`      <system-out>${escapeXml(`${where}: ${f.severity} ${f.code} ${f.message}`)}</system-out>\n`);
      w.write('    </testcase>\n');
    }
    w.write('  </testsuite>\n');
  }
  w.write('</testsuites>\n');
  w.flush();
}

// ----- SARIF ----------------------------------------------------------------------------------

const LEVEL: Record<Finding['severity'], sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** The uriBaseId every artifact location is relative to: the workspace root. */
export const SRCROOT = '%SRCROOT%';

export const SARIF_FINGERPRINT_KEY = 'amqClusterFinding/v1';

/** A relative path as a URI reference (each segment percent-encoded, slashes kept). */
export function relativeUri(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

/** An absolute folder path as a `file:` URI ending with a slash. */
export function folderUri(abs: string): string {
  let p = abs.replace(/\\/g, '/');
  if (!p.startsWith('/')) p = '/' + p; // C:/x -> /C:/x
  if (!p.endsWith('/')) p += '/';
  return 'file://' + p.split('/').map((s, i) => (i === 1 && /^[A-Za-z]:$/.test(s) ? s : encodeURIComponent(s))).join('/');
}

export function toSarif(r: RunOutput): sarif.Log {
  const { log, results } = sarifParts(r);
  log.runs[0].results = [...results];
  return log;
}

const RESULTS_MARK = '\u0000results\u0000';

/** SARIF output with its results written one by one; byte-identical to `JSON.stringify(toSarif(...), null, 2)`. */
export function writeSarif(w: ChunkedWriter, r: RunOutput): void {
  const { log, results } = sarifParts(r);
  (log.runs[0] as unknown as { results: string }).results = RESULTS_MARK;
  const text = JSON.stringify(log, null, 2);
  const mark = JSON.stringify(RESULTS_MARK);
  const at = text.indexOf(mark);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  w.write(text.slice(0, at));
  writeJsonArray(w, results, indent);
  w.write(text.slice(at + mark.length) + '\n');
  w.flush();
}

/** The most of a doc page SARIF carries per rule. */
const MAX_HELP_CHARS = 32 * 1024;

function helpOf(r: RunOutput, code: string, description: string): sarif.MultiformatMessageString {
  const text = `${description} See ${r.docUrl(code)}`;
  const page = r.docText?.(code);
  return page === undefined ? { text } : { text, markdown: page.length > MAX_HELP_CHARS ? page.slice(0, MAX_HELP_CHARS) + '\n\n(cut)\n' : page };
}

function sarifParts(r: RunOutput): { log: sarif.Log; results: Iterable<sarif.Result> } {
  const rules: sarif.ReportingDescriptor[] = RULES.map((x) => ({
    id: x.meta.code,
    name: x.meta.code
      .split('-')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join(''),
    shortDescription: { text: x.meta.description },
    fullDescription: { text: x.meta.description },
    helpUri: r.docUrl(x.meta.code),
    help: helpOf(r, x.meta.code, x.meta.description),
    defaultConfiguration: { level: LEVEL[x.meta.defaultSeverity] },
    properties: { fixable: x.meta.fixable, scope: x.meta.scope },
  }));
  const ruleIndex = new Map(rules.map((x, i) => [x.id, i]));
  const rs = new Ranges(r.texts);
  const loc = (file: string, span: { start: number; end: number }): sarif.PhysicalLocation => {
    const range = rs.range(file, span);
    return {
      artifactLocation: { uri: relativeUri(file), uriBaseId: SRCROOT },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
      },
    };
  };
  function* items(): Generator<sarif.Result> {
    for (const f of r.findings) {
      const res: sarif.Result = {
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: loc(f.file, f.span) }],
        partialFingerprints: { [SARIF_FINGERPRINT_KEY]: r.fingerprint(f) },
      };
      if (f.related.length) res.relatedLocations = f.related.map((x, k) => ({ id: k + 1, physicalLocation: loc(x.file, x.span), message: { text: x.message } }));
      yield res;
    }
  }
  const log: sarif.Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'amq-cluster-lint', semanticVersion: r.toolVersion, version: r.toolVersion, ...(r.homepage ? { informationUri: r.homepage } : {}), rules } },
        originalUriBaseIds: { [SRCROOT]: { uri: folderUri(r.root), description: { text: 'The root of the linted workspace (the repository root when there is one).' } } },
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  return { log, results: items() };
}
