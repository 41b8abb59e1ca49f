/**
 * docker-compose files: every service is a container (a node with its own network namespace,
 * reached by its service name, hostname, container name and network aliases); its published
 * ports are listeners on the Docker host. Values are interpolated as Compose does (`${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `$VAR`, `$$`) from the `.env` file next to the compose
 * file; a variable that is set nowhere is an unknown value.
 *
 * A ZooKeeper service is a ZooKeeper server: its zoo.cfg and myid are what the image's entrypoint
 * writes from the environment (see zkimages.ts), or the repository files mounted into it. An
 * ActiveMQ service runs the activemq.xml mounted into it.
 */
import type { Scalar, YAMLMap, Pair, Node as YNode } from 'yaml';
import type { Span } from '../types';
import { DocMap } from './docmap';
import { mapScalar, parseYamlDocuments, yaml, type MappedScalar } from './yamlsrc';
import { DocBuilder } from './builder';
import { envTexts, imageVersion, isActiveMqImage, zookeeperDialect, type Container, type PublishedPort, type Val } from './containers';
import { zooCfgFromEnv, myidFromEnv, type EnvVar } from './zkimages';
import type { DocSpec } from './recognize';

export const COMPOSE_NAME = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;

export interface Mount {
  /** workspace-relative path of the bind source (a file or a folder); undefined outside the workspace or a named volume */
  source?: string;
  /** path inside the container */
  target: string;
  span: Span;
}

export interface ComposeService {
  container: Container;
  env: Map<string, EnvVar>;
  mounts: Mount[];
  dialect?: ReturnType<typeof zookeeperDialect>;
  activemq: boolean;
}

export interface ComposeResult {
  services: ComposeService[];
  docs: DocSpec[];
}

/** Reads `.env`-style KEY=value lines (Compose's rules: `#` comments, optional quotes). */
export function parseDotEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2];
    const q = v[0];
    if ((q === '"' || q === "'") && v.lastIndexOf(q) > 0) v = v.slice(1, v.lastIndexOf(q));
    else v = v.replace(/\s+#.*$/, '');
    out.set(m[1], v);
  }
  return out;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(0, i) : '';
}

/** A bind source (relative to the compose file's folder) as a workspace path; undefined outside. */
function resolveSource(composeDir: string, source: string): string | undefined {
  if (!/^\.{1,2}(\/|$)/.test(source)) return undefined; // absolute, `~`, or a named volume
  return joinRelative(composeDir, source);
}

