/**
 * The workspace model: which files form a node, which nodes share a host, who listens
 * where, ZooKeeper ensembles, replication sets, shared stores, networks of brokers and
 * client URL lists. Built from parsed files; pure.
 */
import type { AnalysisOptions, Span } from '../types';
import type { ActiveMqConfig, AttrValue, PersistenceAdapter, ZkAddressEntry } from '../parse/activemq';
import type { JettyConfig } from '../parse/jetty';
import { DEFAULT_WEB_HOST, DEFAULT_WEB_PORT } from '../parse/jetty';
import type { ZooConfig, ZooServer } from '../parse/zoocfg';
import type { MyId } from '../parse/myid';
import type { ClientUrl } from '../parse/clienturls';
import type { ParsedFiles } from './parsed';
import { basename, dirname, joinPath, nodeRootOf } from './files';
import { normalizeAddress, type NormalizedAddress } from './address';
import { UnionFind } from './unionfind';
import type { Container } from '../sources/containers';
import { detectActiveMqImageVersion, detectZkVersion, versionAtLeast, zkAtLeast, type ZkVersion } from './versions';
import { splitCause, splitSets } from './listening';
import { modernWebConsole } from './webconsole';
import { settingValue } from '../options';

export type ListenerKind =
  | 'transport'
  | 'replication'
  | 'web'
  | 'jmx'
  | 'zk-client'
  | 'zk-secure-client'
  | 'zk-quorum'
  | 'zk-election'
  | 'zk-admin';

export interface Listener {
  node: Node;
  kind: ListenerKind;
  /** e.g. `openwire` for a transport connector, `clientPort`, `admin.serverPort` */
  label: string;
  host: string;
  address: NormalizedAddress;
  port: number;
  /** where the port is written (the digits); for an implicit default: the element/key it belongs to */
  file: string;
  span: Span;
  /** true when the port is a default that is not written in the file */
  implicit: boolean;
}

interface NodeBase {
  /** node folder (workspace-relative, '' for the root) */
  root: string;
  /** display name: the node folder's name */
  name: string;
  /** main config file */
  file: string;
  listeners: Listener[];
  /** host key after host assignment */
  host: string;
  /** how the host was decided */
  hostEvidence: string;
  /** the file system it runs in when that is not its host's (a container's, even on the host network) */
  filesystem?: string;
}

export interface BrokerNode extends NodeBase {
  type: 'broker';
  config: ActiveMqConfig;
  jettyFile?: string;
  jetty?: JettyConfig;
  /** ActiveMQ 6.3+: the jetty-spring.properties and Jetty XML documents its web listeners come from */
  webFiles?: string[];
  /** effective brokerName (default `localhost`); undefined when it holds a placeholder */
  brokerName?: string;
  brokerNameAttr?: AttrValue;
  /** the first persistence adapter, if any */
  store?: PersistenceAdapter;
  /** resolved store directory key (`abs:/x/y` when it can be shared, `node:...` when node-local) */
  storeDir?: string;
  version?: string;
  group?: MasterSlaveGroup;
  /**
   * Set when the broker can never open its connectors: its brokerName splits it off its
   * replication siblings into a set below quorum (model/listening.ts). `cause` is the key of
   * the finding that explains it.
   */
  silent?: { cause: string; why: string };
}

export interface ZkNode extends NodeBase {
  type: 'zk';
  config: ZooConfig;
  myidFile?: string;
  myid?: MyId;
  /** where ZooKeeper will look for myid, mapped into the workspace */
  expectedMyidPath?: string;
  /** the server id this node runs as: from myid, or inferred by elimination */
  serverId?: number;
  serverIdInferred: boolean;
  ensemble?: Ensemble;
  /** the ZooKeeper version this server runs, as far as the workspace tells (model/versions.ts) */
  version: ZkVersion;
  /**
   * the dynamic configuration file `dynamicConfigFile` names (3.5+), found in the repository; when
   * ZooKeeper would accept the pair, `config` is zoo.cfg and that file read as one (its server
   * lines map into the dynamic file: sources/zkdynamic.ts)
   */
  dynamicFile?: string;
  /** `<zoo.cfg>.dynamic.next` beside zoo.cfg: the configuration ZooKeeper last saw proposed, written by ZooKeeper itself */
  nextDynamicFile?: string;
}

export type Node = BrokerNode | ZkNode;

export interface Ensemble {
  id: string;
  members: ZkNode[];
  /** participant count as seen by the majority of members */
  participants: number;
}

export interface MasterSlaveGroup {
  kind: 'replicated-leveldb' | 'shared-file' | 'jdbc';
  key: string;
  members: BrokerNode[];
}

export interface ReplicationCandidate {
  /** ensemble id or normalised zkAddress */
  ensembleKey: string;
  ensemble?: Ensemble;
  zkPath: string;
  members: BrokerNode[];
}

export interface ClientUrlList {
  file: string;
  url: ClientUrl;
}

export interface WorkspaceModel {
  options: AnalysisOptions;
  files: ParsedFiles;
  brokers: BrokerNode[];
  zkNodes: ZkNode[];
  /**
   * Templates (`activemq.xml.j2`, `zoo.cfg.erb`): built like nodes for the single-file checks, but
   * they stand for nodes a tool renders, so they take part in no cluster, host or ensemble.
   */
  templateBrokers: BrokerNode[];
  templateZkNodes: ZkNode[];
  /** containers of compose files and Kubernetes manifests (with or without a node) */
  containers: Container[];
  ensembles: Ensemble[];
  /** replicatedLevelDB brokers grouped by ensemble and zkPath (brokerName may differ inside) */
  replicationCandidates: ReplicationCandidate[];
  groups: MasterSlaveGroup[];
  clientUrls: ClientUrlList[];
  /** host key -> listeners on that host */
  hosts: Map<string, Listener[]>;
}

// ---------------------------------------------------------------------------------------------
// helpers

const VERSION_IN_PATH = /(?:^|\/)apache-activemq-(\d+\.\d+(?:\.\d+)?)/;
const VERSION_JAR = /\/lib\/(?:optional\/)?activemq-(?:broker|client|all|spring)-(\d+\.\d+(?:\.\d+)?)\.jar$/;

function detectVersion(file: string, files: ParsedFiles, options: AnalysisOptions): string | undefined {
  if (options.activemqVersion) return options.activemqVersion;
  // what holds the config tells (an image tag)
  const held = files.docs.get(file)?.versions?.activemq;
  if (held) return held;
  // the real folder the node lives in (a node of its own in a shared folder has a virtual root)
  const folder = nodeRootOf(files.sourceOf(file));
  const m = VERSION_IN_PATH.exec(folder);
  if (m) return m[1];
  const prefix = folder === '' ? '' : folder + '/';
  for (const p of files.markers) {
    if (!p.startsWith(prefix)) continue;
    const j = VERSION_JAR.exec('/' + p);
    if (j) return j[1];
  }
  return detectActiveMqImageVersion(folder, files);
}


