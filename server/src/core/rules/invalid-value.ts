import type { Rule, RuleContext } from './types';
import type { Fix, Severity, Span } from '../types';
import { valueOffset, type XmlAttribute } from '../parse/xml';
import { attributeUri, hasPlaceholder } from '../parse/activemq';
import type { UriEndpoint } from '../parse/uri';
import {
  existsIn,
  discoverySchemes,
  isDiscoveryScheme,
  isTransportScheme,
  optionPrefixes,
  tcpServerOption,
  tcpServerOptions,
  transportSchemes,
  webConsoleProperty,
  type AttributeDef,
} from '../schema/activemq';
import { viewFor } from '../schema/context';
import { suggest } from '../schema/suggest';

/**
 * Attribute values of activemq.xml that do not fit the schema: a value of the wrong XSD type
 * (boolean, integer, ...), a value outside an enumeration, an unknown token of replicatedLevelDB
 * `sync`, a malformed transport or network URI, an unknown URI scheme, an unknown query option of
 * a tcp:// server URI; and a web console port in jetty.xml that is not a port number.
 * Error for what stops the broker at start, warning for what ActiveMQ silently ignores.
 * A value holding a `${...}` placeholder is never judged.
 */
export const rule: Rule = {
  meta: {
    code: 'invalid-value',
    description: 'An attribute value in activemq.xml (or the web console port in jetty.xml) that does not fit its type, its allowed values or URI syntax.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'file',
  },
  checkDocument(ctx, { file, xml, broker }) {
    if (!broker) return;
    const version = broker.version;
    for (const n of viewFor(xml, version).nodes) {
      if (n.kind !== 'element' || !n.def || !n.available) continue;
      if (ctx.atLimit(file)) return;
      const attrs = n.el.attributes;
      for (let k = 0; k < attrs.length; k++) {
        const a = attrs[k];
        if (a.name.includes(':') || a.name === 'xmlns') continue;
        // attributeIn(n.def.name, a.name, version), the element being known to exist in the version
        const known = n.def.attributes.get(a.name);
        const def = known && existsIn(known, version) ? known : undefined;
        if (!def) continue;
        if (ctx.atLimit(file)) return;
        checkAttribute(ctx, file, n.el.name, def, a);
      }
    }
  },
  check(ctx) {
    for (const [file, cfg] of ctx.model.files.jetty) {
      const port = cfg.port;
      const def = webConsoleProperty('port');
      if (!port || !def || port.placeholder || port.value.includes('#{')) continue;
      const v = port.value.trim();
      const min = def.minimum ?? 0;
      const max = def.maximum ?? 65535;
      if (!/^[+-]?\d+$/.test(v)) {
        ctx.report({
          file,
          span: port.span,
          message: `The web console port '${v}' is not a number: Spring cannot convert it for the WebConsolePort bean's port, and a broker that imports this jetty.xml fails to start.`,
        });
      } else if (Number(v) < min || Number(v) > max) {
        ctx.report({ file, span: port.span, message: `The web console port ${v} is outside ${min}-${max}; Jetty cannot bind it and the broker fails to start.` });
      }
    }
  },
};

// ---------------------------------------------------------------------------------------------
// typed values