/** A relative path resolved against a workspace folder; undefined when it leaves the workspace. */
export function joinRelative(dir: string, source: string): string | undefined {
  const parts = dir ? dir.split('/') : [];
  for (const seg of source.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

/** Compose interpolation of a scalar's value. */
export function interpolate(file: string, ms: MappedScalar, env: ReadonlyMap<string, string>): Val {
  const v = ms.value;
  const map = new DocMap(ms.segments);
  const scalarVal: Val = { text: v, segments: ms.segments, masked: [], span: ms.span };
  if (!v.includes('$')) return scalarVal;
  const b = new DocBuilder(file);
  let i = 0;
  let lit = 0;
  const flush = (to: number) => {
    if (to > lit) b.val(scalarVal, lit, to);
  };
  while (i < v.length) {
    if (v[i] !== '$') {
      i++;
      continue;
    }
    if (v[i + 1] === '$') {
      flush(i);
      b.synth('$', map.mapSpan({ start: i, end: i + 2 })?.span ?? ms.span);
      i += 2;
      lit = i;
      continue;
    }
    let name: string | undefined;
    let end = i + 1;
    let op = '';
    let arg = '';
    if (v[i + 1] === '{') {
      const close = v.indexOf('}', i + 2);
      if (close < 0) {
        i++;
        continue;
      }
      const inner = v.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?$/s.exec(inner);
      if (!m) {
        i++;
        continue;
      }
      name = m[1];
      op = m[2] ?? '';
      arg = m[3] ?? '';
      end = close + 1;
    } else {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(v.slice(i + 1));
      if (!m) {
        i++;
        continue;
      }
      name = m[0];
      end = i + 1 + name.length;
    }
    flush(i);
    const at = map.mapSpan({ start: i, end })?.span ?? ms.span;
    const set = env.get(name);
    let value: string | undefined;
    if (op === ':-') value = set !== undefined && set !== '' ? set : arg;
    else if (op === '-') value = set !== undefined ? set : arg;
    else if (op === ':+') value = set !== undefined && set !== '' ? arg : '';
    else if (op === '+') value = set !== undefined ? arg : '';
    else value = set; // plain, `:?`, `?`
    if (value === undefined || value.includes('$')) {
      // unknown: kept in placeholder form, which the model treats as unknown
      const start = b.text.length;
      b.synth(v.slice(i, end), at);
      b.masked.push({ start, end: b.text.length });
    } else {
      b.synth(value, at);
    }
    i = end;
    lit = i;
  }
  flush(v.length);
  return { text: b.text, segments: b.segments, masked: b.masked, span: ms.span };
}

function scalarOf(file: string, src: string, node: unknown): MappedScalar | undefined {
  const { isScalar } = yaml();
  if (!isScalar(node)) return undefined;
  const s = node as Scalar;
  if (typeof s.value === 'string') return mapScalar(file, src, s);
  if ((typeof s.value === 'number' || typeof s.value === 'boolean') && s.range) {
    // numbers and booleans as written (`ZOO_MY_ID: 1`)
    const raw = src.slice(s.range[0], s.range[1]);
    return { value: raw, segments: [{ docStart: 0, length: raw.length, file, srcStart: s.range[0], verbatim: true }], span: { start: s.range[0], end: s.range[1] }, verbatim: true };
  }
  return undefined;
}

function get(map: unknown, key: string): unknown {
  const { isMap } = yaml();
  if (!isMap(map)) return undefined;
  return (map as YAMLMap).get(key, true);
}

function spanOf(node: unknown): Span | undefined {
  const r = (node as { range?: [number, number, number] } | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/** Environment variables of a service: map form, list form (`KEY=value`), and env files. */
function readEnv(file: string, src: string, node: unknown, dotenv: ReadonlyMap<string, string>): Map<string, EnvVar> {
  const out = new Map<string, EnvVar>();
  const { isMap, isSeq, isScalar } = yaml();
  if (isMap(node)) {
    for (const pair of (node as YAMLMap).items as Pair[]) {
      const k = pair.key as Scalar;
      if (!isScalar(k) || k.value == null) continue;
      const keySpan = spanOf(k)!;
      const ms = scalarOf(file, src, pair.value);
      out.set(String(k.value), { key: String(k.value), keySpan, val: ms ? interpolate(file, ms, dotenv) : undefined });
    }
  } else if (isSeq(node)) {
    for (const item of (node as { items: unknown[] }).items) {
      const ms = scalarOf(file, src, item);
      if (!ms) continue;
      const eq = ms.value.indexOf('=');
      const key = (eq >= 0 ? ms.value.slice(0, eq) : ms.value).trim();
      if (!key) continue;
      const full = interpolate(file, ms, dotenv);
      const map = new DocMap(full.segments);
      const keySpan = map.mapSpan({ start: 0, end: Math.max(0, eq >= 0 ? eq : ms.value.length) })?.span ?? ms.span;
      if (eq < 0) {
        out.set(key, { key, keySpan });
        continue;
      }
      // the value part of `KEY=value` (interpolated text offsets: the key has no `$`)
      const b = new DocBuilder(file).val(full, eq + 1, full.text.length);
      out.set(key, { key, keySpan, val: { text: b.text, segments: b.segments, masked: b.masked, span: ms.span } });
    }
  }
  return out;
}

function parsePort(file: string, src: string, node: unknown, dotenv: ReadonlyMap<string, string>): PublishedPort[] {
  const { isMap } = yaml();
  if (isMap(node)) {
    // long syntax
    const target = scalarOf(file, src, get(node, 'target'));
    const published = scalarOf(file, src, get(node, 'published'));
    const hostIp = scalarOf(file, src, get(node, 'host_ip'));
    const proto = scalarOf(file, src, get(node, 'protocol'));
    if (!target || !published) return [];
    const pub = interpolate(file, published, dotenv);
    if (pub.masked.length) return [];
    const range = /^(\d+)(?:-(\d+))?$/.exec(pub.text.trim());
    const cport = Number(target.value);
    if (!range || !Number.isInteger(cport)) return [];
    const lo = Number(range[1]);
    const hi = range[2] ? Number(range[2]) : lo;
    const out: PublishedPort[] = [];
    for (let p = lo; p <= hi && p - lo < 1000; p++) {
      out.push({ hostIp: hostIp?.value, hostPort: p, containerPort: cport + (p - lo), protocol: proto?.value === 'udp' ? 'udp' : 'tcp', span: published.span });
    }
    return out;
  }
  const ms = scalarOf(file, src, node);
  if (!ms) return [];
  const v = interpolate(file, ms, dotenv);
  if (v.masked.length) return [];
  const text = v.text.trim();
  // [HOST_IP:][HOST_PORT[-HOST_PORT]:]CONTAINER_PORT[-CONTAINER_PORT][/PROTOCOL]
  let rest = text;
  let proto = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIp: string | undefined;
  let ipLen = 0;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']:');
    if (close < 0) return [];
    hostIp = rest.slice(1, close);
    ipLen = close + 2;
  }
  const parts = rest.slice(ipLen).split(':');
  if (parts.length === 3 && !hostIp) {
    hostIp = parts[0];
    ipLen = parts[0].length + 1;
    parts.shift();
  }
  if (parts.length !== 2) return []; // no host port: Docker picks a free one
  const hp = /^(\d+)(?:-(\d+))?$/.exec(parts[0]);
  const cp = /^(\d+)(?:-(\d+))?$/.exec(parts[1]);
  if (!hp || !cp) return [];
  const m = [text, hostIp, hp[1], hp[2], cp[1], cp[2], proto];
  const hlo = Number(hp[1]);
  const hhi = hp[2] ? Number(hp[2]) : hlo;
  const clo = Number(cp[1]);
  const map = new DocMap(v.segments);
  const offset = text === v.text ? 0 : v.text.indexOf(text);
  const hostPortAt = ipLen + offset;
  const span = map.mapSpan({ start: hostPortAt, end: hostPortAt + (m[2] ?? '').length })?.span ?? ms.span;
  const out: PublishedPort[] = [];
  for (let p = hlo; p <= hhi && p - hlo < 1000; p++) {
    out.push({ hostIp: hostIp || undefined, hostPort: p, containerPort: clo + (p - hlo), protocol: proto === 'udp' ? 'udp' : 'tcp', span });
  }
  return out;
}

function parseVolume(file: string, src: string, node: unknown, composeDir: string, dotenv: ReadonlyMap<string, string>): Mount | undefined {
  const { isMap } = yaml();
  if (isMap(node)) {
    const type = scalarOf(file, src, get(node, 'type'))?.value;
    const source = scalarOf(file, src, get(node, 'source'));
    const target = scalarOf(file, src, get(node, 'target'));
    if (type !== 'bind' || !source || !target) return undefined;
    const s = interpolate(file, source, dotenv);
    const path = s.masked.length ? undefined : resolveSource(composeDir, s.text.trim());
    return { source: path, target: target.value.trim(), span: source.span };
  }
  const ms = scalarOf(file, src, node);
  if (!ms) return undefined;
  const v = interpolate(file, ms, dotenv);
  if (v.masked.length) return undefined;
  const parts = v.text.trim().split(':');
  if (parts.length < 2) return undefined;
  const path = v.masked.length ? undefined : resolveSource(composeDir, parts[0]);
  return { source: path, target: parts[1], span: ms.span };
}

function scalarTexts(file: string, src: string, node: unknown): { text: string; span: Span }[] {
  const { isSeq } = yaml();
  if (isSeq(node)) {
    const out: { text: string; span: Span }[] = [];
    for (const it of (node as { items: unknown[] }).items) {
      const ms = scalarOf(file, src, it);
      if (ms) out.push({ text: ms.value, span: ms.span });
    }
    return out;
  }
  const ms = scalarOf(file, src, node);
  return ms ? [{ text: ms.value, span: ms.span }] : [];
}

export interface ComposeContext {
  /** the text of another workspace file (`.env`, env files) */
  readFile(path: string): string | undefined;
}

/** True when a YAML text looks like a compose file (has a top-level `services:` key). */
export function looksLikeCompose(text: string): boolean {
  return /^services\s*:/m.test(text);
}

export function parseCompose(path: string, text: string, ctx: ComposeContext): ComposeResult {
  const result: ComposeResult = { services: [], docs: [] };
  const composeDir = dirOf(path);
  const dotenv = parseDotEnv(ctx.readFile(composeDir ? `${composeDir}/.env` : '.env') ?? '');
  const { isMap } = yaml();
  for (const doc of parseYamlDocuments(text)) {
    const services = get(doc.contents, 'services');
    if (!isMap(services)) continue;
    for (const pair of (services as YAMLMap).items as Pair[]) {
      try {
        const s = readService(path, text, pair, composeDir, dotenv, ctx);
        if (s) result.services.push(s);
      } catch {
        /* a service we cannot read: skipped */
      }
    }
  }
  for (const s of result.services) for (const d of serviceDocs(path, s)) result.docs.push(d);
  return result;
}

function readService(file: string, src: string, pair: Pair, composeDir: string, dotenv: ReadonlyMap<string, string>, ctx: ComposeContext): ComposeService | undefined {
  const { isMap, isSeq, isScalar } = yaml();
  const key = pair.key as Scalar;
  if (!isScalar(key) || key.value == null || !isMap(pair.value)) return undefined;
  const name = String(key.value);
  const body = pair.value as YNode;
  const imageMs = scalarOf(file, src, get(body, 'image'));
  const image = imageMs ? interpolate(file, imageMs, dotenv) : undefined;
  const names = new Set<string>([name]);
  for (const k of ['hostname', 'container_name']) {
    const v = scalarOf(file, src, get(body, k));
    if (v) names.add(v.value.trim());
  }
  const networks = get(body, 'networks');
  if (isMap(networks)) {
    for (const np of (networks as YAMLMap).items as Pair[]) {
      for (const a of scalarTexts(file, src, get(np.value, 'aliases'))) names.add(a.text.trim());
    }
  }
  // names resolvable from inside besides the services: extra_hosts, links and external_links aliases
  const extra: string[] = [];
  const { isMap: isM } = yaml();
  const eh = get(body, 'extra_hosts');
  if (isM(eh)) for (const p of (eh as YAMLMap).items as Pair[]) extra.push(String((p.key as Scalar)?.value ?? ''));
  else for (const e of scalarTexts(file, src, eh)) extra.push(e.text.split(/[:=]/)[0].trim());
  for (const k of ['links', 'external_links']) for (const l of scalarTexts(file, src, get(body, k))) extra.push(...l.text.split(':').map((x) => x.trim()));
  const networkMode = scalarOf(file, src, get(body, 'network_mode'))?.value.trim();
  const env = readEnv(file, src, get(body, 'environment'), dotenv);
  // env_file entries: variables the environment block does not set
  for (const ef of scalarTexts(file, src, get(body, 'env_file'))) {
    const p = resolveSource(composeDir, ef.text.trim().startsWith('.') ? ef.text.trim() : './' + ef.text.trim());
    const t = p !== undefined ? ctx.readFile(p) : undefined;
    if (t === undefined) continue;
    for (const [k, v] of parseDotEnv(t)) {
      if (!env.has(k)) env.set(k, { key: k, keySpan: ef.span, val: { text: v, segments: v.length ? [{ docStart: 0, length: v.length, file, srcStart: ef.span.start, verbatim: false, srcLength: ef.span.end - ef.span.start }] : [], masked: [], span: ef.span } });
    }
  }
  const published: PublishedPort[] = [];
  const ports = get(body, 'ports');
  if (isSeq(ports)) for (const p of (ports as { items: unknown[] }).items) published.push(...parsePort(file, src, p, dotenv));
  const containerPorts: number[] = [];
  for (const e of scalarTexts(file, src, get(body, 'expose'))) {
    const n = Number(e.text.trim().replace(/\/(tcp|udp)$/, ''));
    if (Number.isInteger(n)) containerPorts.push(n);
  }
  const mounts: Mount[] = [];
  const volumes = get(body, 'volumes');
  if (isSeq(volumes)) {
    for (const v of (volumes as { items: unknown[] }).items) {
      const m = parseVolume(file, src, v, composeDir, dotenv);
      if (m) mounts.push(m);
    }
  }
  const probes: { text: string; span: Span }[] = [];
  const hc = get(body, 'healthcheck');
  if (isMap(hc)) {
    const test = scalarTexts(file, src, get(hc, 'test'));
    if (test.length) probes.push({ text: test.map((t) => t.text).join(' '), span: { start: test[0].span.start, end: test[test.length - 1].span.end } });
  }
  const container: Container = {
    file,
    kind: 'compose',
    name,
    nameSpan: spanOf(key)!,
    image,
    names: [...names].filter(Boolean),
    hostNetwork: networkMode === 'host',
    resolvable: extra.filter(Boolean),
    machine: 'dockerhost:' + machineFile(file),
    published,
    containerPorts,
    probes,
    env: envTexts(env),
  };
  const dialect = zookeeperDialect(image?.masked.length ? undefined : image?.text, env);
  return { container, env, mounts, dialect, activemq: isActiveMqImage(image?.text) };
}

/**
 * The Docker host a compose file runs on: each compose file is a deployment of its own (a folder
 * often holds alternatives such as `docker-compose.yml` and `docker-compose-cluster.yml`, never
 * started together), except an override file, which Compose merges into the base file.
 */
export function machineFile(file: string): string {
  return file.replace(/^(.*\/)?((?:docker-)?compose)\.override\.(ya?ml)$/i, (_all, dir: string | undefined, base: string, ext: string) => `${dir ?? ''}${base}.${ext}`);
}

/** The node root of a container (a virtual folder: the compose file and the service). */
export function containerRoot(file: string, name: string): string {
  return `${file}#${name}`;
}

export function serviceDocs(file: string, s: ComposeService): DocSpec[] {
  const c = s.container;
  if (!s.dialect) return [];
  const root = containerRoot(file, c.name);
  // the image's entrypoint writes zoo.cfg only when none is mounted at its config path
  const confMounted = s.mounts.some((m) => /(^|\/)zoo\.cfg$/.test(m.target) || /^\/(conf|opt\/bitnami\/zookeeper\/conf|etc\/kafka)\/?$/.test(m.target));
  // a tag tells the version only for the images we know (a custom image's `latest` is not ZooKeeper's)
  const knownImage = c.image && !c.image.masked.length && zookeeperDialect(c.image.text, new Map()) !== undefined;
  const version = knownImage ? imageVersion(c.image!.text) : undefined;
  const imageSpan = c.image?.span ?? c.nameSpan;
  const node = { root, name: c.name, hostKey: c.hostNetwork ? c.machine : 'ctr:' + root, filesystem: root };
  const out: DocSpec[] = [];
  if (!confMounted) {
    const cfg = zooCfgFromEnv(file, s.dialect, version, s.env, imageSpan);
    if (cfg) {
      c.nodeRoot = root;
      out.push({ id: `${root}/zoo.cfg`, source: file, kind: 'zoocfg', text: cfg.text, map: new DocMap(cfg.segments), masked: cfg.masked.length ? cfg.masked : undefined, node, versions: { zookeeper: cfg.version } });
    }
  }
  const dataMounted = s.mounts.some((m) => /^\/(data|bitnami\/zookeeper|bitnami\/zookeeper\/data|var\/lib\/zookeeper\/data)\/?$/.test(m.target));
  if (!dataMounted) {
    const id = myidFromEnv(file, s.dialect, s.env, imageSpan);
    if (id) out.push({ id: `${root}/data/myid`, source: file, kind: 'myid', text: id.text, map: new DocMap(id.segments), masked: id.masked.length ? id.masked : undefined, node });
  }
  return out;
}