const NODE_PLACEHOLDERS = new Map([
  ['activemq.data', '@node/data'],
  ['activemq.base', '@node'],
  ['activemq.home', '@node'],
]);

/**
 * Resolves `${activemq.data}`-style placeholders relative to the node; undefined if anything stays
 * unresolved. `confDir`: the folder of the config file itself (what `${activemq.conf}` names).
 */
export function resolveNodePath(value: string, root: string, confDir?: string): string | undefined {
  let v = value.trim();
  if (v.includes('${')) v = v.replace(/\$\{([^}]*)\}/g, (all, name: string) => {
    const n = name.trim();
    if (n === 'activemq.conf') return confDir !== undefined ? '@conf' : '@node/conf';
    return NODE_PLACEHOLDERS.get(n) ?? all;
  });
  if (v.includes('${')) return undefined;
  if (v.startsWith('file:')) v = v.slice(5);
  if (v.startsWith('@conf')) return 'node:' + joinPath(confDir ?? root, v.slice(5));
  if (v.startsWith('@node')) return 'node:' + joinPath(root, v.slice(5));
  // Windows: a drive letter or a UNC share; those file systems ignore case
  const unc = /^(?:\\\\|\/\/)[^\\/]/.test(v);
  if (unc || /^[A-Za-z]:[\\/]/.test(v)) {
    const p = joinPath(v.replace(/\\/g, '/')).toLowerCase();
    return 'abs:' + (unc ? '//' : '/') + p;
  }
  if (v.startsWith('/')) return 'abs:' + '/' + joinPath(v);
  // relative paths resolve against the broker's working directory: node-local
  return 'node:' + joinPath(root, v);
}

// ---------------------------------------------------------------------------------------------
// building

export function buildModel(files: ParsedFiles, options: AnalysisOptions = {}): WorkspaceModel {
  const allBrokers = buildBrokers(files, options);
  const allZk = buildZkNodes(files, options);
  const brokers = allBrokers.filter((b) => !files.isTemplate(b.file));
  const zkNodes = allZk.filter((z) => !files.isTemplate(z.file));
  const templateBrokers = allBrokers.filter((b) => files.isTemplate(b.file));
  const templateZkNodes = allZk.filter((z) => files.isTemplate(z.file));
  for (const z of templateZkNodes) addZkListeners(z);
  const ensembles = buildEnsembles(zkNodes);
  assignServerIds(ensembles);
  shareEnsembleVersions(ensembles);
  for (const z of zkNodes) addZkListeners(z);
  const replicationCandidates = buildReplicationCandidates(brokers, ensembles);
  const groups = buildGroups(brokers, replicationCandidates);
  for (const split of splitSets(replicationCandidates)) {
    for (const b of split.members) {
      b.silent = { cause: splitCause(b), why: `its brokerName '${split.name}' forms a replication set of ${split.members.length} below the quorum of ${split.quorum}, so it never becomes master and never opens its connectors` };
    }
  }
  assignHosts(brokers, zkNodes, ensembles, replicationCandidates, groups, options, files);
  const hosts = new Map<string, Listener[]>();
  const all: Node[] = (brokers as Node[]).concat(zkNodes);
  for (let k = 0; k < all.length; k++) {
    const n = all[k];
    for (const l of n.listeners) {
      let arr = hosts.get(n.host);
      if (!arr) hosts.set(n.host, (arr = []));
      arr.push(l);
    }
  }
  const clientUrls: ClientUrlList[] = [];
  for (const [file, c] of files.clients) for (const url of c.urls) clientUrls.push({ file, url });
  return { options, files, brokers, zkNodes, templateBrokers, templateZkNodes, containers: files.containers, ensembles, replicationCandidates, groups, clientUrls, hosts };
}

function listener(
  node: Node,
  kind: ListenerKind,
  label: string,
  host: string | undefined,
  port: number,
  file: string,
  span: Span,
  implicit: boolean,
): Listener {
  const h = host ?? '0.0.0.0';
  return { node, kind, label, host: h, address: normalizeAddress(h), port, file, span, implicit };
}

function buildBrokers(files: ParsedFiles, options: AnalysisOptions): BrokerNode[] {
  const out: BrokerNode[] = [];
  files.activemq.forEach((config, file) => {
    const root = files.rootOf(file);
    const confDir = dirname(files.sourceOf(file));
    const b: BrokerNode = {
      type: 'broker',
      root,
      name: files.nameOf(file),
      file,
      config,
      listeners: [],
      host: '',
      hostEvidence: '',
    };
    const bn = config.broker?.brokerName;
    b.brokerNameAttr = bn;
    b.brokerName = bn ? (bn.placeholder ? undefined : bn.value.trim()) : config.broker ? 'localhost' : undefined;
    b.version = detectVersion(file, files, options);
    b.store = config.persistenceAdapters[0];
    if (b.store) {
      const dir = b.store.attrs.get('directory');
      if (dir) b.storeDir = resolveNodePath(dir.value, root, confDir);
      else if (b.store.kind === 'kahaDB' || b.store.kind === 'levelDB' || b.store.kind === 'replicatedLevelDB') {
        b.storeDir = 'node:' + joinPath(root, 'data', b.store.kind);
      }
    }
    // the web console's Spring file pulled in by <import resource="jetty.xml"/> (any name: the
    // imported file is a web console config when it configures the WebConsolePort bean)
    for (const imp of config.imports) {
      const v = imp.value.trim().replace(/^file:/, '').replace(/^classpath\*?:/, '');
      const candidates: string[] = [];
      if (v.includes('${')) {
        const resolved = resolveNodePath(v, root, confDir);
        if (resolved?.startsWith('node:')) candidates.push(resolved.slice(5));
      } else if (!v.startsWith('/')) {
        // relative to the importing file (for an embedded document: to its sibling documents too)
        candidates.push(joinPath(confDir, v));
        if (dirname(file) !== confDir) candidates.push(joinPath(dirname(file), v));
      }
      // a node rendered from templates imports what its role renders beside it
      const node = files.docs.get(file)?.node;
      if (node && !v.includes('${')) {
        const id = files.nodeDocByName(node.root, basename(v));
        if (id) candidates.unshift(id);
      }
      const path = candidates.find((p) => files.jetty.has(p));
      if (path) {
        b.jettyFile = path;
        b.jetty = files.jetty.get(path);
        break;
      }
    }
    addBrokerListeners(b);
    addModernWebConsole(b, files, root, confDir);
    out.push(b);
  });
  return out;
}