/** XML Schema collapses whitespace around non-string values before checking them. */
function collapse(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isXmlSpace(s.charCodeAt(a))) a++;
  while (b > a && isXmlSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isXmlSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

const INT_RANGES: Record<string, [bigint, bigint, string]> = {
  'xs:long': [-(2n ** 63n), 2n ** 63n - 1n, 'xs:long (a Java long)'],
  'xs:short': [-32768n, 32767n, 'xs:short'],
  // xbean writes xs:integer for Java int properties: the XSD accepts any size, Spring's conversion does not
  'xs:integer': [-(2n ** 31n), 2n ** 31n - 1n, 'a Java int'],
};

const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^-?INF$|^NaN$/;

function valueFix(file: string, a: XmlAttribute, newText: string, preferred: boolean): Fix {
  return { title: `Change the value to '${newText}'`, edits: [{ file, span: a.valueSpan, newText }], ...(preferred ? { isPreferred: true } : {}) };
}

/** The type name Xerces puts in `cvc-datatype-valid.1.2.1: 'x' is not a valid value for '<name>'.` */
const XERCES_TYPE: Record<string, string> = {
  'xs:boolean': 'boolean',
  'xs:integer': 'integer',
  'xs:long': 'integer',
  'xs:short': 'integer',
  'xs:float': 'float',
  'xs:double': 'double',
  'xs:ID': 'NCName',
};

function checkAttribute(ctx: RuleContext, file: string, elName: string, def: AttributeDef, a: XmlAttribute): void {
  const report = (message: string, severity?: Severity, fixes?: Fix[], span: Span = a.valueSpan) =>
    ctx.report({ file, span, message, ...(severity ? { severity } : {}), ...(fixes && fixes.length ? { fixes } : {}) });
  // only messages use it: made when one is
  const quoted = () => `'${a.name}' of <${elName}>`;
  const v = collapse(a.value);
  if (hasPlaceholder(a.value)) {
    // the XSD validation runs on the text as written, before Spring resolves placeholders:
    // a placeholder is fine in an xs:string attribute and fatal in a typed one
    const t = XERCES_TYPE[def.xsdType];
    if (t) {
      report(
        `${quoted()} is an ${def.xsdType}, and ActiveMQ validates activemq.xml against its XSD before placeholders are resolved, so a \${...} placeholder here stops the broker: ` +
          `cvc-datatype-valid.1.2.1: '${v}' is not a valid value for '${t}'. Write the value itself, or start the broker with xbean:…/activemq.xml?validate=false.`,
      );
    }
    return;
  }
  switch (def.xsdType) {
    case 'xs:boolean': {
      if (/^(true|false|1|0)$/.test(v)) break;
      const lower = v.toLowerCase();
      const to = /^(true|yes|on|y)$/.test(lower) ? 'true' : /^(false|no|off|n)$/.test(lower) ? 'false' : undefined;
      report(
        `${quoted()} must be true or false, not '${v}'. ActiveMQ refuses to start with: cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'boolean'.`,
        undefined,
        to ? [valueFix(file, a, to, true)] : [],
      );
      break;
    }
    case 'xs:integer':
    case 'xs:long':
    case 'xs:short': {
      if (!/^[+-]?\d+$/.test(v)) {
        const digits = v.replace(/[,_ ]/g, '');
        const fixes = /^[+-]?\d+$/.test(digits) && digits !== v ? [valueFix(file, a, digits, false)] : [];
        report(
          `${quoted()} must be a whole number, not '${v}'. ActiveMQ refuses to start with: cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'integer'.`,
          undefined,
          fixes,
        );
        break;
      }
      const [min, max, label] = INT_RANGES[def.xsdType];
      const n = BigInt(v);
      if (n < min || n > max) {
        report(
          `${quoted()} is ${v}, which does not fit ${label} (${min} to ${max}); ActiveMQ refuses to start` +
            (def.xsdType === 'xs:integer' ? ` with: Failed to convert property value of type 'java.lang.String' to required type 'int' for property '${a.name}'.` : ' with it.'),
        );
      }
      break;
    }
    case 'xs:float':
    case 'xs:double':
      if (!FLOAT.test(v)) report(`${quoted()} must be a number, not '${v}'. ActiveMQ refuses to start with: cvc-datatype-valid.1.2.1: '${v}' is not a valid value for '${XERCES_TYPE[def.xsdType]}'.`);
      break;
    case 'xs:ID':
      if (!isNcName(v)) {
        report(
          `${quoted()} must be an XML name (a letter or '_' first, then letters, digits, '.', '-' or '_'; no ':'), not '${v}'. ` +
            `ActiveMQ refuses to start with: cvc-datatype-valid.1.2.1: '${v}' is not a valid value for 'NCName'.`,
        );
      }
      break;
    default:
      break;
  }
  if (def.propertyEditor) checkEditor(report, file, quoted(), def, a);
  if (def.enum) {
    const ci = def.enumCaseInsensitive;
    const t = a.value.trim();
    const ok = def.enum.some((e) => (ci ? e.toLowerCase() === t.toLowerCase() : e === t));
    if (!ok) {
      const c = suggest(t, def.enum);
      report(
        `${quoted()} must be one of ${def.enum.join(', ')}${ci ? ' (any case)' : ''}, not '${t}'; ActiveMQ refuses to start with it.` +
          (c.length ? ` Did you mean '${c[0]}'?` : ''),
        undefined,
        c.map((x, i) => valueFix(file, a, x, c.length === 1 && i === 0)),
      );
    }
  }
  if (def.tokens) checkTokens(ctx, file, quoted(), def, a);
  if (def.uriKind) checkUri(ctx, file, elName, def, a);
}

type Reporter = (message: string, severity?: Severity, fixes?: Fix[], span?: Span) => void;

const MEMORY = /^\s*(\d+)\s*(b|kb?|mb?|gb?)?\s*$/i;
const MEMORY_FRACTION = /^\s*(\d+)\.(\d+)\s*(k|m|g)b?\s*$/i;
const UNIT_SHIFT: Record<string, bigint> = { '': 0n, b: 0n, k: 10n, m: 20n, g: 30n };
const LOWER_UNIT: Record<string, string> = { k: 'b', m: 'kb', g: 'mb' };

/** xs:string attributes that ActiveMQ's property editors convert (BooleanEditor, MemoryPropertyEditor, MemoryIntPropertyEditor). */
function checkEditor(report: Reporter, file: string, what: string, def: AttributeDef, a: XmlAttribute): void {
  const raw = a.value;
  const setting = `while setting bean property '${a.name}'`;
  if (def.propertyEditor === 'boolean') {
    if (/^(true|false)$/i.test(raw)) return;
    const t = raw.trim().toLowerCase();
    const to = /^(true|yes|on|y|1)$/.test(t) ? 'true' : /^(false|no|off|n|0)$/.test(t) ? 'false' : undefined;
    report(
      `${what} must be true or false (any case, no blanks), not '${raw}': ActiveMQ converts it with its BooleanEditor, which accepts nothing else, ` +
        `and refuses to start (IllegalArgumentException ${setting}).`,
      undefined,
      to ? [{ title: `Change the value to '${to}'`, edits: [{ file, span: a.valueSpan, newText: to }], isPreferred: true }] : [],
    );
    return;
  }
  const m = MEMORY.exec(raw);
  if (!m) {
    const f = MEMORY_FRACTION.exec(raw);
    let fixes: Fix[] = [];
    if (f) {
      const unit = f[3].toLowerCase();
      const scaled = (Number(`${f[1]}.${f[2]}`) * 1024).toString();
      if (/^\d+$/.test(scaled)) {
        const to = `${scaled} ${LOWER_UNIT[unit]}`;
        fixes = [{ title: `Change the value to '${to}'`, edits: [{ file, span: a.valueSpan, newText: to }] }];
      }
    }
    report(
      `${what} must be a whole number of bytes with an optional unit (b, k/kb, m/mb, g/gb), such as 512 mb, not '${raw}'. ` +
        `ActiveMQ refuses to start with: Could not convert to a memory size: ${raw}`,
      undefined,
      fixes,
    );
    return;
  }
  const digits = BigInt(m[1]);
  const unit = (m[2] ?? '').toLowerCase().charAt(0);
  const intMax = 2n ** 31n - 1n;
  const longMax = 2n ** 63n - 1n;
  if (def.propertyEditor === 'memory-int') {
    if (digits > intMax) {
      report(`${what}: ${m[1]} does not fit a Java int; ActiveMQ refuses to start with: NumberFormatException: For input string: "${m[1]}" (${setting}).`);
      return;
    }
    const bytes = digits << UNIT_SHIFT[unit];
    if (bytes > intMax) {
      const wrapped = BigInt.asIntN(32, bytes);
      report(
        `${what} is ${bytes} bytes, more than a Java int holds (2147483647): ActiveMQ silently wraps it around to ${wrapped} and uses that. Write at most 2047 mb.`,
        'warning',
      );
    }
    return;
  }
  if (digits > longMax) report(`${what}: ${m[1]} does not fit a Java long; ActiveMQ refuses to start with: NumberFormatException: For input string: "${m[1]}" (${setting}).`);
}

function isNcName(v: string): boolean {
  if (v.length === 0) return false;
  const c0 = v.charCodeAt(0);
  const startOk = (c0 >= 65 && c0 <= 90) || (c0 >= 97 && c0 <= 122) || c0 === 95 || c0 >= 0xc0;
  if (!startOk) return false;
  for (let i = 1; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x80) continue;
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46)) return false;
  }
  return true;
}

