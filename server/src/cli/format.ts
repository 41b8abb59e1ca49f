/** Output formats of the CLI: compiler-style text, JSON, SARIF 2.1.0. */
import type * as sarif from 'sarif';
import type { Finding, Range } from '../core/types';
import { LineIndex } from '../core/text';
import { RULES } from '../core/rules';
import { docPath } from '../core/rules/types';

export interface FolderResult {
  /** folder argument as given */
  folder: string;
  /** absolute folder path */
  abs: string;
  findings: Finding[];
  texts: ReadonlyMap<string, string>;
  model?: import('../core/model/workspace').WorkspaceModel;
}

export interface JsonFinding {
  file: string;
  range: Range;
  severity: Finding['severity'];
  code: string;
  message: string;
  related: { file: string; range: Range; message: string }[];
}

class Ranges {
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

function jsonFinding(f: Finding, rs: Ranges): JsonFinding {
  return {
    file: f.file,
    range: rs.range(f.file, f.span),
    severity: f.severity,
    code: f.code,
    message: f.message,
    related: f.related.map((x) => ({ file: x.file, range: rs.range(x.file, x.span), message: x.message })),
  };
}

export function toJson(r: FolderResult): JsonFinding[] {
  return [...jsonFindings(r)];
}

/** One finding at a time: a large result is never held as one array of converted objects. */
export function* jsonFindings(r: FolderResult): Generator<JsonFinding> {
  const rs = new Ranges(r.texts);
  for (const f of r.findings) yield jsonFinding(f, rs);
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

/** The JSON output: all folders' findings, as one array. */
export function writeJson(w: ChunkedWriter, results: FolderResult[]): void {
  writeJsonArray(w, (function* () {
    for (const r of results) yield* jsonFindings(r);
  })());
  w.write('\n');
  w.flush();
}

/** Text output, line by line. */
export function writeText(w: ChunkedWriter, results: FolderResult[]): void {
  for (const r of results) {
    for (const f of jsonFindings(r)) w.write(`${displayPath(r.folder, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}\n`);
  }
  w.flush();
}

function displayPath(folder: string, file: string): string {
  if (folder === '.' || folder === './' || folder === '') return file;
  return folder.replace(/\\/g, '/').replace(/\/+$/, '') + '/' + file;
}

export function toText(results: FolderResult[]): string {
  const parts: string[] = [];
  writeText(new ChunkedWriter({ write: (s: string) => parts.push(s) }), results);
  return parts.join('');
}

const LEVEL: Record<Finding['severity'], sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: FolderResult[], toolVersion: string): sarif.Log {
  const { log, results: items } = sarifParts(results, toolVersion);
  log.runs[0].results = [...items];
  return log;
}

const RESULTS_MARK = '\u0000results\u0000';

/** SARIF output with its results written one by one; byte-identical to `JSON.stringify(toSarif(...), null, 2)`. */
export function writeSarif(w: ChunkedWriter, results: FolderResult[], toolVersion: string): void {
  const { log, results: items } = sarifParts(results, toolVersion);
  (log.runs[0] as unknown as { results: string }).results = RESULTS_MARK;
  const text = JSON.stringify(log, null, 2);
  const mark = JSON.stringify(RESULTS_MARK);
  const at = text.indexOf(mark);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  w.write(text.slice(0, at));
  writeJsonArray(w, items, indent);
  w.write(text.slice(at + mark.length) + '\n');
  w.flush();
}

function sarifParts(results: FolderResult[], toolVersion: string): { log: sarif.Log; results: Iterable<sarif.Result> } {
  const rules: sarif.ReportingDescriptor[] = RULES.map((r) => ({
    id: r.meta.code,
    name: r.meta.code,
    shortDescription: { text: r.meta.description },
    helpUri: docPath(r.meta.code),
    defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const baseIds: Record<string, sarif.ArtifactLocation> = {};
  results.forEach((r, i) => {
    baseIds[`FOLDER${i}`] = { uri: 'file://' + encodeURI(r.abs.replace(/\\/g, '/').replace(/\/?$/, '/')) };
  });
  function* items(): Generator<sarif.Result> {
    for (let i = 0; i < results.length; i++) {
    const r = results[i];
    const base = `FOLDER${i}`;
    for (const f of jsonFindings(r)) {
      const loc = (file: string, range: Range): sarif.PhysicalLocation => ({
        artifactLocation: { uri: encodeURI(file), uriBaseId: base },
        region: {
          startLine: range.start.line + 1,
          startColumn: range.start.character + 1,
          endLine: range.end.line + 1,
          endColumn: range.end.character + 1,
        },
      });
      yield {
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: loc(f.file, f.range) }],
        relatedLocations: f.related.map((x, k) => ({ id: k + 1, physicalLocation: loc(x.file, x.range), message: { text: x.message } })),
      };
    }
    }
  }
  const log: sarif.Log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'amq-cluster-lint', version: toolVersion, informationUri: 'https://activemq.apache.org/', rules } },
        originalUriBaseIds: baseIds,
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  return { log, results: items() };
}
