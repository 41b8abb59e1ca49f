import type { Rule, RuleContext } from './types';
import type { Fix, Severity } from '../types';
import type { XmlAttribute } from '../parse/xml';
import {
  CORE_NS,
  SCHEMA_VERSION,
  attributesIn,
  existsIn,
  describeVersions,
  elementDef,
  elementsIn,
  groupElementsIn,
  groupsHolding,
  type ChildGroupDef,
  isRemovedStore,
  newerThanSchema,
} from '../schema/activemq';
import { localNameSpan, renameElementEdits, viewFor, type NodeInfo, type SchemaView } from '../schema/context';
import { suggest } from '../schema/suggest';

/**
 * Elements and attributes of the ActiveMQ core namespace that the target version's XSD does not
 * declare, and elements in a place the XSD does not allow. ActiveMQ validates activemq.xml against
 * its XSD at start and refuses to start on any of these. Spring beans content, namespaced
 * attributes and the LevelDB stores (see leveldb-unsupported) are not judged here.
 */
export const rule: Rule = {
  meta: {
    code: 'unknown-element-or-attribute',
    description: "An element or attribute in activemq.xml that ActiveMQ's XSD does not know, or an element where the XSD does not allow it.",
    defaultSeverity: 'error',
    fixable: true,
    scope: 'file',
  },
  checkDocument(ctx, { file, xml, broker }) {
    const text = ctx.text(file);
    if (!broker || text === undefined) return;
    new Checker(ctx, file, text, viewFor(xml, broker.version), broker.version).run();
  },
};

const XERCES_ATTR = (attr: string, el: string) => `cvc-complex-type.3.2.2: Attribute '${attr}' is not allowed to appear in element '${el}'.`;
const XERCES_CONTENT = (local: string) => `cvc-complex-type.2.4.a: Invalid content was found starting with element '{"${CORE_NS}":${local}}'`;
const XERCES_WILDCARD = (qname: string) => `cvc-complex-type.2.4.c: The matching wildcard is strict, but no declaration can be found for element '${qname}'.`;
const XERCES_NO_MORE = (qname: string) => `cvc-complex-type.2.4.d: Invalid content was found starting with element '${qname}'. No child element is expected at this point.`;
const XERCES_EMPTY = (parent: string) =>
  `cvc-complex-type.2.1: Element '${parent}' must have no character or element information item [children], because the type's content type is empty.`;

function list(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((n) => `<${n}>`);
  return shown.join(', ') + (names.length > max ? `, … (${names.length} in all)` : '');
}

class Checker {
  private readonly newer: boolean;
  private readonly where: string;

  constructor(
    private readonly ctx: RuleContext,
    private readonly file: string,
    private readonly text: string,
    private readonly view: SchemaView,
    private readonly version: string | undefined,
  ) {
    this.newer = newerThanSchema(version);
    this.where = version ? `ActiveMQ ${version}` : `the ActiveMQ ${SCHEMA_VERSION} schema`;
  }

  run(): void {
    for (const n of this.view.nodes) {
      if (this.ctx.atLimit(this.file)) return;
      if (n.kind === 'element') this.element(n);
      else if (n.kind === 'group') this.group(n);
    }
  }

  private report(span: { start: number; end: number }, message: string, severity: Severity = 'error', fixes?: Fix[]): void {
    if (this.newer) {
      severity = 'information';
      message += ` The bundled schema comes from ActiveMQ ${SCHEMA_VERSION}, older than the target version ${this.version}, so this may be a newer feature.`;
    }
    this.ctx.report({ file: this.file, span, message, severity, ...(fixes && fixes.length ? { fixes } : {}) });
  }

  private renameFixes(n: NodeInfo, candidates: string[]): Fix[] {
    return candidates.slice(0, 5).map((c) => ({
      title: `Change <${n.el.localName}> to <${c}>`,
      edits: renameElementEdits(this.text, n.el, c).map((e) => ({ file: this.file, ...e })),
      ...(candidates.length === 1 ? { isPreferred: true } : {}),
    }));
  }

  private didYouMean(candidates: string[], wrap: (s: string) => string): string {
    if (candidates.length === 0) return '';
    return ` Did you mean ${candidates.slice(0, 3).map(wrap).join(' or ')}?`;
  }

  /** A core element standing for a schema element. */
  private element(n: NodeInfo): void {
    const el = n.el;
    const local = el.localName;
    if (isRemovedStore(local)) {
      // leveldb-unsupported reports the element; its attributes are judged only where it exists
      if (n.available) this.attributes(n);
      return;
    }
    const parentGroup = n.parent?.kind === 'group' ? n.parent : undefined;
    if (!n.def || !n.available) {
      let pool: string[];
      if (parentGroup?.group?.elements) pool = groupElementsIn(parentGroup.group, this.version) ?? [];
      else pool = elementsIn(this.version);
      const candidates = suggest(local, pool.filter((p) => !isRemovedStore(p)));
      const inside = parentGroup ? ` inside <${parentGroup.el.name}>` : '';
      const versions = n.def ? describeVersions(n.def) : undefined;
      const message =
        (n.def
          ? `<${el.name}> does not exist in ${this.where}${versions ? ` (${versions})` : ''}.`
          : `Unknown element <${el.name}>${inside}: ${this.where} has no element '${local}' in its namespace.`) +
        this.didYouMean(candidates, (c) => `<${c}>`) +
        ` ActiveMQ refuses to start with: ` +
        (parentGroup?.group?.elements ? `${XERCES_CONTENT(local)}.` : XERCES_WILDCARD(el.name));
      this.report(localNameSpan(el.name, el.nameSpan), message, 'error', this.renameFixes(n, candidates));
      return;
    }
    // placement inside a child group
    const g = parentGroup?.group;
    if (g && parentGroup) {
      const allowed = allowedIn(g, this.version);
      if (allowed && !allowed.includes(local)) {
        const owner = parentGroup.parent?.el.name ?? parentGroup.el.localName;
        const message =
          `<${el.name}> is not allowed inside <${parentGroup.el.name}> of <${owner}>, which may hold ${allowed.length ? list(allowed) : 'only Spring beans'}. ` +
          `ActiveMQ refuses to start with: ${XERCES_CONTENT(local)}.`;
        this.report(localNameSpan(el.name, el.nameSpan), message);
      } else if (!g.multiple) {
        const first = parentGroup.el.children[0];
        if (first && first !== el) {
          const message =
            `<${parentGroup.el.name}> may hold only one element, and <${first.name}> comes first. Remove one of them. ` +
            `ActiveMQ refuses to start with: ${XERCES_NO_MORE(el.name)}`;
          this.report(localNameSpan(el.name, el.nameSpan), message);
        }
      }
    }
    this.attributes(n);
  }

