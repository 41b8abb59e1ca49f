/**
 * How the ActiveMQ XSD sees each element of an activemq.xml: namespaces resolved from the
 * `xmlns` / `xmlns:p` declarations in scope, and for elements of the core namespace whether they
 * stand for a schema element (`<kahaDB>`) or for a child group of their parent
 * (`<persistenceAdapter>` inside `<broker>`). Elements and groups alternate, as in the XSD:
 * broker > persistenceAdapter > kahaDB > locker > shared-file-locker.
 */
import type { XmlDocument, XmlElement } from '../parse/xml';
import { CORE_NS, childGroupDef, elementDef, existsIn, type ChildGroupDef, type ElementDef } from './activemq';

export const BEANS_NS = 'http://www.springframework.org/schema/beans';

export type NodeKind =
  /** not in the core namespace (Spring beans, no namespace, other namespaces, `<bean>`): not judged */
  | 'foreign'
  /** a core element standing for a schema element (global declaration) */
  | 'element'
  /** a core element standing for a child group of its parent element */
  | 'group'
  /** a core element below something the schema cannot place (an unknown element, a removed store): not judged */
  | 'opaque';

export interface NodeInfo {
  el: XmlElement;
  /** resolved namespace URI; '' for no namespace; undefined for an undeclared prefix */
  ns: string | undefined;
  kind: NodeKind;
  parent?: NodeInfo;
  /** kind 'element': the schema element (any version), undefined when unknown */
  def?: ElementDef;
  /** kind 'element': true when def exists and exists in the target version (or the version is unknown) */
  available?: boolean;
  /** kind 'group': the group definition of the parent element, undefined when the parent has no such group */
  group?: ChildGroupDef;
  /** namespace prefix bound to the core namespace in scope at this element ('' = default namespace), if any */
  corePrefix?: string;
}

export interface SchemaView {
  nodes: NodeInfo[];
  byElement: Map<XmlElement, NodeInfo>;
}

function prefixOf(name: string): string {
  const i = name.indexOf(':');
  return i > 0 ? name.slice(0, i) : '';
}

/** Classifies every element of the document for the target version. */
export function schemaView(doc: XmlDocument, version: string | undefined): SchemaView {
  const nodes: NodeInfo[] = [];
  // prefix -> stack of bindings in scope ('' = default namespace); pushed on entering an element
  // that declares it, popped on leaving it: O(1) lookups whatever the depth or number of declarations
  const bindings = new Map<string, string[]>([['xml', ['http://www.w3.org/XML/1998/namespace']]]);
  const lookup = (prefix: string): string | undefined => {
    const b = bindings.get(prefix);
    return b && b.length ? b[b.length - 1] : undefined;
  };
  type Frame = { el: XmlElement; parent: NodeInfo | undefined; exit: string[] | undefined };
  const stack: Frame[] = [];
  for (let i = doc.roots.length - 1; i >= 0; i--) stack.push({ el: doc.roots[i], parent: undefined, exit: undefined });
  while (stack.length) {
    const f = stack.pop()!;
    if (f.exit) {
      for (const p of f.exit) bindings.get(p)!.pop();
      continue;
    }
    const { el, parent } = f;
    let declared: string[] | undefined;
    let coreDeclared: string | undefined;
    const attrs = el.attributes;
    for (let k = 0; k < attrs.length; k++) {
      const a = attrs[k];
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        const p = a.name === 'xmlns' ? '' : a.name.slice(6);
        const uri = a.value.trim();
        let b = bindings.get(p);
        if (!b) bindings.set(p, (b = []));
        b.push(uri);
        (declared ??= []).push(p);
        if (uri === CORE_NS && (coreDeclared === undefined || p === '')) coreDeclared = p;
      }
    }
    const prefix = prefixOf(el.name);
    const bound = lookup(prefix);
    const ns = bound !== undefined ? bound : prefix === '' ? '' : undefined;
    // the prefix to write core elements with: inherited unless this element declares namespaces
    let corePrefix: string | undefined = parent?.corePrefix;
    if (declared !== undefined) {
      if (lookup('') === CORE_NS) corePrefix = '';
      else if (coreDeclared !== undefined) corePrefix = coreDeclared;
      else if (corePrefix !== undefined && lookup(corePrefix) !== CORE_NS) corePrefix = undefined;
    }
    // one object shape for every node (the optional fields present, maybe undefined): a spread
    // per optional field made each node a dictionary-mode object
    const info: NodeInfo = { el, ns, kind: 'foreign', parent, def: undefined, available: undefined, group: undefined, corePrefix };
    if (ns === CORE_NS) {
      const p = parent && parent.ns === CORE_NS ? parent : undefined;
      if (el.localName === 'bean') {
        info.kind = 'opaque'; // a Spring bean written in the wrong namespace: not ours to judge
      } else if (!p) {
        setElement(info, version);
      } else if (p.kind === 'element') {
        if (p.def && p.available) {
          info.kind = 'group';
          const g = childGroupDef(p.def.name, el.localName);
          if (g) info.group = g;
        } else info.kind = 'opaque';
      } else if (p.kind === 'group') {
        if (p.group) setElement(info, version);
        else info.kind = 'opaque';
      } else info.kind = 'opaque';
    }
    nodes.push(info);
    if (declared !== undefined) stack.push({ el, parent: undefined, exit: declared });
    for (let i = el.children.length - 1; i >= 0; i--) stack.push({ el: el.children[i], parent: info, exit: undefined });
  }
  return new View(nodes);
}