/** replicatedLevelDB `sync`: separated tokens, trimmed and lower-cased; an unknown one only logs a WARN. */
function checkTokens(ctx: RuleContext, file: string, what: string, def: AttributeDef, a: XmlAttribute): void {
  const tokens = def.tokens!;
  const sep = def.tokenSeparator ?? ',';
  const value = a.value;
  let i = 0;
  while (i <= value.length) {
    let j = value.indexOf(sep, i);
    if (j < 0) j = value.length;
    const raw = value.slice(i, j);
    const lead = raw.length - raw.trimStart().length;
    const tok = raw.trim();
    if (tok && !tokens.includes(tok.toLowerCase())) {
      const start = i + lead;
      const span = { start: valueOffset(a, start), end: valueOffset(a, start + tok.length) };
      const c = suggest(tok.toLowerCase(), tokens);
      ctx.report({
        file,
        span,
        severity: 'warning',
        message:
          `'${tok}' in ${what} is not one of ${tokens.join(', ')}. ActiveMQ only logs WARN "Unknown syncTo value: [${tok.toLowerCase()}]" and ignores it.` +
          (c.length ? ` Did you mean '${c[0]}'?` : ''),
        ...(c.length
          ? {
              fixes: c.map((x, k) => ({
                title: `Change '${tok}' to '${x}'`,
                edits: [{ file, span, newText: x }],
                ...(c.length === 1 && k === 0 ? { isPreferred: true } : {}),
              })),
            }
          : {}),
      });
    }
    i = j + sep.length;
  }
}

