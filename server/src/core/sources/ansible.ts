/**
 * Ansible: the cluster a role's templates describe, rendered per inventory host from what the
 * repository holds, without running anything.
 *
 * Read: inventories (INI and YAML: groups, `host key=value` inline vars, `[g:vars]`,
 * `[g:children]`, host ranges), `group_vars/` and `host_vars/` beside the inventory and beside the
 * playbook, role `defaults/` and `vars/`, playbooks (which roles a play applies to which hosts, play
 * `vars`, `vars_files`, role parameters) and the role's tasks (which templates the `template` module
 * renders, under which `when`, with which task `vars`). Variables are layered in Ansible's
 * precedence order and templated lazily, like Ansible does.
 *
 * Never guessed: a fact (`ansible_default_ipv4`, ...), a `set_fact`/`register` name, anything an
 * `include_vars` or a vault may hold, a `hostvars` value the inventory does not hold, a looped
 * template task, a host pattern beyond plain group names, and anything outside the Jinja subset
 * (sources/jinja.ts) make the rendered node unknown: its documents are dropped, and when no host
 * renders a template, the masked template keeps its single-file checks.
 *
 * Each rendered document maps back through a DocMap: literal template text verbatim onto the
 * template, a rendered value onto where the value is written (the inventory or vars file scalar,
 * when the expression is a variable passed through `int`/`string`/`default`/`trim`) or else onto
 * the `{{ }}` expression. Rendered values are never verbatim, so no fix edits them.
 */
import type { Snapshot } from '../types';
import { basename, dirname, joinPath } from '../model/files';
import { DocMap, type Segment } from './docmap';
import type { DocSpec } from './recognize';
import {
  Unknowable,
  dictOf,
  evalCondition,
  isTemplated,
  num,
  parseTemplate,
  renderTemplate,
  str,
  templateValue,
  undef,
  unknowable,
  type Lookup,
  type Origin,
  type Template,
  type Val,
} from './jinja';

// ---------------------------------------------------------------------------------------------
// which files

const INVENTORY_NAME = /^(hosts|inventory)([._-][\w.-]*)?$/i;
const INVENTORY_DIR = /(^|\/)(inventory|inventories)(\/|$)/;
const VARS_DIR = /(^|\/)(host_vars|group_vars)\//;
const ROLE_FILE = /(^|\/)roles\/[^/]+\/(defaults|vars|tasks|meta|handlers)\//;
const YAML_EXT = /\.ya?ml$/i;
const JINJA_EXT = /\.(j2|jinja2?)$/i;

/** Worth reading for the folder walk (names the generic configuration filter does not take). */
export function isAnsibleCandidate(path: string): boolean {
  const name = basename(path);
  if (name === 'ansible.cfg') return true;
  if (VARS_DIR.test(path) && !name.startsWith('.')) return true;
  if (INVENTORY_NAME.test(name) && !/\.(py|sh|md|txt|j2)$/i.test(name)) return true;
  return INVENTORY_DIR.test(dirname(path) + '/') && (/\.(ini|ya?ml|cfg)$/i.test(name) || !name.includes('.'));
}

/** A file whose content decides how templates render (not a template itself): by name, or a playbook by content. */
export function isAnsibleContext(path: string, text?: string): boolean {
  const name = basename(path);
  if (name === 'ansible.cfg' || VARS_DIR.test(path) || ROLE_FILE.test(path)) return true;
  if (INVENTORY_NAME.test(name) || INVENTORY_DIR.test(dirname(path) + '/')) return true;
  return text !== undefined && YAML_EXT.test(name) && looksLikePlaybook(text);
}

function looksLikePlaybook(text: string): boolean {
  return /^-[ \t]+(hosts|name|import_playbook)[ \t]*:/m.test(text) && /^[ \t-]*hosts[ \t]*:/m.test(text);
}

// ---------------------------------------------------------------------------------------------
// YAML with origins

let yamlLib: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (yamlLib ??= require('yaml') as typeof import('yaml'));
}

const VAULT = '$ANSIBLE_VAULT';

interface YamlNodeLike {
  range?: [number, number, number] | null;
}

/** A YAML text as values with the source span of every scalar; undefined when it does not parse. */
function loadYaml(file: string, text: string): Val | undefined {
  if (text.length > 2 * 1024 * 1024) return undefined;
  const Y = yaml();
  let doc: import('yaml').Document.Parsed;
  try {
    doc = Y.parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, strict: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0) return undefined;
  const seen = new Set<unknown>();
  // aliases can multiply a small text into a huge value (a "billion laughs" file): bounded
  let budget = 200_000;
  const conv = (node: unknown, depth: number): Val => {
    if (--budget < 0) throw new Unknowable('a YAML value too large');
    if (depth > 64 || node === null || node === undefined) return { k: 'none' };
    if (Y.isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || seen.has(target)) return unknowable('a recursive YAML alias');
      seen.add(target);
      const v = conv(target, depth + 1);
      seen.delete(target);
      return v;
    }
    if (Y.isScalar(node)) {
      const o = origin(file, text, node as YamlNodeLike);
      if (node.tag === '!vault' || node.tag === '!unsafe') return node.tag === '!vault' ? unknowable('a vault-encrypted value') : str(String(node.value ?? ''), o);
      const v = node.value;
      if (v === null || v === undefined) return { k: 'none', o };
      if (typeof v === 'boolean') return { k: 'bool', v, o };
      if (typeof v === 'number') return Number.isSafeInteger(v) ? num(v, o) : str(String(node.source ?? v), o);
      if (typeof v === 'string') return str(v, o);
      return str(String(node.source ?? v), o);
    }
    if (Y.isMap(node)) {
      const m = new Map<string, Val>();
      const merged: Val[] = [];
      for (const pair of node.items) {
        const key = Y.isScalar(pair.key) ? pair.key.value : pair.key;
        if (key === '<<') {
          merged.push(conv(pair.value, depth + 1));
          continue;
        }
        if (key === null || key === undefined || typeof key === 'object') continue;
        m.set(String(key), conv(pair.value, depth + 1));
      }
      // merge keys: lower precedence than the map's own keys
      for (const mv of merged) {
        const list = mv.k === 'list' ? mv.v : [mv];
        for (const x of list) if (x.k === 'dict') for (const k of x.keys()) if (!m.has(k)) m.set(k, x.get(k));
      }
      return dictOf(m, origin(file, text, node as YamlNodeLike));
    }
    if (Y.isSeq(node)) return { k: 'list', v: node.items.map((i) => conv(i, depth + 1)), o: origin(file, text, node as YamlNodeLike) };
    return unknowable('a YAML value');
  };
  try {
    return conv(doc.contents, 0);
  } catch (e) {
    if (e instanceof Unknowable) return undefined;
    throw e;
  }
}

