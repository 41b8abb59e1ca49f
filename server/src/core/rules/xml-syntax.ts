import type { Rule } from './types';
import type { XmlDiagnosticKind } from '../parse/xml';

/** Mechanical mistakes that a pasted file repeats many times: summarised beyond a few per file (core/bounds.ts). */
const REPEATED: Partial<Record<XmlDiagnosticKind, string>> = {
  'typographic-quote': 'typographic (curly) quotes',
  'bare-ampersand': "bare '&' characters",
  'typographic-comment': 'comments written with typographic dashes',
  'unquoted-attribute': 'unquoted attribute values',
  'invalid-character': 'characters XML does not allow',
};
import { namespaceDiagnostics } from '../parse/xmlns';

/** XML that ActiveMQ's parser (Xerces) rejects, with the blog copy-paste mistakes named precisely. */
export const rule: Rule = {
  meta: {
    code: 'xml-syntax',
    description: 'activemq.xml / jetty.xml is not well-formed XML (bare &, typographic quotes, comment inside a tag, unclosed tags, ...).',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'file',
  },
  checkDocument(ctx, { file, xml }) {
    for (const d of [...xml.diagnostics, ...namespaceDiagnostics(xml)]) {
      ctx.report({
        file,
        span: d.span,
        message: d.message,
        fixes: d.fix ? [{ title: d.fix.title, edits: d.fix.edits.map((e) => ({ file, span: e.span, newText: e.newText })), isPreferred: true }] : undefined,
        repeat: 'kind' in d ? REPEATED[d.kind] : undefined,
      });
    }
  },
};
