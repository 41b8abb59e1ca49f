/**
 * Templates: configuration files that a tool renders before ActiveMQ or ZooKeeper reads them
 * (Ansible/Jinja2 `{{ }}` `{% %}`, Chef/Puppet ERB `<%= %>` `<% %>`, Go/Helm `{{ }}`, Maven/Ant
 * `@token@`), and literal tokens that a script in the repository replaces with `sed`.
 *
 * What an expression renders to is unknown. Masking replaces every expression by text of the
 * same length, so that every offset of the masked document is the offset of the template: an
 * expression that yields a value becomes `${___}`, the placeholder form the model already treats
 * as unknown; a statement (`{% if %}`, `<% end %>`, a comment, or an expression alone on its line)
 * becomes blanks, line breaks kept. The masked spans are returned: a finding that touches one is
 * about text nobody can know, and is dropped.
 */
import type { Span } from '../types';

/** Extensions that mark a template; the name without them tells what it renders. */
const TEMPLATE_EXT = /\.(j2|jinja2?|erb|tmpl|tpl|gotmpl|template|sed|mustache|hbs|ftl|vm|in|ctmpl|epp)$/i;

/** `activemq.xml.j2` -> `activemq.xml`; undefined when the name has no template extension. */
export function templateInner(name: string): string | undefined {
  const m = TEMPLATE_EXT.exec(name);
  if (!m) return undefined;
  const inner = name.slice(0, m.index);
  return inner.length > 0 ? inner : undefined;
}

export interface Masked {
  text: string;
  /** masked spans (offsets equal in the template and the masked text) */
  masked: Span[];
}

interface Delims {
  open: string;
  close: string;
  /** true: renders a value; false: a statement or a comment */
  value: boolean;
}

// longest openers first; `{%-`/`{{-` and `-%}`/`-}}` (whitespace control) are covered by the
// scan, which only looks for the closing delimiter's last two characters
const DELIMS: Delims[] = [
  { open: '<%=', close: '%>', value: true },
  { open: '<%-', close: '%>', value: true },
  { open: '<%#', close: '%>', value: false },
  { open: '<%', close: '%>', value: false },
  { open: '{{', close: '}}', value: true },
  { open: '{%', close: '%}', value: false },
  { open: '{#', close: '#}', value: false },
  { open: '[%', close: '%]', value: false },
];

/** Whether a text holds any template syntax worth masking (a cheap scan). */
export function hasTemplateSyntax(text: string): boolean {
  return text.includes('{{') || text.includes('{%') || text.includes('<%') || (text.includes('@') && /@[A-Za-z_][\w.-]*@/.test(text));
}

/** Limit for one expression: an unclosed `{{` does not swallow the rest of a large file. */
const MAX_EXPRESSION = 4096;

/**
 * Masks template expressions. `atTokens`: also mask Maven/Ant `@name@` tokens (files with a
 * template extension, or any configuration file: a literal `@x.y@` is never a valid port, host
 * or name either). `tokens`: literal tokens that a script substitutes (see sed.ts).
 */
export function maskTemplate(
  text: string,
  opts: {
    atTokens?: boolean;
    tokens?: readonly string[];
    /** `$NAME` / `${NAME}` that an envsubst replaces: all (true) or the listed names */
    shellVars?: true | readonly string[];
    /** `$NAME` in capitals, which neither ActiveMQ (Spring) nor ZooKeeper expands: a script's token */
    bareCapitalVars?: boolean;
  } = {},
): Masked {
  const spans: { span: Span; value: boolean }[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 0x7b /* { */ && c !== 0x3c /* < */ && c !== 0x5b /* [ */) {
      i++;
      continue;
    }
    let d: Delims | undefined;
    for (const x of DELIMS) {
      if (text.startsWith(x.open, i)) {
        d = x;
        break;
      }
    }
    if (!d || (d.open === '[%' && !/^\[%[\s-]/.test(text.slice(i, i + 3)))) {
      i++;
      continue;
    }
    const closeAt = text.indexOf(d.close, i + d.open.length);
    if (closeAt < 0 || closeAt - i > MAX_EXPRESSION) {
      i++;
      continue;
    }
    const end = closeAt + d.close.length;
    spans.push({ span: { start: i, end }, value: d.value });
    i = end;
  }
  if (opts.atTokens) {
    const re = /@[A-Za-z_][\w.-]*@/g;
    for (let m = re.exec(text); m; m = re.exec(text)) spans.push({ span: { start: m.index, end: m.index + m[0].length }, value: true });
  }
  for (const t of opts.tokens ?? []) {
    if (t.length < 3) continue;
    for (let k = text.indexOf(t); k >= 0; k = text.indexOf(t, k + t.length)) {
      // whole tokens only: USE_JMX, not a part of MY_USE_JMX_X
      if (isWordChar(text.charCodeAt(k - 1)) && isWordChar(t.charCodeAt(0))) continue;
      if (isWordChar(text.charCodeAt(k + t.length)) && isWordChar(t.charCodeAt(t.length - 1))) continue;
      spans.push({ span: { start: k, end: k + t.length }, value: true });
    }
  }
  if ((opts.shellVars || opts.bareCapitalVars) && text.includes('$')) {
    const names = opts.shellVars && opts.shellVars !== true ? new Set(opts.shellVars) : undefined;
    const re = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const name = m[1] ?? m[2];
      const byEnvsubst = opts.shellVars !== undefined && (names === undefined || names.has(name));
      // bare capitals only: `${NAME}` is Spring's placeholder syntax, and `$x` may be part of a password
      const bare = opts.bareCapitalVars && m[2] !== undefined && /^[A-Z][A-Z0-9_]+$/.test(name) && text[m.index - 1] !== '$';
      if (byEnvsubst || bare) spans.push({ span: { start: m.index, end: m.index + m[0].length }, value: true });
    }
  }
  if (spans.length === 0) return { text, masked: [] };
  spans.sort((a, b) => a.span.start - b.span.start || b.span.end - a.span.end);
  const out: string[] = [];
  const masked: Span[] = [];
  let pos = 0;
  for (const s of spans) {
    if (s.span.start < pos) continue; // nested in (or overlapping) an earlier one
    out.push(text.slice(pos, s.span.start));
    const raw = text.slice(s.span.start, s.span.end);
    const alone = lineIsOnly(text, s.span);
    out.push(s.value && !alone && !raw.includes('\n') && !raw.includes('\r') ? placeholder(raw.length) : blank(raw));
    masked.push(s.span);
    pos = s.span.end;
  }
  out.push(text.slice(pos));
  return { text: out.join(''), masked };
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `${___}` of the given length (at least 3). */
function placeholder(len: number): string {
  return len >= 3 ? '${' + '_'.repeat(len - 3) + '}' : ' '.repeat(len);
}

/** Blanks of the same length, line breaks kept. */
function blank(raw: string): string {
  return raw.replace(/[^\r\n]/g, ' ');
}

/** True when only whitespace surrounds the span on its line(s). */
function lineIsOnly(text: string, span: Span): boolean {
  for (let k = span.start - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return false;
  }
  for (let k = span.end; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** True when a span touches a masked span. */
export function touchesMasked(span: Span, masked: readonly Span[]): boolean {
  if (masked.length === 0) return false;
  // masked spans are sorted and disjoint
  let lo = 0;
  let hi = masked.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = masked[mid];
    if (m.end < span.start) lo = mid + 1;
    else if (m.start > span.end) hi = mid - 1;
    else return true;
  }
  return false;
}
