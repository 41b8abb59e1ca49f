/**
 * Incremental analysis: an edit costs O(its cluster), not O(workspace).
 *
 * After a full analysis the files are partitioned into components: files that can influence each
 * other's findings (one node's files, nodes sharing a host, an ensemble's members, a replication
 * set, a shared store, the brokers a client URL or a zkAddress names). Relations are expressed as
 * keys: `link` keys join every file holding them; `provide`/`consume` keys join each consumer with
 * the providers (so brokers that all listen on 61616 are not joined with each other, only with the
 * client URL that names that port). An edit re-analyses only its component(s); if the edited files'
 * new keys reach outside the component, the analysis falls back to the whole workspace.
 */
import type { AnalysisOptions, Finding, Span } from './types';
import { analyze, type AnalysisResult, type DocumentMemo, type InternalError } from './analyze';
import { ParseCache, type NodeFamily } from './model/parsed';
import { classify, dirname } from './model/files';
import { isContextSource, isRelevant, isScript } from './sources/recognize';
import { bestEnsembleFor, type WorkspaceModel } from './model/workspace';
import type { ActiveMqConfig } from './parse/activemq';
import type { JettyConfig } from './parse/jetty';
import { normalizeAddress } from './model/address';
import { UnionFind } from './model/unionfind';

type Mode = 'link' | 'provide' | 'consume';
type Keys = Map<string, [string, Mode][]>;

function add(keys: Keys, file: string | undefined, key: string, mode: Mode): void {
  if (!file) return;
  let arr = keys.get(file);
  if (!arr) keys.set(file, (arr = []));
  // a file holds a key once (a few dozen keys per file: a scan is cheaper than a set)
  else if (arr.some(([k, m]) => k === key && m === mode)) return;
  arr.push([key, mode]);
}

/**
 * The relation keys of every source file of a model: a document's keys belong to its file and to
 * the files it is assembled from (a rendered template's inventory and vars files, a zoo.cfg's
 * dynamic file), so that those are re-analysed with it.
 */
export function relationKeys(model: WorkspaceModel): Keys {
  const byDoc = documentKeys(model);
  const keys: Keys = new Map();
  for (const [doc, ks] of byDoc) {
    const d = model.files.docs.get(doc);
    const sources = [model.files.sourceOf(doc), ...(d?.inputs ?? [])];
    for (const source of sources) for (const [k, mode] of ks) add(keys, source, k, mode);
  }
  return keys;
}