  private attributes(n: NodeInfo): void {
    const def = n.def!;
    const el = n.el;
    const attrs = el.attributes;
    for (let k = 0; k < attrs.length; k++) {
      const a = attrs[k];
      if (isNamespaced(a)) continue;
      // attributeIn(def.name, a.name, version): the element exists in the version here
      const own = def.attributes.get(a.name);
      if (own && existsIn(own, this.version)) continue;
      if (this.ctx.atLimit(this.file)) return;
      const known = attributesIn(def.name, this.version).map((x) => x.name);
      const candidates = suggest(a.name, known);
      const other = def.attributes.get(a.name);
      const versions = other ? describeVersions(other) : undefined;
      let message =
        other && versions
          ? `<${el.name}> has no attribute '${a.name}' in ${this.where} (${versions}).`
          : `Unknown attribute '${a.name}' on <${el.name}>.`;
      message += this.didYouMean(candidates, (c) => `'${c}'`);
      let severity: Severity = 'error';
      if (!def.attributesComplete) {
        severity = 'warning';
        message += ` The attribute list of <${def.name}> is derived from the ActiveMQ sources of its last versions and may be incomplete; if the broker starts, ignore this.`;
      } else {
        message += ` ActiveMQ refuses to start with: ${XERCES_ATTR(a.name, el.name)}`;
      }
      const fixes: Fix[] = candidates.slice(0, 5).map((c) => ({
        title: `Change '${a.name}' to '${c}'`,
        edits: [{ file: this.file, span: a.nameSpan, newText: c }],
        ...(candidates.length === 1 ? { isPreferred: true } : {}),
      }));
      this.report(a.nameSpan, message, severity, fixes);
    }
  }

  /** A core element standing for a child group of its parent element. */
  private group(n: NodeInfo): void {
    const el = n.el;
    const local = el.localName;
    const owner = n.parent!.def!;
    if (!n.group) {
      if (isRemovedStore(local)) return;
      let message: string;
      let candidates: string[] = [];
      let xerces = `${XERCES_CONTENT(local)}.`;
      if (owner.content === 'empty') {
        message = `<${n.parent!.el.name}> takes no child elements, so <${el.name}> is not allowed here.`;
        xerces = XERCES_EMPTY(n.parent!.el.name);
      } else {
        const holders = elementDef(local) ? groupsHolding(owner.name, local) : [];
        if (holders.length) {
          const pfx = el.name.slice(0, el.name.length - local.length);
          message =
            `<${el.name}> cannot appear directly inside <${n.parent!.el.name}>: put it inside ` +
            holders.map((h) => `<${pfx}${h.name}>`).join(' or ') +
            '.';
        } else {
          candidates = suggest(local, [...owner.children.keys()]);
          message = `Unknown element <${el.name}> inside <${n.parent!.el.name}>.` + this.didYouMean(candidates, (c) => `<${c}>`);
          if (!candidates.length) message += ` <${n.parent!.el.name}> may contain ${list([...owner.children.keys()])}.`;
        }
      }
      message += ` ActiveMQ refuses to start with: ${xerces}`;
      this.report(localNameSpan(el.name, el.nameSpan), message, 'error', this.renameFixes(n, candidates));
      return;
    }
    for (const a of el.attributes) {
      if (isNamespaced(a)) continue;
      this.report(
        a.nameSpan,
        `<${el.name}> only groups the children of <${n.parent!.el.name}> and takes no attributes; ` +
          `put '${a.name}' on <${n.parent!.el.name}> or on the element inside. ` +
          `ActiveMQ refuses to start with: ${XERCES_ATTR(a.name, el.name)}`,
      );
    }
  }
}

/** groupElementsIn per group and version, asked for every element of every broker: read-only here, so kept. */
const ALLOWED = new WeakMap<ChildGroupDef, Map<string, readonly string[] | undefined>>();

function allowedIn(g: ChildGroupDef, version: string | undefined): readonly string[] | undefined {
  let m = ALLOWED.get(g);
  if (!m) ALLOWED.set(g, (m = new Map()));
  const key = version ?? '';
  if (!m.has(key)) m.set(key, groupElementsIn(g, version));
  return m.get(key);
}

/** `xmlns`, `xmlns:p`, `xsi:...`, `p:attr`: not judged by the core schema. */
function isNamespaced(a: XmlAttribute): boolean {
  return a.name === 'xmlns' || a.name.includes(':');
}