/**
 * The 6.3+ web console (model/webconsole.ts): the JettyServerBean of an imported jetty-spring.xml,
 * or, for an import of a jetty-spring.xml the repository does not hold (the shipped file), its
 * shipped settings, unless the broker's version is known to predate 6.3.
 */
function addModernWebConsole(b: BrokerNode, files: ParsedFiles, root: string, confDir: string): void {
  let bean: Parameters<typeof modernWebConsole>[2] | undefined;
  if (b.jetty?.serverBean && b.jettyFile) bean = { file: b.jettyFile, ...b.jetty.serverBean };
  else if (!b.jettyFile) {
    const imp = b.config.imports.find((i) => basename(i.value.trim()) === 'jetty-spring.xml');
    if (imp && !imp.placeholder && versionAtLeast(b.version, 6, 3) !== false) {
      bean = { file: b.file, span: imp.span, confDir: { value: '${activemq.conf}' }, xmlDir: { value: '${activemq.conf}/jetty' } };
    }
  }
  if (!bean) return;
  const resolve = (v: string): string | undefined => {
    const r = resolveNodePath(v, root, confDir);
    return r?.startsWith('node:') ? r.slice(5) : undefined;
  };
  const node = files.docs.get(b.file)?.node;
  const find = node ? (path: string) => files.nodeDocByName(node.root, basename(path)) : undefined;
  const web = modernWebConsole(files, resolve, bean, root, find);
  for (const l of web.listeners) b.listeners.push(listener(b, 'web', l.label, l.host, l.port, l.file, l.span, l.implicit));
  if (web.files.length) b.webFiles = web.files;
}

function addBrokerListeners(b: BrokerNode): void {
  const cfg = b.config;
  for (const t of cfg.transportConnectors) {
    const ep = t.parsed && !t.parsed.composite ? t.parsed.endpoints[0] : undefined;
    if (!ep || ep.hasPlaceholder || ep.port === undefined || !ep.portSpan || ep.port === 0) continue;
    if (ep.scheme === 'vm' || ep.scheme === 'mock') continue;
    b.listeners.push(listener(b, 'transport', t.name?.value ?? ep.scheme, ep.host, ep.port, b.file, ep.portSpan, false));
  }
  for (const pa of cfg.persistenceAdapters) {
    if (pa.kind !== 'replicatedLevelDB') continue;
    const bindAttr = pa.attrs.get('bind');
    if (!bindAttr) {
      b.listeners.push(listener(b, 'replication', 'bind (default)', '0.0.0.0', 61619, b.file, pa.nameSpan, true));
    } else {
      const ep = pa.bind?.endpoints[0];
      if (ep && !ep.hasPlaceholder && ep.port !== undefined && ep.portSpan && ep.port !== 0) {
        b.listeners.push(listener(b, 'replication', 'bind', ep.host, ep.port, b.file, ep.portSpan, false));
      }
    }
  }
  const mc = cfg.managementContext;
  if (mc) {
    const cc = mc.attrs.get('createConnector');
    const create = cc ? cc.value.trim() === 'true' : versionCreatesJmxByDefault(b.version);
    if (create) {
      const cp = mc.attrs.get('connectorPort');
      const host = mc.attrs.get('connectorHost');
      if (cp) {
        if (!cp.placeholder && /^\d+$/.test(cp.value.trim())) {
          const lead = cp.value.length - cp.value.trimStart().length;
          const digits = cp.value.trim();
          b.listeners.push(
            listener(b, 'jmx', 'JMX connectorPort', host && !host.placeholder ? '0.0.0.0' : '0.0.0.0', Number(digits), b.file, {
              start: cp.span.start + lead,
              end: cp.span.start + lead + digits.length,
            }, false),
          );
        }
      } else {
        b.listeners.push(listener(b, 'jmx', 'JMX connectorPort (default)', '0.0.0.0', 1099, b.file, mc.nameSpan, true));
      }
    }
  }
  if (b.jetty && b.jettyFile) {
    const j = b.jetty;
    const host = j.host && !j.host.placeholder ? j.host.value : j.host ? undefined : DEFAULT_WEB_HOST;
    if (host !== undefined) {
      if (j.port) {
        if (!j.port.placeholder && /^\d+$/.test(j.port.value)) {
          const raw = j.port;
          b.listeners.push(listener(b, 'web', 'web console', host, Number(raw.value), b.jettyFile, raw.span, false));
        }
      } else if (j.beanSpan) {
        b.listeners.push(listener(b, 'web', 'web console (default)', host, DEFAULT_WEB_PORT, b.jettyFile, j.beanSpan, true));
      }
    }
  }
}

/** `createConnector` defaulted to true from 5.12 to 5.15 (false since 5.16); unknown -> false. */
function versionCreatesJmxByDefault(version: string | undefined): boolean {
  const ge512 = versionAtLeast(version, 5, 12);
  const ge516 = versionAtLeast(version, 5, 16);
  return ge512 === true && ge516 === false;
}

/** zoo.cfg keys that only ZooKeeper 3.5+ reads: writing one says the file is meant for 3.5+. */
const FLOOR_35_KEYS = ['dynamicConfigFile', 'reconfigEnabled', 'standaloneEnabled', 'admin.enableServer', 'admin.serverPort', 'admin.serverAddress'];

function buildZkNodes(files: ParsedFiles, options: AnalysisOptions): ZkNode[] {
  const out: ZkNode[] = [];
  files.zoocfg.forEach((config, file) => {
    const root = files.rootOf(file);
    const z: ZkNode = {
      type: 'zk',
      root,
      name: files.nameOf(file),
      file,
      config,
      listeners: [],
      host: '',
      hostEvidence: '',
      serverIdInferred: false,
      // what holds the config tells first (an image tag of the container that runs it)
      version: files.docs.get(file)?.versions?.zookeeper
        ? { text: files.docs.get(file)!.versions!.zookeeper!, evidence: `its image ${files.docs.get(file)!.node?.name ?? ''}`.trim() }
        : detectZkVersion(nodeRootOf(files.sourceOf(file)), files.sourceOf(file), files, options),
    };
    if (!z.version.text) {
      // 3.5+ syntax: a server line with a ";client" part (3.4 fails on it), or keys only 3.5+ reads
      const own = config.servers.find((s) => s.clientPortSpan && !s.error);
      const key = FLOOR_35_KEYS.find((k) => config.byKey.has(k));
      if (own) z.version = { floor: '3.5', evidence: `server.${own.idText} has a ";" client part, which needs 3.5+` };
      else if (key) z.version = { floor: '3.5', evidence: `it sets ${key}, which only 3.5+ reads` };
    }
    if (!files.isTemplate(file)) {
      z.dynamicFile = files.docs.get(file)?.dynamicFile;
      const next = files.sourceOf(file) + '.dynamic.next';
      if (files.zoodynamic.has(next)) z.nextDynamicFile = next;
      const dataDir = config.byKey.get('dataDir')?.value;
      const found = findMyId(files, file, root, dataDir);
      if (found) {
        z.myidFile = found.path;
        z.myid = files.myid.get(found.path);
      }
      z.expectedMyidPath = found?.path ?? (root === nodeRootOf(files.sourceOf(file)) && !files.docs.get(file)?.node ? expectedMyIdPath(root, dataDir) : undefined);
      if (z.myid?.id !== undefined) z.serverId = z.myid.id;
    }
    out.push(z);
  });
  inferMyIdLocations(files, out);
  return out;
}