function documentKeys(model: WorkspaceModel): Keys {
  const keys: Keys = new Map();
  for (const z of model.zkNodes) {
    const files = [z.file, z.myidFile, z.dynamicFile, z.nextDynamicFile];
    const both = (key: string, mode: Mode) => files.forEach((f) => add(keys, f, key, mode));
    both('node:' + z.root, 'link');
    if (z.ensemble) both('ens:' + z.ensemble.id, 'link');
    for (const s of z.config.servers) {
      if (s.id === undefined) continue;
      for (const a of s.addresses) if (a.quorumPort !== undefined) both(`srv:${s.id}|${normalizeAddress(a.host).key}|${a.quorumPort}`, 'link');
    }
    if (z.host.startsWith('own:') || z.host.startsWith('inferred:')) both('host:' + z.host, 'link');
    for (const l of z.listeners) {
      if (l.address.cls === 'ip' || l.address.cls === 'name') both('addr:' + l.address.key, 'link');
      if (l.kind === 'zk-client') {
        const own = z.config.servers.find((s) => s.id === z.serverId);
        if (!own || own.addresses.length === 0) add(keys, z.file, `zkc:f:${l.port}:none`, 'provide');
        for (const a of own?.addresses ?? []) {
          const na = normalizeAddress(a.host);
          add(keys, z.file, `zkc:x:${na.key}:${l.port}`, 'provide');
          add(keys, z.file, `zkc:f:${l.port}:${na.cls}`, 'provide');
          if (na.cls === 'name') add(keys, z.file, `zkc:a:${na.key.split('.')[0]}:${l.port}`, 'provide');
          add(keys, z.file, `zkc:anyname:${l.port}`, 'provide');
        }
      }
    }
    if ((z.ensemble?.members.length ?? 0) > 1) add(keys, z.file, 'zk:any', 'provide');
    // host evidence through server lines
    const own = z.config.servers.find((s) => s.id === z.serverId);
    for (const a of own?.addresses ?? []) {
      const na = normalizeAddress(a.host);
      if (na.cls === 'ip' || na.cls === 'name') both('addr:' + na.key, 'link');
    }
  }
  const zkExact = new Set<string>();
  for (const ks of keys.values()) for (const [k, m] of ks) if (m === 'provide' && k.startsWith('zkc:x:')) zkExact.add(k);
  // exact broker endpoints (host name or concrete address + port) for client URLs
  for (const b of model.brokers) {
    const files = [b.file, b.jettyFile, ...(b.webFiles ?? [])];
    const both = (key: string, mode: Mode) => files.forEach((f) => add(keys, f, key, mode));
    both('node:' + b.root, 'link');
    if (b.host.startsWith('own:') || b.host.startsWith('inferred:')) both('host:' + b.host, 'link');
    for (const l of b.listeners) {
      if (l.address.cls === 'ip' || l.address.cls === 'name') both('addr:' + l.address.key, 'link');
      if (l.kind === 'transport') {
        add(keys, b.file, 'ow:f:' + l.port, 'provide');
        if (l.address.cls === 'ip' || l.address.cls === 'name') add(keys, b.file, `ow:x:${l.address.key}:${l.port}`, 'provide');
      }
    }
    for (const pa of b.config.persistenceAdapters) {
      const hn = pa.attrs.get('hostname');
      if (hn && !hn.placeholder) {
        const a = normalizeAddress(hn.value);
        if (a.cls === 'ip' || a.cls === 'name') both('addr:' + a.key, 'link');
        for (const l of b.listeners) if (l.kind === 'transport') add(keys, b.file, `ow:x:${a.key}:${l.port}`, 'provide');
      }
      if (pa.kind === 'replicatedLevelDB') {
        const entries = (pa.zkAddress ?? []).filter((e) => !e.placeholder);
        const { matched } = bestEnsembleFor(entries, model.ensembles);
        if (matched === 0) add(keys, b.file, 'zk:any', 'consume');
        for (const en of entries) {
          const na = normalizeAddress(en.host);
          const exactKey = `zkc:x:${na.key}:${en.port}`;
          if (zkExact.has(exactKey)) {
            add(keys, b.file, exactKey, 'consume');
            continue;
          }
          // the members this entry is compatible with (model/workspace.ts zkEntryScore), by host class
          const classes =
            na.cls === 'loopback' || na.cls === 'wildcard' ? ['none', 'loopback', 'wildcard', 'ip', 'name'] : na.cls === 'ip' ? ['none', 'loopback', 'wildcard', 'name'] : ['none', 'loopback', 'wildcard', 'ip'];
          for (const c of classes) add(keys, b.file, `zkc:f:${en.port}:${c}`, 'consume');
          if (na.cls === 'name') add(keys, b.file, `zkc:a:${na.key.split('.')[0]}:${en.port}`, 'consume');
          if (na.cls === 'loopback' || na.cls === 'wildcard') add(keys, b.file, `zkc:anyname:${en.port}`, 'consume');
        }
      }
    }
    // a network connector over loopback is host evidence for the broker it reaches (model/workspace.ts)
    for (const nc of b.config.networkConnectors) {
      for (const ep of nc.parsed?.endpoints ?? []) {
        if (ep.port !== undefined && normalizeAddress(ep.host).cls === 'loopback') add(keys, b.file, 'ow:f:' + ep.port, 'consume');
      }
    }
    if (b.group) both('group:' + b.group.kind + ':' + b.group.key, 'link');
    if (b.storeDir?.startsWith('abs:')) both('store:' + b.storeDir, 'link');
    const jdbc = b.config.persistenceAdapters.find((p) => p.kind === 'jdbcPersistenceAdapter');
    if (jdbc) both('jdbc:' + dirname(b.root) + '|' + (jdbc.attrs.get('dataSource')?.value ?? '#default'), 'link');
    if (!b.group && b.host.startsWith('own:')) both('dir:' + dirname(b.root), 'link');
  }
  for (const c of model.replicationCandidates) {
    // a replication set talks to its ensemble (also over loopback, which names no host)
    if (c.ensemble) for (const b of c.members) [b.file, b.jettyFile].forEach((f) => add(keys, f, 'ens:' + c.ensemble!.id, 'link'));
  }
  // containers: a workload and the ConfigMaps its pods mount; a container and its node
  for (const c of model.containers) {
    if (c.nodeRoot !== undefined) add(keys, c.file, 'node:' + c.nodeRoot, 'link');
    for (const cm of c.k8s?.configMaps ?? []) add(keys, c.file, 'k8scm:' + cm, 'link');
    add(keys, c.file, 'machine:' + c.machine, 'link');
  }
  for (const [id, d] of model.files.docs) {
    const cm = d.node && /\.ya?ml$/i.test(d.source) ? /#([^/#]+)$/.exec(d.node.root)?.[1] : undefined;
    if (cm) add(keys, id, 'k8scm:' + cm, 'link');
  }
  const owExact = new Set<string>();
  for (const ks of keys.values()) for (const [k, m] of ks) if (m === 'provide' && k.startsWith('ow:x:')) owExact.add(k);
  for (const { file, url } of model.clientUrls) {
    for (const e of url.uri.endpoints) {
      if (e.port === undefined) continue;
      const key = `ow:x:${normalizeAddress(e.host).key}:${e.port}`;
      add(keys, file, owExact.has(key) ? key : 'ow:f:' + e.port, 'consume');
    }
  }
  return keys;
}

