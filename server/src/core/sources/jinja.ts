/**
 * A small Jinja2 subset, enough to render the templates of configuration roles with values read
 * from the repository (sources/ansible.ts), never more than it can be sure of.
 *
 * Supported: `{{ expr }}`, `{% if/elif/else/endif %}`, `{% for x in expr %}` (with `loop.index`,
 * `index0`, `first`, `last`, `length`, an `{% else %}`, and `k, v in d.items()`), `{% set x = expr %}`,
 * `{% raw %}`, `{# comments #}`, whitespace control (`-`, `+`) and Ansible's settings
 * (trim_blocks on, lstrip_blocks off, the trailing newline kept). Expressions: literals (numbers,
 * strings, true/false/none, lists), names, `.attr` and `[index]` access, `+ - * // %`, `~`,
 * comparisons, `in`, `and/or/not`, `x if c else y`, `is defined / undefined / none`, the filters
 * `default`/`d`, `int`, `string`, `join`, `upper`, `lower`, `length`/`count`, `trim`, `first`,
 * `last`, `list`, and the calls `list.index(x)`, `str.split(sep)`, `range(...)`, `dict.items()`.
 *
 * Anything else (another filter, a macro, an include, a lookup) and any undefined value that is
 * rendered or computed with throws `Unknowable`: the caller then knows nothing about that node.
 *
 * Rendering yields pieces: literal template text (its offset in the template) and rendered values
 * (with the place their value is written: a vars file's scalar, or the expression itself).
 */
import type { Span } from '../types';

export class Unknowable extends Error {}

export interface Origin {
  file: string;
  start: number;
  end: number;
}

export type Val =
  | { k: 'str'; v: string; o?: Origin }
  | { k: 'num'; v: number; o?: Origin }
  | { k: 'bool'; v: boolean; o?: Origin }
  | { k: 'none'; o?: Origin }
  | { k: 'list'; v: Val[]; o?: Origin }
  | { k: 'dict'; get(key: string): Val; keys(): string[]; o?: Origin }
  | { k: 'undef'; name: string };

export const str = (v: string, o?: Origin): Val => ({ k: 'str', v, o });
export const num = (v: number, o?: Origin): Val => ({ k: 'num', v, o });
export const undef = (name: string): Val => ({ k: 'undef', name });

/** A value the repository holds but nobody can read (an Ansible vault): using it in any way is unknowable. */
export const unknowable = (why: string): Val => ({ k: 'undef', name: '\u0000' + why });
const isUnknowable = (v: Val): boolean => v.k === 'undef' && v.name.startsWith('\u0000');

export function dictOf(m: Map<string, Val>, o?: Origin): Val {
  return { k: 'dict', get: (key) => m.get(key) ?? undef(key), keys: () => [...m.keys()], o };
}

/** Name lookup of the surrounding context (variables of a host); may throw Unknowable. */
export type Lookup = (name: string) => Val;

// ---------------------------------------------------------------------------------------------
// template syntax

type Expr =
  | { t: 'lit'; v: Val; span: Span }
  | { t: 'name'; name: string; span: Span }
  | { t: 'attr'; obj: Expr; name: string; span: Span }
  | { t: 'index'; obj: Expr; index: Expr; span: Span }
  | { t: 'list'; items: Expr[]; span: Span }
  | { t: 'call'; fn: Expr; args: Expr[]; span: Span }
  | { t: 'filter'; arg: Expr; name: string; args: Expr[]; span: Span }
  | { t: 'test'; arg: Expr; name: string; negate: boolean; span: Span }
  | { t: 'bin'; op: string; a: Expr; b: Expr; span: Span }
  | { t: 'not'; a: Expr; span: Span }
  | { t: 'neg'; a: Expr; span: Span }
  | { t: 'cond'; cond: Expr; a: Expr; b?: Expr; span: Span };

type TNode =
  | { t: 'text'; start: number; end: number }
  | { t: 'out'; expr: Expr; span: Span }
  | { t: 'if'; branches: { cond?: Expr; body: TNode[] }[] }
  | { t: 'for'; targets: string[]; iter: Expr; body: TNode[]; orelse: TNode[] }
  | { t: 'set'; name: string; expr: Expr };

export interface Template {
  file: string;
  text: string;
  nodes: TNode[];
}

interface Tag {
  kind: 'var' | 'block' | 'comment';
  /** the whole tag `{{ ... }}` */
  start: number;
  end: number;
  /** the inner expression/statement text span */
  innerStart: number;
  innerEnd: number;
  stripBefore: boolean;
  stripAfter: boolean;
  /** `+%}`: no trim_blocks for this tag */
  keepNewline: boolean;
}

const MAX_TEMPLATE = 1024 * 1024;