// ---------------------------------------------------------------------------------------------
// URIs

function checkUri(ctx: RuleContext, file: string, elName: string, def: AttributeDef, a: XmlAttribute): void {
  const parsed = attributeUri(a);
  const what = `'${a.name}' of <${elName}>`;
  for (const p of parsed.problems) {
    ctx.report({ file, span: p.span, message: `Malformed URI in ${what}: ${p.message}. ActiveMQ cannot use it and fails to start the connector.` });
  }
  const kind = def.uriKind!;
  const outerScheme = (s: string): boolean => (kind === 'server' ? isTransportScheme(s) : isDiscoveryScheme(s));
  if (parsed.composite) {
    const span = schemeSpan(a, parsed.scheme);
    if (span) checkScheme(ctx, file, parsed.scheme, span, outerScheme(parsed.scheme), kind === 'server' ? 'transport' : 'discovery');
    checkNested(ctx, file, parsed.endpoints);
    return;
  }
  const ep = parsed.endpoints[0];
  if (!ep) return;
  checkScheme(ctx, file, ep.scheme, ep.schemeSpan, outerScheme(ep.scheme), kind === 'server' ? 'transport' : 'discovery');
  if (kind === 'server' && ep.scheme === 'tcp') checkServerOptions(ctx, file, what, ep);
}

/** Nested endpoints of a composite URI (static:(...), masterslave:(...), failover:(...)) are transports. */
function checkNested(ctx: RuleContext, file: string, endpoints: UriEndpoint[]): void {
  for (const ep of endpoints) {
    if (ep.nested) {
      const span = ep.schemeSpan;
      checkScheme(ctx, file, ep.scheme, span, isTransportScheme(ep.scheme), 'transport');
      checkNested(ctx, file, ep.nested.endpoints);
    } else {
      checkScheme(ctx, file, ep.scheme, ep.schemeSpan, isTransportScheme(ep.scheme), 'transport');
    }
  }
}

/** The span of a composite URI's own scheme: the value's first characters. */
function schemeSpan(a: XmlAttribute, scheme: string): Span | undefined {
  const lead = a.value.length - a.value.trimStart().length;
  if (a.value.slice(lead, lead + scheme.length).toLowerCase() !== scheme) return undefined;
  return { start: valueOffset(a, lead), end: valueOffset(a, lead + scheme.length) };
}

function checkScheme(ctx: RuleContext, file: string, scheme: string, span: Span, known: boolean, family: 'transport' | 'discovery'): void {
  if (known || !scheme || scheme.includes('${') || span.end <= span.start) return;
  const pool = family === 'transport' ? transportSchemes() : discoverySchemes();
  const c = suggest(scheme, pool);
  const fixes: Fix[] = c.slice(0, 5).map((x) => ({
    title: `Change '${scheme}' to '${x}'`,
    edits: [{ file, span, newText: x }],
    ...(c.length === 1 ? { isPreferred: true } : {}),
  }));
  const message =
    family === 'transport'
      ? `Unknown transport scheme '${scheme}'.` +
        (c.length ? ` Did you mean '${c[0]}'?` : '') +
        ` ActiveMQ refuses to start with: java.io.IOException: Transport scheme NOT recognized: [${scheme}]`
      : `Unknown discovery scheme '${scheme}': ActiveMQ knows ${pool.join(', ')}.` +
        (c.length ? ` Did you mean '${c[0]}'?` : '') +
        ` The network connector cannot be created and the broker fails to start.`;
  ctx.report({ file, span, message, ...(fixes.length ? { fixes } : {}) });
}

/** A tcp:// server URI silently ignores options it does not know (TcpTransportFactory.doBind). */
function checkServerOptions(ctx: RuleContext, file: string, what: string, ep: UriEndpoint): void {
  const prefixes = optionPrefixes();
  const names = tcpServerOptions().map((o) => o.name);
  for (const q of ep.query) {
    const key = q.key;
    if (!key || key.includes('${') || tcpServerOption(key) || prefixes.some((p) => key.startsWith(p))) continue;
    const c = suggest(key, names);
    const fixes: Fix[] = c.slice(0, 5).map((x) => ({
      title: `Change '${key}' to '${x}'`,
      edits: [{ file, span: q.keySpan, newText: x }],
      ...(c.length === 1 ? { isPreferred: true } : {}),
    }));
    ctx.report({
      file,
      span: q.keySpan,
      severity: 'warning',
      message:
        `Unknown option '${key}' in ${what}: ActiveMQ silently ignores unknown options of a tcp:// server URI, so the connector starts without it.` +
        (c.length ? ` Did you mean '${c[0]}'?` : ` Options of accepted connections are written transport.<name>, wire format options wireFormat.<name>.`),
      ...(fixes.length ? { fixes } : {}),
    });
  }
}
