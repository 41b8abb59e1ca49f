/**
 * Kubernetes manifests and Helm values:
 * - a ConfigMap's `data` or a Secret's `stringData` whose key is `activemq.xml`, `jetty.xml`,
 *   `zoo.cfg`, `myid` (or whose value is one by content) is analysed as that file, with every
 *   character of the YAML scalar mapped (block scalars `|`, `|-`, `|+` at any indentation);
 * - a Helm `values.yaml` (or any YAML) string that holds a whole activemq.xml or zoo.cfg likewise;
 * - a workload (StatefulSet, Deployment, Pod, ...) running a ZooKeeper image is a ZooKeeper server
 *   configured by its environment (the same dialects as compose, see zkimages.ts).
 * Helm templates (`{{ ... }}`) are masked before the YAML is read: the literal rest is analysed,
 * the expressions are unknown values.
 */
import type { Scalar, YAMLMap, Pair } from 'yaml';
import type { Span } from '../types';
import { DocMap } from './docmap';
import { mapScalar, parseYamlDocuments, yaml } from './yamlsrc';
import { interpolate } from './compose';
import { envTexts, imageVersion, LATEST, zookeeperDialect, type Container, type Val } from './containers';
import { myidFromEnv, zooCfgFromEnv, type EnvVar } from './zkimages';
import type { DocSpec } from './recognize';
import type { FileKind } from '../model/files';

/** A YAML text that declares Kubernetes objects. */
export function looksLikeManifest(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text);
}

const EMBED_NAMES: Record<string, FileKind> = { 'activemq.xml': 'activemq', 'jetty.xml': 'jetty', 'zoo.cfg': 'zoocfg', myid: 'myid' };

function get(node: unknown, key: string): unknown {
  const { isMap } = yaml();
  return isMap(node) ? (node as YAMLMap).get(key, true) : undefined;
}

function str(node: unknown): string | undefined {
  const { isScalar } = yaml();
  if (!isScalar(node)) return undefined;
  const v = (node as Scalar).value;
  return v == null ? undefined : String(v);
}

function items(node: unknown): unknown[] {
  const { isSeq } = yaml();
  return isSeq(node) ? (node as { items: unknown[] }).items : [];
}

