/**
 * Completion and hover from the ActiveMQ schema (schemas/activemq.schema.json) and the web console
 * schema (schemas/jetty.schema.json): child elements valid where the cursor is (inserted as whole
 * elements), attribute names not yet on the start tag, enumerated / boolean / token values inside
 * an attribute value; and for an element or attribute its type, default, description and versions.
 * Pure: text, offset and (when the analysis service holds it) the parsed tree in; offset-based
 * entries out.
 */
import { parseXml, type XmlAttribute, type XmlDocument, type XmlElement } from '../parse/xml';
import { classify } from '../model/files';
import type { Span } from '../types';
import type { CompletionEntry, HoverInfo } from './types';
import {
  CORE_NS,
  SCHEMA_VERSION,
  WEB_CONSOLE_BEAN_CLASS,
  attributeDef,
  attributesIn,
  availability,
  defaultFor,
  describeVersions,
  elementDef,
  elementsIn,
  existsIn,
  groupElementsIn,
  webConsoleProperties,
  webConsoleProperty,
  type AttributeDef,
  type BeanPropertyDef,
  type ChildGroupDef,
  type ElementDef,
} from '../schema/activemq';
import { BEANS_NS, viewFor, type NodeInfo } from '../schema/context';

// ---------------------------------------------------------------------------------------------
// where the cursor is

type Where =
  | { kind: 'top' }
  | { kind: 'content'; el: XmlElement }
  | { kind: 'element-name'; el: XmlElement }
  | { kind: 'tag'; el: XmlElement }
  | { kind: 'attribute-name'; el: XmlElement; attr: XmlAttribute }
  | { kind: 'attribute-value'; el: XmlElement; attr: XmlAttribute };

/** True when the start tag ends with `>` (not cut off by the next tag or the end of the file). */
function tagClosed(text: string, el: XmlElement): boolean {
  return text.charCodeAt(el.startTagEnd - 1) === 62;
}

function locate(text: string, doc: XmlDocument, offset: number): Where {
  let list = doc.roots;
  let found: XmlElement | undefined;
  for (;;) {
    const c = list.find((e) => e.start < offset && (offset < e.end || (offset === e.end && !tagClosed(text, e))));
    if (!c) break;
    found = c;
    list = c.children;
  }
  if (!found) return { kind: 'top' };
  const el = found;
  if (offset >= el.nameSpan.start && offset <= el.nameSpan.end) return { kind: 'element-name', el };
  const closed = tagClosed(text, el);
  const tagInnerEnd = closed ? el.startTagEnd - (el.selfClosing ? 2 : 1) : el.startTagEnd;
  if (offset > el.nameSpan.end && offset <= tagInnerEnd) {
    for (const a of el.attributes) {
      if (a.quote !== 'none' && offset >= a.valueSpan.start && offset <= a.valueSpan.end) return { kind: 'attribute-value', el, attr: a };
      if (offset >= a.nameSpan.start && offset <= a.nameSpan.end) return { kind: 'attribute-name', el, attr: a };
    }
    return { kind: 'tag', el };
  }
  return { kind: 'content', el };
}

// ---------------------------------------------------------------------------------------------
// shared texts

function fmt(v: unknown): string {
  return typeof v === 'string' ? (v === '' ? '""' : v) : JSON.stringify(v);
}

function versionLine(v: { since?: string; removed?: string; unsupportedSince?: string }, version: string | undefined): string | undefined {
  const d = describeVersions(v);
  if (!d) return undefined;
  const a = availability(v, version);
  const note = a === 'removed' ? ` — **not in ${version}**` : a === 'not-yet' ? ` — **not yet in ${version}**` : '';
  return `Versions: ${d}${note}`;
}