/** A scalar's span without its quotes. */
function origin(file: string, text: string, node: YamlNodeLike): Origin | undefined {
  const r = node.range;
  if (!r) return undefined;
  let start = r[0];
  let end = r[1];
  const q = text[start];
  if ((q === '"' || q === "'") && end - start >= 2 && text[end - 1] === q) {
    start++;
    end--;
  }
  return { file, start, end };
}

// ---------------------------------------------------------------------------------------------
// variable layers

/** Variables of one source in the precedence order. */
interface Layer {
  vars: Map<string, Val>;
  /** every name may be set here (a vault-encrypted file, an include_vars) */
  opaque?: boolean;
  /** names set here at run time (set_fact, register) */
  tainted?: Set<string>;
  file?: string;
}

function layerOf(file: string, text: string): Layer {
  if (text.trimStart().startsWith(VAULT)) return { vars: new Map(), opaque: true, file };
  const v = file.endsWith('.json') ? loadJson(file, text) : loadYaml(file, text);
  if (!v) return { vars: new Map(), opaque: true, file };
  if (v.k === 'none') return { vars: new Map(), file };
  if (v.k !== 'dict') return { vars: new Map(), opaque: true, file };
  return { vars: new Map(v.keys().map((k) => [k, v.get(k)])), file };
}

function loadJson(file: string, text: string): Val | undefined {
  // JSON is YAML; the YAML loader keeps the spans
  return loadYaml(file, text);
}

// ---------------------------------------------------------------------------------------------
// inventories

interface InvHost {
  name: string;
  /** the host's name in the inventory (INI); unknown for a YAML inventory */
  span?: Origin;
  vars: Map<string, Val>;
}

interface InvGroup {
  name: string;
  hosts: string[];
  children: string[];
  vars: Map<string, Val>;
}

interface Inventory {
  path: string;
  hosts: Map<string, InvHost>;
  groups: Map<string, InvGroup>;
}

function group(inv: Inventory, name: string): InvGroup {
  let g = inv.groups.get(name);
  if (!g) inv.groups.set(name, (g = { name, hosts: [], children: [], vars: new Map() }));
  return g;
}

/** `zk[1:3].example.org` -> zk1.example.org ... zk3.example.org; undefined for a pattern it cannot expand. */
function expandHost(pattern: string): string[] | undefined {
  const m = /\[([^\]]*)\]/.exec(pattern);
  if (!m) return [pattern];
  const parts = m[1].split(':');
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [a, b] = parts;
  const step = parts[2] ? Number(parts[2]) : 1;
  if (!(step > 0)) return undefined;
  const pre = pattern.slice(0, m.index);
  const post = pattern.slice(m.index + m[0].length);
  const out: string[] = [];
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const width = a.length > 1 && a.startsWith('0') ? a.length : 0;
    if (Number(b) - Number(a) > 10000) return undefined;
    for (let i = Number(a); i <= Number(b); i += step) {
      const rest = expandHost(pre + String(i).padStart(width, '0') + post);
      if (!rest) return undefined;
      out.push(...rest);
    }
    return out;
  }
  if (/^[a-z]$/i.test(a) && /^[a-z]$/i.test(b)) {
    for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c += step) {
      const rest = expandHost(pre + String.fromCharCode(c) + post);
      if (!rest) return undefined;
      out.push(...rest);
    }
    return out;
  }
  return undefined;
}

/** Ansible's INI value: a Python literal (number, quoted string, True/False) or else the text. */
function iniValue(raw: string, o: Origin): Val {
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.length >= 2 && raw[raw.length - 1] === q) return str(raw.slice(1, -1), { ...o, start: o.start + 1, end: o.end - 1 });
  if (/^[+-]?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return num(Number(raw), o);
  if (raw === 'True' || raw === 'False') return { k: 'bool', v: raw === 'True', o };
  if (raw.startsWith('[') || raw.startsWith('{')) return unknowable('a Python literal in an INI inventory');
  return str(raw, o);
}

/** `key=value` tokens of an INI line, quotes kept, with their offsets. */
function iniTokens(line: string, base: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length || line[i] === '#' || line[i] === ';') break;
    const start = i;
    let q: string | undefined;
    while (i < line.length && (q || !/\s/.test(line[i]))) {
      if (q) {
        if (line[i] === '\\') i++;
        else if (line[i] === q) q = undefined;
      } else if (line[i] === '"' || line[i] === "'") q = line[i];
      i++;
    }
    out.push({ text: line.slice(start, i), start: base + start });
  }
  return out;
}

