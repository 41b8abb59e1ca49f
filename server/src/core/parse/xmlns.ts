/**
 * XML namespace well-formedness: a prefix used on an element or attribute must be declared by an
 * `xmlns:prefix` attribute on that element or an ancestor (Xerces: `The prefix "amq" for element
 * "amq:broker" is not bound.`). Runs over the tolerant tree; iterative, never throws.
 */
import type { XmlDiagnostic, XmlDocument, XmlElement } from './xml';

export function namespaceDiagnostics(doc: XmlDocument): XmlDiagnostic[] {
  const out: XmlDiagnostic[] = [];
  /** each undeclared prefix is reported once, where it is first used */
  const reported = new Set<string>();
  const stack: { el: XmlElement; scope: Set<string> }[] = doc.roots.map((el) => ({ el, scope: new Set(['xml', 'xmlns']) })).reverse();
  while (stack.length && out.length < 100) {
    const { el, scope: parentScope } = stack.pop()!;
    let scope = parentScope;
    for (const a of el.attributes) {
      if (a.name.startsWith('xmlns:')) {
        if (scope === parentScope) scope = new Set(parentScope);
        scope.add(a.name.slice(6));
      }
    }
    const colon = el.name.indexOf(':');
    if (colon > 0) {
      const prefix = el.name.slice(0, colon);
      if (!scope.has(prefix) && !reported.has(prefix)) {
        reported.add(prefix);
        out.push({
          kind: 'malformed',
          span: { start: el.nameSpan.start, end: el.nameSpan.start + colon },
          message: `The prefix "${prefix}" of <${el.name}> is not declared: add xmlns:${prefix}="..." to this element or an ancestor (ActiveMQ refuses to start with: The prefix "${prefix}" for element "${el.name}" is not bound.)`,
        });
      }
    }
    for (const a of el.attributes) {
      const c = a.name.indexOf(':');
      if (c <= 0 || a.name.startsWith('xmlns:')) continue;
      const prefix = a.name.slice(0, c);
      if (!scope.has(prefix) && !reported.has(prefix)) {
        reported.add(prefix);
        out.push({
          kind: 'malformed',
          span: { start: a.nameSpan.start, end: a.nameSpan.start + c },
          message: `The prefix "${prefix}" of attribute ${a.name} is not declared: add xmlns:${prefix}="..." (ActiveMQ refuses to start with: The prefix "${prefix}" for attribute "${a.name}" associated with an element type "${el.name}" is not bound.)`,
        });
      }
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push({ el: el.children[i], scope });
  }
  return out;
}