function attributeDoc(a: AttributeDef, version: string | undefined): string {
  const lines: string[] = [];
  const head = [`\`${a.xsdType}\``];
  const def = defaultFor(a, version);
  if (def !== undefined) head.push(`default \`${fmt(def)}\`${a.versionDefaults && version ? ` (for ${version})` : ''}`);
  lines.push(head.join(' · '));
  if (a.enum) lines.push(`Values: ${a.enum.map((e) => `\`${e}\``).join(' | ')}${a.enumCaseInsensitive ? ' (any case)' : ''}`);
  if (a.propertyEditor === 'boolean') lines.push('Converted by ActiveMQ\'s BooleanEditor: `true` or `false` in any case, nothing else.');
  else if (a.propertyEditor) lines.push(`A byte size: digits with an optional unit \`b\`, \`kb\`, \`mb\` or \`gb\` (any case), e.g. \`512 mb\`${a.propertyEditor === 'memory-int' ? '; at most 2047 mb (a Java int)' : ''}.`);
  if (a.tokens) lines.push(`A \`${a.tokenSeparator ?? ','}\`-separated list of: ${a.tokens.map((e) => `\`${e}\``).join(', ')}`);
  if (a.description) lines.push(a.description);
  const v = versionLine(a, version);
  if (v) lines.push(v);
  return lines.join('\n\n');
}

function elementDoc(e: ElementDef, version: string | undefined): string {
  const lines: string[] = [];
  if (e.description) lines.push(e.description);
  if (e.javaClass) lines.push(`Class: \`${e.javaClass}\``);
  const v = versionLine(e, version);
  if (v) lines.push(v);
  const groups = [...e.children.keys()];
  if (groups.length) lines.push(`Child groups: ${groups.map((g) => `\`${g}\``).join(', ')}`);
  return lines.join('\n\n');
}

function groupMembers(g: ChildGroupDef, version: string | undefined): string[] {
  return groupElementsIn(g, version) ?? [];
}

function groupDoc(g: ChildGroupDef, version: string | undefined): string {
  const lines: string[] = [];
  if (g.description) lines.push(g.description);
  if (g.any) lines.push('May hold any element (ActiveMQ elements or Spring beans).');
  else {
    const m = groupMembers(g, version);
    lines.push(`${g.multiple ? 'May hold' : 'Holds one of'}: ${m.map((x) => `\`${x}\``).join(', ') || '(Spring beans only)'}`);
  }
  return lines.join('\n\n');
}


/** The prefix to write for a new core element inside `info`'s element ('' when core is the default namespace). */
function corePrefixFor(info: NodeInfo | undefined): string | undefined {
  if (!info) return undefined;
  const own = info.el.name.indexOf(':');
  if (info.ns === CORE_NS) return own > 0 ? info.el.name.slice(0, own) : '';
  return info.corePrefix;
}

// ---------------------------------------------------------------------------------------------
// completion

/**
 * The children of `<broker>` in the conf/activemq.xml that ActiveMQ distributions ship (checked
 * against 5.17.2's, test/fixtures/layouts/default-activemq-5.17.2.fixture): offered first.
 */
const SHIPPED_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  broker: ['destinationPolicy', 'managementContext', 'persistenceAdapter', 'systemUsage', 'transportConnectors', 'shutdownHooks'],
};

/**
 * Where a child group goes in the list: 0 the children the shipped configuration writes, 1 groups
 * that hold schema elements, 2 bean-valued properties XBean exposes from getters and setters
 * (`adminView`, `brokerContext`, ...), which hold any Spring bean and are rarely written by hand.
 */
function groupRank(g: ChildGroupDef): number {
  if (SHIPPED_CHILDREN[g.element]?.includes(g.name)) return 0;
  return g.any && !(g.elements && g.elements.length) ? 2 : 1;
}

/** `$`, `}` and `\` are snippet syntax. */
function snippetEscape(s: string): string {
  return s.replace(/[$}\\]/g, '\\$&');
}

/**
 * The rest of a new element after its name, as a snippet: an end tag when the schema lets it hold
 * children (a child group always does), else self-closing. With attributes, the cursor stops in
 * the start tag first (`$1`), then between the tags.
 */
function elementTail(qname: string, holdsChildren: boolean, takesAttributes: boolean): string {
  if (!holdsChildren) return '$0/>';
  return `${takesAttributes ? '$1' : ''}>$0</${snippetEscape(qname)}>`;
}

function holdsChildren(e: ElementDef): boolean {
  return e.content !== 'empty' && e.children.size > 0;
}

export function schemaCompletions(text: string, offset: number, rel: string, version: string | undefined, parsed?: XmlDocument): CompletionEntry[] {
  if (typeof text !== 'string' || offset < 0 || offset > text.length) return [];
  const doc = parsed ?? parseXml(text);
  const where = locate(text, doc, offset);
  const kind = classify(rel);
  if (kind === 'jetty') return jettyCompletions(where);
  if (kind !== 'activemq' && !(rel.endsWith('.xml') && text.includes(CORE_NS))) return [];
  const view = viewFor(doc, version);
  switch (where.kind) {
    case 'content':
      return childCompletions(text, offset, view.byElement.get(where.el), version, undefined);
    case 'element-name': {
      const parent = where.el.parent ? view.byElement.get(where.el.parent) : undefined;
      return childCompletions(text, offset, parent, version, where.el);
    }
    case 'tag':
      return attributeCompletions(view.byElement.get(where.el), version, undefined);
    case 'attribute-name':
      return attributeCompletions(view.byElement.get(where.el), version, where.attr);
    case 'attribute-value':
      return valueCompletions(text, offset, view.byElement.get(where.el), where.attr, version);
    default:
      return [];
  }
}

/**
 * Child elements valid in `info`'s element. `typed`: the element whose name is being typed (its
 * name is replaced); otherwise the cursor is in content, after a `<` or not.
 */
function childCompletions(text: string, offset: number, info: NodeInfo | undefined, version: string | undefined, typed: XmlElement | undefined): CompletionEntry[] {
  if (!info) return [];
  const items: CompletionEntry[] = [];
  // a name being typed in a start tag that is not finished yet (no `>`, no attributes): the whole
  // element is written; otherwise (renaming an existing tag) only the name is replaced
  const whole = !typed || (!tagClosed(text, typed) && typed.attributes.length === 0);
  const afterLt = typed !== undefined || text.charCodeAt(offset - 1) === 60; // '<'
  // `<|>`: the `>` after the cursor is part of what is replaced
  const gtAfter = (at: number) => (text.charCodeAt(at) === 62 ? 1 : 0);
  /** The entry for an element or group `qname`; `tail` completes it after the name (snippet). */
  const entry = (qname: string, tail: string, base: Omit<CompletionEntry, 'label'>): CompletionEntry => {
    const item: CompletionEntry = { label: qname, ...base };
    if (typed) {
      const span = whole ? { start: typed.nameSpan.start, end: typed.nameSpan.end + gtAfter(typed.nameSpan.end) } : typed.nameSpan;
      item.edit = { span, newText: whole ? snippetEscape(qname) + tail : qname };
      if (whole) item.snippet = true;
    } else if (gtAfter(offset)) {
      item.edit = { span: { start: offset, end: offset + 1 }, newText: (afterLt ? '' : '<') + snippetEscape(qname) + tail };
      item.snippet = true;
    } else {
      item.insertText = (afterLt ? '' : '<') + snippetEscape(qname) + tail;
      item.snippet = true;
    }
    return item;
  };
  const prefix = corePrefixFor(info);
  const qualified = (name: string) => (prefix ? prefix + ':' : '') + name;
  if (info.kind === 'element' && info.def && info.available) {
    if (info.def.content === 'empty') return [];
    for (const g of info.def.children.values()) {
      const qname = qualified(g.name);
      const doc = groupDoc(g, version);
      items.push(
        entry(qname, elementTail(qname, true, false), {
          kind: 'field',
          detail: `child group of <${info.def.name}>`,
          ...(doc ? { documentation: doc } : {}),
          filterText: qname,
          sortText: `0${groupRank(g)}${g.name}`,
        }),
      );
    }
  } else if (info.kind === 'group' && info.group) {
    const names = info.group.any ? elementsIn(version) : groupMembers(info.group, version);
    for (const n of names) {
      const e = elementDef(n)!;
      const removedSomewhere = e.removed !== undefined || e.unsupportedSince !== undefined;
      const qname = qualified(n);
      const doc = elementDoc(e, version);
      items.push(
        entry(qname, elementTail(qname, holdsChildren(e), e.attributes.size > 0), {
          kind: 'class',
          detail: describeVersions(e) ?? `ActiveMQ ${SCHEMA_VERSION}`,
          ...(doc ? { documentation: doc } : {}),
          filterText: qname,
          sortText: (removedSomewhere ? '1' : '0') + n,
          ...(removedSomewhere ? { deprecated: true } : {}),
        }),
      );
    }
  } else if (info.kind === 'foreign' && (info.ns === BEANS_NS || info.ns === '') && !info.el.parent) {
    // the Spring root: the broker itself
    const e = elementDef('broker');
    if (e) {
      const p = info.corePrefix;
      const qname = (p ? p + ':' : '') + 'broker';
      // with no prefix bound to the core namespace, the broker declares it as its default namespace
      const declare = p === undefined ? ` xmlns="${CORE_NS}"` : '';
      const item = entry(qname, snippetEscape(declare) + elementTail(qname, holdsChildren(e), e.attributes.size > 0), {
        kind: 'class',
        detail: p === undefined ? 'ActiveMQ broker (with its namespace)' : 'ActiveMQ broker',
        documentation: elementDoc(e, version),
        filterText: qname,
      });
      // renaming an existing tag: the name (and the namespace declaration it needs) only
      if (item.edit && !item.snippet) item.edit.newText = qname + declare;
      items.push(item);
    }
  }
  return items;
}

function attributeCompletions(info: NodeInfo | undefined, version: string | undefined, editing: XmlAttribute | undefined): CompletionEntry[] {
  if (!info || info.kind !== 'element' || !info.def || !info.available) return [];
  const present = new Set(info.el.attributes.filter((a) => a !== editing).map((a) => a.name));
  const hasValue = editing !== undefined && (editing.quote !== 'none' || editing.valueSpan.start > editing.nameSpan.end);
  const items: CompletionEntry[] = [];
  for (const a of attributesIn(info.def.name, version)) {
    if (present.has(a.name)) continue;
    const def = defaultFor(a, version);
    const item: CompletionEntry = {
      label: a.name,
      kind: 'property',
      detail: `${a.xsdType}${def !== undefined ? ` = ${fmt(def)}` : ''}`,
      documentation: attributeDoc(a, version),
      sortText: (a.name === 'id' ? '1' : '0') + a.name,
    };
    if (editing) {
      item.edit = { span: editing.nameSpan, newText: hasValue ? a.name : `${a.name}="$1"` };
      if (!hasValue) item.snippet = true;
    } else {
      item.insertText = `${a.name}="$1"`;
      item.snippet = true;
    }
    items.push(item);
  }
  return items;
}

function valueCompletions(text: string, offset: number, info: NodeInfo | undefined, attr: XmlAttribute, version: string | undefined): CompletionEntry[] {
  if (!info || info.kind !== 'element' || !info.def || !info.available) return [];
  const a = attributesIn(info.def.name, version).find((x) => x.name === attr.name);
  if (!a) return [];
  const items: CompletionEntry[] = [];
  const whole = attr.valueSpan;
  const def = defaultFor(a, version);
  const value = (v: string, detail: string, span: Span) =>
    items.push({ label: v, kind: 'value', detail, edit: { span, newText: v }, sortText: (def !== undefined && fmt(def) === v ? '0' : '1') + v });
  if (a.tokens) {
    // replace only the token under the cursor
    const raw = text.slice(attr.valueSpan.start, attr.valueSpan.end);
    const sep = a.tokenSeparator ?? ',';
    const rel = offset - attr.valueSpan.start;
    const s = raw.lastIndexOf(sep, rel - 1) + 1;
    let e = raw.indexOf(sep, rel);
    if (e < 0) e = raw.length;
    const lead = raw.slice(s, e).length - raw.slice(s, e).trimStart().length;
    const trail = raw.slice(s, e).length - raw.slice(s, e).trimEnd().length;
    const r = { start: attr.valueSpan.start + s + lead, end: attr.valueSpan.start + Math.max(s + lead, e - trail) };
    for (const t of a.tokens) value(t, `${a.element} ${a.name}`, r);
  } else if (a.enum) {
    for (const v of a.enum) value(v, `${a.element} ${a.name}`, whole);
  } else if (a.xsdType === 'xs:boolean' || a.propertyEditor === 'boolean') {
    for (const v of ['true', 'false']) value(v, `xs:boolean${def !== undefined ? `, default ${fmt(def)}` : ''}`, whole);
  } else if (def !== undefined && fmt(def) !== '""') {
    value(fmt(def), 'default', whole);
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// jetty.xml: the WebConsolePort bean's properties

function webConsolePropertyAt(el: XmlElement): { bean: XmlElement; name?: XmlAttribute; value?: XmlAttribute } | undefined {
  if (el.localName !== 'property') return undefined;
  const bean = el.parent;
  if (!bean || bean.localName !== 'bean' || !bean.attributes.some((a) => a.name === 'class' && a.value.trim() === WEB_CONSOLE_BEAN_CLASS)) return undefined;
  return { bean, name: el.attributes.find((a) => a.name === 'name'), value: el.attributes.find((a) => a.name === 'value') };
}

function propertyDoc(p: BeanPropertyDef): string {
  const head = [`\`${p.type}\``];
  if (p.default !== undefined) head.push(`default \`${fmt(p.default)}\``);
  if (p.minimum !== undefined && p.maximum !== undefined) head.push(`${p.minimum}–${p.maximum}`);
  return [head.join(' · '), p.description ?? ''].filter(Boolean).join('\n\n');
}