interface KeyIndex {
  link: Map<string, Set<string>>;
  provide: Map<string, Set<string>>;
  consume: Map<string, Set<string>>;
}

function indexKeys(keys: Keys): KeyIndex {
  const idx: KeyIndex = { link: new Map(), provide: new Map(), consume: new Map() };
  for (const [file, ks] of keys) {
    for (const [k, mode] of ks) {
      const m = idx[mode];
      let set = m.get(k);
      if (!set) m.set(k, (set = new Set()));
      set.add(file);
    }
  }
  return idx;
}

function components(files: Iterable<string>, idx: KeyIndex): Map<string, string> {
  const uf = new UnionFind();
  for (const f of files) uf.find(f);
  for (const set of idx.link.values()) {
    let first: string | undefined;
    for (const f of set) {
      if (first === undefined) first = f;
      else uf.union(first, f);
    }
  }
  for (const [k, consumers] of idx.consume) {
    const providers = idx.provide.get(k);
    if (!providers) continue;
    let first: string | undefined;
    for (const f of providers) {
      if (first === undefined) first = f;
      else uf.union(first, f);
    }
    for (const c of consumers) uf.union(first!, c);
  }
  const out = new Map<string, string>();
  for (const f of files) out.set(f, uf.find(f));
  return out;
}

export interface UpdateResult {
  /** files whose findings may have changed (all files after a full analysis) */
  affected: Set<string>;
  /** true when the whole workspace was analysed */
  full: boolean;
  /** rules that threw during this update (the other rules still reported) */
  internalErrors: InternalError[];
}

/**
 * The whole workspace's model as the latest analyses of its components see it: what the editor's
 * hover, completion and snippet values read. Equal to a full analysis's model (the components
 * partition the workspace and each one's latest analysis is closed), without running one.
 */
export type WorkspaceView = Pick<WorkspaceModel, 'options' | 'brokers' | 'zkNodes' | 'ensembles' | 'replicationCandidates' | 'groups' | 'clientUrls' | 'hosts' | 'containers'> & {
  /** a document span in its source file (documents cut out of, or assembled from, other files) */
  toSource?(file: string, span: Span): { file: string; span: Span };
};

export interface AnalyzerConfig {
  /**
   * One-shot use (the CLI): parse trees are kept from parsing to the document checks (one parse
   * per file), no relation index is built, and every update analyses the whole workspace.
   */
  batch?: boolean;
}

/**
 * A workspace that re-analyses only what an edit can affect. It keeps texts, extracted models and
 * findings, not XML trees: those are rebuilt from the text, one file at a time, when an analysis
 * runs the document checks of that file (or an editor feature asks for one).
 */