function spanOf(node: unknown): Span | undefined {
  const r = (node as { range?: [number, number, number] } | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

export interface EmbedContext {
  looksLikeBroker(text: string): boolean;
  looksLikeZooCfg(text: string): boolean;
  looksLikeWebConsole(text: string): boolean;
}

/** A string scalar that holds a whole configuration document. */
function embedded(file: string, src: string, key: string | undefined, node: unknown, owner: string, ctx: EmbedContext): DocSpec | undefined {
  const { isScalar } = yaml();
  if (!isScalar(node) || typeof (node as Scalar).value !== 'string') return undefined;
  const value = (node as Scalar).value as string;
  let kind: FileKind | undefined = key ? EMBED_NAMES[key] : undefined;
  if (!kind && value.length > 40) {
    if (ctx.looksLikeBroker(value)) kind = 'activemq';
    else if (ctx.looksLikeWebConsole(value)) kind = 'jetty';
    else if (/^[\w.-]*\.(cfg|properties|conf)$/.test(key ?? '') && ctx.looksLikeZooCfg(value)) kind = 'zoocfg';
  }
  if (!kind) return undefined;
  const ms = mapScalar(file, src, node as Scalar);
  if (!ms) return undefined;
  const name = key && EMBED_NAMES[key] ? key : kind === 'activemq' ? 'activemq.xml' : kind === 'jetty' ? 'jetty.xml' : kind === 'zoocfg' ? 'zoo.cfg' : 'myid';
  const root = `${file}#${owner}`;
  return {
    id: `${root}/${name}`,
    source: file,
    kind,
    text: ms.value,
    map: new DocMap(ms.segments),
    indent: ms.indent,
    node: { root, name: owner, hostKey: 'pod:' + root },
  };
}

/** Every string scalar of a Helm values file (or any YAML) that is a whole config document. */
function embeddedAnywhere(file: string, src: string, node: unknown, path: string[], out: DocSpec[], ctx: EmbedContext, depth: number): void {
  const { isMap, isSeq } = yaml();
  if (depth > 32 || out.length > 64) return;
  if (isMap(node)) {
    for (const pair of (node as YAMLMap).items as Pair[]) {
      const key = str(pair.key);
      if (key === undefined) continue;
      const d = embedded(file, src, key, pair.value, [...path, key].slice(-2).join('.') || key, ctx);
      if (d) out.push(d);
      else embeddedAnywhere(file, src, pair.value, [...path, key], out, ctx, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const it of (node as { items: unknown[] }).items) embeddedAnywhere(file, src, it, path, out, ctx, depth + 1);
  }
}

const WORKLOADS = new Set(['StatefulSet', 'Deployment', 'Pod', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);

export interface ManifestResult {
  docs: DocSpec[];
  containers: Container[];
}

/**
 * The documents of a multi-document YAML text as [start, end) offsets: a line `---` (or `...`)
 * at column 0 ends a document, also inside a block scalar, so splitting there is what YAML does.
 */
export function yamlChunks(src: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /^(---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  let start = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m.index > start) out.push([start, m.index]);
    // the marker line itself may hold content after `--- ` (`--- !tag`, `--- |`): keep it with the document
    start = m[1] === '---' ? m.index : src.indexOf('\n', m.index) + 1 || src.length;
    if (m[1] === '---') {
      const nl = src.indexOf('\n', m.index);
      const rest = src.slice(m.index + 3, nl < 0 ? src.length : nl).trim();
      if (rest === '' || rest.startsWith('#')) start = nl < 0 ? src.length : nl + 1;
    }
  }
  if (start < src.length) out.push([start, src.length]);
  return out;
}

/** Worth reading as YAML: names something we understand (a cheap scan of one document). */
function chunkWorthParsing(text: string, manifest: boolean): boolean {
  if (text.includes('activemq.apache.org/schema/core') || text.includes('WebConsolePort')) return true;
  if (/ZOO_|ZOOKEEPER_|start-zookeeper|zookeeper/i.test(text)) return true;
  if (!manifest) return /dataDir|activemq/i.test(text);
  return /^\s*(activemq\.xml|jetty\.xml|zoo\.cfg|myid)\s*:/m.test(text) || /dataDir\s*=/.test(text);
}

export function parseManifests(file: string, src: string, ctx: EmbedContext): ManifestResult {
  const res: ManifestResult = { docs: [], containers: [] };
  const manifest = looksLikeManifest(src);
  const chunks = yamlChunks(src);
  if (chunks.length <= 1) {
    parseChunk(file, src, ctx, manifest, res);
    return res;
  }
  // each document on its own: unrelated documents of a large manifest are never parsed
  for (const [a, b] of chunks) {
    const sub = src.slice(a, b);
    if (!chunkWorthParsing(sub, manifest)) continue;
    const part: ManifestResult = { docs: [], containers: [] };
    parseChunk(file, sub, ctx, manifest, part);
    for (const d of part.docs) res.docs.push(shiftDoc(d, a));
    for (const c of part.containers) res.containers.push(shiftContainer(c, a));
  }
  return res;
}

function shiftSpan(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

function shiftVal(v: Val, by: number): Val {
  return { ...v, segments: v.segments.map((g) => ({ ...g, srcStart: g.srcStart + by })), span: shiftSpan(v.span, by) };
}

function shiftDoc(d: DocSpec, by: number): DocSpec {
  if (by === 0 || !d.map) return d;
  return { ...d, map: new DocMap(d.map.segments.map((g) => ({ ...g, srcStart: g.srcStart + by }))) };
}

function shiftContainer(c: Container, by: number): Container {
  if (by === 0) return c;
  return {
    ...c,
    nameSpan: shiftSpan(c.nameSpan, by),
    image: c.image ? shiftVal(c.image, by) : undefined,
    published: c.published.map((p) => ({ ...p, span: shiftSpan(p.span, by) })),
    probes: c.probes.map((p) => ({ ...p, span: shiftSpan(p.span, by) })),
    replicas: c.replicas ? { ...c.replicas, span: shiftSpan(c.replicas.span, by) } : undefined,
    k8s: c.k8s ? { ...c.k8s, command: c.k8s.command.map((w) => ({ ...w, span: shiftSpan(w.span, by) })) } : undefined,
  };
}

function parseChunk(file: string, src: string, ctx: EmbedContext, manifest: boolean, res: ManifestResult): void {
  for (const doc of parseYamlDocuments(src)) {
    const root = doc.contents;
    const kind = str(get(root, 'kind'));
    const meta = get(root, 'metadata');
    const name = str(get(meta, 'name')) ?? 'unnamed';
    try {
      if (manifest && (kind === 'ConfigMap' || kind === 'Secret')) {
        const data = get(root, kind === 'Secret' ? 'stringData' : 'data');
        const { isMap } = yaml();
        if (isMap(data)) {
          for (const pair of (data as YAMLMap).items as Pair[]) {
            const d = embedded(file, src, str(pair.key), pair.value, name, ctx);
            if (d) res.docs.push(d);
          }
        }
      } else if (manifest && kind && WORKLOADS.has(kind)) {
        workload(file, src, root, kind, name, res);
      } else if (!manifest) {
        embeddedAnywhere(file, src, root, [], res.docs, ctx, 0);
      }
    } catch {
      /* an object we cannot read: skipped */
    }
  }
}

/** The pod template's spec of a workload (CronJob: jobTemplate.spec.template.spec). */
function podSpec(root: unknown, kind: string): unknown {
  if (kind === 'Pod') return get(root, 'spec');
  if (kind === 'CronJob') return get(get(get(get(get(root, 'spec'), 'jobTemplate'), 'spec'), 'template'), 'spec');
  return get(get(get(root, 'spec'), 'template'), 'spec');
}

function workload(file: string, src: string, root: unknown, kind: string, name: string, res: ManifestResult): void {
  const spec = podSpec(root, kind);
  const replicasNode = get(get(root, 'spec'), 'replicas');
  const replicasText = str(replicasNode);
  const replicas = replicasText !== undefined && /^\d+$/.test(replicasText) ? { value: Number(replicasText), span: spanOf(replicasNode)! } : kind === 'StatefulSet' || kind === 'Deployment' ? undefined : { value: 1, span: spanOf(get(get(root, 'metadata'), 'name')) ?? { start: 0, end: 0 } };
  const serviceName = str(get(get(root, 'spec'), 'serviceName'));
  const hostNetwork = str(get(spec, 'hostNetwork')) === 'true';
  const nameNode = get(get(root, 'metadata'), 'name');
  for (const c of items(get(spec, 'containers'))) {
    const cname = str(get(c, 'name')) ?? name;
    const imageNode = get(c, 'image');
    const imageMs = (yaml().isScalar(imageNode) && typeof (imageNode as Scalar).value === 'string') ? mapScalar(file, src, imageNode as Scalar) : undefined;
    const image: Val | undefined = imageMs ? interpolate(file, imageMs, new Map()) : undefined;
    const env = new Map<string, EnvVar>();
    for (const e of items(get(c, 'env'))) {
      const k = str(get(e, 'name'));
      if (!k) continue;
      const vNode = get(e, 'value');
      const { isScalar } = yaml();
      let val: Val | undefined;
      if (isScalar(vNode)) {
        const raw = spanOf(vNode);
        const sv = (vNode as Scalar).value;
        const ms = typeof sv === 'string' ? mapScalar(file, src, vNode as Scalar) : raw ? { value: src.slice(raw.start, raw.end), segments: [{ docStart: 0, length: raw.end - raw.start, file, srcStart: raw.start, verbatim: true }], span: raw, verbatim: true } : undefined;
        // Kubernetes expands $(VAR) references to other variables: those are unknown here
        if (ms) val = { text: ms.value, segments: ms.segments, masked: /\$\(/.test(ms.value) ? [{ start: 0, end: ms.value.length }] : [], span: ms.span };
      }
      env.set(k, { key: k, keySpan: spanOf(get(e, 'name')) ?? { start: 0, end: 0 }, val });
    }
    const containerPorts: number[] = [];
    for (const p of items(get(c, 'ports'))) {
      const n = Number(str(get(p, 'containerPort')));
      if (Number.isInteger(n)) containerPorts.push(n);
    }
    const probes: { text: string; span: Span }[] = [];
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const cmd = items(get(get(get(c, probe), 'exec'), 'command'));
      const parts = cmd.map((x) => ({ text: str(x) ?? '', span: spanOf(x) })).filter((x) => x.span);
      if (parts.length) probes.push({ text: parts.map((p) => p.text).join(' '), span: { start: parts[0].span!.start, end: parts[parts.length - 1].span!.end } });
    }
    const names = [name];
    if (serviceName) names.push(`${name}.${serviceName}`);
    const configMaps: string[] = [];
    for (const v of items(get(spec, 'volumes'))) {
      const cm = str(get(get(v, 'configMap'), 'name'));
      if (cm) configMaps.push(cm);
    }
    const command: { text: string; span: Span }[] = [];
    for (const k of ['command', 'args']) {
      for (const w of items(get(c, k))) {
        const t = str(w);
        const sp = spanOf(w);
        if (t !== undefined && sp) command.push({ text: t, span: sp });
      }
    }
    const container: Container = {
      file,
      kind: 'k8s',
      name: cname === name ? name : `${name}/${cname}`,
      nameSpan: spanOf(nameNode) ?? { start: 0, end: 0 },
      image,
      names,
      hostNetwork,
      machine: 'k8s:' + file,
      published: [],
      containerPorts,
      probes,
      env: envTexts(env),
      replicas,
      k8s: { kind, serviceName, configMaps, command },
    };
    res.containers.push(container);
    const dialect = zookeeperDialect(image?.masked.length ? undefined : image?.text, env);
    if (!dialect) continue;
    const nodeRoot = `${file}#${container.name}`;
    const node = { root: nodeRoot, name: container.name, hostKey: 'pod:' + nodeRoot };
    const tag = image && !image.masked.length && zookeeperDialect(image.text, new Map()) !== undefined ? imageVersion(image.text) : undefined;
    const version = tag === 'latest' ? LATEST.zookeeper : tag;
    const imageSpan = image?.span ?? container.nameSpan;
    // the entrypoint writes zoo.cfg from the environment; a replaced command does too only when it
    // still runs an entrypoint script or zkServer.sh (a wrapper), not a generator of its own
    const cmd = command.map((w) => w.text).join(' ');
    if (get(c, 'command') !== undefined && !/entrypoint|zkServer\.sh/.test(cmd)) continue;
    const cfg = zooCfgFromEnv(file, dialect, tag, env, imageSpan);
    if (!cfg) continue;
    container.nodeRoot = nodeRoot;
    res.docs.push({ id: `${nodeRoot}/zoo.cfg`, source: file, kind: 'zoocfg', text: cfg.text, map: new DocMap(cfg.segments), masked: cfg.masked.length ? cfg.masked : undefined, node, versions: { zookeeper: version } });
    // one environment for every replica: an id from it is right for a single pod only
    if ((replicas?.value ?? 1) === 1) {
      const id = myidFromEnv(file, dialect, env, imageSpan);
      if (id) res.docs.push({ id: `${nodeRoot}/data/myid`, source: file, kind: 'myid', text: id.text, map: new DocMap(id.segments), masked: id.masked.length ? id.masked : undefined, node });
    }
  }
}
