/**
 * The core entry point: snapshot in, findings out. No I/O.
 */
import type { AnalysisOptions, Finding, Severity, Snapshot } from './types';
import { parseSnapshot, type NodeContext, type ParseCache } from './model/parsed';
import { buildModel, type WorkspaceModel } from './model/workspace';
import { RULES } from './rules';
import type { Rule, RuleContext, XmlTarget } from './rules/types';
import type { ReleasableTree } from './parse/xml';
import { applySuppressions } from './suppress';
import { toSources } from './sources/remap';
import { settingEntries } from './options';
import { guardFixes } from './fixguard';
import { boundFinding, capFindings, capRepeats, REPORT_LIMIT_PER_RULE_AND_FILE, type Overflow } from './bounds';

export interface InternalError {
  rule: string;
  message: string;
}

export interface AnalysisResult {
  model: WorkspaceModel;
  findings: Finding[];
  internalErrors: InternalError[];
}

/**
 * Document check findings per parsed file (a parsed object stands for one text): an incremental
 * re-analysis of a cluster re-checks only the files whose text changed, without rebuilding the
 * trees of the others. Owned by whoever keeps the parse results alive (the analysis service's
 * incremental analyzer); a one-shot analysis needs none.
 */
export type DocumentMemo = WeakMap<object, { key: string; found: [Rule, Finding[]][]; overflow: [Rule, Overflow][] }>;

export function analyzeModel(model: WorkspaceModel, rules: readonly Rule[] = RULES, documentMemo?: DocumentMemo): AnalysisResult {
  const overrides = new Map(settingEntries(model.options.severityOverrides));
  const active = rules.filter((r) => overrides.get(r.meta.code) !== 'off');
  const byRule = new Map<Rule, Finding[]>();
  const failed = new Map<Rule, string>();
  const contexts = new Map<Rule, RuleContext>();
  /** per rule: document -> findings reported; beyond REPORT_LIMIT_PER_RULE_AND_FILE only counted */
  const overflowOf = new Map<Rule, Map<string, Overflow>>();
  // root causes and their consequences (Report.cause / Report.effectOf)
  const causes = new Map<string, Finding>();
  const effects = new Map<Finding, string>();
  for (const rule of active) {
    const local: Finding[] = [];
    byRule.set(rule, local);
    const perFile = new Map<string, number>();
    const overflow = new Map<string, Overflow>();
    overflowOf.set(rule, overflow);
    const o = overrides.get(rule.meta.code);
    const override = o === 'error' || o === 'warning' || o === 'information' || o === 'hint' ? (o as Severity) : undefined;
    contexts.set(rule, {
      model,
      text: (f) => model.files.texts.get(f),
      report(r) {
        const n = perFile.get(r.file) ?? 0;
        perFile.set(r.file, n + 1);
        const listed = n < REPORT_LIMIT_PER_RULE_AND_FILE;
        const f = boundFinding({
          code: rule.meta.code,
          severity: override ?? r.severity ?? rule.meta.defaultSeverity,
          file: r.file,
          span: r.span,
          message: listed ? r.message : '',
          related: listed ? (r.related ?? []) : [],
          ...(r.fixes && r.fixes.length && listed ? { fixes: r.fixes } : {}),
          ...(r.tags && r.tags.length ? { tags: r.tags } : {}),
          ...(r.repeat ? { repeat: r.repeat } : {}),
        });
        if (listed) {
          local.push(f);
          if (r.cause !== undefined && !causes.has(r.cause)) causes.set(r.cause, f);
          if (r.effectOf !== undefined) effects.set(f, r.effectOf);
          return;
        }
        let ov = overflow.get(r.file);
        if (!ov) overflow.set(r.file, (ov = { count: 0, first: f }));
        ov.count++;
      },
      atLimit(file) {
        return (perFile.get(file) ?? 0) >= REPORT_LIMIT_PER_RULE_AND_FILE;
      },
    });
  }
  const guarded = (rule: Rule, fn: () => void) => {
    if (failed.has(rule)) return;
    try {
      fn();
    } catch (e) {
      failed.set(rule, e instanceof Error ? e.message : String(e));
    }
  };
  for (const rule of active) if (rule.check) guarded(rule, () => rule.check!(contexts.get(rule)!));
  const docRules = active.filter((r) => r.checkDocument);
  if (docRules.length) {
    const brokerOf = new Map([...model.brokers, ...model.templateBrokers].map((b) => [b.file, b]));
    const targets: [string, 'activemq' | 'jetty', { tree: ReleasableTree }][] = [];
    for (const [file, cfg] of model.files.activemq) targets.push([file, 'activemq', cfg]);
    for (const [file, cfg] of model.files.jetty) targets.push([file, 'jetty', cfg]);
    const signature = docRules.map((r) => `${r.meta.code}=${overrides.get(r.meta.code) ?? ''}`).join(',');
    for (const [file, kind, cfg] of targets) {
      const broker = brokerOf.get(file);
      // the findings of a document depend on its text (the parsed object), path, version and the rules' severities
      const key = `${file}\u0000${broker?.version ?? ''}\u0000${signature}`;
      const memo = documentMemo?.get(cfg);
      if (memo && memo.key === key && memo.found.length === docRules.length && memo.found.every(([r], i) => r === docRules[i])) {
        for (const [rule, fs] of memo.found) for (const f of fs) byRule.get(rule)!.push(f);
        for (const [rule, o] of memo.overflow) overflowOf.get(rule)!.set(file, o);
        continue;
      }
      const before = docRules.map((r) => byRule.get(r)!.length);
      const failedBefore = failed.size;
      const target: XmlTarget = { file, kind, xml: cfg.tree.get(), broker };
      for (const rule of docRules) guarded(rule, () => rule.checkDocument!(contexts.get(rule)!, target));
      if (documentMemo && failed.size === failedBefore) {
        const overflow: [Rule, Overflow][] = [];
        for (const r of docRules) {
          const o = overflowOf.get(r)!.get(file);
          if (o) overflow.push([r, o]);
        }
        documentMemo.set(cfg, { key, found: docRules.map((r, i) => [r, byRule.get(r)!.slice(before[i])]), overflow });
      }
      // rebuilt from the text if anything asks for it again
      cfg.tree.release();
    }
  } else {
    // no document checks: the trees the parse kept for them go now
    for (const cfg of model.files.activemq.values()) cfg.tree.release();
    for (const cfg of model.files.jetty.values()) cfg.tree.release();
  }
  const findings: Finding[] = [];
  const internalErrors: InternalError[] = [];
  const overflow = new Map<string, Overflow>();
  for (const rule of active) {
    const message = failed.get(rule);
    if (message !== undefined) internalErrors.push({ rule: rule.meta.code, message });
    else {
      for (const f of byRule.get(rule)!) findings.push(f);
      for (const o of overflowOf.get(rule)!.values()) {
        // counted per document, summarised per source file (where the user sees them)
        const first = o.first ? toSources([o.first], model.files)[0] ?? o.first : undefined;
        const k = rule.meta.code + '\u0000' + (first?.file ?? '');
        const prev = overflow.get(k);
        if (prev) prev.count += o.count;
        else overflow.set(k, { count: o.count, first });
      }
    }
  }
  // suppression comments are read where findings are shown: in the source files
  const sourceTexts = { get: (f: string) => model.files.sourceTexts.get(f) ?? model.files.texts.get(f) } as ReadonlyMap<string, string>;
  const kept = applySuppressions(toSources(foldEffects(findings, causes, effects), model.files), sourceTexts);
  kept.sort(compareFindings);
  const deduped = dedupe(kept);
  const capped = capFindings(capRepeats(deduped), overflow);
  if (capped !== deduped) capped.sort(compareFindings);
  // fixes edit only workspace files (the sources findings were mapped to) and never escape it
  const texts = { has: (f: string) => model.files.sourceTexts.has(f) || model.files.texts.has(f), get: (f: string) => model.files.sourceTexts.get(f) ?? model.files.texts.get(f) };
  const blocked = model.options.blockedPaths;
  for (let i = 0; i < capped.length; i++) capped[i] = guardFixes(capped[i], texts as unknown as Snapshot, blocked);
  return { model, findings: capped, internalErrors };
}