/** Parses a template; throws Unknowable for syntax outside the subset. */
export function parseTemplate(file: string, text: string): Template {
  if (text.length > MAX_TEMPLATE) throw new Unknowable('template too large');
  const tags = scanTags(text);
  // text between tags, after whitespace control and trim_blocks
  const pieces: ({ t: 'text'; start: number; end: number } | { t: 'tag'; tag: Tag })[] = [];
  let pos = 0;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i];
    let end = tag.start;
    if (tag.stripBefore) while (end > pos && /\s/.test(text[end - 1])) end--;
    if (end > pos) pieces.push({ t: 'text', start: pos, end });
    pieces.push({ t: 'tag', tag });
    pos = tag.end;
    if (tag.stripAfter) while (pos < text.length && /\s/.test(text[pos])) pos++;
    else if ((tag.kind === 'block' || tag.kind === 'comment') && !tag.keepNewline) {
      if (text.startsWith('\r\n', pos)) pos += 2;
      else if (text[pos] === '\n' || text[pos] === '\r') pos += 1;
    }
  }
  if (pos < text.length) pieces.push({ t: 'text', start: pos, end: text.length });
  let i = 0;
  const parseBody = (stop: string[]): { nodes: TNode[]; end?: string; tag?: Tag } => {
    const nodes: TNode[] = [];
    while (i < pieces.length) {
      const p = pieces[i++];
      if (p.t === 'text') {
        nodes.push(p);
        continue;
      }
      const tag = p.tag;
      if (tag.kind === 'comment') continue;
      if (tag.kind === 'var') {
        nodes.push({ t: 'out', expr: parseExpr(text, tag.innerStart, tag.innerEnd), span: { start: tag.start, end: tag.end } });
        continue;
      }
      const stmt = text.slice(tag.innerStart, tag.innerEnd).trim();
      const word = /^[a-z_]+/.exec(stmt)?.[0] ?? '';
      if (stop.includes(word)) return { nodes, end: word, tag };
      const innerStart = tag.innerStart + text.slice(tag.innerStart, tag.innerEnd).indexOf(stmt) + word.length;
      if (word === 'if') {
        const branches: { cond?: Expr; body: TNode[] }[] = [];
        let cond: Expr | undefined = parseExpr(text, innerStart, tag.innerEnd);
        for (;;) {
          const r = parseBody(['elif', 'else', 'endif']);
          branches.push({ cond, body: r.nodes });
          if (r.end === 'endif') break;
          if (r.end === 'elif') {
            const s = text.slice(r.tag!.innerStart, r.tag!.innerEnd);
            cond = parseExpr(text, r.tag!.innerStart + s.indexOf('elif') + 4, r.tag!.innerEnd);
          } else if (r.end === 'else') {
            const e = parseBody(['endif']);
            if (e.end !== 'endif') throw new Unknowable('unclosed if');
            branches.push({ body: e.nodes });
            break;
          } else throw new Unknowable('unclosed if');
        }
        nodes.push({ t: 'if', branches });
      } else if (word === 'for') {
        const m = /^for\s+([A-Za-z_]\w*)(\s*,\s*([A-Za-z_]\w*))?\s+in\s+/.exec(stmt);
        if (!m) throw new Unknowable('for syntax');
        const iterStart = tag.innerStart + text.slice(tag.innerStart, tag.innerEnd).indexOf(stmt) + m[0].length;
        if (/\s(if|recursive)\s/.test(' ' + text.slice(iterStart, tag.innerEnd) + ' ')) throw new Unknowable('for with a filter');
        const iter = parseExpr(text, iterStart, tag.innerEnd);
        const r = parseBody(['else', 'endfor']);
        let orelse: TNode[] = [];
        if (r.end === 'else') {
          const e = parseBody(['endfor']);
          if (e.end !== 'endfor') throw new Unknowable('unclosed for');
          orelse = e.nodes;
        } else if (r.end !== 'endfor') throw new Unknowable('unclosed for');
        nodes.push({ t: 'for', targets: m[3] ? [m[1], m[3]] : [m[1]], iter, body: r.nodes, orelse });
      } else if (word === 'set') {
        const m = /^set\s+([A-Za-z_]\w*)\s*=(?!=)/.exec(stmt);
        if (!m) throw new Unknowable('set syntax');
        const exprStart = tag.innerStart + text.slice(tag.innerStart, tag.innerEnd).indexOf(stmt) + m[0].length;
        nodes.push({ t: 'set', name: m[1], expr: parseExpr(text, exprStart, tag.innerEnd) });
      } else if (word === 'raw') {
        // everything up to {% endraw %} is text (scanTags already left it alone)
        const r = parseBody(['endraw']);
        if (r.end !== 'endraw') throw new Unknowable('unclosed raw');
        for (const n of r.nodes) nodes.push(n);
      } else {
        throw new Unknowable(`statement ${word || stmt.slice(0, 20)}`);
      }
    }
    return { nodes };
  };
  const top = parseBody([]);
  if (top.end) throw new Unknowable(`unexpected ${top.end}`);
  return { file, text, nodes: top.nodes };
}

