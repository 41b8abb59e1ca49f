/**
 * Recognition: which files of a repository hold configuration, decided by name *and* content,
 * and the documents each one yields.
 *
 * Two steps, so that large repositories stay fast:
 * - `isCandidate(path)` (by name only) tells the folder walk which files are worth reading:
 *   known names, and the extensions configuration can hide behind (`.xml`, `.cfg`, `.properties`,
 *   `.yml`, templates, scripts that `sed` a config, version markers);
 * - `recognize(path, text)` looks at the content with a byte scan before any parse: an XML file
 *   whose `<broker>` is in the ActiveMQ core namespace is a broker config whatever its name; a
 *   `.cfg`/`.properties` file with ZooKeeper's keys is a zoo.cfg; and so on.
 */
import type { Span } from '../types';
import { basename, dirname, classify, type FileKind } from '../model/files';
import type { DocMap } from './docmap';
import { hasTemplateSyntax, maskTemplate, templateInner } from './template';
import { isScriptName, shellVarsFor, tokensFor, type SedSubstitution } from './sed';
import { COMPOSE_NAME, containerRoot, looksLikeCompose, parseCompose, serviceDocs, type ComposeService } from './compose';
import { parseDockerRuns } from './dockerrun';
import { imageVersion, LATEST, zookeeperDialect, type Container } from './containers';
import { parseManifests } from './k8s';
import { markerNeedsText, scriptTellsVersion } from '../model/versions';
import { isAnsibleCandidate, isAnsibleContext } from './ansible';

export interface DocSpec {
  /** the document's id: the source path for a whole-file document */
  id: string;
  /** the file it comes from */
  source: string;
  kind: FileKind;
  /** the text the parser reads (template expressions masked) */
  text: string;
  /** where the document's offsets are in the source; undefined: the same offsets */
  map?: DocMap;
  /** document spans whose content is unknown (template expressions, substituted tokens) */
  masked?: Span[];
  /** a template rendered per node by a tool: single-file checks only, never a node of a cluster */
  template?: boolean;
  /** for a document embedded in an indented block: what follows each line break of inserted text */
  indent?: string;
  /**
   * a node identity set by what holds the document (a compose service, a Kubernetes workload, an
   * inventory host): `host` is an address or name of the machine; `hostKey` an opaque machine key
   * (a container's own network namespace)
   */
  node?: {
    root: string;
    name: string;
    host?: string;
    hostKey?: string;
    /** a file system of its own (a container's): its paths are not the machine's, whatever network it uses */
    filesystem?: string;
  };
  /** versions the holder tells (an image tag) */
  versions?: { zookeeper?: string; activemq?: string };
  /**
   * other files this document's text is assembled from (an Ansible inventory and vars files, a
   * ZooKeeper dynamic configuration file): the document's relations and findings may reach them
   */
  inputs?: string[];
  /** for a zoo.cfg: the dynamic configuration file its `dynamicConfigFile` names, found in the repository (sources/zkdynamic.ts) */
  dynamicFile?: string;
}

export interface RecognizeContext {
  /** literal tokens that scripts of the repository replace with sed */
  sed: readonly SedSubstitution[];
  /** another file of the workspace (compose `.env` and env files) */
  readFile?(path: string): string | undefined;
  /** receives the containers that compose files and manifests define */
  containers?: Container[];
  /** receives the bind mounts of containers (for repository files mounted into them) */
  mounts?: ContainerMount[];
}

/** A repository file or folder bind-mounted into a container that runs a node. */
export interface ContainerMount {
  container: Container;
  /** workspace path of the source (file or folder) */
  source: string;
  /** path inside the container */
  target: string;
  /** the node root and identity of the container */
  node: NonNullable<DocSpec['node']>;
  versions?: DocSpec['versions'];
}

const CONFIG_EXT = /\.(xml|cfg|conf|properties|ya?ml|env)$/i;
const SOURCE_EXT = /\.(java|kt|kts|groovy|scala)$/;
/** `zoo.cfg.dynamic`, `zoo.cfg.dynamic.100000000`, `zoo.cfg.dynamic.next`, `zoo2.cfg.dynamic.1` */
export const ZOO_DYNAMIC = /^[\w.-]*\.cfg\.dynamic(\.[\w-]+)?$/;