/** Where `<dataDir>/myid` lands inside the node folder. */
export function expectedMyIdPath(root: string, dataDir: string | undefined): string | undefined {
  const comps = dataDirComponents(dataDir);
  if (!comps || comps.length === 0) return undefined;
  const rootName = basename(root);
  const idx = rootName ? comps.lastIndexOf(rootName) : -1;
  const rel = idx >= 0 ? comps.slice(idx + 1) : comps.slice(-1);
  // a '..' would map the data folder out of the node (into a sibling, or out of the workspace)
  if (rel.includes('..')) return undefined;
  return joinPath(root, ...rel, 'myid');
}

/** dataDir as path components (drive letter dropped); undefined when unknown. */
function dataDirComponents(dataDir: string | undefined): readonly string[] | undefined {
  if (!dataDir) return undefined;
  if (dataDir.includes('${')) return undefined;
  // asked several times per server (its myid, a sibling's mapping): split once per value
  let c = DATA_DIR_COMPONENTS.get(dataDir);
  if (!c) {
    if (DATA_DIR_COMPONENTS.size > 100_000) DATA_DIR_COMPONENTS.clear();
    c = dataDir
      .trim()
      .replace(/\\/g, '/')
      .replace(/^[A-Za-z]:/, '')
      .split('/')
      .filter((x) => x && x !== '.');
    DATA_DIR_COMPONENTS.set(dataDir, c);
  }
  return c;
}

const DATA_DIR_COMPONENTS = new Map<string, readonly string[]>();

/** How many trailing folder names of a myid path equal the trailing components of dataDir. */
function suffixScore(myidPath: string, comps: readonly string[]): number {
  const dirs = dirname(myidPath).split('/').filter(Boolean);
  let k = 0;
  while (k < dirs.length && k < comps.length && dirs[dirs.length - 1 - k] === comps[comps.length - 1 - k]) k++;
  return k;
}

function commonPrefixLength(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let k = 0;
  while (k < x.length && k < y.length && x[k] === y[k]) k++;
  return k;
}

/**
 * The myid a ZooKeeper server reads: `<dataDir>/myid` mapped into the repository. In the
 * tutorials' layout the node folder holds one myid. Otherwise the myid whose folders are the
 * longest suffix of dataDir (`/opt/zk/data/zk1` -> `data/zk1/myid`), nearest to the config file,
 * and never one inside another server's node folder.
 */
function findMyId(files: ParsedFiles, file: string, root: string, dataDir: string | undefined): { path: string; score: number } | undefined {
  // a node a container or a renderer defines has its myid document beside it (the same node root)
  const node = files.docs.get(file)?.node;
  if (node) {
    const p = files.myidByNode.get(node.root);
    return p ? { path: p, score: 0 } : undefined;
  }
  const source = files.sourceOf(file);
  const folder = nodeRootOf(source);
  const ownFolder = root === folder && !files.docs.get(file)?.node;
  const shared = (files.zkFolderCounts().get(folder) ?? 0) > 1;
  const inRoot = ownFolder ? files.myidByRoot.get(root) ?? [] : [];
  if (inRoot.length === 1 && !shared) return { path: inRoot[0], score: 0 };
  const comps = dataDirComponents(dataDir);
  if (!comps || comps.length === 0) return undefined;
  let best: { path: string; score: number; near: number } | undefined;
  // only myids in no node folder, or in this node's: those of other servers are never its own
  for (const p of files.myidsByParentNameOwnedBy(comps[comps.length - 1], [root, folder])) {
    const score = suffixScore(p, comps);
    if (score === 0) continue;
    // a short match (`data/myid`) only counts inside the node's own folder
    if (score < 2 && !(folder === '' || p.startsWith(folder + '/'))) continue;
    const near = commonPrefixLength(dirname(p), dirname(source));
    if (!best || score > best.score || (score === best.score && near > best.near)) best = { path: p, score, near };
  }
  return best;
}

/**
 * For a server of a shared folder whose myid is not in the repository, where it would be: the
 * mapping of a sibling's dataDir into the repository applied to this server's dataDir.
 */
function inferMyIdLocations(files: ParsedFiles, nodes: ZkNode[]): void {
  const mappings: { folder: string; dataPrefix: string[]; repoPrefix: string }[] = [];
  for (const z of nodes) {
    if (!z.myidFile) continue;
    const comps = dataDirComponents(z.config.byKey.get('dataDir')?.value);
    if (!comps) continue;
    const k = suffixScore(z.myidFile, comps);
    if (k < 1) continue;
    const dirs = dirname(z.myidFile).split('/').filter(Boolean);
    mappings.push({ folder: nodeRootOf(files.sourceOf(z.file)), dataPrefix: comps.slice(0, comps.length - k), repoPrefix: dirs.slice(0, dirs.length - k).join('/') });
  }
  for (const z of nodes) {
    if (z.myidFile || z.expectedMyidPath || files.isTemplate(z.file)) continue;
    const comps = dataDirComponents(z.config.byKey.get('dataDir')?.value);
    if (!comps) continue;
    const folder = nodeRootOf(files.sourceOf(z.file));
    for (const m of mappings) {
      if (m.folder !== folder) continue;
      if (comps.length <= m.dataPrefix.length || m.dataPrefix.some((c, i) => comps[i] !== c)) continue;
      z.expectedMyidPath = joinPath(m.repoPrefix, ...comps.slice(m.dataPrefix.length), 'myid');
      break;
    }
  }
}

function serverKey(s: ZooServer): string[] {
  const keys: string[] = [];
  for (const a of s.addresses) {
    if (a.quorumPort !== undefined) keys.push(`${s.id}|${normalizeAddress(a.host).key}|${a.quorumPort}`);
  }
  return keys;
}