/** A schema view; the element index is built when asked for (the editor does, the checks do not). */
class View implements SchemaView {
  private index: Map<XmlElement, NodeInfo> | undefined = undefined;
  constructor(readonly nodes: NodeInfo[]) {}
  get byElement(): Map<XmlElement, NodeInfo> {
    if (!this.index) {
      const m = new Map<XmlElement, NodeInfo>();
      for (const n of this.nodes) m.set(n.el, n);
      this.index = m;
    }
    return this.index;
  }
}

function setElement(info: NodeInfo, version: string | undefined): void {
  info.kind = 'element';
  const def = elementDef(info.el.localName);
  if (def) info.def = def;
  info.available = def !== undefined && existsIn(def, version);
}

/** The element children of a node's element, in document order. */
export function elementChildren(info: NodeInfo, view: SchemaView): NodeInfo[] {
  return info.el.children.map((c) => view.byElement.get(c)!).filter(Boolean);
}

/** The bytes of the local part of an element or attribute name (after any `prefix:`). */
export function localNameSpan(name: string, span: { start: number; end: number }): { start: number; end: number } {
  const i = name.indexOf(':');
  return i > 0 ? { start: span.start + i + 1, end: span.end } : span;
}

/**
 * The span of the name in an element's end tag (`</name>`), when the element was closed by a
 * matching end tag; used to rename both tags together.
 */
export function endTagNameSpan(text: string, el: XmlElement): { start: number; end: number } | undefined {
  if (el.selfClosing || el.end <= el.startTagEnd) return undefined;
  const lt = text.lastIndexOf('</', el.end - 1);
  if (lt < el.startTagEnd) return undefined;
  const start = lt + 2;
  if (text.slice(start, start + el.name.length) !== el.name) return undefined;
  const after = text.charCodeAt(start + el.name.length);
  if (!(after === 62 /* > */ || after === 32 || after === 9 || after === 10 || after === 13)) return undefined;
  if (text.slice(start + el.name.length, el.end).trim() !== '>') return undefined;
  return { start, end: start + el.name.length };
}

/** The views of each document (they live and die with its tree; no property added to the document). */
const VIEWS = new WeakMap<XmlDocument, Map<string, SchemaView>>();

/** schemaView, memoised per parsed document and version (several rules and the editor ask for it). */
export function viewFor(doc: XmlDocument, version: string | undefined): SchemaView {
  let m = VIEWS.get(doc);
  if (!m) VIEWS.set(doc, (m = new Map()));
  const key = version ?? '';
  let v = m.get(key);
  if (!v) m.set(key, (v = schemaView(doc, version)));
  return v;
}

/** Edits that rename an element's local name in its start tag and, when present, its end tag. */
export function renameElementEdits(text: string, el: XmlElement, newLocal: string): { span: { start: number; end: number }; newText: string }[] {
  const edits = [{ span: localNameSpan(el.name, el.nameSpan), newText: newLocal }];
  const end = endTagNameSpan(text, el);
  if (end) edits.push({ span: localNameSpan(el.name, end), newText: newLocal });
  return edits;
}