function parseIniInventory(path: string, text: string): Inventory | undefined {
  const inv: Inventory = { path, hosts: new Map(), groups: new Map() };
  let section: { group: string; kind: 'hosts' | 'vars' | 'children' } = { group: 'ungrouped', kind: 'hosts' };
  let sawSection = false;
  let offset = 0;
  for (const rawLine of text.split('\n')) {
    const lineStart = offset;
    offset += rawLine.length + 1;
    const line = rawLine.replace(/\r$/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[([^\]:\s]+)(?::(vars|children))?\]\s*([#;].*)?$/.exec(t);
    if (sec) {
      section = { group: sec[1], kind: (sec[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      group(inv, sec[1]);
      sawSection = true;
      continue;
    }
    if (t.startsWith('[')) return undefined;
    if (section.kind === 'children') {
      const child = t.split(/\s+/)[0];
      const g = group(inv, section.group);
      if (!g.children.includes(child)) g.children.push(child);
      group(inv, child);
      continue;
    }
    if (section.kind === 'vars') {
      const m = /^([A-Za-z_][\w.]*)\s*[=:]\s*(.*?)\s*$/.exec(line);
      if (!m) return undefined;
      const vs = lineStart + line.indexOf(m[2], line.indexOf(m[1]) + m[1].length);
      group(inv, section.group).vars.set(m[1], iniValue(m[2], { file: path, start: vs, end: vs + m[2].length }));
      continue;
    }
    const toks = iniTokens(line, lineStart);
    if (toks.length === 0) continue;
    const hostTok = toks[0];
    let pattern = hostTok.text;
    const vars = new Map<string, Val>();
    // `host:2222` is the SSH port, not part of the name
    const port = /^([^:[\]]+):(\d+)$/.exec(pattern);
    if (port) pattern = port[1];
    for (const tok of toks.slice(1)) {
      const eq = tok.text.indexOf('=');
      if (eq <= 0) return undefined; // not an inventory line (an /etc/hosts file, prose)
      const raw = tok.text.slice(eq + 1);
      vars.set(tok.text.slice(0, eq), iniValue(raw, { file: path, start: tok.start + eq + 1, end: tok.start + tok.text.length }));
    }
    const names = expandHost(pattern);
    if (!names) return undefined;
    for (const name of names) {
      let h = inv.hosts.get(name);
      if (!h) inv.hosts.set(name, (h = { name, span: { file: path, start: hostTok.start, end: hostTok.start + pattern.length }, vars: new Map() }));
      for (const [k, v] of vars) h.vars.set(k, v);
      const g = group(inv, section.group);
      if (!g.hosts.includes(name)) g.hosts.push(name);
    }
  }
  // an inventory has groups (a bare list of names or addresses is not enough to tell it from other files)
  return sawSection && inv.hosts.size > 0 ? inv : undefined;
}

function parseYamlInventory(path: string, text: string): Inventory | undefined {
  const root = loadYaml(path, text);
  if (!root || root.k !== 'dict') return undefined;
  const inv: Inventory = { path, hosts: new Map(), groups: new Map() };
  let ok = false;
  const walk = (name: string, node: Val, depth: number): boolean => {
    if (depth > 32) return false;
    const g = group(inv, name);
    if (node.k === 'none') return true;
    if (node.k !== 'dict') return false;
    for (const key of node.keys()) if (!['hosts', 'vars', 'children'].includes(key)) return false;
    const hosts = node.get('hosts');
    if (hosts.k === 'dict') {
      for (const pattern of hosts.keys()) {
        const names = expandHost(pattern);
        if (!names) return false;
        const hv = hosts.get(pattern);
        for (const hn of names) {
          let h = inv.hosts.get(hn);
          if (!h) inv.hosts.set(hn, (h = { name: hn, vars: new Map() }));
          if (hv.k === 'dict') for (const k of hv.keys()) h.vars.set(k, hv.get(k));
          if (!g.hosts.includes(hn)) g.hosts.push(hn);
          ok = true;
        }
      }
    } else if (hosts.k !== 'undef' && hosts.k !== 'none') return false;
    const vars = node.get('vars');
    if (vars.k === 'dict') for (const k of vars.keys()) g.vars.set(k, vars.get(k));
    const children = node.get('children');
    if (children.k === 'dict') {
      for (const c of children.keys()) {
        if (!g.children.includes(c)) g.children.push(c);
        if (!walk(c, children.get(c), depth + 1)) return false;
      }
    }
    return true;
  };
  for (const top of root.keys()) if (!walk(top, root.get(top), 0)) return undefined;
  return ok ? inv : undefined;
}

function parseInventory(path: string, text: string): Inventory | undefined {
  if (text.length > 2 * 1024 * 1024 || text.trimStart().startsWith(VAULT)) return undefined;
  const t = text.trimStart();
  if (YAML_EXT.test(path) || t.startsWith('---') || /^[\w.-]+:\s*$/m.test(t.split('\n')[0] ?? '')) return parseYamlInventory(path, text);
  return parseIniInventory(path, text);
}

const depthCache = new WeakMap<Inventory, Map<string, number>>();

/** Groups by depth (all 0, top-level 1, children deeper), as Ansible orders group variables. */
function groupDepths(inv: Inventory): Map<string, number> {
  const hit = depthCache.get(inv);
  if (hit) return hit;
  const depth = new Map<string, number>([['all', 0]]);
  const children = new Set<string>();
  for (const g of inv.groups.values()) for (const c of g.children) children.add(c);
  const visit = (name: string, d: number, stack: Set<string>) => {
    if (stack.has(name) || stack.size > 64) return;
    if ((depth.get(name) ?? -1) >= d) return;
    depth.set(name, d);
    stack.add(name);
    for (const c of inv.groups.get(name)?.children ?? []) visit(c, d + 1, stack);
    stack.delete(name);
  };
  for (const g of inv.groups.keys()) if (g !== 'all' && !children.has(g)) visit(g, 1, new Set());
  for (const c of inv.groups.get('all')?.children ?? []) visit(c, 1, new Set());
  depthCache.set(inv, depth);
  return depth;
}

/** The hosts of a group, its children's included, in inventory order. */
function hostsOf(inv: Inventory, name: string): string[] {
  if (name === 'all') return [...inv.hosts.keys()];
  if (name === 'ungrouped') {
    const grouped = new Set<string>();
    for (const g of inv.groups.values()) if (g.name !== 'ungrouped' && g.name !== 'all') for (const h of g.hosts) grouped.add(h);
    return [...inv.hosts.keys()].filter((h) => !grouped.has(h));
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (g: string, depth: number) => {
    if (depth > 64) return;
    const grp = inv.groups.get(g);
    if (!grp) return;
    for (const h of grp.hosts) if (!seen.has(h)) (seen.add(h), out.push(h));
    for (const c of grp.children) visit(c, depth + 1);
  };
  visit(name, 0);
  return out;
}

/** The groups a host belongs to, its groups' ancestors included (`all` first, then by depth and name). */
function groupsOfHost(inv: Inventory, host: string, depths: Map<string, number>): string[] {
  const direct = [...inv.groups.values()].filter((g) => g.hosts.includes(host)).map((g) => g.name);
  const parents = new Map<string, string[]>();
  for (const g of inv.groups.values()) for (const c of g.children) parents.set(c, [...(parents.get(c) ?? []), g.name]);
  const all = new Set<string>(['all']);
  const stack = [...direct];
  while (stack.length) {
    const g = stack.pop()!;
    if (all.has(g)) continue;
    all.add(g);
    for (const p of parents.get(g) ?? []) stack.push(p);
  }
  return [...all].sort((a, b) => (depths.get(a) ?? 1) - (depths.get(b) ?? 1) || (a < b ? -1 : a > b ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// playbooks, roles, tasks

interface TemplateUse {
  /** the template document's path */
  template: string;
  when: string[];
  vars: Map<string, Val>;
  looped: boolean;
}

interface RoleUse {
  name: string;
  dir: string;
  when: string[];
  params: Map<string, Val>;
}

interface Play {
  playbook: string;
  /** ansible.cfg's ansible_managed beside the playbook */
  managed?: string;
  /** host names of the pattern (plain group or host names); undefined: a pattern we cannot evaluate */
  patterns?: string[];
  vars: Map<string, Val>;
  varsFiles: Layer[];
  roles: RoleUse[];
  /** templates the play's own tasks render */
  tasks: TemplateUse[];
  /** names set at run time by the play's own tasks */
  tainted: Set<string>;
  opaque: boolean;
}

interface RoleInfo {
  dir: string;
  defaults: Layer[];
  vars: Layer[];
  templates: TemplateUse[];
  tainted: Set<string>;
  opaque: boolean;
  /** files read for the role (its defaults, vars and tasks) */
  files: string[];
}

const TEMPLATE_MODULES = new Set(['template', 'ansible.builtin.template', 'ansible.legacy.template']);
const SET_FACT = new Set(['set_fact', 'ansible.builtin.set_fact']);
const INCLUDE_VARS = new Set(['include_vars', 'ansible.builtin.include_vars']);
const INCLUDE_TASKS = new Set(['include_tasks', 'import_tasks', 'ansible.builtin.include_tasks', 'ansible.builtin.import_tasks', 'include']);
const INCLUDE_ROLE = new Set(['include_role', 'import_role', 'ansible.builtin.include_role', 'ansible.builtin.import_role']);

/** `src=a.j2 dest=/x` (the free-form module arguments). */
function kvArgs(s: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const tok of iniTokens(s, 0)) {
    const eq = tok.text.indexOf('=');
    if (eq > 0) m.set(tok.text.slice(0, eq), tok.text.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'));
  }
  return m;
}

function whenOf(v: Val): string[] | undefined {
  if (v.k === 'undef' || v.k === 'none') return [];
  if (v.k === 'str') return [v.v];
  if (v.k === 'bool') return [v.v ? 'true' : 'false'];
  if (v.k === 'list') {
    const out: string[] = [];
    for (const x of v.v) {
      if (x.k === 'str') out.push(x.v);
      else if (x.k === 'bool') out.push(x.v ? 'true' : 'false');
      else return undefined;
    }
    return out;
  }
  return undefined;
}

function varsOf(v: Val): Map<string, Val> | undefined {
  if (v.k === 'undef' || v.k === 'none') return new Map();
  if (v.k !== 'dict') return undefined;
  return new Map(v.keys().map((k) => [k, v.get(k)]));
}

class Project {
  private readonly yamlCache = new Map<string, Val | undefined>();
  private readonly layerCache = new Map<string, Layer>();
  private readonly roleCache = new Map<string, RoleInfo>();
  /** role directories by role name, over the whole repository */
  private readonly roleDirs = new Map<string, string[]>();
  private readonly roleDirSet = new Set<string>();
  private readonly sortedKeys: string[];
  /** names set at run time anywhere in the plays and roles read (they are facts in `hostvars` too) */
  readonly runtimeNames = new Set<string>();
  runtimeOpaque = false;

  constructor(
    private readonly snapshot: Snapshot,
    private readonly templates: ReadonlySet<string>,
  ) {
    this.sortedKeys = [...snapshot.keys()].sort();
    for (const p of this.sortedKeys) {
      const m = /^(.*\/)?roles\/([^/]+)\/(tasks|templates|defaults|vars|meta)\//.exec(p);
      if (!m) continue;
      const dir = (m[1] ?? '') + 'roles/' + m[2];
      if (this.roleDirSet.has(dir)) continue;
      this.roleDirSet.add(dir);
      const arr = this.roleDirs.get(m[2]) ?? [];
      arr.push(dir);
      this.roleDirs.set(m[2], arr);
    }
  }

  /** The snapshot's paths under a folder prefix (`a/b/`), sorted. */
  private keysWithPrefix(prefix: string): string[] {
    const keys = this.sortedKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < keys.length && keys[i].startsWith(prefix); i++) out.push(keys[i]);
    return out;
  }

  yamlOf(path: string): Val | undefined {
    if (!this.yamlCache.has(path)) {
      const text = this.snapshot.get(path);
      this.yamlCache.set(path, text === undefined || text.trimStart().startsWith(VAULT) ? undefined : loadYaml(path, text));
    }
    return this.yamlCache.get(path);
  }

  /** The files of a vars directory entry: `<dir>/<name>`, `<name>.yml|.yaml|.json`, or every file under `<dir>/<name>/`. */
  varsFiles(dir: string, name: string): string[] {
    const base = dir ? `${dir}/${name}` : name;
    const out: string[] = [];
    for (const ext of ['', '.yml', '.yaml', '.json']) if (this.snapshot.has(base + ext)) out.push(base + ext);
    const nested = this.keysWithPrefix(base + '/').filter((p) => /(\.ya?ml|\.json)$/i.test(p));
    return [...out, ...nested];
  }

  layers(files: string[]): Layer[] {
    return files.map((f) => {
      let l = this.layerCache.get(f);
      if (!l) this.layerCache.set(f, (l = layerOf(f, this.snapshot.get(f) ?? '')));
      return l;
    });
  }

  resolveRole(name: string, playbookDir: string, rolesPaths: string[]): string | undefined {
    const base = name.includes('/') ? name : name;
    for (const dir of [joinPath(playbookDir, 'roles', base), joinPath(playbookDir, base), ...rolesPaths.map((r) => joinPath(r, base))]) {
      if (this.hasRole(dir)) return dir;
    }
    // the only role of that name in the repository
    const all = this.roleDirs.get(basename(name));
    return all && all.length === 1 ? all[0] : undefined;
  }

  private hasRole(dir: string): boolean {
    return this.roleDirSet.has(dir);
  }

  role(dir: string): RoleInfo {
    let r = this.roleCache.get(dir);
    if (r) return r;
    r = { dir, defaults: [], vars: [], templates: [], tainted: new Set(), opaque: false, files: [] };
    this.roleCache.set(dir, r);
    for (const [kind, into] of [
      ['defaults', r.defaults],
      ['vars', r.vars],
    ] as const) {
      const files = this.varsFiles(joinPath(dir, kind), 'main');
      for (const l of this.layers(files)) into.push(l);
      r.files.push(...files);
    }
    const tasks = this.varsFiles(joinPath(dir, 'tasks'), 'main').filter((f) => YAML_EXT.test(f));
    for (const t of tasks.slice(0, 1)) this.tasks(t, joinPath(dir, 'tasks'), (src) => joinPath(dir, 'templates', src), [], new Map(), r, 0);
    for (const n of r.tainted) this.runtimeNames.add(n);
    if (r.opaque) this.runtimeOpaque = true;
    return r;
  }

  /** Walks a task list: template uses, names set at run time, included task files. */
  tasks(
    file: string,
    tasksDir: string,
    templatePath: (src: string) => string,
    when: string[],
    vars: Map<string, Val>,
    into: { templates?: TemplateUse[]; tasks?: TemplateUse[]; tainted: Set<string>; opaque: boolean; files?: string[]; roles?: RoleUse[] },
    depth: number,
    playbookDir?: string,
    rolesPaths: string[] = [],
  ): void {
    if (depth > 8) {
      into.opaque = true;
      return;
    }
    into.files?.push(file);
    const list = this.yamlOf(file);
    if (!list) {
      if (this.snapshot.has(file)) into.opaque = true;
      return;
    }
    this.taskList(list, file, tasksDir, templatePath, when, vars, into, depth, playbookDir, rolesPaths);
  }

  taskList(
    list: Val,
    file: string,
    tasksDir: string,
    templatePath: (src: string) => string,
    when: string[],
    vars: Map<string, Val>,
    into: { templates?: TemplateUse[]; tasks?: TemplateUse[]; tainted: Set<string>; opaque: boolean; files?: string[]; roles?: RoleUse[] },
    depth: number,
    playbookDir?: string,
    rolesPaths: string[] = [],
  ): void {
    if (list.k === 'none' || list.k === 'undef') return;
    if (list.k !== 'list') {
      into.opaque = true;
      return;
    }
    for (const task of list.v) {
      if (task.k !== 'dict') continue;
      const keys = task.keys();
      const tWhen = whenOf(task.get('when'));
      const tVars = varsOf(task.get('vars'));
      if (!tWhen || !tVars) {
        // a condition or task vars in a form not read: what this task sets is unknown
        for (const k of keys) if (TEMPLATE_MODULES.has(k)) into.opaque = true;
      }
      const w = [...when, ...(tWhen ?? ['__unknowable__'])];
      const v = new Map([...vars, ...(tVars ?? [])]);
      const reg = task.get('register');
      if (reg.k === 'str') into.tainted.add(reg.v);
      for (const key of keys) {
        const arg = task.get(key);
        if (key === 'block' || key === 'rescue' || key === 'always') {
          this.taskList(arg, file, tasksDir, templatePath, key === 'block' ? w : [...w, '__unknowable__'], v, into, depth + 1, playbookDir, rolesPaths);
        } else if (TEMPLATE_MODULES.has(key)) {
          let src: string | undefined;
          if (arg.k === 'dict') {
            const s = arg.get('src');
            src = s.k === 'str' ? s.v : undefined;
          } else if (arg.k === 'str') src = kvArgs(arg.v).get('src');
          if (!src || isTemplated(src) || src.startsWith('/')) continue;
          const use: TemplateUse = {
            template: templatePath(src),
            when: w,
            vars: v,
            looped: keys.some((k) => k === 'loop' || k.startsWith('with_')),
          };
          (into.templates ?? into.tasks)?.push(use);
        } else if (SET_FACT.has(key)) {
          if (arg.k === 'dict') {
            for (const k of arg.keys()) if (k !== 'cacheable') into.tainted.add(k);
          } else if (arg.k === 'str') {
            for (const k of kvArgs(arg.v).keys()) into.tainted.add(k);
          } else into.opaque = true;
        } else if (INCLUDE_VARS.has(key)) {
          into.opaque = true;
        } else if (INCLUDE_TASKS.has(key)) {
          const f = arg.k === 'str' ? arg.v : arg.k === 'dict' && arg.get('file').k === 'str' ? (arg.get('file') as { v: string }).v : undefined;
          if (!f || isTemplated(f)) {
            into.opaque = true;
            continue;
          }
          this.tasks(joinPath(tasksDir, f), tasksDir, templatePath, w, v, into, depth + 1, playbookDir, rolesPaths);
        } else if (INCLUDE_ROLE.has(key) && into.roles && playbookDir !== undefined) {
          const n = arg.k === 'dict' && arg.get('name').k === 'str' ? (arg.get('name') as { v: string }).v : undefined;
          if (!n || isTemplated(n)) continue;
          const dir = this.resolveRole(n, playbookDir, rolesPaths);
          if (dir) into.roles.push({ name: n, dir, when: w, params: v });
        }
      }
    }
  }

  plays(playbook: string, rolesPaths: string[]): Play[] {
    const doc = this.yamlOf(playbook);
    if (!doc || doc.k !== 'list') return [];
    const dir = dirname(playbook);
    const out: Play[] = [];
    for (const p of doc.v) {
      if (p.k !== 'dict') continue;
      const hosts = p.get('hosts');
      let patterns: string[] | undefined;
      const names = hosts.k === 'str' ? hosts.v.split(/[,:]/).map((s) => s.trim()).filter(Boolean) : hosts.k === 'list' ? hosts.v.map((h) => (h.k === 'str' ? h.v.trim() : '\u0000')) : undefined;
      if (names && names.every((n) => /^[\w.-]+$/.test(n) || n === '*')) patterns = names;
      const play: Play = { playbook, patterns, vars: varsOf(p.get('vars')) ?? new Map(), varsFiles: [], roles: [], tasks: [], tainted: new Set(), opaque: varsOf(p.get('vars')) === undefined };
      const vf = p.get('vars_files');
      if (vf.k === 'list' || vf.k === 'str') {
        for (const f of vf.k === 'list' ? vf.v : [vf]) {
          if (f.k !== 'str' || isTemplated(f.v) || f.v.startsWith('/') || !this.snapshot.has(joinPath(dir, f.v))) play.opaque = true;
          else play.varsFiles.push(...this.layers([joinPath(dir, f.v)]));
        }
      }
      if (p.get('vars_prompt').k !== 'undef') play.opaque = true;
      const roles = p.get('roles');
      if (roles.k === 'list') {
        for (const r of roles.v) {
          let name: string | undefined;
          let when: string[] | undefined = [];
          const params = new Map<string, Val>();
          if (r.k === 'str') name = r.v;
          else if (r.k === 'dict') {
            const n = r.get('role').k === 'str' ? r.get('role') : r.get('name');
            name = n.k === 'str' ? n.v : undefined;
            when = whenOf(r.get('when'));
            for (const k of r.keys()) if (!['role', 'name', 'when', 'tags', 'become', 'become_user', 'vars', 'delegate_to'].includes(k)) params.set(k, r.get(k));
            const rv = varsOf(r.get('vars'));
            if (rv) for (const [k, v] of rv) params.set(k, v);
          }
          if (!name || isTemplated(name)) continue;
          const rdir = this.resolveRole(name, dir, rolesPaths);
          if (rdir) play.roles.push({ name, dir: rdir, when: when ?? ['__unknowable__'], params });
        }
      }
      for (const section of ['pre_tasks', 'tasks', 'post_tasks']) {
        this.taskList(p.get(section), playbook, dir, (src) => (this.templates.has(joinPath(dir, 'templates', src)) ? joinPath(dir, 'templates', src) : joinPath(dir, src)), [], new Map(), play, 0, dir, rolesPaths);
      }
      for (const n of play.tainted) this.runtimeNames.add(n);
      if (play.opaque) this.runtimeOpaque = true;
      out.push(play);
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// the host context: lookups in precedence order

const FACT = /^ansible_(?!(host|port|user|connection|ssh_host|ssh_port|ssh_user|password|become\w*|python_interpreter|ssh_private_key_file|private_key_file|shell_type|shell_executable)$)\w+$/;
const MAX_DEPTH = 32;

class HostContext {
  private readonly memo = new Map<string, Val>();
  private readonly resolving = new Set<string>();

  constructor(
    readonly host: string,
    private readonly layers: Layer[],
    private readonly magic: (name: string) => Val | undefined,
    private readonly file: string,
  ) {}

  readonly lookup: Lookup = (name: string): Val => {
    const m = this.magic(name);
    if (m) return m;
    const hit = this.memo.get(name);
    if (hit) return hit;
    if (this.resolving.has(name) || this.resolving.size > MAX_DEPTH) throw new Unknowable(`recursive variable ${name}`);
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const l = this.layers[i];
      if (l.opaque) throw new Unknowable(`${name} may be set in ${l.file ?? 'a source not read'}`);
      if (l.tainted?.has(name)) throw new Unknowable(`${name} is set at run time`);
      const v = l.vars.get(name);
      if (v === undefined) continue;
      this.resolving.add(name);
      try {
        const r = this.resolve(v, 0);
        this.memo.set(name, r);
        return r;
      } finally {
        this.resolving.delete(name);
      }
    }
    if (FACT.test(name)) throw new Unknowable(`${name} is a fact`);
    return undef(name);
  };

  /** A variable's value with its templated strings rendered in this host's context. */
  private resolve(v: Val, depth: number): Val {
    if (depth > MAX_DEPTH) throw new Unknowable('nesting');
    if (v.k === 'str' && isTemplated(v.v)) return templateValue(v.o?.file ?? this.file, v.v, this.lookup, v.o);
    if (v.k === 'list') return { k: 'list', v: v.v.map((x) => this.resolve(x, depth + 1)), o: v.o };
    if (v.k === 'dict') {
      const cache = new Map<string, Val>();
      return {
        k: 'dict',
        keys: v.keys,
        get: (key) => {
          let r = cache.get(key);
          if (!r) cache.set(key, (r = this.resolve(v.get(key), depth + 1)));
          return r;
        },
        o: v.o,
      };
    }
    return v;
  }
}

// ---------------------------------------------------------------------------------------------
// rendering

interface Rendered {
  doc: DocSpec;
  family: string;
  key: string;
}

/** Families of documents that make one node: all render, or none is used. */
function familyOf(kind: DocSpec['kind']): string {
  return kind === 'zoocfg' || kind === 'myid' || kind === 'zoodynamic' ? 'zk' : 'amq';
}

function inventoriesFor(snapshot: Snapshot, dir: string, cfgInventory: string | undefined, cache: Map<string, Inventory | undefined>): Inventory[] {
  const prefix = dir ? dir + '/' : '';
  const candidates: string[] = [];
  if (cfgInventory !== undefined) {
    const p = joinPath(dir, cfgInventory);
    if (snapshot.has(p)) candidates.push(p);
    else for (const k of snapshot.keys()) if (k.startsWith(p + '/')) candidates.push(k);
  } else {
    for (const k of snapshot.keys()) {
      if (!k.startsWith(prefix)) continue;
      const rel = k.slice(prefix.length);
      if (/(^|\/)(roles|group_vars|host_vars|templates|files)\//.test(rel)) continue;
      const name = basename(k);
      if (INVENTORY_NAME.test(name) || INVENTORY_DIR.test(dirname(rel) + '/')) candidates.push(k);
    }
  }
  const out: Inventory[] = [];
  for (const p of candidates.sort()) {
    if (!cache.has(p)) cache.set(p, parseInventory(p, snapshot.get(p) ?? ''));
    const inv = cache.get(p);
    if (inv) out.push(inv);
  }
  return out;
}

/** `inventory = ./hosts` and `roles_path = ./roles` of an ansible.cfg beside the playbook. */
function ansibleCfg(snapshot: Snapshot, dir: string): { inventory?: string; rolesPaths: string[]; managed: string } {
  const text = snapshot.get(joinPath(dir, 'ansible.cfg'));
  // the template module's `ansible_managed` string (ansible.cfg [defaults] ansible_managed)
  const dflt = 'Ansible managed';
  if (text === undefined) return { rolesPaths: [], managed: dflt };
  const inv = /^\s*inventory\s*=\s*([^\s#;,]+)/m.exec(text)?.[1];
  const roles = /^\s*roles_path\s*=\s*([^\n#;]+)/m.exec(text)?.[1];
  const managed = /^\s*ansible_managed\s*=\s*(.*?)\s*$/m.exec(text)?.[1];
  return {
    managed: managed === undefined ? dflt : managed,
    inventory: inv && !inv.startsWith('/') && !inv.startsWith('~') ? inv : undefined,
    rolesPaths: (roles ?? '')
      .split(':')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('/') && !s.startsWith('~'))
      .map((s) => joinPath(dir, s)),
  };
}

/**
 * The documents of a snapshot with every Ansible template that renders for an inventory host
 * replaced by its per-host documents (the masked template document is kept when no host renders).
 */
export function renderAnsible<T extends DocSpec>(snapshot: Snapshot, docs: T[], maxFileSize = Infinity): T[] {
  try {
    return render(snapshot, docs, maxFileSize);
  } catch {
    // parsing never fails: whatever goes wrong here leaves the templates masked, as if nothing rendered
    return docs;
  }
}

function render<T extends DocSpec>(snapshot: Snapshot, docs: T[], maxFileSize: number): T[] {
  const templateDocs = new Map<string, T>();
  for (const d of docs) if (d.template && d.id === d.source && JINJA_EXT.test(d.source) && d.kind !== 'client' && d.kind !== 'script' && d.kind !== 'marker') templateDocs.set(d.source, d);
  if (templateDocs.size === 0) return docs;
  const playbooks: string[] = [];
  for (const [p, text] of snapshot) {
    // a role's own tests and molecule scenarios target throw-away test hosts, not a deployment
    if (!YAML_EXT.test(p) || text.length > maxFileSize || /(^|\/)(roles|group_vars|host_vars|templates|files|vars|defaults|tasks|handlers|meta|molecule|tests?)\//.test(p)) continue;
    if (looksLikePlaybook(text)) playbooks.push(p);
  }
  if (playbooks.length === 0) return docs;
  const project = new Project(snapshot, new Set(templateDocs.keys()));
  const invCache = new Map<string, Inventory | undefined>();
  const parsedTemplates = new Map<string, Template | null>();
  const rendered = new Map<string, Rendered>();
  const failed = new Set<string>();
  const renderedTemplates = new Set<string>();
  const plans: { inv: Inventory; play: Play; host: string; role?: RoleUse; info?: RoleInfo; use: TemplateUse }[] = [];
  for (const pb of playbooks.sort()) {
    const dir = dirname(pb);
    const cfg = ansibleCfg(snapshot, dir);
    const invs = inventoriesFor(snapshot, dir, cfg.inventory, invCache);
    if (invs.length === 0) continue;
    for (const play of project.plays(pb, cfg.rolesPaths)) {
      play.managed = cfg.managed;
      const uses: { role?: RoleUse; info?: RoleInfo; use: TemplateUse }[] = [];
      for (const role of play.roles) {
        const info = project.role(role.dir);
        for (const use of info.templates) if (templateDocs.has(use.template)) uses.push({ role, info, use });
      }
      for (const use of play.tasks) if (templateDocs.has(use.template)) uses.push({ use });
      if (uses.length === 0) continue;
      for (const inv of invs) {
        const hosts = play.patterns ? unionHosts(inv, play.patterns) : undefined;
        // hosts the play targets cannot be told (a pattern beyond plain names): nothing is rendered for it
        if (!hosts) continue;
        for (const u of uses) for (const host of hosts) plans.push({ inv, play, host, ...u });
      }
    }
  }
  if (plans.length === 0) return docs;
  const multi = new Set(plans.map((p) => p.inv.path)).size > 1;
  for (const plan of plans) {
    const { inv, play, host, role, info, use } = plan;
    const tplDoc = templateDocs.get(use.template)!;
    const family = familyOf(tplDoc.kind);
    const nodeKey = `${inv.path}\u0000${host}\u0000${family}`;
    const id = `${use.template}#${inv.path}@${host}`;
    if (rendered.has(id) || failed.has(nodeKey)) continue;
    const inputs = new Set<string>([inv.path, play.playbook]);
    try {
      if (use.looped) throw new Unknowable('a looped template task');
      const ctx = hostContext(project, inv, play, host, role, info, use, inputs);
      const conds = [...(role?.when ?? []), ...use.when];
      let applies = true;
      for (const c of conds) {
        if (c === '__unknowable__') throw new Unknowable('a condition in a form not read');
        if (!evalCondition(c, ctx.lookup)) applies = false;
      }
      if (!applies) continue;
      let tpl = parsedTemplates.get(use.template);
      if (tpl === undefined) {
        try {
          tpl = parseTemplate(use.template, snapshot.get(use.template) ?? '');
        } catch (e) {
          if (!(e instanceof Unknowable)) throw e;
          tpl = null;
        }
        parsedTemplates.set(use.template, tpl);
      }
      if (!tpl) throw new Unknowable('template syntax');
      const pieces = renderTemplate(tpl, ctx.lookup);
      const { text, map } = assemble(use.template, pieces);
      for (const p of pieces) if (p.origin && p.origin.file !== use.template) inputs.add(p.origin.file);
      const name = multi ? `${invLabel(inv.path)}/${host}` : host;
      const nodeHost = hostOf(ctx);
      const versions = versionOf(ctx, family, inputs);
      const doc: DocSpec = {
        id,
        source: use.template,
        kind: tplDoc.kind,
        text,
        map,
        node: { root: `${inv.path}/${host}`, name, ...(nodeHost ? { host: nodeHost } : {}) },
        inputs: [...inputs].filter((f) => f !== use.template).sort(),
        ...(versions ? { versions } : {}),
      };
      rendered.set(id, { doc, family, key: nodeKey });
    } catch (e) {
      // Unknowable, or a limit of the JavaScript engine (a deep recursion): this node is unknown
      void e;
      failed.add(nodeKey);
    }
  }
  const out: T[] = [];
  const kept: Rendered[] = [...rendered.values()].filter((r) => !failed.has(r.key));
  for (const r of kept) renderedTemplates.add(r.doc.source);
  for (const d of docs) if (!(templateDocs.has(d.id) && renderedTemplates.has(d.id))) out.push(d);
  for (const r of kept) out.push(r.doc as T);
  return out;
}

function unionHosts(inv: Inventory, patterns: string[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const hosts = p === 'all' || p === '*' ? hostsOf(inv, 'all') : inv.groups.has(p) ? hostsOf(inv, p) : inv.hosts.has(p) ? [p] : [];
    for (const h of hosts) if (!out.includes(h)) out.push(h);
  }
  return out;
}

function invLabel(path: string): string {
  const name = basename(path);
  return INVENTORY_NAME.test(name) && dirname(path) ? basename(dirname(path)) : name.replace(/\.[^.]+$/, '');
}

/** The variables of a host for one template use, in Ansible's precedence order, and its magic variables. */
function hostContext(project: Project, inv: Inventory, play: Play, host: string, role: RoleUse | undefined, info: RoleInfo | undefined, use: TemplateUse, inputs: Set<string>): HostContext {
  const invLayers = inventoryLayers(project, inv, host, dirname(play.playbook), inputs);
  const layers: Layer[] = [];
  if (info) {
    for (const l of info.defaults) layers.push(l);
    for (const f of info.files) inputs.add(f);
  }
  layers.push(...invLayers);
  layers.push({ vars: play.vars, file: play.playbook, opaque: play.opaque });
  for (const l of play.varsFiles) {
    layers.push(l);
    if (l.file) inputs.add(l.file);
  }
  if (info) for (const l of info.vars) layers.push(l);
  layers.push({ vars: use.vars, file: play.playbook });
  if (info) layers.push({ vars: new Map(), opaque: info.opaque, tainted: info.tainted, file: info.dir });
  layers.push({ vars: new Map(), tainted: play.tainted, opaque: play.opaque, file: play.playbook });
  if (role) layers.push({ vars: role.params, file: play.playbook });
  const depths = groupDepths(inv);
  const playHosts = play.patterns ? unionHosts(inv, play.patterns) : [];
  const hostvarsCache = new Map<string, HostContext>();
  const hostvarsOf = (h: string): HostContext => {
    let c = hostvarsCache.get(h);
    if (!c) {
      c = new HostContext(h, inventoryLayers(project, inv, h, dirname(play.playbook), inputs), magicFor(h, false), inv.path);
      hostvarsCache.set(h, c);
    }
    return c;
  };
  const groups = (): Val => {
    const m = new Map<string, Val>();
    for (const g of [...inv.groups.keys(), 'all', 'ungrouped']) m.set(g, { k: 'list', v: hostsOf(inv, g).map((h) => str(h)) });
    return dictOf(m);
  };
  function magicFor(h: string, full: boolean): (name: string) => Val | undefined {
    return (name) => {
      switch (name) {
        case 'inventory_hostname':
          return str(h, inv.hosts.get(h)?.span);
        case 'inventory_hostname_short':
          return str(h.split('.')[0]);
        case 'groups':
          return groups();
        case 'group_names':
          return { k: 'list', v: groupsOfHost(inv, h, depths).filter((g) => g !== 'all' && g !== 'ungrouped').sort().map((g) => str(g)) };
        case 'hostvars':
          return {
            k: 'dict',
            keys: () => [...inv.hosts.keys()],
            get: (other) => {
              if (!inv.hosts.has(other)) return undef(`hostvars[${other}]`);
              const c = hostvarsOf(other);
              const vars = new Set<string>();
              return {
                k: 'dict',
                keys: () => [...vars],
                get: (k) => {
                  // hostvars hold the inventory's variables and the facts (set_fact and registered results included)
                  if (project.runtimeOpaque || project.runtimeNames.has(k)) throw new Unknowable(`hostvars['${other}'].${k} may be set at run time`);
                  return c.lookup(k);
                },
              };
            },
          };
        case 'ansible_managed':
          if (!full || play.managed === undefined || isTemplated(play.managed)) throw new Unknowable(name);
          return str(play.managed);
        case 'play_hosts':
        case 'ansible_play_hosts':
        case 'ansible_play_batch':
        case 'ansible_play_hosts_all':
          if (!full) throw new Unknowable(name);
          return { k: 'list', v: playHosts.map((x) => str(x)) };
        case 'omit':
        case 'item':
        case 'lookup':
        case 'query':
        case 'q':
        case 'vars':
        case 'environment':
        case 'role_path':
        case 'playbook_dir':
        case 'inventory_dir':
        case 'inventory_file':
          throw new Unknowable(name);
      }
      return undefined;
    };
  }
  return new HostContext(host, layers, magicFor(host, true), use.template);
}

/** Variables through which roles commonly name the release they install. */
const VERSION_VARS: Record<string, string[]> = {
  amq: ['activemq_version', 'amq_version', 'activemq_release'],
  zk: ['zookeeper_version', 'zk_version', 'zookeeper_release'],
};

/** The release the host's variables say the role installs (`activemq_version: 5.15.9`), when one is plain. */
function versionOf(ctx: HostContext, family: string, inputs: Set<string>): DocSpec['versions'] | undefined {
  const names = VERSION_VARS[family];
  if (!names) return undefined;
  for (const n of names) {
    let v: Val;
    try {
      v = ctx.lookup(n);
    } catch (e) {
      if (e instanceof Unknowable) return undefined;
      throw e;
    }
    // a YAML number is no version (3.10 reads as 3.1): only a string is taken
    if (v.k !== 'str') continue;
    if (v.o?.file) inputs.add(v.o.file);
    const text = v.v.trim();
    if (!/^\d+\.\d+(?:\.\d+)?$/.test(text)) return undefined;
    return family === 'amq' ? { activemq: text } : { zookeeper: text };
  }
  return undefined;
}

/** Inventory-level variables of a host: inventory file group and host vars, group_vars/ and host_vars/ beside inventory and playbook. */
function inventoryLayers(project: Project, inv: Inventory, host: string, playbookDir: string, inputs: Set<string>): Layer[] {
  const depths = groupDepths(inv);
  const groups = groupsOfHost(inv, host, depths);
  const invDir = dirname(inv.path);
  const dirs = invDir === playbookDir ? [invDir] : [invDir, playbookDir];
  const layers: Layer[] = [];
  for (const g of groups) {
    const vars = inv.groups.get(g)?.vars;
    if (vars && vars.size) layers.push({ vars, file: inv.path });
  }
  const groupFiles = (names: string[]) => {
    for (const d of dirs) {
      for (const g of names) {
        const files = project.varsFiles(joinPath(d, 'group_vars'), g);
        for (const f of files) inputs.add(f);
        layers.push(...project.layers(files));
      }
    }
  };
  groupFiles(['all']);
  groupFiles(groups.filter((g) => g !== 'all'));
  const h = inv.hosts.get(host);
  if (h && h.vars.size) layers.push({ vars: h.vars, file: inv.path });
  for (const d of dirs) {
    const files = project.varsFiles(joinPath(d, 'host_vars'), host);
    for (const f of files) inputs.add(f);
    layers.push(...project.layers(files));
  }
  return layers;
}

/** The host a node runs on: `ansible_host`, the controller for a local connection, else the inventory name. */
function hostOf(ctx: HostContext): string | undefined {
  try {
    const h = ctx.lookup('ansible_host');
    if (h.k === 'str' && h.v.trim()) return h.v.trim();
    if (h.k !== 'undef') return undefined;
    const c = ctx.lookup('ansible_connection');
    if (c.k === 'str' && c.v === 'local') return '127.0.0.1';
    return ctx.host;
  } catch (e) {
    if (e instanceof Unknowable) return undefined;
    throw e;
  }
}

/** The rendered text and the map of its pieces back to the template (literal text) and to values' origins. */
function assemble(template: string, pieces: { text: string; at?: number; origin?: Origin }[]): { text: string; map: DocMap } {
  const segments: Segment[] = [];
  let pos = 0;
  const parts: string[] = [];
  for (const p of pieces) {
    const last = segments[segments.length - 1];
    if (p.at !== undefined) {
      if (last && last.verbatim && last.file === template && last.srcStart + last.length === p.at && last.docStart + last.length === pos) last.length += p.text.length;
      else segments.push({ docStart: pos, length: p.text.length, file: template, srcStart: p.at, verbatim: true });
    } else if (p.origin) {
      segments.push({ docStart: pos, length: p.text.length, file: p.origin.file, srcStart: p.origin.start, srcLength: p.origin.end - p.origin.start, verbatim: false });
    }
    parts.push(p.text);
    pos += p.text.length;
  }
  return { text: parts.join(''), map: new DocMap(segments) };
}