function buildEnsembles(zkNodes: ZkNode[]): Ensemble[] {
  const uf = new UnionFind();
  // one key string per node (a new concatenation per lookup is flattened and hashed each time)
  const ids = zkNodes.map((z) => 'node:' + z.file);
  for (let i = 0; i < zkNodes.length; i++) {
    const z = zkNodes[i];
    uf.find(ids[i]);
    for (const s of z.config.servers) {
      if (s.id === undefined) continue;
      for (const k of serverKey(s)) uf.union(ids[i], 'srv:' + k);
    }
  }
  const byRoot = new Map<string, ZkNode[]>();
  for (let i = 0; i < zkNodes.length; i++) {
    const z = zkNodes[i];
    const r = uf.find(ids[i]);
    let arr = byRoot.get(r);
    if (!arr) byRoot.set(r, (arr = []));
    arr.push(z);
  }
  const out: Ensemble[] = [];
  for (const members of byRoot.values()) {
    members.sort((a, b) => (a.file < b.file ? -1 : 1));
    const counts = members.map((m) => m.config.servers.filter((s) => s.role === 'participant').length);
    counts.sort((a, b) => a - b);
    const e: Ensemble = { id: `ensemble:${members[0].file}`, members, participants: counts[Math.floor(counts.length / 2)] ?? 0 };
    for (const m of members) m.ensemble = e;
    out.push(e);
  }
  return out;
}

/**
 * The servers of one ensemble run one ZooKeeper version: a member without evidence of its own
 * takes the version its siblings show, when they all show the same.
 */
function shareEnsembleVersions(ensembles: Ensemble[]): void {
  for (const e of ensembles) {
    const known = e.members.filter((m) => m.version.text);
    if (known.length === 0 || known.length === e.members.length) continue;
    const texts = new Set(known.map((m) => m.version.text));
    if (texts.size !== 1) continue;
    const from = known[0];
    for (const m of e.members) {
      if (m.version.text) continue;
      m.version = { text: from.version.text, evidence: `like its ensemble sibling ${from.name}: ${from.version.evidence}` };
    }
  }
}

/** When exactly one member lacks a usable myid and exactly one server id is unclaimed, that is its id. */
function assignServerIds(ensembles: Ensemble[]): void {
  for (const e of ensembles) {
    const missing = e.members.filter((m) => m.serverId === undefined);
    if (missing.length !== 1) continue;
    const ids = new Set<number>();
    for (const m of e.members) for (const s of m.config.servers) if (s.id !== undefined) ids.add(s.id);
    for (const m of e.members) if (m.serverId !== undefined) ids.delete(m.serverId);
    if (ids.size === 1) {
      missing[0].serverId = [...ids][0];
      missing[0].serverIdInferred = true;
    }
  }
}

/** ownServer's answer per node and server id (asked for every connect-string entry and host key) */
const OWN_SERVER = new WeakMap<ZkNode, { id: number; server: ZooServer | undefined }>();

export function ownServer(z: ZkNode): ZooServer | undefined {
  if (z.serverId === undefined) return undefined;
  const hit = OWN_SERVER.get(z);
  if (hit && hit.id === z.serverId) return hit.server;
  const server = z.config.servers.find((s) => s.id === z.serverId);
  OWN_SERVER.set(z, { id: z.serverId, server });
  return server;
}

export function isDistributed(z: ZkNode): boolean {
  const servers = z.config.servers;
  const participants = servers.filter((s) => s.role === 'participant').length;
  const observers = servers.length - participants;
  const standaloneEnabled = z.config.byKey.get('standaloneEnabled')?.value !== 'false';
  if (participants <= 1 && observers === 0 && standaloneEnabled) return false;
  return servers.length > 0;
}

function intValue(text: string): number | undefined {
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function addZkListeners(z: ZkNode): void {
  const cfg = z.config;
  const own = ownServer(z);
  const cp = cfg.byKey.get('clientPort');
  const cpa = cfg.byKey.get('clientPortAddress');
  const cpPort = cp ? intValue(cp.value) : undefined;
  if (cp && cpPort !== undefined && cpPort !== 0 && !cp.value.includes('${')) {
    const lead = 0;
    z.listeners.push(
      listener(z, 'zk-client', 'clientPort', cpa?.value || '0.0.0.0', cpPort, z.file, {
        start: cp.valueSpan.start + lead,
        end: cp.valueSpan.start + lead + cp.value.length,
      }, false),
    );
  } else if (own && own.clientPort !== undefined && own.clientPortSpan) {
    z.listeners.push(listener(z, 'zk-client', `server.${own.idText} client port`, own.clientHost ?? '0.0.0.0', own.clientPort, z.file, own.clientPortSpan, false));
  }
  const scp = cfg.byKey.get('secureClientPort');
  const scpPort = scp ? intValue(scp.value) : undefined;
  if (scp && scpPort) {
    z.listeners.push(
      listener(z, 'zk-secure-client', 'secureClientPort', cfg.byKey.get('secureClientPortAddress')?.value || '0.0.0.0', scpPort, z.file, {
        start: scp.valueSpan.start,
        end: scp.valueSpan.start + scp.value.length,
      }, false),
    );
  }
  if (own && isDistributed(z)) {
    const allIPs = cfg.byKey.get('quorumListenOnAllIPs')?.value === 'true';
    for (const a of own.addresses) {
      const host = allIPs ? '0.0.0.0' : a.host;
      if (a.quorumPort !== undefined && a.quorumPortSpan) {
        z.listeners.push(listener(z, 'zk-quorum', `server.${own.idText} quorum port`, host, a.quorumPort, z.file, a.quorumPortSpan, false));
      }
      if (a.electionPort !== undefined && a.electionPortSpan) {
        z.listeners.push(listener(z, 'zk-election', `server.${own.idText} election port`, host, a.electionPort, z.file, a.electionPortSpan, false));
      }
    }
  }
  // the AdminServer (3.5+) listens unless disabled; ZooKeeper 3.4 has none (admin.* keys are
  // only JVM properties there). Its default port counts only where the version is known to have it.
  const hasAdmin = zkAtLeast(z.version, 3, 5);
  const enable = cfg.byKey.get('admin.enableServer');
  if (hasAdmin !== false && enable?.value !== 'false') {
    const ap = cfg.byKey.get('admin.serverPort');
    const addr = cfg.byKey.get('admin.serverAddress')?.value || '0.0.0.0';
    const apPort = ap ? intValue(ap.value) : undefined;
    if (ap && apPort !== undefined) {
      if (apPort !== 0) {
        z.listeners.push(listener(z, 'zk-admin', 'admin.serverPort', addr, apPort, z.file, {
          start: ap.valueSpan.start,
          end: ap.valueSpan.start + ap.value.length,
        }, false));
      }
    } else if (!ap && hasAdmin === true && (cfg.entries.length > 0 || enable)) {
      // no line holds the default: anchored on admin.enableServer when written, else on the file's first setting
      const anchor = enable?.keySpan ?? cfg.entries[0].keySpan;
      z.listeners.push(listener(z, 'zk-admin', 'admin.serverPort (default 8080)', addr, 8080, z.file, anchor, true));
    }
  }
}

/** The member of an ensemble a connect-string entry reaches, if any. */
export function matchZkEntry(entry: ZkAddressEntry, e: Ensemble): ZkNode | undefined {
  let best: ZkNode | undefined;
  let bestScore = 0;
  const a = normalizeAddress(entry.host);
  for (const m of e.members) {
    const sc = zkEntryScore(entry, m, a);
    if (sc > bestScore) {
      best = m;
      bestScore = sc;
    }
  }
  return best;
}

/** 2: the entry names this member's own server host and client port; 1: compatible (loopback, unknown); 0: no. */
export function zkEntryScore(entry: ZkAddressEntry, m: ZkNode, entryAddress?: NormalizedAddress): 0 | 1 | 2 {
  let listens = false;
  for (let k = 0; k < m.listeners.length; k++) if (m.listeners[k].kind === 'zk-client' && m.listeners[k].port === entry.port) listens = true;
  if (!listens) return 0;
  const a = entryAddress ?? normalizeAddress(entry.host);
  const own = ownServer(m);
  if (!own || own.addresses.length === 0) return 1;
  let score: 0 | 1 | 2 = 0;
  for (let k = 0; k < own.addresses.length; k++) {
    const b = normalizeAddress(own.addresses[k].host);
    if (a.key === b.key) return 2;
    if (a.cls === 'loopback' || a.cls === 'wildcard' || b.cls === 'loopback' || b.cls === 'wildcard') score = 1;
    else if (a.cls === 'name' && b.cls === 'name') {
      // aliases such as zk1 and zk1.example.org
      if (a.key.startsWith(b.key + '.') || b.key.startsWith(a.key + '.')) score = 1;
    } else if (a.cls === 'name' || b.cls === 'name') score = 1; // a name may resolve to that IP
  }
  return score;
}

interface EnsembleIndex {
  /** client port -> ensembles with a member listening there */
  byPort: Map<number, Ensemble[]>;
  /** `host:port` (a member's own server host) -> ensembles */
  exact: Map<string, Ensemble[]>;
}
/** The index rides on the model's ensemble list itself (built once per list, no module state). */
const ENSEMBLE_INDEX = Symbol('ensembleIndex');
type IndexedEnsembles = Ensemble[] & { [ENSEMBLE_INDEX]?: EnsembleIndex };

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  let arr = m.get(k);
  if (!arr) m.set(k, (arr = []));
  if (!arr.includes(v)) arr.push(v);
}