/** Most consequences folded into one cause finding as related information (the rest are counted). */
const MAX_FOLDED = 20;

/**
 * A finding that follows from another one of the same analysis (its `effectOf` names a reported
 * cause) is not reported by itself: it becomes related information of the cause. The cause
 * finding is copied, never mutated (document-check findings are memoised across analyses).
 */
function foldEffects(findings: Finding[], causes: Map<string, Finding>, effects: Map<Finding, string>): Finding[] {
  if (effects.size === 0 || causes.size === 0) return findings;
  const folded = new Map<Finding, Finding[]>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = effects.get(f);
    const cause = key === undefined ? undefined : causes.get(key);
    if (cause && cause !== f) {
      let arr = folded.get(cause);
      if (!arr) folded.set(cause, (arr = []));
      arr.push(f);
      continue;
    }
    out.push(f);
  }
  if (folded.size === 0) return findings;
  return out.map((f) => {
    const fx = folded.get(f);
    if (!fx) return f;
    const related = [...f.related];
    for (const e of fx.slice(0, MAX_FOLDED)) related.push({ file: e.file, span: e.span, message: `consequence (${e.code}): ${e.message}` });
    if (fx.length > MAX_FOLDED) related.push({ file: f.file, span: f.span, message: `and ${fx.length - MAX_FOLDED} more consequences` });
    return { ...f, related };
  });
}

export function analyze(snapshot: Snapshot, options: AnalysisOptions = {}, cache?: ParseCache, documentMemo?: DocumentMemo, context?: NodeContext): AnalysisResult {
  const files = parseSnapshot(snapshot, cache, options.maxFileSize, context);
  const model = buildModel(files, options);
  return analyzeModel(model, RULES, documentMemo);
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
