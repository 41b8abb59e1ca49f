/**
 * Completion and hover from the ActiveMQ schema (schemas/activemq.schema.json) and the web console
 * schema (schemas/jetty.schema.json): child elements valid where the cursor is, attribute names
 * not yet on the start tag, enumerated / boolean / token values inside an attribute value; and
 * for an element or attribute its type, default, description and versions.
 * Pure: text and offset in, LSP shapes out.
 */
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem, type Hover, type Range } from 'vscode-languageserver';
import { parseXml, type XmlAttribute, type XmlDocument, type XmlElement } from '../core/parse/xml';
import { classify } from '../core/model/files';
import { lineIndexFor } from '../core/text';
import type { Span } from '../core/types';
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
} from '../core/schema/activemq';
import { BEANS_NS, viewFor, type NodeInfo } from '../core/schema/context';

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

function markdown(value: string): { kind: 'markdown'; value: string } {
  return { kind: MarkupKind.Markdown, value };
}

function rangeOf(text: string, span: Span): Range {
  return lineIndexFor(text).range(span);
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

export function schemaCompletions(text: string, offset: number, rel: string, version: string | undefined): CompletionItem[] {
  if (typeof text !== 'string' || offset < 0 || offset > text.length) return [];
  const doc = parseXml(text);
  const where = locate(text, doc, offset);
  const kind = classify(rel);
  if (kind === 'jetty') return jettyCompletions(text, where);
  if (kind !== 'activemq' && !(rel.endsWith('.xml') && text.includes(CORE_NS))) return [];
  const view = viewFor(doc, version);
  switch (where.kind) {
    case 'content':
      return childCompletions(text, offset, view.byElement.get(where.el), version, undefined);
    case 'element-name': {
      const parent = where.el.parent ? view.byElement.get(where.el.parent) : undefined;
      return childCompletions(text, offset, parent, version, where.el.nameSpan);
    }
    case 'tag':
      return attributeCompletions(text, view.byElement.get(where.el), version, undefined);
    case 'attribute-name':
      return attributeCompletions(text, view.byElement.get(where.el), version, where.attr);
    case 'attribute-value':
      return valueCompletions(text, offset, view.byElement.get(where.el), where.attr, version);
    default:
      return [];
  }
}

function childCompletions(text: string, offset: number, info: NodeInfo | undefined, version: string | undefined, replace: Span | undefined): CompletionItem[] {
  if (!info) return [];
  const afterLt = replace !== undefined || text.charCodeAt(offset - 1) === 60; // '<'
  const items: CompletionItem[] = [];
  const prefix = corePrefixFor(info);
  const add = (name: string, kind: CompletionItemKind, detail: string, doc: string, deprecated: boolean, extra = '') => {
    const qname = (prefix ? prefix + ':' : '') + name;
    const insert = qname + extra;
    const item: CompletionItem = {
      label: qname,
      kind,
      detail,
      ...(doc ? { documentation: markdown(doc) } : {}),
      filterText: qname,
      sortText: (deprecated ? '1' : '0') + name,
      ...(deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
    };
    if (replace) item.textEdit = { range: rangeOf(text, replace), newText: insert };
    else item.insertText = afterLt ? insert : '<' + insert;
    items.push(item);
  };
  if (info.kind === 'element' && info.def && info.available) {
    if (info.def.content === 'empty') return [];
    for (const g of info.def.children.values()) add(g.name, CompletionItemKind.Field, `child group of <${info.def.name}>`, groupDoc(g, version), false);
  } else if (info.kind === 'group' && info.group) {
    const names = info.group.any ? elementsIn(version) : groupMembers(info.group, version);
    for (const n of names) {
      const e = elementDef(n)!;
      const removedSomewhere = e.removed !== undefined || e.unsupportedSince !== undefined;
      add(n, CompletionItemKind.Class, describeVersions(e) ?? `ActiveMQ ${SCHEMA_VERSION}`, elementDoc(e, version), removedSomewhere);
    }
  } else if (info.kind === 'foreign' && (info.ns === BEANS_NS || info.ns === '') && !info.el.parent) {
    // the Spring root: the broker itself
    const e = elementDef('broker');
    if (e) {
      const p = info.corePrefix;
      if (p === undefined) {
        const item: CompletionItem = {
          label: 'broker',
          kind: CompletionItemKind.Class,
          detail: 'ActiveMQ broker (with its namespace)',
          documentation: markdown(elementDoc(e, version)),
          filterText: 'broker',
          insertText: `${afterLt ? '' : '<'}broker xmlns="${CORE_NS}"`,
        };
        if (replace) {
          delete item.insertText;
          item.textEdit = { range: rangeOf(text, replace), newText: `broker xmlns="${CORE_NS}"` };
        }
        items.push(item);
      } else {
        const qname = (p ? p + ':' : '') + 'broker';
        const item: CompletionItem = { label: qname, kind: CompletionItemKind.Class, detail: 'ActiveMQ broker', documentation: markdown(elementDoc(e, version)), filterText: qname };
        if (replace) item.textEdit = { range: rangeOf(text, replace), newText: qname };
        else item.insertText = afterLt ? qname : '<' + qname;
        items.push(item);
      }
    }
  }
  return items;
}

function attributeCompletions(text: string, info: NodeInfo | undefined, version: string | undefined, editing: XmlAttribute | undefined): CompletionItem[] {
  if (!info || info.kind !== 'element' || !info.def || !info.available) return [];
  const present = new Set(info.el.attributes.filter((a) => a !== editing).map((a) => a.name));
  const hasValue = editing !== undefined && (editing.quote !== 'none' || editing.valueSpan.start > editing.nameSpan.end);
  const items: CompletionItem[] = [];
  for (const a of attributesIn(info.def.name, version)) {
    if (present.has(a.name)) continue;
    const def = defaultFor(a, version);
    const item: CompletionItem = {
      label: a.name,
      kind: CompletionItemKind.Property,
      detail: `${a.xsdType}${def !== undefined ? ` = ${fmt(def)}` : ''}`,
      documentation: markdown(attributeDoc(a, version)),
      sortText: (a.name === 'id' ? '1' : '0') + a.name,
    };
    if (editing) {
      item.textEdit = { range: rangeOf(text, editing.nameSpan), newText: hasValue ? a.name : `${a.name}="$1"` };
      if (!hasValue) item.insertTextFormat = InsertTextFormat.Snippet;
    } else {
      item.insertText = `${a.name}="$1"`;
      item.insertTextFormat = InsertTextFormat.Snippet;
    }
    items.push(item);
  }
  return items;
}

function valueCompletions(text: string, offset: number, info: NodeInfo | undefined, attr: XmlAttribute, version: string | undefined): CompletionItem[] {
  if (!info || info.kind !== 'element' || !info.def || !info.available) return [];
  const a = attributesIn(info.def.name, version).find((x) => x.name === attr.name);
  if (!a) return [];
  const items: CompletionItem[] = [];
  const whole = rangeOf(text, attr.valueSpan);
  const def = defaultFor(a, version);
  const value = (v: string, detail: string, range: Range) =>
    items.push({ label: v, kind: CompletionItemKind.Value, detail, textEdit: { range, newText: v }, sortText: (def !== undefined && fmt(def) === v ? '0' : '1') + v });
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
    const r = rangeOf(text, { start: attr.valueSpan.start + s + lead, end: attr.valueSpan.start + Math.max(s + lead, e - trail) });
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

function jettyCompletions(text: string, where: Where): CompletionItem[] {
  if (where.kind !== 'attribute-value') return [];
  const p = webConsolePropertyAt(where.el);
  if (!p) return [];
  const range = rangeOf(text, where.attr.valueSpan);
  if (where.attr === p.name) {
    const present = new Set(p.bean.children.filter((c) => c !== where.el && c.localName === 'property').map((c) => c.attributes.find((a) => a.name === 'name')?.value));
    return webConsoleProperties()
      .filter((x) => !present.has(x.name))
      .map((x) => ({ label: x.name, kind: CompletionItemKind.Property, detail: `WebConsolePort.${x.name}`, documentation: markdown(propertyDoc(x)), textEdit: { range, newText: x.name } }));
  }
  if (where.attr === p.value && p.name) {
    const def = webConsoleProperty(p.name.value.trim());
    if (def?.default !== undefined) return [{ label: fmt(def.default), kind: CompletionItemKind.Value, detail: 'default', textEdit: { range, newText: fmt(def.default) } }];
  }
  return [];
}

function jettyHover(text: string, where: Where): Hover | null {
  if (where.kind !== 'attribute-value' && where.kind !== 'attribute-name') return null;
  const p = webConsolePropertyAt(where.el);
  if (!p || !p.name) return null;
  const def = webConsoleProperty(p.name.value.trim());
  if (!def) return null;
  const span = where.kind === 'attribute-value' ? where.attr.valueSpan : where.attr.nameSpan;
  return { contents: markdown(`**WebConsolePort.${def.name}** (jetty.xml)\n\n${propertyDoc(def)}`), range: rangeOf(text, span) };
}

// ---------------------------------------------------------------------------------------------
// hover

export function schemaHover(text: string, offset: number, rel: string, version: string | undefined): Hover | null {
  if (typeof text !== 'string' || offset < 0 || offset > text.length) return null;
  const doc = parseXml(text);
  const where = locate(text, doc, offset);
  const kind = classify(rel);
  if (kind === 'jetty') return jettyHover(text, where);
  if (where.kind === 'top' || where.kind === 'content' || where.kind === 'tag') return null;
  if (!text.includes(CORE_NS) || (kind !== 'activemq' && !rel.endsWith('.xml'))) return null;
  const info = viewFor(doc, version).byElement.get(where.el);
  if (!info) return null;
  if (where.kind === 'element-name') {
    if (info.kind === 'element' && info.def) {
      return { contents: markdown(`**<${info.def.name}>**\n\n${elementDoc(info.def, version)}`), range: rangeOf(text, where.el.nameSpan) };
    }
    if (info.kind === 'group' && info.group) {
      return {
        contents: markdown(`**<${info.group.name}>** — child group of \`<${info.group.element}>\`\n\n${groupDoc(info.group, version)}`),
        range: rangeOf(text, where.el.nameSpan),
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
    contents: markdown(`**${a.name}** — attribute of \`<${info.def.name}>\`${missing ? ` (not in ActiveMQ ${version})` : ''}\n\n${attributeDoc(a, version)}`),
    range: rangeOf(text, span),
  };
}
