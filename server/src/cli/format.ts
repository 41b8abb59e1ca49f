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

export function toJson(r: FolderResult): JsonFinding[] {
  const rs = new Ranges(r.texts);
  return r.findings.map((f) => ({
    file: f.file,
    range: rs.range(f.file, f.span),
    severity: f.severity,
    code: f.code,
    message: f.message,
    related: f.related.map((x) => ({ file: x.file, range: rs.range(x.file, x.span), message: x.message })),
  }));
}

function displayPath(folder: string, file: string): string {
  if (folder === '.' || folder === './' || folder === '') return file;
  return folder.replace(/\\/g, '/').replace(/\/+$/, '') + '/' + file;
}

export function toText(results: FolderResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const f of toJson(r)) {
      lines.push(`${displayPath(r.folder, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

const LEVEL: Record<Finding['severity'], sarif.Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: FolderResult[], toolVersion: string): sarif.Log {
  const rules: sarif.ReportingDescriptor[] = RULES.map((r) => ({
    id: r.meta.code,
    name: r.meta.code,
    shortDescription: { text: r.meta.description },
    helpUri: docPath(r.meta.code),
    defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const baseIds: Record<string, sarif.ArtifactLocation> = {};
  const out: sarif.Result[] = [];
  results.forEach((r, i) => {
    const base = `FOLDER${i}`;
    baseIds[base] = { uri: 'file://' + encodeURI(r.abs.replace(/\\/g, '/').replace(/\/?$/, '/')) };
    for (const f of toJson(r)) {
      const loc = (file: string, range: Range): sarif.PhysicalLocation => ({
        artifactLocation: { uri: encodeURI(file), uriBaseId: base },
        region: {
          startLine: range.start.line + 1,
          startColumn: range.start.character + 1,
          endLine: range.end.line + 1,
          endColumn: range.end.character + 1,
        },
      });
      out.push({
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code),
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: loc(f.file, f.range) }],
        relatedLocations: f.related.map((x, k) => ({ id: k + 1, physicalLocation: loc(x.file, x.range), message: { text: x.message } })),
      });
    }
  });
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: { driver: { name: 'amq-cluster-lint', version: toolVersion, informationUri: 'https://activemq.apache.org/', rules } },
        originalUriBaseIds: baseIds,
        columnKind: 'utf16CodeUnits',
        results: out,
      },
    ],
  };
}