/** Worth reading (by name): a known file, or one whose content may hold configuration. */
export function isCandidate(path: string): boolean {
  const name = basename(path);
  if (classify(path)) return true;
  if (CONFIG_EXT.test(name) || SOURCE_EXT.test(name) || name === '.env' || ZOO_DYNAMIC.test(name)) return true;
  if (isScriptName(name)) return true;
  if (isAnsibleCandidate(path)) return true;
  const inner = templateInner(name);
  return inner !== undefined && (inner === 'myid' || CONFIG_EXT.test(inner) || classify(inner) !== undefined);
}

/** A script whose `sed` commands may substitute tokens in configuration files. */
export function isScript(path: string): boolean {
  return isScriptName(basename(path));
}

/**
 * A file that other documents may be assembled from, decided by name: an Ansible inventory, vars
 * file or playbook, a ZooKeeper dynamic configuration file. An analysis of part of the workspace
 * always includes them (a template renders with the inventory; a zoo.cfg reads its dynamic file).
 */
export function isContextSource(path: string, text?: string): boolean {
  return ZOO_DYNAMIC.test(basename(path)) || isAnsibleContext(path, text);
}

/** Files named like ZooKeeper's own sample: never read by a server. */
const NOT_A_NODE = /^(zoo_sample\.cfg|zoo\.cfg\.(sample|example|bak|orig|old))$/;

const AMQ_CORE_NS = 'activemq.apache.org/schema/core';

/** An ActiveMQ broker definition: `<broker>` (any prefix) in the core namespace. */
export function looksLikeBroker(text: string): boolean {
  return text.includes(AMQ_CORE_NS) && /<([\w.-]+:)?broker[\s>/]/.test(text);
}

/**
 * A Spring/Jetty XML that configures the ActiveMQ web console: the WebConsolePort bean (up to
 * 6.2), the JettyServerBean of `jetty-spring.xml` (6.3+), or, in a `jetty/` folder, a Jetty XML
 * file that creates a ServerConnector (`conf/jetty/jetty-http.xml`, 6.3+).
 */
export function looksLikeWebConsole(text: string, path = ''): boolean {
  if (text.includes('org.apache.activemq.web.WebConsolePort') || text.includes('org.apache.activemq.spring.jetty.JettyServerBean')) return true;
  return basename(dirname(path)) === 'jetty' && text.includes('org.eclipse.jetty.server.ServerConnector') && text.includes('<Configure');
}

/** ActiveMQ 6.3+ `jetty-spring.properties`: the JettyServerBean's settings. */
function looksLikeJettyProps(name: string, text: string): boolean {
  return name === 'jetty-spring.properties' || (name.endsWith('.properties') && /^[ \t]*(jettyXmlFiles|jettyHttpXmlFiles)[ \t]*[=:]/m.test(text));
}

const ZK_KEYS = /^[ \t]*(tickTime|initLimit|syncLimit|dataDir|dataLogDir|clientPort|clientPortAddress|maxClientCnxns|autopurge\.\w+|4lw\.commands\.whitelist|admin\.(serverPort|enableServer)|standaloneEnabled|reconfigEnabled|quorumListenOnAllIPs|dynamicConfigFile|secureClientPort|server\.\d+)[ \t]*[=:]/gm;

/** A properties file with ZooKeeper's keys: `dataDir` or a server line, and at least three keys in all. */
export function looksLikeZooCfg(text: string): boolean {
  if (!text.includes('dataDir') && !/server\.\d/.test(text)) return false;
  const seen = new Set<string>();
  ZK_KEYS.lastIndex = 0;
  for (let m = ZK_KEYS.exec(text); m; m = ZK_KEYS.exec(text)) {
    seen.add(m[1].startsWith('server.') ? 'server' : m[1]);
    if (seen.size >= 3 && (seen.has('dataDir') || seen.has('server'))) return true;
  }
  return false;
}

/** A file of only `server.N=` lines (and comments): a dynamic configuration file. */
function looksLikeDynamic(text: string): boolean {
  return /^[ \t]*server\.\d+[ \t]*=/m.test(text);
}

/** Client connection URLs in files other than Spring Boot's application*.yml|properties and Java. */
function clientKindByContent(name: string, text: string): boolean {
  if (name === 'jndi.properties') return /java\.naming\.provider\.url/.test(text);
  if (name === '.env' || name.endsWith('.env')) return /(failover:|tcp:\/\/|nio:\/\/|ssl:\/\/)/.test(text);
  if (SOURCE_EXT.test(name)) return text.includes('failover:');
  if (name.endsWith('.xml')) return /brokerURL/i.test(text) && /(failover:|tcp:\/\/|nio:\/\/|ssl:\/\/)/.test(text);
  return false;
}