export class IncrementalAnalyzer {
  private readonly files = new Map<string, string>();
  private readonly cache: ParseCache;
  /** document-check findings per parsed file (see analyze.ts) */
  private readonly documentMemo: DocumentMemo = new WeakMap();
  private readonly batch: boolean;
  private dirty = new Set<string>();
  private structural = true;
  private componentOf = new Map<string, string>();
  /**
   * The last whole analysis while its relation index (keys, components) is still owed: built by
   * `prepare()` in an idle moment, or before the next partial analysis. So a first analysis is
   * reported without waiting for what only later edits need.
   */
  private unindexed?: { res: AnalysisResult; parsedFiles: string[] };
  private membersOf = new Map<string, Set<string>>();
  private readonly markers = new Set<string>();
  private keys: Keys = new Map();
  private index: KeyIndex = { link: new Map(), provide: new Map(), consume: new Map() };
  private findingsByFile = new Map<string, Finding[]>();
  /** every node config of the workspace, for node folders and names in partial analyses */
  private nodeContext: ReadonlyMap<string, NodeFamily> = new Map();
  /** the latest analysis result that covered each file (for hover, completion, plans) */
  private resultOf = new Map<string, AnalysisResult>();
  private last?: AnalysisResult;
  private lastFull?: AnalysisResult;
  /** bumped by every analysis; keys the assembled workspace view */
  private generation = 0;
  private view?: { generation: number; view: WorkspaceView };
  fullAnalyses = 0;
  partialAnalyses = 0;

  constructor(private options: AnalysisOptions = {}, config: AnalyzerConfig = {}) {
    this.batch = config.batch === true;
    // an XML tree lives from its parse to its document checks, which release it (analyze.ts): a
    // whole analysis parses each file once, and only the trees of one analysis are alive at a time
    this.cache = new ParseCache();
  }

  /** True when files changed (or options) since the last update. */
  get stale(): boolean {
    return this.structural || this.dirty.size > 0 || !this.last;
  }

  /** The next update analyses the whole workspace. */
  invalidate(): void {
    this.structural = true;
  }

  setOptions(options: AnalysisOptions): void {
    this.options = options;
    this.structural = true;
  }

  set(path: string, text: string): void {
    const prev = this.files.get(path);
    if (prev === text) return;
    if (prev === undefined) this.structural = true;
    this.files.set(path, text);
    // version markers, scripts and the files documents are assembled from: part of every partial
    // analysis, and an edit of one re-analyses the workspace
    // (a one-shot analysis always analyses the whole workspace: no need to know them)
    if (!this.batch && (classify(path) === 'marker' || isScript(path) || isContextSource(path, text))) this.markers.add(path);
    this.dirty.add(path);
  }