/** Ensembles by the client ports their members listen on, and by exact host:port. */
function ensembleIndex(ensembles: Ensemble[]): EnsembleIndex {
  let idx = (ensembles as IndexedEnsembles)[ENSEMBLE_INDEX];
  if (!idx) {
    idx = { byPort: new Map(), exact: new Map() };
    for (const e of ensembles) {
      for (const m of e.members) {
        const own = ownServer(m);
        for (const l of m.listeners) {
          if (l.kind !== 'zk-client') continue;
          push(idx.byPort, l.port, e);
          for (const a of own?.addresses ?? []) push(idx.exact, `${normalizeAddress(a.host).key}:${l.port}`, e);
        }
      }
    }
    Object.defineProperty(ensembles, ENSEMBLE_INDEX, { value: idx, enumerable: false });
  }
  return idx;
}

/**
 * Which ensemble a connect string talks to: the one whose members the entries name exactly most
 * often, then the one most entries are compatible with. `matched` counts the compatible entries.
 */
/**
 * bestEnsembleFor's answers per model (its ensemble list) and connect string: the model and the
 * rules ask about the same lists. Keyed by the ensemble list first, so that nothing keeps a model
 * alive: a parsed connect string outlives the analyses of the language server.
 */
const BEST_ENSEMBLE = new WeakMap<Ensemble[], WeakMap<ZkAddressEntry[], { ensemble?: Ensemble; matched: number }>>();

export function bestEnsembleFor(entries: ZkAddressEntry[], ensembles: Ensemble[]): { ensemble?: Ensemble; matched: number } {
  let memo = BEST_ENSEMBLE.get(ensembles);
  if (!memo) BEST_ENSEMBLE.set(ensembles, (memo = new WeakMap()));
  let result = memo.get(entries);
  if (!result) memo.set(entries, (result = findBestEnsemble(entries, ensembles)));
  return result;
}

function findBestEnsemble(entries: ZkAddressEntry[], ensembles: Ensemble[]): { ensemble?: Ensemble; matched: number } {
  let best: Ensemble | undefined;
  let bestExact = 0;
  let bestCount = 0;
  const idx = ensembleIndex(ensembles);
  // an ensemble an entry names exactly always beats one it is merely compatible with
  // (index loops: this runs for every broker, mostly before the code is optimised)
  const seen = new Set<Ensemble>();
  const candidates: Ensemble[] = [];
  const add = (list: Ensemble[] | undefined): void => {
    if (!list) return;
    for (let k = 0; k < list.length; k++) {
      if (seen.has(list[k])) continue;
      seen.add(list[k]);
      candidates.push(list[k]);
    }
  };
  for (let i = 0; i < entries.length; i++) if (!entries[i].placeholder) add(idx.exact.get(`${normalizeAddress(entries[i].host).key}:${entries[i].port}`));
  if (candidates.length === 0) for (let i = 0; i < entries.length; i++) add(idx.byPort.get(entries[i].port));
  for (let c = 0; c < candidates.length; c++) {
    const e = candidates[c];
    let exact = 0;
    let count = 0;
    for (let i = 0; i < entries.length; i++) {
      const en = entries[i];
      if (en.placeholder) continue;
      const a = normalizeAddress(en.host);
      let sc = 0;
      for (let k = 0; k < e.members.length; k++) sc = Math.max(sc, zkEntryScore(en, e.members[k], a));
      if (sc > 0) count++;
      if (sc === 2) exact++;
    }
    if (exact > bestExact || (exact === bestExact && count > bestCount)) {
      best = e;
      bestExact = exact;
      bestCount = count;
    }
  }
  return { ensemble: best, matched: bestCount };
}