/** The documents a file holds (none for a file that holds no configuration). */
export function recognize(path: string, text: string, ctx: RecognizeContext = { sed: [] }): DocSpec[] {
  const name = basename(path);
  const inner = templateInner(name);
  if (inner !== undefined) return recognizeTemplate(path, inner, text, ctx);
  const byName = classify(path);
  // a version marker (a jar name, a Dockerfile's or compose file's image tags) may be more as well
  const marker: DocSpec[] =
    byName === 'marker' || (isScriptName(name) && scriptTellsVersion(text))
      ? [{ id: `${path}#version`, source: path, kind: 'marker', text: byName !== 'marker' || markerNeedsText(path) ? text : '' }]
      : [];
  if (isScriptName(name)) return [...marker, ...(text.includes('sed') ? [{ id: path, source: path, kind: 'script' as const, text }] : []), ...recognizeDockerRuns(path, text, ctx)];
  if (COMPOSE_NAME.test(name) || (/\.ya?ml$/i.test(name) && byName !== 'client' && looksLikeCompose(text))) return [...marker, ...recognizeCompose(path, text, ctx)];
  if (byName === 'marker') return marker;
  if (/\.ya?ml$/i.test(name) && byName !== 'client') return recognizeYaml(path, text, ctx);
  if (NOT_A_NODE.test(name)) return [];
  let kind: FileKind | undefined;
  if (byName === 'activemq' || byName === 'jetty' || byName === 'zoocfg' || byName === 'myid') kind = byName;
  else if (byName === 'client') kind = clientKindOk(name, text) ? 'client' : undefined;
  else if (ZOO_DYNAMIC.test(name)) kind = looksLikeDynamic(text) ? 'zoodynamic' : undefined;
  else kind = kindByContent(name, text, path);
  if (!kind) return [];
  return [withMasks({ id: path, source: path, kind, text }, name, undefined, ctx)];
}

function clientKindOk(name: string, text: string): boolean {
  // a Java source that names no failover URL is not part of the model
  if (name.endsWith('.java')) return text.includes('failover:');
  return true;
}

function kindByContent(name: string, text: string, path = ''): FileKind | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.xml')) {
    if (looksLikeBroker(text)) return 'activemq';
    if (looksLikeWebConsole(text, path)) return 'jetty';
    if (clientKindByContent(name, text)) return 'client';
    return undefined;
  }
  if (/\.(cfg|conf|properties)$/.test(lower)) {
    if (looksLikeJettyProps(name, text)) return 'jettyprops';
    if (looksLikeZooCfg(text)) return 'zoocfg';
    if (clientKindByContent(name, text)) return 'client';
    return undefined;
  }
  if (clientKindByContent(name, text)) return 'client';
  return undefined;
}

function recognizeTemplate(path: string, inner: string, text: string, ctx: RecognizeContext): DocSpec[] {
  const { text: masked, masked: spans } = maskTemplate(text, {
    atTokens: true,
    tokens: tokensFor(ctx.sed, basename(path), inner),
    shellVars: shellVarsFor(ctx.sed, basename(path), inner),
    bareCapitalVars: /\.(xml|cfg)$/.test(inner),
  });
  const innerPath = dirname(path) ? `${dirname(path)}/${inner}` : inner;
  let kind: FileKind | undefined;
  const byName = classify(innerPath);
  if (byName === 'activemq' || byName === 'jetty' || byName === 'zoocfg' || byName === 'myid') kind = byName;
  else if (ZOO_DYNAMIC.test(inner)) kind = looksLikeDynamic(masked) ? 'zoodynamic' : undefined;
  else if (NOT_A_NODE.test(inner)) kind = undefined;
  else kind = kindByContent(inner, masked, innerPath);
  if (!kind && /\.ya?ml$/i.test(inner)) return recognizeYaml(path, text, ctx);
  if (!kind || kind === 'client') return [];
  return [{ id: path, source: path, kind, text: masked, masked: spans, template: true }];
}

/** Masks `{{ }}`-style expressions and sed-substituted tokens in an ordinary configuration file. */
function withMasks(doc: DocSpec, name: string, inner: string | undefined, ctx: RecognizeContext): DocSpec {
  if (doc.kind === 'marker') return doc;
  const tokens = tokensFor(ctx.sed, name, inner);
  const shellVars = shellVarsFor(ctx.sed, name, inner);
  // a `$NAME` in a broker config or a zoo.cfg is a token of a script: neither program expands it
  const bareCapitalVars = (doc.kind === 'activemq' || doc.kind === 'zoocfg' || doc.kind === 'jetty') && /\$[A-Z]/.test(doc.text);
  if (tokens.length === 0 && !shellVars && !bareCapitalVars && !hasTemplateSyntax(doc.text)) return doc;
  // `@x@` only where a build tool filters resources; elsewhere an `@` is literal text
  const atTokens = /(^|\/)src\/[^/]+\/(resources|filters)\//.test(doc.source);
  const m = maskTemplate(doc.text, { atTokens, tokens, shellVars, bareCapitalVars });
  if (m.masked.length === 0) return doc;
  return { ...doc, text: m.text, masked: m.masked };
}

