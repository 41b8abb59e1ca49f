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
  // prefix -> how many elements on the current path declare it; an element that declares
  // prefixes leaves their names on the stack to be undeclared after its subtree (no scope copies)
  const declared = new Map<string, number>([
    ['xml', 1],
    ['xmlns', 1],
  ]);
  const stack: (XmlElement | string[])[] = [];
  for (let i = doc.roots.length - 1; i >= 0; i--) stack.push(doc.roots[i]);
  while (stack.length && out.length < 100) {
    const top = stack.pop()!;
    if (Array.isArray(top)) {
      for (const p of top) declared.set(p, declared.get(p)! - 1);
      continue;
    }
    const el = top;
    const attrs = el.attributes;
    let mine: string[] | undefined;
    for (let k = 0; k < attrs.length; k++) {
      const name = attrs[k].name;
      if (name.startsWith('xmlns:')) {
        const p = name.slice(6);
        declared.set(p, (declared.get(p) ?? 0) + 1);
        (mine ??= []).push(p);
      }
    }
    const colon = el.name.indexOf(':');
    if (colon > 0) {
      const prefix = el.name.slice(0, colon);
      if (!((declared.get(prefix) ?? 0) > 0) && !reported.has(prefix)) {
        reported.add(prefix);
        out.push({
          kind: 'malformed',
          span: { start: el.nameSpan.start, end: el.nameSpan.start + colon },
          message: `The prefix "${prefix}" of <${el.name}> is not declared: add xmlns:${prefix}="..." to this element or an ancestor (ActiveMQ refuses to start with: The prefix "${prefix}" for element "${el.name}" is not bound.)`,
        });
      }
    }
    for (let k = 0; k < attrs.length; k++) {
      const a = attrs[k];
      const c = a.name.indexOf(':');
      if (c <= 0 || a.name.startsWith('xmlns:')) continue;
      const prefix = a.name.slice(0, c);
      if (!((declared.get(prefix) ?? 0) > 0) && !reported.has(prefix)) {
        reported.add(prefix);
        out.push({
          kind: 'malformed',
          span: { start: a.nameSpan.start, end: a.nameSpan.start + c },
          message: `The prefix "${prefix}" of attribute ${a.name} is not declared: add xmlns:${prefix}="..." (ActiveMQ refuses to start with: The prefix "${prefix}" for attribute "${a.name}" associated with an element type "${el.name}" is not bound.)`,
        });
      }
    }
    if (mine !== undefined) stack.push(mine);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]);
  }
  return out;
}