function buildReplicationCandidates(brokers: BrokerNode[], ensembles: Ensemble[]): ReplicationCandidate[] {
  const map = new Map<string, ReplicationCandidate>();
  for (const b of brokers) {
    const pa = b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB');
    if (!pa) continue;
    const zkAttr = pa.attrs.get('zkAddress');
    const zkPathAttr = pa.attrs.get('zkPath');
    if (zkAttr?.placeholder || zkPathAttr?.placeholder) continue;
    const entries = pa.zkAddress ?? [{ host: '127.0.0.1', port: 2181, hostSpan: pa.nameSpan, span: pa.nameSpan, placeholder: false }];
    const { ensemble } = bestEnsembleFor(entries, ensembles);
    const ensembleKey = ensemble
      ? ensemble.id
      : 'zk:' + entries.map((e) => `${normalizeAddress(e.host).key}:${e.port}`).sort().join(',');
    const zkPath = (zkPathAttr?.value ?? '/default').trim();
    const key = ensembleKey + '|' + zkPath;
    let c = map.get(key);
    if (!c) map.set(key, (c = { ensembleKey, ensemble, zkPath, members: [] }));
    c.members.push(b);
  }
  return [...map.values()];
}

function buildGroups(brokers: BrokerNode[], candidates: ReplicationCandidate[]): MasterSlaveGroup[] {
  const groups: MasterSlaveGroup[] = [];
  for (const c of candidates) {
    const byName = new Map<string, BrokerNode[]>();
    for (const b of c.members) {
      const name = b.brokerName ?? '\u0000unknown:' + b.file;
      let arr = byName.get(name);
      if (!arr) byName.set(name, (arr = []));
      arr.push(b);
    }
    for (const [name, members] of byName) {
      groups.push({ kind: 'replicated-leveldb', key: `${c.ensembleKey}|${c.zkPath}|${name}`, members });
    }
  }
  // shared file system: the same absolute store directory
  const byDir = new Map<string, BrokerNode[]>();
  for (const b of brokers) {
    if (!b.store || b.store.kind === 'replicatedLevelDB' || b.store.kind === 'jdbcPersistenceAdapter') continue;
    if (!b.storeDir || !b.storeDir.startsWith('abs:')) continue;
    let arr = byDir.get(b.storeDir);
    if (!arr) byDir.set(b.storeDir, (arr = []));
    arr.push(b);
  }
  for (const [dir, members] of byDir) if (members.length > 1) groups.push({ kind: 'shared-file', key: dir, members });
  // JDBC master/slave: brokers under one parent folder using the same dataSource reference
  const byDs = new Map<string, BrokerNode[]>();
  for (const b of brokers) {
    const pa = b.config.persistenceAdapters.find((p) => p.kind === 'jdbcPersistenceAdapter');
    if (!pa) continue;
    const ds = pa.attrs.get('dataSource')?.value ?? '#default';
    const key = dirname(b.root) + '|' + ds;
    let arr = byDs.get(key);
    if (!arr) byDs.set(key, (arr = []));
    arr.push(b);
  }
  for (const [key, members] of byDs) if (members.length > 1) groups.push({ kind: 'jdbc', key, members });
  for (const g of groups) for (const m of g.members) if (!m.group) m.group = g;
  return groups;
}

// ---------------------------------------------------------------------------------------------
// hosts

function explicitBrokerHostKeys(b: BrokerNode): string[] {
  const keys: string[] = [];
  for (const pa of b.config.persistenceAdapters) {
    const hn = pa.kind === 'replicatedLevelDB' ? pa.attrs.get('hostname') : undefined;
    if (hn && !hn.placeholder && hn.value.trim()) {
      const a = normalizeAddress(hn.value);
      if (a.cls !== 'loopback' && a.cls !== 'wildcard') keys.push('addr:' + a.key);
    }
  }
  for (const l of b.listeners) {
    if (l.address.cls === 'ip' || l.address.cls === 'name') keys.push('addr:' + l.address.key);
  }
  return keys;
}

function assignHosts(
  brokers: BrokerNode[],
  zkNodes: ZkNode[],
  ensembles: Ensemble[],
  candidates: ReplicationCandidate[],
  groups: MasterSlaveGroup[],
  options: AnalysisOptions,
  files: ParsedFiles,
): void {
  const uf = new UnionFind();
  const keysOf = new Map<Node, string[]>();
  const evidence = new Map<Node, string>();
  // a container's network namespace is its host, whatever else its files say
  const fixed = new Set<Node>();
  const add = (n: Node, key: string, why: string) => {
    if (fixed.has(n)) return;
    let arr = keysOf.get(n);
    if (!arr) keysOf.set(n, (arr = []));
    arr.push(key);
    if (!evidence.has(n)) evidence.set(n, why);
  };
  // a host the definition of the node names (an inventory's ansible_host, a compose service) is
  // where the process runs: the node's own addresses do not move it elsewhere
  const named = new Set<Node>();
  const all: Node[] = (brokers as Node[]).concat(zkNodes);
  for (let k = 0; k < all.length; k++) {
    const n = all[k];
    const m = settingValue(options.hostMap, n.root);
    if (typeof m === 'string' && m) add(n, 'addr:' + normalizeAddress(m).key, `host mapping setting (${m})`);
    // what holds the node says where it runs: a container's network namespace (only that), or the
    // host its definition names (an inventory host, a compose service's address)
    const held = files.docs.get(n.file)?.node;
    if (held?.filesystem) n.filesystem = held.filesystem;
    if (held?.hostKey) {
      add(n, 'key:' + held.hostKey, held.hostKey.startsWith('ctr:') ? `container ${held.name} (a network namespace of its own)` : held.hostKey.startsWith('pod:') ? `pod ${held.name} (a network namespace of its own)` : `the machine of ${held.name}`);
      named.add(n);
      fixed.add(n);
    } else {
      const k = containerHostKey(files, n);
      if (k) {
        add(n, k.key, k.why);
        named.add(n);
      }
    }
  }
  for (const b of brokers) {
    if (named.has(b)) continue;
    // (the evidence text counts for a node's first key only: not worded for the others)
    for (const k of explicitBrokerHostKeys(b)) add(b, k, evidence.has(b) ? '' : `listen address / replicatedLevelDB hostname (${k.slice(5)})`);
  }
  // ZooKeeper: the host of this server's own server.N line
  const ensembleLoopback = new Map<Ensemble, boolean>();
  for (const e of ensembles) {
    let all = e.members.length > 0;
    let any = false;
    for (const m of e.members) {
      for (const s of m.config.servers) {
        for (const a of s.addresses) {
          any = true;
          if (normalizeAddress(a.host).cls !== 'loopback') all = false;
        }
      }
    }
    ensembleLoopback.set(e, all && any);
  }
  for (const z of zkNodes) {
    const e = z.ensemble!;
    if (named.has(z)) continue;
    if (ensembleLoopback.get(e)) {
      add(z, 'loop:' + e.id, 'every server.N line of its ensemble is a loopback address');
      continue;
    }
    const own = ownServer(z);
    if (own) {
      for (const a of own.addresses) {
        const na = normalizeAddress(a.host);
        if (na.cls === 'ip' || na.cls === 'name') add(z, 'addr:' + na.key, `its server.${own.idText} line (${a.host})`);
      }
    }
  }
  // brokers whose zkAddress is all-loopback run on the machine of a loopback ensemble
  for (const c of candidates) {
    if (!c.ensemble || !ensembleLoopback.get(c.ensemble)) continue;
    for (const b of c.members) {
      if (named.has(b)) continue;
      const pa = b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB');
      const entries = pa?.zkAddress ?? [];
      if (entries.length > 0 && entries.every((e) => normalizeAddress(e.host).cls === 'loopback')) {
        add(b, 'loop:' + c.ensemble.id, 'its zkAddress reaches the ensemble over loopback');
      }
    }
  }
  // a network connector that reaches another broker over loopback: both run on one machine
  const loopTargets = new Map<number, BrokerNode[]>();
  for (const b of brokers) {
    for (const l of b.listeners) {
      if (l.kind !== 'transport' || (l.address.cls !== 'wildcard' && l.address.cls !== 'loopback')) continue;
      let arr = loopTargets.get(l.port);
      if (!arr) loopTargets.set(l.port, (arr = []));
      if (!arr.includes(b)) arr.push(b);
    }
  }
  for (const b of brokers) {
    for (const nc of b.config.networkConnectors) {
      for (const ep of nc.parsed?.endpoints ?? []) {
        if (ep.hasPlaceholder || ep.port === undefined || normalizeAddress(ep.host).cls !== 'loopback') continue;
        const targets = (loopTargets.get(ep.port) ?? []).filter((o) => o !== b);
        // one broker, or the members of one master/slave group (whichever is master answers)
        const groupsOf = new Set(targets.map((o) => o.group ?? o));
        if (targets.length === 0 || groupsOf.size !== 1) continue;
        const key = `ncloop:${b.file}:${ep.port}`;
        add(b, key, `its network connector reaches ${targets.map((o) => o.name).join(' / ')} over loopback`);
        for (const o of targets) add(o, key, `${b.name}'s network connector reaches it over loopback`);
      }
    }
  }
  keysOf.forEach((keys, n) => {
    const id = 'n:' + n.file;
    uf.find(id);
    for (let k = 0; k < keys.length; k++) uf.union(id, keys[k]);
  });
  const unassigned: Node[] = [];
  for (let k = 0; k < all.length; k++) {
    const n = all[k];
    if (keysOf.has(n)) {
      n.host = 'host:' + uf.find('n:' + n.file);
      n.hostEvidence = evidence.get(n) ?? '';
    } else {
      unassigned.push(n);
    }
  }
  // alternative configurations of one folder (`activemq-jdbc.xml` beside `activemq-demo.xml`) are
  // never started side by side: each is a machine of its own unless a file says otherwise
  const alternatives = unassigned.filter((n) => files.isAlternative(n.file));
  for (const n of alternatives) {
    n.host = 'own:' + n.file;
    n.hostEvidence = 'an alternative configuration of its folder, not started alongside the others';
  }
  inferHosts(
    unassigned.filter((n) => !files.isAlternative(n.file)),
    groups,
    candidates,
  );
}