function recognizeCompose(path: string, text: string, ctx: RecognizeContext): DocSpec[] {
  const { text: masked } = maskTemplate(text, { tokens: tokensFor(ctx.sed, basename(path)) });
  const res = parseCompose(path, masked, { readFile: (p) => ctx.readFile?.(p) });
  addContainers(path, res.services, ctx);
  return res.docs;
}

/** The containers the `docker run` commands of a script start, and the documents their images write. */
function recognizeDockerRuns(path: string, text: string, ctx: RecognizeContext): DocSpec[] {
  const services = parseDockerRuns(path, text, { readFile: (p) => ctx.readFile?.(p) });
  addContainers(path, services, ctx);
  return services.flatMap((s) => serviceDocs(path, s));
}

/** Containers to the context, and the repository files bound into those that run ActiveMQ or ZooKeeper. */
function addContainers(path: string, services: ComposeService[], ctx: RecognizeContext): void {
  for (const s of services) {
    ctx.containers?.push(s.container);
    if (!s.dialect && !s.activemq) continue;
    const root = containerRoot(path, s.container.name);
    const node = { root, name: s.container.name, hostKey: s.container.hostNetwork ? s.container.machine : 'ctr:' + root, filesystem: root };
    const known = s.container.image && !s.container.image.masked.length && (s.activemq || zookeeperDialect(s.container.image.text, new Map()) !== undefined);
    const tag = known ? imageVersion(s.container.image!.text) : undefined;
    const versions = s.activemq ? { activemq: tag === 'latest' ? LATEST.activemq : tag } : { zookeeper: tag === 'latest' ? LATEST.zookeeper : tag };
    for (const m of s.mounts) if (m.source !== undefined) ctx.mounts?.push({ container: s.container, source: m.source, target: m.target, node, versions });
  }
}

/** Cheap test before a YAML file is parsed: it names something we read. */
function yamlWorthParsing(text: string): boolean {
  return (
    text.includes(AMQ_CORE_NS) ||
    text.includes('WebConsolePort') ||
    /zoo\.cfg|ZOO_|ZOOKEEPER_|zookeeper|activemq|dataDir/i.test(text)
  );
}

/** Kubernetes manifests, Helm charts and values: embedded documents and ZooKeeper workloads. */
function recognizeYaml(path: string, text: string, ctx: RecognizeContext): DocSpec[] {
  if (!yamlWorthParsing(text)) return [];
  // Helm/Go templates and sed tokens: masked before the YAML is read (what is literal is analysed)
  const m = maskTemplate(text, { tokens: tokensFor(ctx.sed, basename(path)) });
  const res = parseManifests(path, m.text, { looksLikeBroker, looksLikeWebConsole, looksLikeZooCfg });
  for (const c of res.containers) ctx.containers?.push(c);
  // a value that is nothing but a template expression (`{{ .Values.config | nindent 4 }}`) is unknown, not empty
  res.docs = res.docs.filter((d) => d.text.trim() !== '');
  if (m.masked.length === 0) return res.docs;
  // findings inside a masked expression are about unknown text: keep the masks, in document offsets
  return res.docs.map((d) => {
    const inDoc: Span[] = [...(d.masked ?? [])];
    if (d.map) {
      for (const seg of d.map.segments) {
        if (!seg.verbatim) continue;
        for (const mk of m.masked) {
          const a = Math.max(mk.start, seg.srcStart);
          const b = Math.min(mk.end, seg.srcStart + seg.length);
          if (b > a) inDoc.push({ start: seg.docStart + (a - seg.srcStart), end: seg.docStart + (b - seg.srcStart) });
        }
      }
    }
    inDoc.sort((x, y) => x.start - y.start);
    return inDoc.length ? { ...d, masked: inDoc } : d;
  });
}

/** Whether a file takes part in the analysis: it holds a document or defines a container. */
export function isRelevant(path: string, text: string): boolean {
  const containers: Container[] = [];
  return recognize(path, text, { sed: [], containers }).length > 0 || containers.length > 0;
}