/** The `{{ }}`, `{% %}`, `{# #}` tags of a template, in order (a `{% raw %}` block's content is not scanned). */
function scanTags(text: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  let raw = false;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0 || open + 1 >= text.length) break;
    const c = text[open + 1];
    if (c !== '{' && c !== '%' && c !== '#') {
      i = open + 1;
      continue;
    }
    const kind = c === '{' ? 'var' : c === '%' ? 'block' : 'comment';
    const closeSeq = c === '{' ? '}}' : c === '%' ? '%}' : '#}';
    let innerStart = open + 2;
    let close = kind === 'var' ? findVarClose(text, innerStart) : text.indexOf(closeSeq, innerStart);
    if (close < 0) throw new Unknowable('unclosed tag');
    if (raw) {
      if (!(kind === 'block' && /^\s*-?\s*endraw\s*-?\s*$/.test(text.slice(innerStart, close).replace(/^[-+]|[-+]$/g, '')))) {
        i = open + 1;
        continue;
      }
      raw = false;
    }
    let innerEnd = close;
    let stripBefore = false;
    let stripAfter = false;
    let keepNewline = false;
    if (text[innerStart] === '-') {
      stripBefore = true;
      innerStart++;
    } else if (text[innerStart] === '+') innerStart++;
    if (text[innerEnd - 1] === '-') {
      stripAfter = true;
      innerEnd--;
    } else if (text[innerEnd - 1] === '+') {
      keepNewline = true;
      innerEnd--;
    }
    const tag: Tag = { kind, start: open, end: close + 2, innerStart, innerEnd, stripBefore, stripAfter, keepNewline };
    tags.push(tag);
    if (kind === 'block' && /^\s*raw\s*$/.test(text.slice(innerStart, innerEnd))) raw = true;
    i = close + 2;
  }
  if (raw) throw new Unknowable('unclosed raw');
  return tags;
}