/**
 * The host a container or renderer names for a node (`DocSpec.node.host`: an Ansible inventory
 * host's `ansible_host`, a compose service): explicit evidence. Loopback names the machine of
 * whatever defines the nodes (one inventory, one compose file), never a wildcard.
 */
function containerHostKey(files: ParsedFiles, n: Node): { key: string; why: string } | undefined {
  const host = files.docs.get(n.file)?.node?.host;
  if (!host) return undefined;
  const a = normalizeAddress(host);
  if (a.cls === 'wildcard') return undefined;
  if (a.cls === 'loopback') return { key: 'loop:' + dirname(n.root), why: `its host ${host}, named by its definition (loopback: the machine of that inventory or compose file)` };
  return { key: 'addr:' + a.key, why: `its host ${host}, named by its definition (an inventory, a compose service)` };
}

/** A listener's identity across copies of one config, e.g. `transport:openwire`. */
function profileKey(l: Listener): string {
  return l.implicit ? '' : `${l.kind}:${l.label}`;
}

/**
 * Nodes with no explicit host evidence: nodes of one cluster whose port sets are identical are
 * copies of one config on separate machines; nodes whose ports were deliberately offset share a host.
 */
function inferHosts(nodes: Node[], groups: MasterSlaveGroup[], candidates: ReplicationCandidate[]): void {
  const candidateOf = new Map<BrokerNode, ReplicationCandidate>();
  for (const c of candidates) for (const m of c.members) if (!candidateOf.has(m)) candidateOf.set(m, c);
  // cluster of each node: ensemble / replication candidate / group, else parent folder + type
  const clusterOf = (n: Node): string => {
    if (n.type === 'zk') return 'zk:' + (n.ensemble?.id ?? n.file);
    const cand = candidateOf.get(n as BrokerNode);
    if (cand) return 'rep:' + cand.ensembleKey + '|' + cand.zkPath;
    if (n.group) return 'grp:' + n.group.key;
    void groups;
    return 'dir:' + dirname(n.root);
  };
  const clusters = new Map<string, Node[]>();
  for (const n of nodes) {
    const k = clusterOf(n);
    let arr = clusters.get(k);
    if (!arr) clusters.set(k, (arr = []));
    arr.push(n);
  }
  for (const [key, members] of clusters) {
    if (members.length < 2) {
      for (const m of members) {
        m.host = 'own:' + m.file;
        m.hostEvidence = 'no host information; assumed to be its own machine';
      }
      continue;
    }
    const shared = portsLookOffset(members);
    for (const m of members) {
      if (shared) {
        m.host = 'inferred:' + key;
        m.hostEvidence = 'inferred: its cluster siblings use deliberately offset ports, as on one machine';
      } else {
        m.host = 'own:' + m.file;
        m.hostEvidence = 'inferred: its cluster siblings repeat the same ports, as copies on separate machines';
      }
    }
  }
}

export function portsLookOffset(members: Node[]): boolean {
  const perKind = new Map<string, number[]>();
  for (const m of members) {
    const seen = new Set<string>();
    for (const l of m.listeners) {
      const k = profileKey(l);
      if (!k || seen.has(k)) continue;
      seen.add(k);
      let arr = perKind.get(k);
      if (!arr) perKind.set(k, (arr = []));
      arr.push(l.port);
    }
  }
  let offset = 0;
  let equal = 0;
  for (const ports of perKind.values()) {
    if (ports.length !== members.length) continue;
    const distinct = new Set(ports).size;
    if (distinct === ports.length) offset++;
    else if (distinct === 1) equal++;
  }
  return offset > 0 && offset >= equal;
}

