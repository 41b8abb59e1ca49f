import type { Rule } from './types';
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
      });
    }
  },
};
