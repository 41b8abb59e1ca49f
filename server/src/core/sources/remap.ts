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
  for (const f of findings) {
    const doc = files.docs.get(f.file);
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
  }
  return out;
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