function jettyCompletions(where: Where): CompletionEntry[] {
  if (where.kind !== 'attribute-value') return [];
  const p = webConsolePropertyAt(where.el);
  if (!p) return [];
  const span = where.attr.valueSpan;
  if (where.attr === p.name) {
    const present = new Set(p.bean.children.filter((c) => c !== where.el && c.localName === 'property').map((c) => c.attributes.find((a) => a.name === 'name')?.value));
    return webConsoleProperties()
      .filter((x) => !present.has(x.name))
      .map((x): CompletionEntry => ({ label: x.name, kind: 'property', detail: `WebConsolePort.${x.name}`, documentation: propertyDoc(x), edit: { span, newText: x.name } }));
  }
  if (where.attr === p.value && p.name) {
    const def = webConsoleProperty(p.name.value.trim());
    if (def?.default !== undefined) return [{ label: fmt(def.default), kind: 'value', detail: 'default', edit: { span, newText: fmt(def.default) } }];
  }
  return [];
}

function jettyHover(where: Where): HoverInfo | null {
  if (where.kind !== 'attribute-value' && where.kind !== 'attribute-name') return null;
  const p = webConsolePropertyAt(where.el);
  if (!p || !p.name) return null;
  const def = webConsoleProperty(p.name.value.trim());
  if (!def) return null;
  const span = where.kind === 'attribute-value' ? where.attr.valueSpan : where.attr.nameSpan;
  return { markdown: `**WebConsolePort.${def.name}** (jetty.xml)\n\n${propertyDoc(def)}`, span };
}

