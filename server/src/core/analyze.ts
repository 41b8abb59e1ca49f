/**
 * The core entry point: snapshot in, findings out. No I/O.
 */
import type { AnalysisOptions, Finding, Snapshot } from './types';
import { parseSnapshot, type ParseCache } from './model/parsed';
import { buildModel, type WorkspaceModel } from './model/workspace';
import { RULES } from './rules';
import type { Rule, RuleContext } from './rules/types';
import { applySuppressions } from './suppress';

export interface InternalError {
  rule: string;
  message: string;
}

export interface AnalysisResult {
  model: WorkspaceModel;
  findings: Finding[];
  internalErrors: InternalError[];
}

export function analyzeModel(model: WorkspaceModel, rules: readonly Rule[] = RULES): AnalysisResult {
  const findings: Finding[] = [];
  const internalErrors: InternalError[] = [];
  const overrides = model.options.severityOverrides ?? {};
  for (const rule of rules) {
    const override = overrides[rule.meta.code];
    if (override === 'off') continue;
    const local: Finding[] = [];
    const ctx: RuleContext = {
      model,
      text: (f) => model.files.texts.get(f),
      report(r) {
        local.push({
          code: rule.meta.code,
          severity: override ?? r.severity ?? rule.meta.defaultSeverity,
          file: r.file,
          span: r.span,
          message: r.message,
          related: r.related ?? [],
          ...(r.fixes && r.fixes.length ? { fixes: r.fixes } : {}),
        });
      },
    };
    try {
      rule.check(ctx);
      for (const f of local) findings.push(f);
    } catch (e) {
      internalErrors.push({ rule: rule.meta.code, message: e instanceof Error ? e.message : String(e) });
    }
  }
  const kept = applySuppressions(findings, model.files.texts);
  kept.sort(compareFindings);
  return { model, findings: dedupe(kept), internalErrors };
}

export function analyze(snapshot: Snapshot, options: AnalysisOptions = {}, cache?: ParseCache): AnalysisResult {
  const files = parseSnapshot(snapshot, cache, options.maxFileSize);
  const model = buildModel(files, options);
  return analyzeModel(model);
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.span.start !== b.span.start) return a.span.start - b.span.start;
  if (a.code !== b.code) return a.code < b.code ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

function dedupe(findings: Finding[]): Finding[] {
  const out: Finding[] = [];
  let prev: Finding | undefined;
  for (const f of findings) {
    if (prev && prev.file === f.file && prev.code === f.code && prev.span.start === f.span.start && prev.span.end === f.span.end && prev.message === f.message) continue;
    out.push(f);
    prev = f;
  }
  return out;
}