  delete(path: string): void {
    if (!this.files.has(path)) return;
    this.files.delete(path);
    this.markers.delete(path);
    this.cache.delete(path);
    this.structural = true;
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  text(path: string): string | undefined {
    return this.files.get(path);
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  findings(file: string): Finding[] {
    return this.findingsByFile.get(file) ?? [];
  }

  allFindings(): Finding[] {
    return [...this.findingsByFile.values()].flat();
  }

  /**
   * The latest analysis that included `file`: its component's, else the last full one. (Not the
   * last analysis of any component: that one knows nothing of the other components.)
   */
  resultFor(file: string): AnalysisResult | undefined {
    return this.resultOf.get(file) ?? this.lastFull;
  }

  /** The parsed activemq.xml / jetty.xml of the latest analysis of `file`, if it was parsed from `text`. */
  parsedXml(file: string, text: string): ActiveMqConfig | JettyConfig | undefined {
    const files = this.resultFor(file)?.model.files;
    if (!files || files.texts.get(file) !== text) return undefined;
    return files.activemq.get(file) ?? files.jetty.get(file);
  }

  /** The whole workspace's model, assembled from the latest analysis of each component. */
  workspaceView(): WorkspaceView | undefined {
    const full = this.lastFull;
    if (!full) return undefined;
    if (this.resultOf.size === 0) return { ...full.model, toSource: (f, sp) => full.model.files.toSource(f, sp) };
    if (this.view?.generation === this.generation) return this.view.view;
    const owner = (file: string) => this.resultOf.get(file) ?? full;
    const order = new Map<string, number>();
    for (const f of this.files.keys()) order.set(f, order.size);
    const pos = (file: string) => order.get(file) ?? order.get(full.model.files.sourceOf(file)) ?? Number.MAX_SAFE_INTEGER;
    const docOwner = new Map<string, WorkspaceModel>();
    const v: WorkspaceView = {
      options: this.options,
      brokers: [],
      zkNodes: [],
      ensembles: [],
      replicationCandidates: [],
      groups: [],
      clientUrls: [],
      hosts: new Map(),
      containers: [],
      toSource: (f, sp) => (docOwner.get(f) ?? full.model).files.toSource(f, sp),
    };
    for (const r of new Set([full, ...this.resultOf.values()])) {
      const m = r.model;
      // results are per source file; a model's files are documents (a compose service's zoo.cfg is a document of the compose file)
      const mine = (file: string) => owner(m.files.sourceOf(file)) === r;
      for (const id of m.files.docs.keys()) if (mine(id)) docOwner.set(id, m);
      for (const c of m.containers) if (mine(c.file)) v.containers.push(c);
      for (const b of m.brokers) if (mine(b.file)) v.brokers.push(b);
      for (const z of m.zkNodes) if (mine(z.file)) v.zkNodes.push(z);
      for (const e of m.ensembles) if (mine(e.members[0].file)) v.ensembles.push(e);
      for (const c of m.replicationCandidates) if (mine(c.members[0].file)) v.replicationCandidates.push(c);
      for (const g of m.groups) if (mine(g.members[0].file)) v.groups.push(g);
      for (const u of m.clientUrls) if (mine(u.file)) v.clientUrls.push(u);
      for (const [key, ls] of m.hosts) {
        const here = ls.filter((l) => mine(l.node.file));
        if (here.length === 0) continue;
        const arr = v.hosts.get(key);
        if (arr) arr.push(...here);
        else v.hosts.set(key, here);
      }
    }
    // the order a full analysis gives (snapshot order), so answers do not depend on edit history
    const first = (nodes: { file: string }[]) => Math.min(...nodes.map((n) => pos(n.file)));
    v.brokers.sort((a, b) => pos(a.file) - pos(b.file));
    v.zkNodes.sort((a, b) => pos(a.file) - pos(b.file));
    v.ensembles.sort((a, b) => first(a.members) - first(b.members));
    v.replicationCandidates.sort((a, b) => first(a.members) - first(b.members));
    v.groups.sort((a, b) => first(a.members) - first(b.members));
    v.clientUrls.sort((a, b) => pos(a.file) - pos(b.file));
    this.view = { generation: this.generation, view: v };
    return v;
  }

  /** A whole-workspace result (computed on demand when only components were analysed since). */
  fullResult(): AnalysisResult {
    if (!this.lastFull || this.partialAnalyses > 0 && this.lastFull !== this.last) this.update(true);
    return this.lastFull!;
  }

  /** Builds the relation index of the last whole analysis if it is still owed (idle work; see `unindexed`). */
  prepare(): void {
    const owed = this.unindexed;
    if (!owed) return;
    this.unindexed = undefined;
    this.keys = relationKeys(owed.res.model);
    this.index = indexKeys(this.keys);
    this.componentOf = components(owed.parsedFiles, this.index);
    this.membersOf = new Map();
    for (const [f, r] of this.componentOf) {
      let set = this.membersOf.get(r);
      if (!set) this.membersOf.set(r, (set = new Set()));
      set.add(f);
    }
  }

  update(forceFull = false): UpdateResult {
    if (forceFull || this.batch || this.structural || !this.last) return this.full();
    if (this.dirty.size === 0) return { affected: new Set(), full: false, internalErrors: [] };
    this.prepare();
    const roots = new Set<string>();
    for (const f of this.dirty) {
      // what a marker, a script or an inventory changes reaches beyond any one component
      if (this.markers.has(f)) return this.full();
      const r = this.componentOf.get(f);
      if (r === undefined) {
        // a file that held no configuration: analysed again only if it holds some now (a
        // script's sed tokens or a version marker change what other files mean)
        if (this.markers.has(f)) return this.full();
        if (isRelevant(f, this.files.get(f) ?? '')) return this.full();
        continue;
      }
      roots.add(r);
    }
    const subset = new Set<string>();
    for (const r of roots) for (const f of this.membersOf.get(r) ?? []) subset.add(f);
    const snap = new Map<string, string>();
    for (const f of subset) snap.set(f, this.files.get(f)!);
    for (const f of this.markers) snap.set(f, this.files.get(f)!);
    const res = analyze(snap, this.options, this.cache, this.documentMemo, this.nodeContext);
    const newKeys = relationKeys(res.model);
    // a document of the component now assembled from a file outside it (a template rendered with
    // an inventory, a zoo.cfg naming another dynamic file): that file joins the component
    for (const f of newKeys.keys()) if (!subset.has(f)) return this.full();
    // closure: the component's new relations must not reach files outside it. The index still holds
    // the subset's old keys, so a key's holders outside the subset are its holders minus the subset
    // files that held it: counted from the subset's own keys, not by scanning every holder (a key
    // like "openwire on 61616" is held by every broker of the workspace).
    const inSubset = { link: new Map<string, number>(), provide: new Map<string, number>(), consume: new Map<string, number>() };
    for (const f of subset) for (const [k, mode] of this.keys.get(f) ?? []) inSubset[mode].set(k, (inSubset[mode].get(k) ?? 0) + 1);
    const outside = (mode: Mode, k: string) => (this.index[mode].get(k)?.size ?? 0) > (inSubset[mode].get(k) ?? 0);
    for (const [, ks] of newKeys) {
      for (const [k, mode] of ks) {
        if (mode === 'link' && outside('link', k)) return this.full();
        if (mode === 'consume' && outside('provide', k)) return this.full();
        if (mode === 'provide' && outside('consume', k)) return this.full();
      }
    }
    this.partialAnalyses++;
    // replace the subset's keys, findings and component
    for (const f of subset) {
      for (const [k, mode] of this.keys.get(f) ?? []) this.index[mode].get(k)?.delete(f);
      this.keys.delete(f);
      this.findingsByFile.delete(f);
    }
    for (const [f, ks] of newKeys) {
      this.keys.set(f, ks);
      for (const [k, mode] of ks) {
        let set = this.index[mode].get(k);
        if (!set) this.index[mode].set(k, (set = new Set()));
        set.add(f);
      }
    }
    for (const finding of res.findings) {
      // the context files included for rendering keep the findings of their own component
      if (!subset.has(finding.file)) continue;
      let arr = this.findingsByFile.get(finding.file);
      if (!arr) this.findingsByFile.set(finding.file, (arr = []));
      arr.push(finding);
    }
    const sub = components(subset, indexKeys(new Map([...newKeys].filter(([f]) => subset.has(f)))));
    for (const r of roots) this.membersOf.delete(r);
    for (const [f, r] of sub) {
      const id = 'p' + this.partialAnalyses + ':' + r;
      this.componentOf.set(f, id);
      let set = this.membersOf.get(id);
      if (!set) this.membersOf.set(id, (set = new Set()));
      set.add(f);
    }
    for (const f of subset) this.resultOf.set(f, res);
    // the node context is replaced, never changed in place, and only when its entries change: node
    // naming reuses its last answer while the context is the same object (parsed.ts assignNodes)
    const own = res.model.files.nodeSources();
    let contextChanged = false;
    for (const f of subset) if (this.nodeContext.get(f) !== own.get(f)) contextChanged = true;
    own.forEach((fam, f) => {
      if (this.nodeContext.get(f) !== fam) contextChanged = true;
    });
    if (contextChanged) {
      const next = new Map(this.nodeContext);
      for (const f of subset) next.delete(f);
      own.forEach((fam, f) => next.set(f, fam));
      this.nodeContext = next;
    }
    this.last = res;
    this.generation++;
    this.dirty.clear();
    return { affected: subset, full: false, internalErrors: res.internalErrors };
  }

  private full(): UpdateResult {
    const res = analyze(this.files, this.options, this.cache, this.batch ? undefined : this.documentMemo);
    this.nodeContext = res.model.files.nodeSources();
    this.fullAnalyses++;
    this.generation++;
    // a batch analyzer never analyses parts; otherwise the index is built when first needed
    this.componentOf = new Map();
    this.membersOf = new Map();
    this.unindexed = this.batch ? undefined : { res, parsedFiles: [...this.files.keys()].filter((f) => res.model.files.sourceTexts.has(f)) };
    this.findingsByFile = new Map();
    for (const f of res.findings) {
      let arr = this.findingsByFile.get(f.file);
      if (!arr) this.findingsByFile.set(f.file, (arr = []));
      arr.push(f);
    }
    this.resultOf = new Map();
    this.last = res;
    this.lastFull = res;
    this.partialAnalyses = 0;
    this.dirty.clear();
    this.structural = false;
    return { affected: new Set(this.files.keys()), full: true, internalErrors: res.internalErrors };
  }
}