// ---------------------------------------------------------------------------------------------
// hover

export function schemaHover(text: string, offset: number, rel: string, version: string | undefined, parsed?: XmlDocument): HoverInfo | null {
  if (typeof text !== 'string' || offset < 0 || offset > text.length) return null;
  const doc = parsed ?? parseXml(text);
  const where = locate(text, doc, offset);
  const kind = classify(rel);
  if (kind === 'jetty') return jettyHover(where);
  if (where.kind === 'top' || where.kind === 'content' || where.kind === 'tag') return null;
  if (!text.includes(CORE_NS) || (kind !== 'activemq' && !rel.endsWith('.xml'))) return null;
  const info = viewFor(doc, version).byElement.get(where.el);
  if (!info) return null;
  if (where.kind === 'element-name') {
    if (info.kind === 'element' && info.def) {
      return { markdown: `**<${info.def.name}>**\n\n${elementDoc(info.def, version)}`, span: where.el.nameSpan };
    }
    if (info.kind === 'group' && info.group) {
      return {
        markdown: `**<${info.group.name}>** — child group of \`<${info.group.element}>\`\n\n${groupDoc(info.group, version)}`,
        span: where.el.nameSpan,
      };
    }
    return null;
  }
  if (info.kind !== 'element' || !info.def) return null;
  const attr = where.attr;
  const a = attributeDef(info.def.name, attr.name);
  if (!a) return null;
  const span = where.kind === 'attribute-value' ? attr.valueSpan : attr.nameSpan;
  const missing = !existsIn(a, version) || !existsIn(info.def, version);
  return {
    markdown: `**${a.name}** — attribute of \`<${info.def.name}>\`${missing ? ` (not in ActiveMQ ${version})` : ''}\n\n${attributeDoc(a, version)}`,
    span,
  };
}