/** The `}}` closing a `{{`, skipping string literals. */
function findVarClose(text: string, from: number): number {
  let q: string | undefined;
  for (let i = from; i < text.length - 1; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '\\') i++;
      else if (ch === q) q = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") q = ch;
    else if (ch === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// expressions

interface Tok {
  t: 'name' | 'num' | 'str' | 'op' | 'end';
  v: string;
  start: number;
  end: number;
}

function tokenize(text: string, start: number, end: number): Tok[] {
  const out: Tok[] = [];
  let i = start;
  while (i < end) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < end && /\w/.test(text[j])) j++;
      out.push({ t: 'name', v: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (/\d/.test(ch)) {
      let j = i + 1;
      while (j < end && /[\d_]/.test(text[j])) j++;
      if (text[j] === '.' && /\d/.test(text[j + 1] ?? '')) {
        j++;
        while (j < end && /\d/.test(text[j])) j++;
      }
      out.push({ t: 'num', v: text.slice(i, j).replace(/_/g, ''), start: i, end: j });
      i = j;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      let v = '';
      while (j < end && text[j] !== ch) {
        if (text[j] === '\\' && j + 1 < end) {
          const e = text[j + 1];
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          j += 2;
          continue;
        }
        v += text[j++];
      }
      if (j >= end) throw new Unknowable('unclosed string');
      out.push({ t: 'str', v, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '//', '**'].includes(two)) {
      out.push({ t: 'op', v: two, start: i, end: i + 2 });
      i += 2;
      continue;
    }
    if ('()[]{}.,|~+-*/%<>=:'.includes(ch)) {
      out.push({ t: 'op', v: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    throw new Unknowable(`character ${ch}`);
  }
  out.push({ t: 'end', v: '', start: end, end });
  return out;
}

function parseExpr(text: string, start: number, end: number): Expr {
  const toks = tokenize(text, start, end);
  let p = 0;
  const peek = () => toks[p];
  const next = () => toks[p++];
  const isOp = (v: string) => peek().t === 'op' && peek().v === v;
  const isWord = (v: string) => peek().t === 'name' && peek().v === v;
  const expect = (v: string) => {
    if (!(peek().v === v && (peek().t === 'op' || peek().t === 'name'))) throw new Unknowable(`expected ${v}`);
    return next();
  };
  const span = (a: number, b: Expr | Tok): Span => ({ start: a, end: 'end' in b ? b.end : b.span.end });
  const cond = (): Expr => {
    const a = or();
    if (isWord('if')) {
      next();
      const c = or();
      let b: Expr | undefined;
      if (isWord('else')) {
        next();
        b = cond();
      }
      return { t: 'cond', cond: c, a, b, span: { start: a.span.start, end: (b ?? c).span.end } };
    }
    return a;
  };
  const or = (): Expr => {
    let a = and();
    while (isWord('or')) {
      next();
      const b = and();
      a = { t: 'bin', op: 'or', a, b, span: span(a.span.start, b) };
    }
    return a;
  };
  const and = (): Expr => {
    let a = not();
    while (isWord('and')) {
      next();
      const b = not();
      a = { t: 'bin', op: 'and', a, b, span: span(a.span.start, b) };
    }
    return a;
  };
  const not = (): Expr => {
    if (isWord('not')) {
      const t = next();
      const a = not();
      return { t: 'not', a, span: span(t.start, a) };
    }
    return compare();
  };
  const compare = (): Expr => {
    let a = math1();
    for (;;) {
      let op: string | undefined;
      if (peek().t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(peek().v)) op = next().v;
      else if (isWord('in')) {
        next();
        op = 'in';
      } else if (isWord('not') && toks[p + 1]?.t === 'name' && toks[p + 1].v === 'in') {
        p += 2;
        op = 'not in';
      }
      if (!op) return a;
      const b = math1();
      a = { t: 'bin', op, a, b, span: span(a.span.start, b) };
    }
  };
  const math1 = (): Expr => {
    let a = concat();
    while (peek().t === 'op' && (peek().v === '+' || peek().v === '-')) {
      const op = next().v;
      const b = concat();
      a = { t: 'bin', op, a, b, span: span(a.span.start, b) };
    }
    return a;
  };
  const concat = (): Expr => {
    let a = math2();
    while (isOp('~')) {
      next();
      const b = math2();
      a = { t: 'bin', op: '~', a, b, span: span(a.span.start, b) };
    }
    return a;
  };
  const math2 = (): Expr => {
    let a = unary();
    while (peek().t === 'op' && ['*', '/', '//', '%'].includes(peek().v)) {
      const op = next().v;
      const b = unary();
      a = { t: 'bin', op, a, b, span: span(a.span.start, b) };
    }
    return a;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      const t = next();
      const a = unary();
      return { t: 'neg', a, span: span(t.start, a) };
    }
    if (isOp('+')) {
      next();
      return unary();
    }
    return filters(postfix(primary()));
  };
  const args = (): Expr[] => {
    const out: Expr[] = [];
    expect('(');
    while (!isOp(')')) {
      if (peek().t === 'name' && toks[p + 1]?.t === 'op' && toks[p + 1].v === '=') throw new Unknowable('keyword arguments');
      out.push(cond());
      if (!isOp(',')) break;
      next();
    }
    expect(')');
    return out;
  };
  const primary = (): Expr => {
    const t = next();
    if (t.t === 'num') {
      if (t.v.includes('.')) throw new Unknowable('float literal');
      return { t: 'lit', v: num(Number(t.v)), span: { start: t.start, end: t.end } };
    }
    if (t.t === 'str') {
      let v = t.v;
      let e = t.end;
      // adjacent string literals concatenate
      while (peek().t === 'str') {
        const n = next();
        v += n.v;
        e = n.end;
      }
      return { t: 'lit', v: str(v), span: { start: t.start, end: e } };
    }
    if (t.t === 'name') {
      const s = { start: t.start, end: t.end };
      if (t.v === 'true' || t.v === 'True') return { t: 'lit', v: { k: 'bool', v: true }, span: s };
      if (t.v === 'false' || t.v === 'False') return { t: 'lit', v: { k: 'bool', v: false }, span: s };
      if (t.v === 'none' || t.v === 'None') return { t: 'lit', v: { k: 'none' }, span: s };
      return { t: 'name', name: t.v, span: s };
    }
    if (t.t === 'op' && t.v === '(') {
      const e = cond();
      if (isOp(',')) throw new Unknowable('tuple');
      expect(')');
      return e;
    }
    if (t.t === 'op' && t.v === '[') {
      const items: Expr[] = [];
      while (!isOp(']')) {
        items.push(cond());
        if (!isOp(',')) break;
        next();
      }
      const close = expect(']');
      return { t: 'list', items, span: { start: t.start, end: close.end } };
    }
    throw new Unknowable(`unexpected ${t.v || 'end'}`);
  };
  const postfix = (e: Expr): Expr => {
    for (;;) {
      if (isOp('.')) {
        next();
        const n = next();
        if (n.t !== 'name' && n.t !== 'num') throw new Unknowable('attribute');
        e = { t: 'attr', obj: e, name: n.v, span: span(e.span.start, n) };
      } else if (isOp('[')) {
        next();
        if (isOp(':')) throw new Unknowable('slice');
        const idx = cond();
        if (isOp(':')) throw new Unknowable('slice');
        const close = expect(']');
        e = { t: 'index', obj: e, index: idx, span: span(e.span.start, close) };
      } else if (isOp('(')) {
        const a = args();
        e = { t: 'call', fn: e, args: a, span: { start: e.span.start, end: toks[p - 1].end } };
      } else return e;
    }
  };
  const filters = (e: Expr): Expr => {
    for (;;) {
      if (isOp('|')) {
        next();
        const n = next();
        if (n.t !== 'name') throw new Unknowable('filter name');
        let name = n.v;
        while (isOp('.') && toks[p + 1]?.t === 'name') {
          next();
          name += '.' + next().v;
        }
        const a = isOp('(') ? args() : [];
        e = { t: 'filter', arg: e, name, args: a, span: { start: e.span.start, end: toks[p - 1].end } };
      } else if (isWord('is')) {
        next();
        let negate = false;
        if (isWord('not')) {
          next();
          negate = true;
        }
        const n = next();
        if (n.t !== 'name') throw new Unknowable('test name');
        if (isOp('(') || (peek().t !== 'end' && peek().t !== 'op' && !['and', 'or', 'if', 'else', 'is', 'in', 'not'].includes(peek().v))) throw new Unknowable('test arguments');
        e = { t: 'test', arg: e, name: n.v, negate, span: span(e.span.start, n) };
      } else return e;
    }
  };
  const e = cond();
  if (peek().t !== 'end') throw new Unknowable(`trailing ${peek().v}`);
  return e;
}

// ---------------------------------------------------------------------------------------------
// evaluation

/** Bounds: a template cannot make the renderer do unbounded work. */
const MAX_ITERATIONS = 100_000;
const MAX_OUTPUT = 4 * 1024 * 1024;

export interface Piece {
  text: string;
  /** literal template text: its offset in the template */
  at?: number;
  /** rendered value: where it is written */
  origin?: Origin;
}

interface Scope {
  vars: Map<string, Val>;
  parent?: Scope;
}

class Renderer {
  iterations = 0;
  size = 0;
  readonly out: Piece[] = [];

  constructor(
    private readonly tpl: Template,
    private readonly lookup: Lookup,
  ) {}

  name(scope: Scope, name: string): Val {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return this.lookup(name);
  }

  emit(p: Piece): void {
    this.size += p.text.length;
    if (this.size > MAX_OUTPUT) throw new Unknowable('output too large');
    if (p.text.length > 0) this.out.push(p);
  }

  run(nodes: TNode[], scope: Scope): void {
    for (const n of nodes) {
      switch (n.t) {
        case 'text':
          this.emit({ text: this.tpl.text.slice(n.start, n.end), at: n.start });
          break;
        case 'out': {
          const v = this.eval(n.expr, scope);
          this.emit({ text: render(v), origin: v.k !== 'undef' && v.o ? v.o : { file: this.tpl.file, start: n.span.start, end: n.span.end } });
          break;
        }
        case 'if': {
          // an if block opens no scope: a set inside it stays visible after it
          for (const b of n.branches) {
            if (!b.cond || truthy(this.eval(b.cond, scope))) {
              this.run(b.body, scope);
              break;
            }
          }
          break;
        }
        case 'for': {
          const it = this.eval(n.iter, scope);
          const items = iterate(it);
          if (items.length === 0) {
            this.run(n.orelse, { vars: new Map(), parent: scope });
            break;
          }
          items.forEach((item, i) => {
            if (++this.iterations > MAX_ITERATIONS) throw new Unknowable('too many iterations');
            const vars = new Map<string, Val>();
            if (n.targets.length === 2) {
              if (item.k !== 'list' || item.v.length !== 2) throw new Unknowable('unpacking');
              vars.set(n.targets[0], item.v[0]);
              vars.set(n.targets[1], item.v[1]);
            } else vars.set(n.targets[0], item);
            const loop = new Map<string, Val>([
              ['index', num(i + 1)],
              ['index0', num(i)],
              ['revindex', num(items.length - i)],
              ['revindex0', num(items.length - i - 1)],
              ['first', { k: 'bool', v: i === 0 }],
              ['last', { k: 'bool', v: i === items.length - 1 }],
              ['length', num(items.length)],
            ]);
            vars.set('loop', dictOf(loop));
            this.run(n.body, { vars, parent: scope });
          });
          break;
        }
        case 'set': {
          // Jinja scoping: a set inside a loop body does not leak out of it (our scopes nest likewise)
          scope.vars.set(n.name, this.eval(n.expr, scope));
          break;
        }
      }
    }
  }

  eval(e: Expr, scope: Scope): Val {
    switch (e.t) {
      case 'lit':
        return e.v;
      case 'name':
        return this.name(scope, e.name);
      case 'list':
        return { k: 'list', v: e.items.map((x) => defined(this.eval(x, scope))) };
      case 'attr':
      case 'index': {
        const obj = this.eval(e.obj, scope);
        const key = e.t === 'attr' ? str(e.name) : defined(this.eval(e.index, scope));
        // Ansible's undefined chains (`a.b | default(x)` with `a` undefined takes the default)
        if (obj.k === 'undef') return isUnknowable(obj) ? obj : undef(`${obj.name}.${key.k === 'str' ? key.v : '[]'}`);
        return access(obj, key);
      }
      case 'call':
        return this.call(e, scope);
      case 'filter':
        return this.filter(e, scope);
      case 'test': {
        const v = this.eval(e.arg, scope);
        if (isUnknowable(v)) defined(v);
        let r: boolean;
        if (e.name === 'defined') r = v.k !== 'undef';
        else if (e.name === 'undefined') r = v.k === 'undef';
        else if (e.name === 'none') r = defined(v).k === 'none';
        else throw new Unknowable(`test ${e.name}`);
        return { k: 'bool', v: e.negate ? !r : r };
      }
      case 'not':
        return { k: 'bool', v: !truthy(this.eval(e.a, scope)) };
      case 'neg': {
        const v = defined(this.eval(e.a, scope));
        if (v.k !== 'num') throw new Unknowable('negation');
        return num(-v.v);
      }
      case 'cond': {
        if (truthy(this.eval(e.cond, scope))) return this.eval(e.a, scope);
        if (!e.b) throw new Unknowable('conditional without else');
        return this.eval(e.b, scope);
      }
      case 'bin':
        return this.binary(e, scope);
    }
  }

  binary(e: Extract<Expr, { t: 'bin' }>, scope: Scope): Val {
    if (e.op === 'and') {
      const a = this.eval(e.a, scope);
      return truthy(a) ? this.eval(e.b, scope) : a;
    }
    if (e.op === 'or') {
      const a = this.eval(e.a, scope);
      return truthy(a) ? a : this.eval(e.b, scope);
    }
    const a = defined(this.eval(e.a, scope));
    const b = defined(this.eval(e.b, scope));
    switch (e.op) {
      case '~':
        return str(render(a) + render(b));
      case '+':
        if (a.k === 'num' && b.k === 'num') return num(a.v + b.v);
        if (a.k === 'str' && b.k === 'str') return str(a.v + b.v);
        if (a.k === 'list' && b.k === 'list') return { k: 'list', v: [...a.v, ...b.v] };
        throw new Unknowable('+ on these types');
      case '-':
      case '*':
      case '//':
      case '%': {
        if (a.k === 'str' && b.k === 'num' && e.op === '*') return str(a.v.repeat(Math.max(0, Math.min(b.v, 10000))));
        if (a.k !== 'num' || b.k !== 'num') throw new Unknowable(`${e.op} on these types`);
        if ((e.op === '//' || e.op === '%') && b.v === 0) throw new Unknowable('division by zero');
        if (e.op === '-') return num(a.v - b.v);
        if (e.op === '*') return num(a.v * b.v);
        if (e.op === '//') return num(Math.floor(a.v / b.v));
        return num(a.v - b.v * Math.floor(a.v / b.v));
      }
      case '/':
        throw new Unknowable('true division');
      case '==':
        return { k: 'bool', v: equal(a, b) };
      case '!=':
        return { k: 'bool', v: !equal(a, b) };
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (!((a.k === 'num' && b.k === 'num') || (a.k === 'str' && b.k === 'str'))) throw new Unknowable('ordering these types');
        const x = a.v as number | string;
        const y = b.v as number | string;
        const r = e.op === '<' ? x < y : e.op === '<=' ? x <= y : e.op === '>' ? x > y : x >= y;
        return { k: 'bool', v: r };
      }
      case 'in':
      case 'not in': {
        let r: boolean;
        if (b.k === 'list') r = b.v.some((x) => equal(x, a));
        else if (b.k === 'str' && a.k === 'str') r = b.v.includes(a.v);
        else if (b.k === 'dict' && a.k === 'str') r = b.keys().includes(a.v);
        else throw new Unknowable('in on these types');
        return { k: 'bool', v: e.op === 'in' ? r : !r };
      }
    }
    throw new Unknowable(`operator ${e.op}`);
  }

  call(e: Extract<Expr, { t: 'call' }>, scope: Scope): Val {
    const args = e.args.map((a) => defined(this.eval(a, scope)));
    if (e.fn.t === 'name' && e.fn.name === 'range') {
      const n = args.map((a) => (a.k === 'num' ? a.v : NaN));
      if (n.some((x) => Number.isNaN(x)) || n.length < 1 || n.length > 3) throw new Unknowable('range arguments');
      const [start, stop, step] = n.length === 1 ? [0, n[0], 1] : [n[0], n[1], n[2] ?? 1];
      if (step === 0 || Math.abs((stop - start) / step) > MAX_ITERATIONS) throw new Unknowable('range size');
      const out: Val[] = [];
      for (let x = start; step > 0 ? x < stop : x > stop; x += step) out.push(num(x));
      return { k: 'list', v: out };
    }
    if (e.fn.t !== 'attr') throw new Unknowable('call');
    const obj = defined(this.eval(e.fn.obj, scope));
    const m = e.fn.name;
    if (obj.k === 'list' && m === 'index' && args.length === 1) {
      const i = obj.v.findIndex((x) => equal(x, args[0]));
      if (i < 0) throw new Unknowable('index of a missing item');
      return num(i);
    }
    if (obj.k === 'str') {
      if (m === 'split' && args.length <= 1) {
        if (args.length === 0) return { k: 'list', v: obj.v.split(/\s+/).filter(Boolean).map((s) => str(s)) };
        const sep = args[0];
        if (sep.k !== 'str' || sep.v === '') throw new Unknowable('split separator');
        return { k: 'list', v: obj.v.split(sep.v).map((s) => str(s)) };
      }
      if ((m === 'strip' || m === 'upper' || m === 'lower') && args.length === 0) return str(m === 'strip' ? obj.v.trim() : m === 'upper' ? obj.v.toUpperCase() : obj.v.toLowerCase());
      if (m === 'replace' && args.length === 2 && args[0].k === 'str' && args[1].k === 'str' && args[0].v !== '') return str(obj.v.split(args[0].v).join(args[1].v));
      if ((m === 'startswith' || m === 'endswith') && args.length === 1 && args[0].k === 'str') return { k: 'bool', v: m === 'startswith' ? obj.v.startsWith(args[0].v) : obj.v.endsWith(args[0].v) };
    }
    if (obj.k === 'dict' && m === 'items' && args.length === 0) return { k: 'list', v: obj.keys().map((key) => ({ k: 'list', v: [str(key), obj.get(key)] })) };
    if (obj.k === 'dict' && (m === 'keys' || m === 'values') && args.length === 0) return { k: 'list', v: obj.keys().map((key) => (m === 'keys' ? str(key) : obj.get(key))) };
    throw new Unknowable(`method ${m}`);
  }

  filter(e: Extract<Expr, { t: 'filter' }>, scope: Scope): Val {
    const name = e.name.replace(/^(ansible\.builtin\.)/, '');
    const v = this.eval(e.arg, scope);
    if (isUnknowable(v)) defined(v);
    if (name === 'default' || name === 'd') {
      const args = e.args.map((a) => this.eval(a, scope));
      if (args.length > 2) throw new Unknowable('default arguments');
      const fallback = args[0] ?? str('');
      const boolean = args[1] ? truthy(args[1]) : false;
      if (v.k === 'undef' || (boolean && !truthy(v))) return defined(fallback);
      return v;
    }
    const x = defined(v);
    const args = e.args.map((a) => defined(this.eval(a, scope)));
    const keep = (r: Val): Val => ('o' in x && x.o && r.k !== 'undef' ? { ...r, o: x.o } : r);
    switch (name) {
      case 'int': {
        if (args.length > 1) throw new Unknowable('int arguments');
        if (x.k === 'num') return keep(num(Math.trunc(x.v)));
        if (x.k === 'bool') return keep(num(x.v ? 1 : 0));
        if (x.k === 'str') {
          const t = x.v.trim();
          if (/^[+-]?\d+$/.test(t)) return keep(num(Number(t)));
          if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(t)) return keep(num(Math.trunc(Number(t))));
          // Jinja returns the default (0) for text that is not a number
          return args[0] ? args[0] : num(0);
        }
        throw new Unknowable('int of this type');
      }
      case 'string':
        return keep(str(render(x)));
      case 'trim':
        if (x.k !== 'str') throw new Unknowable('trim of this type');
        return keep(str(x.v.trim()));
      case 'upper':
      case 'lower':
        if (x.k !== 'str') throw new Unknowable(`${name} of this type`);
        return str(name === 'upper' ? x.v.toUpperCase() : x.v.toLowerCase());
      case 'length':
      case 'count':
        if (x.k === 'str' || x.k === 'list') return num(x.v.length);
        if (x.k === 'dict') return num(x.keys().length);
        throw new Unknowable('length of this type');
      case 'join': {
        if (args.length > 1 || (args[0] && args[0].k !== 'str')) throw new Unknowable('join arguments');
        const sep = args[0] && args[0].k === 'str' ? args[0].v : '';
        if (x.k !== 'list') throw new Unknowable('join of this type');
        return str(x.v.map((i) => render(defined(i))).join(sep));
      }
      case 'first':
      case 'last':
        if (x.k !== 'list' || x.v.length === 0) throw new Unknowable(`${name} of this value`);
        return name === 'first' ? x.v[0] : x.v[x.v.length - 1];
      case 'list':
        return { k: 'list', v: iterate(x) };
    }
    throw new Unknowable(`filter ${name}`);
  }
}

function defined(v: Val): Exclude<Val, { k: 'undef' }> {
  if (v.k === 'undef') throw new Unknowable(isUnknowable(v) ? v.name.slice(1) : `'${v.name}' is undefined`);
  return v;
}

function access(obj: Val, key: Val): Val {
  if (obj.k === 'dict') {
    if (key.k !== 'str' && key.k !== 'num') throw new Unknowable('key type');
    return obj.get(String(key.k === 'num' ? key.v : key.v));
  }
  if (obj.k === 'list' && key.k === 'num') {
    const i = key.v < 0 ? obj.v.length + key.v : key.v;
    return i >= 0 && i < obj.v.length ? obj.v[i] : undef(`[${key.v}]`);
  }
  if (obj.k === 'str' && key.k === 'num') {
    const i = key.v < 0 ? obj.v.length + key.v : key.v;
    return i >= 0 && i < obj.v.length ? str(obj.v[i]) : undef(`[${key.v}]`);
  }
  // a name a string, number or list does not have (`server.host` of a plain host name): Jinja's
  // getattr fails and the result is undefined, so `is defined` is false and `default()` applies;
  // a method name would be a bound method, which we do not model
  if ((obj.k === 'str' || obj.k === 'num' || obj.k === 'list' || obj.k === 'bool') && key.k === 'str' && !PY_METHODS.has(key.v)) return undef(key.v);
  throw new Unknowable('access on this type');
}

/** Method names of Python's str, int, float, list and bool (attribute access yields a bound method). */
const PY_METHODS = new Set(
  (
    'capitalize casefold center count encode endswith expandtabs find format format_map index isalnum isalpha isascii isdecimal isdigit ' +
    'isidentifier islower isnumeric isprintable isspace istitle isupper join ljust lower lstrip maketrans partition removeprefix removesuffix ' +
    'replace rfind rindex rjust rpartition rsplit rstrip split splitlines startswith strip swapcase title translate upper zfill ' +
    'append clear copy extend insert pop remove reverse sort as_integer_ratio bit_length bit_count conjugate denominator from_bytes imag ' +
    'numerator real to_bytes hex fromhex is_integer'
  ).split(' '),
);

function iterate(v: Val): Val[] {
  const x = defined(v);
  if (x.k === 'list') return x.v;
  if (x.k === 'dict') return x.keys().map((k) => str(k));
  if (x.k === 'str') return [...x.v].map((c) => str(c));
  throw new Unknowable('iterating this type');
}

export function truthy(v: Val): boolean {
  const x = defined(v);
  switch (x.k) {
    case 'str':
      return x.v !== '';
    case 'num':
      return x.v !== 0;
    case 'bool':
      return x.v;
    case 'none':
      return false;
    case 'list':
      return x.v.length > 0;
    case 'dict':
      return x.keys().length > 0;
  }
}

function equal(a: Val, b: Val): boolean {
  if (a.k === 'undef' || b.k === 'undef') throw new Unknowable('comparing an undefined value');
  if (a.k === 'num' && b.k === 'bool') return a.v === (b.v ? 1 : 0);
  if (a.k === 'bool' && b.k === 'num') return b.v === (a.v ? 1 : 0);
  if (a.k !== b.k) return false;
  if (a.k === 'none') return true;
  if (a.k === 'list' && b.k === 'list') return a.v.length === b.v.length && a.v.every((x, i) => equal(x, b.v[i]));
  if (a.k === 'dict') throw new Unknowable('comparing dicts');
  return (a as { v: unknown }).v === (b as { v: unknown }).v;
}

/** A value as Jinja prints it (Python's str()); lists and dicts are not rendered here. */
export function render(v: Val): string {
  const x = defined(v);
  switch (x.k) {
    case 'str':
      return x.v;
    case 'num':
      if (!Number.isSafeInteger(x.v)) throw new Unknowable('number');
      return String(x.v);
    case 'bool':
      return x.v ? 'True' : 'False';
    case 'none':
      return 'None';
    default:
      throw new Unknowable(`printing a ${x.k}`);
  }
}

/** Renders a parsed template; throws Unknowable when anything it needs is unknowable. */
export function renderTemplate(tpl: Template, lookup: Lookup): Piece[] {
  const r = new Renderer(tpl, lookup);
  r.run(tpl.nodes, { vars: new Map() });
  return r.out;
}

/**
 * Evaluates a string value the way Ansible templates a variable: a string that is one `{{ expr }}`
 * keeps the expression's value (a list stays a list), anything else renders to a string.
 */
export function templateValue(file: string, text: string, lookup: Lookup, origin?: Origin): Val {
  const single = /^\s*\{\{(?![\s\S]*\{\{)([\s\S]*)\}\}\s*$/.exec(text);
  if (single && !/\{%|\{#/.test(text)) {
    const start = text.indexOf('{{') + 2;
    const expr = parseExpr(text, start, text.lastIndexOf('}}'));
    const r = new Renderer({ file, text, nodes: [] }, lookup);
    const v = defined(r.eval(expr, { vars: new Map() }));
    // Ansible (without jinja2_native) keeps lists, dicts and booleans, and makes anything else text
    if (v.k === 'list' || v.k === 'dict') return v;
    if (v.k === 'bool') return { ...v, o: origin };
    return str(render(v), origin);
  }
  const pieces = renderTemplate(parseTemplate(file, text), lookup);
  return str(pieces.map((p) => p.text).join(''), origin);
}

/** Evaluates a bare expression (an Ansible `when:`), as a boolean. */
export function evalCondition(text: string, lookup: Lookup): boolean {
  const t = text.trim().replace(/^\{\{([\s\S]*)\}\}$/, '$1');
  const r = new Renderer({ file: '', text: t, nodes: [] }, lookup);
  return truthy(r.eval(parseExpr(t, 0, t.length), { vars: new Map() }));
}

/** Whether a string holds template syntax Ansible would render. */
export function isTemplated(s: string): boolean {
  return s.includes('{{') || s.includes('{%');
}
