/**
 * Findings are computed on documents; users see files. This step drops what touches unknown
 * (masked template) text and maps every span, related location and fix edit of a document that is
 * cut out of a larger file back onto that file's characters.
 */
import type { Finding, Fix, RelatedInfo, TextEdit } from '../types';
import type { ParsedFiles } from '../model/parsed';
import { touchesMasked } from './template';

export function toSources(findings: Finding[], files: ParsedFiles): Finding[] {
  const out: Finding[] = [];
  // findings of documents that are copies of one source text (a template rendered per host, a
  // file mounted into several containers, a YAML anchor merged into several services)
  const copies = new Set<Finding>();
  for (const f of findings) {
    const doc = files.docs.get(f.file);
    const n = out.length;
    // a finding about template text is about a value nobody can know
    if (doc?.masked && touchesMasked(f.span, doc.masked)) continue;
    if (!needsMapping(f, files)) {
      const fixes = doc?.masked ? (f.fixes ?? []).filter((x) => mapFix(x, files)) : f.fixes;
      out.push(fixes === f.fixes ? f : { ...f, fixes: fixes && fixes.length ? fixes : undefined });
      continue;
    }
    const at = files.toSource(f.file, f.span);
    const related: RelatedInfo[] = [];
    for (const r of f.related) {
      const m = files.toSource(r.file, r.span);
      related.push({ ...r, file: m.file, span: m.span });
    }
    const fixes: Fix[] = [];
    for (const fix of f.fixes ?? []) {
      const mapped = mapFix(fix, files);
      if (mapped) fixes.push(mapped);
    }
    const { fixes: _drop, ...rest } = f;
    void _drop;
    out.push({ ...rest, file: at.file, span: at.span, related, ...(fixes.length ? { fixes } : {}) });
    if (doc && doc.source !== doc.id && out.length > n) copies.add(out[out.length - 1]);
  }
  return copies.size > 1 ? foldCopies(out, copies) : out;
}

/**
 * One mistake in a source text that several documents copy is one finding: findings of copies
 * that land on the same characters with the same rule and severity are reported once, saying for
 * how many nodes. Findings of a document that is its own file are never folded (two different
 * problems may share a span there).
 */
function foldCopies(findings: Finding[], copies: Set<Finding>): Finding[] {
  const first = new Map<string, { f: Finding; count: number }>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (!copies.has(f)) {
      out.push(f);
      continue;
    }
    const key = `${f.code}\u0000${f.severity ?? ''}\u0000${f.file}\u0000${f.span.start}\u0000${f.span.end}`;
    const seen = first.get(key);
    if (seen) {
      seen.count++;
      continue;
    }
    first.set(key, { f, count: 1 });
    out.push(f);
  }
  if (first.size === copies.size) return findings;
  const counts = new Map<Finding, number>();
  for (const { f, count } of first.values()) if (count > 1) counts.set(f, count);
  return out.map((f) => {
    const c = counts.get(f);
    return c ? { ...f, message: `${f.message} (The same text is used by ${c} nodes; reported once.)` } : f;
  });
}

function isMapped(file: string, files: ParsedFiles): boolean {
  const d = files.docs.get(file);
  return !!d && (d.map !== undefined || d.source !== d.id);
}

function needsMapping(f: Finding, files: ParsedFiles): boolean {
  if (isMapped(f.file, files)) return true;
  if (f.related.some((r) => isMapped(r.file, files))) return true;
  return (f.fixes ?? []).some((x) => x.edits.some((e) => isMapped(e.file, files)) || (x.creates ?? []).some((c) => isMapped(c.file, files)));
}

/** A fix whose every edit maps onto verbatim source characters; undefined when one cannot. */
function mapFix(fix: Fix, files: ParsedFiles): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const e of fix.edits) {
    const d = files.docs.get(e.file);
    if (d?.masked && touchesMasked(e.span, d.masked)) return undefined;
    if (!d || (!d.map && d.source === d.id)) {
      edits.push(e);
      continue;
    }
    const m = d.map ? d.map.mapEditSpan(e.span) : { file: d.source, span: e.span };
    if (!m) return undefined;
    let newText = e.newText;
    // a line break is structure: only a document that is a whole file or a block scalar has lines
    // of its own (inside an environment variable's value it would break the YAML or the value)
    if (d.indent === undefined && d.map && /[\r\n]/.test(newText)) return undefined;
    if (d.indent !== undefined && /[\r\n]/.test(newText)) {
      const src = files.sourceTexts.get(m.file) ?? '';
      const eol = src.includes('\r\n') ? '\r\n' : '\n';
      newText = newText.replace(/\r\n|\r|\n/g, eol + d.indent);
    }
    edits.push({ file: m.file, span: m.span, newText });
  }
  // a file to create next to a document held inside another file has no place of its own
  if ((fix.creates ?? []).some((c) => isMapped(c.file, files))) return undefined;
  return { ...fix, edits };
}
