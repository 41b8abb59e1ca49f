/**
 * Parsing a snapshot: every file is recognised (by name and content) into the documents it holds,
 * every document is parsed once per distinct text, and every configuration document gets its node
 * identity. A ParseCache lets the language server re-parse only what changed.
 */
import { DEFAULT_MAX_FILE_SIZE, type Snapshot, type Span } from '../types';
import { extractActiveMq, type ActiveMqConfig } from '../parse/activemq';
import { extractJetty, type JettyConfig } from '../parse/jetty';
import { parseZooCfg, type ZooConfig } from '../parse/zoocfg';
import { parseMyId, type MyId } from '../parse/myid';
import { parseClientUrls, type ClientUrlFile } from '../parse/clienturls';
import { loadProperties, type PropertiesResult } from '../parse/zoocfg';
import { parseXml } from '../parse/xml';
import { basename, classify, dirname, nodeRootOf, type FileKind } from './files';
import { isScript, recognize, type ContainerMount, type DocSpec, type RecognizeContext } from '../sources/recognize';
import { sliceMap } from '../sources/docmap';
import type { Container } from '../sources/containers';
import { envsubstUses, sedSubstitutions, type SedSubstitution } from '../sources/sed';
import { templateInner } from '../sources/template';
import type { MappedSpan } from '../sources/docmap';
import { markerNeedsText } from './versions';
import { renderAnsible } from '../sources/ansible';
import { linkDynamicConfigs } from '../sources/zkdynamic';

type Parsed = ActiveMqConfig | JettyConfig | ZooConfig | MyId | ClientUrlFile | PropertiesResult;

/** Memoises parse results by (kind, document id, text). */
export class ParseCache {
  private readonly entries = new Map<string, { text: string; value: Parsed }>();
  /** the last node names per family (the incremental analysis names the same nodes on every edit) */
  readonly names: NameMemo = newNameMemo();


  get<T extends Parsed>(kind: FileKind, id: string, text: string, parse: () => T): T {
    const key = kind + '\u0000' + id;
    const hit = this.entries.get(key);
    if (hit && hit.text === text) return hit.value as T;
    const value = parse();
    this.entries.set(key, { text, value });
    return value;
  }

  /** Forgets every document of a source file. */
  delete(source: string): void {
    for (const k of [...this.entries.keys()]) {
      const id = k.slice(k.indexOf('\u0000') + 1);
      if (id === source || id.startsWith(source + '#')) this.entries.delete(k);
    }
  }
}

/** A recognised document with its node identity. */
export interface DocInfo extends DocSpec {
  /** node folder (for a node of its own in a shared folder: the folder plus the file's stem) */
  root?: string;
  /** display name of its node, unique among nodes of its kind */
  name?: string;
  /** one of several alternative configurations of one folder (`activemq-jdbc.xml`): not run alongside the others */
  alternative?: boolean;
}

export class ParsedFiles {
  readonly activemq = new Map<string, ActiveMqConfig>();
  readonly jetty = new Map<string, JettyConfig>();
  /** ActiveMQ 6.3+ jetty-spring.properties files, by document id */
  readonly jettyProps = new Map<string, PropertiesResult>();
  readonly zoocfg = new Map<string, ZooConfig>();
  /** dynamic configuration files (server lines), by document id */
  readonly zoodynamic = new Map<string, ZooConfig>();
  readonly myid = new Map<string, MyId>();
  readonly clients = new Map<string, ClientUrlFile>();
  /** version marker files (jar names, Dockerfiles, compose files) */
  readonly markers: string[] = [];
  /** text of the marker files whose content tells a version (Dockerfiles, compose files) */
  readonly markerTexts = new Map<string, string>();
  /** files not parsed because they exceed the size limit: path -> length */
  readonly oversize = new Map<string, number>();
  /** the size limit this snapshot was parsed with */
  maxFileSize = DEFAULT_MAX_FILE_SIZE;
  /** the text of every document (template expressions masked), by document id */
  readonly texts = new Map<string, string>();
  /** every recognised document, by id */
  readonly docs = new Map<string, DocInfo>();
  /** the text of every source file that yielded a document */
  readonly sourceTexts = new Map<string, string>();
  /** sed substitutions found in the repository's scripts */
  sed: SedSubstitution[] = [];
  /** containers of compose files and Kubernetes manifests */
  readonly containers: Container[] = [];
  private zkRoots = new Set<string>();
  /** myid files by the ZooKeeper node folder they belong to */
  readonly myidByRoot = new Map<string, string[]>();
  /** myid documents whose node a container or a renderer set (`DocSpec.node`), by node root */
  readonly myidByNode = new Map<string, string>();

  /** The node folder of a configuration document. */
  rootOf(file: string): string {
    return this.docs.get(file)?.root ?? nodeRootOf(file);
  }

  /** The display name of a configuration document's node. */
  nameOf(file: string): string {
    const d = this.docs.get(file);
    if (d?.name) return d.name;
    const root = this.rootOf(file);
    return root === '' ? '(root)' : basename(root);
  }

  /** The source file a document comes from. */
  sourceOf(file: string): string {
    return this.docs.get(file)?.source ?? file;
  }

  isTemplate(file: string): boolean {
    return this.docs.get(file)?.template === true;
  }

  isAlternative(file: string): boolean {
    return this.docs.get(file)?.alternative === true;
  }

  /** A document span in its source file. */
  toSource(file: string, span: Span): MappedSpan {
    const d = this.docs.get(file);
    if (!d || !d.map) return { file: d?.source ?? file, span };
    return d.map.mapSpan(span) ?? { file: d.source, span: { start: 0, end: 0 } };
  }

  private nodeDocIndex?: Map<string, Map<string, string>>;

  /**
   * For a node a renderer or container defines (`DocSpec.node`): its document that becomes the
   * file `name` (`jetty.xml` rendered from `jetty.xml.j2`), the node's own folder being virtual.
   */
  nodeDocByName(root: string, name: string): string | undefined {
    if (!this.nodeDocIndex) {
      const idx = new Map<string, Map<string, string>>();
      for (const d of this.docs.values()) {
        if (!d.node) continue;
        const base = basename(d.source);
        const file = templateInner(base) ?? base;
        let m = idx.get(d.node.root);
        if (!m) idx.set(d.node.root, (m = new Map()));
        if (!m.has(file)) m.set(file, d.id);
      }
      this.nodeDocIndex = idx;
    }
    return this.nodeDocIndex.get(root)?.get(name);
  }

  private folderCounts?: Map<string, number>;
  private myidIndex?: Map<string, string[]>;

  /** How many (non-template) zoo.cfg documents each real folder holds. */
  zkFolderCounts(): Map<string, number> {
    if (!this.folderCounts) {
      const m = new Map<string, number>();
      for (const f of this.zoocfg.keys()) {
        if (this.isTemplate(f)) continue;
        const folder = nodeRootOf(this.sourceOf(f));
        m.set(folder, (m.get(folder) ?? 0) + 1);
      }
      this.folderCounts = m;
    }
    return this.folderCounts;
  }

  /** Repository myid files (not templates, not held by a container) by the name of their folder. */
  myidsByParentName(): Map<string, string[]> {
    if (!this.myidIndex) {
      const m = new Map<string, string[]>();
      for (const p of this.myid.keys()) {
        if (this.isTemplate(p) || this.docs.get(p)?.node) continue;
        const parent = basename(dirname(p));
        const arr = m.get(parent) ?? [];
        arr.push(p);
        m.set(parent, arr);
      }
      this.myidIndex = m;
    }
    return this.myidIndex;
  }

  /** myidsByParentName, further split by the ZooKeeper node folder each one lies in ('' key: none) */
  private myidOwnerIndex?: Map<string, Map<string, { path: string; order: number }[]>>;

  /**
   * The myids of myidsByParentName().get(parentName) that lie in no ZooKeeper node folder or in
   * one of `owners`, in the same order: what findMyId may pick, without a scan of every myid of
   * the workspace for each server (20,000 nodes: quadratic).
   */
  myidsByParentNameOwnedBy(parentName: string, owners: readonly string[]): string[] {
    if (!this.myidOwnerIndex) {
      const idx = new Map<string, Map<string, { path: string; order: number }[]>>();
      for (const [parent, paths] of this.myidsByParentName()) {
        paths.forEach((path, order) => {
          const owner = this.rootOfMyId(path);
          const k = owner === undefined ? '' : '/' + owner;
          let m = idx.get(k);
          if (!m) idx.set(k, (m = new Map()));
          let arr = m.get(parent);
          if (!arr) m.set(parent, (arr = []));
          arr.push({ path, order });
        });
      }
      this.myidOwnerIndex = idx;
    }
    const keys = new Set(['', ...owners.map((o) => '/' + o)]);
    const found: { path: string; order: number }[] = [];
    for (const k of keys) for (const e of this.myidOwnerIndex.get(k)?.get(parentName) ?? []) found.push(e);
    if (keys.size > 1) found.sort((a, b) => a.order - b.order);
    return found.map((e) => e.path);
  }

  /** The ZooKeeper node a myid file belongs to: the deepest zoo.cfg node folder containing it. */
  rootOfMyId(path: string): string | undefined {
    let dir = path;
    for (;;) {
      const i = dir.lastIndexOf('/');
      dir = i >= 0 ? dir.slice(0, i) : '';
      if (this.zkRoots.has(dir)) return dir;
      if (dir === '') return undefined;
    }
  }

  /** The node configs of this snapshot (source path -> family), for a caller that analyses parts. */
  nodeSources(): Map<string, NodeFamily> {
    const out = new Map<string, NodeFamily>();
    for (const d of this.docs.values()) {
      const fam = nodeFamily(d.kind);
      if (fam && !d.node && !d.template) out.set(d.source, fam);
    }
    return out;
  }

  /** Called once all documents are in. */
  finish(): void {
    this.zkRoots = new Set([...this.zoocfg.keys()].filter((f) => !this.isTemplate(f)).map((f) => this.rootOf(f)));
    for (const p of this.myid.keys()) {
      const node = this.docs.get(p)?.node;
      if (node && !this.isTemplate(p) && !this.myidByNode.has(node.root)) this.myidByNode.set(node.root, p);
      if (this.isTemplate(p) || node) continue;
      const r = this.rootOfMyId(p);
      if (r === undefined) continue;
      let arr = this.myidByRoot.get(r);
      if (!arr) this.myidByRoot.set(r, (arr = []));
      arr.push(p);
    }
  }
}

/**
 * Node identity. A folder with one broker config (or one zoo.cfg) is that node's folder, as in the
 * tutorials' layout. A folder that holds several (`activemq_1.xml`..`activemq_3.xml`,
 * `conf/zoo1.cfg`..`zoo3.cfg`) holds one node per file, named after the file; the file named
 * exactly `activemq.xml`/`zoo.cfg` keeps the folder. Files whose names carry no number
 * (`activemq-jdbc.xml` next to `activemq-demo.xml`) are alternatives of one another, not nodes
 * that run side by side. Names are made unique by the shortest path suffix that tells them apart.
 */
export type NodeFamily = 'amq' | 'zk';

/**
 * The node configs of the whole workspace (source path -> family). A partial analysis sees only
 * some files; node folders and names depend on the others (a second `activemq_2.xml` in the
 * folder, a second `zk1/` elsewhere), so the caller that analyses parts passes the whole list.
 */
export type NodeContext = ReadonlyMap<string, NodeFamily>;

export function nodeFamily(k: FileKind): NodeFamily | undefined {
  return k === 'activemq' ? 'amq' : k === 'zoocfg' ? 'zk' : undefined;
}

/**
 * What node naming keeps between analyses (the incremental analysis names the same nodes on every
 * edit): the node folder of each source path, and per family the roots of the last naming with
 * the name of each root.
 */
export interface NameMemo {
  folders: Map<string, string>;
  names: Map<string, { roots: string[]; byRoot: Map<string, string> }>;
  /**
   * The last answer for a partial snapshot: the context object it was given (never changed in
   * place by its owner), the snapshot's node documents, and what each of them was assigned.
   */
  last?: { context: NodeContext; localKey: string; assigned: { root?: string; name?: string; alternative?: boolean }[] };
}

export function newNameMemo(): NameMemo {
  return { folders: new Map(), names: new Map() };
}

export function assignNodes(docs: Iterable<DocInfo>, context?: NodeContext, memo?: NameMemo): void {
  // family -> node folder -> documents
  const groups = new Map<NodeFamily, Map<string, DocInfo[]>>();
  const family = nodeFamily;
  const folders = memo?.folders;
  // a memo that outgrew the workspace (renames, deletions) starts again
  if (folders && folders.size > 2 * ((context?.size ?? 0) + 1024)) folders.clear();
  const folderOf = (source: string): string => {
    let f = folders?.get(source);
    if (f === undefined) {
      f = nodeRootOf(source);
      folders?.set(source, f);
    }
    return f;
  };
  const place = (d: DocInfo, fam: NodeFamily): void => {
    let byFolder = groups.get(fam);
    if (!byFolder) groups.set(fam, (byFolder = new Map()));
    const folder = folderOf(d.source);
    const arr = byFolder.get(folder);
    if (arr) arr.push(d);
    else byFolder.set(folder, [d]);
  };
  const local = new Set<string>();
  const localDocs: DocInfo[] = [];
  let localKey = '';
  for (const d of docs) {
    const fam = family(d.kind);
    if (!fam) continue;
    if (d.node) {
      d.root = d.node.root;
      d.name = d.node.name;
      continue;
    }
    if (d.template) continue;
    local.add(d.source);
    localDocs.push(d);
    localKey += `${fam}\u0000${d.source}\u0000`;
  }
  // the same documents against the same context as last time: the same answer
  const last = memo?.last;
  if (context && last && last.context === context && last.localKey === localKey) {
    for (let i = 0; i < localDocs.length; i++) {
      const d = localDocs[i];
      const a = last.assigned[i];
      d.root = a.root;
      d.name = a.name;
      if (a.alternative !== undefined) d.alternative = a.alternative;
    }
    return;
  }
  for (const d of localDocs) place(d, family(d.kind)!);
  // stand-ins for the node configs outside this snapshot: counted for folders and names only
  context?.forEach((fam, source) => {
    if (!local.has(source)) place({ id: source, source, kind: fam === 'amq' ? 'activemq' : 'zoocfg', text: '' }, fam);
  });
  groups.forEach((byFolder, fam) => {
    const list: DocInfo[] = [];
    byFolder.forEach((members, folder) => {
      if (members.length === 1) {
        members[0].root = folder;
      } else {
        const canonical = fam === 'amq' ? 'activemq.xml' : 'zoo.cfg';
        const numbered = members.filter((m) => /\d/.test(stemOf(m.source))).length;
        for (const m of members) {
          const base = basename(m.source);
          const stem = stemOf(m.source);
          m.root = base === canonical ? folder : folder ? `${folder}/${stem}` : stem;
          // several numbered files are nodes of one cluster; files named by purpose are alternatives
          m.alternative = !/\d/.test(stem) && numbered < members.length;
        }
      }
      for (let i = 0; i < members.length; i++) list.push(members[i]);
    });
    uniqueNames(list, memo, fam);
  });
  if (memo && context) memo.last = { context, localKey, assigned: localDocs.map((d) => ({ root: d.root, name: d.name, alternative: d.alternative })) };
}

function stemOf(path: string): string {
  const b = basename(path);
  const dot = b.lastIndexOf('.');
  return dot > 0 ? b.slice(0, dot) : b;
}

/**
 * The shortest path suffix of each node's root that no other node of the list shares. A name is a
 * function of the list's roots (documents with one root get one name), so the names of the last
 * list with the same roots are reused.
 */
function uniqueNames(list: DocInfo[], memo?: NameMemo, fam = ''): void {
  const roots = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) roots[i] = list[i].root ?? '';
  const hit = memo?.names.get(fam);
  if (hit && sameList(hit.roots, roots)) {
    for (let i = 0; i < list.length; i++) list[i].name = hit.byRoot.get(roots[i]);
    return;
  }
  const parts = list.map((d) => (d.root ?? '').split('/').filter(Boolean));
  const depth = list.map(() => 1);
  const nameAt = (i: number) => (parts[i].length === 0 ? '(root)' : parts[i].slice(-depth[i]).join('/'));
  for (let round = 0; round < 64; round++) {
    const byName = new Map<string, number[]>();
    list.forEach((_, i) => {
      const n = nameAt(i);
      const arr = byName.get(n) ?? [];
      arr.push(i);
      byName.set(n, arr);
    });
    let changed = false;
    for (const idx of byName.values()) {
      if (idx.length < 2) continue;
      // the same root (one folder's broker and its alternative keep the folder): nothing to add
      if (new Set(idx.map((i) => list[i].root)).size < 2) continue;
      for (const i of idx) {
        if (depth[i] < parts[i].length) {
          depth[i]++;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  const byRoot = new Map<string, string>();
  list.forEach((d, i) => {
    d.name = nameAt(i);
    byRoot.set(d.root ?? '', d.name);
  });
  memo?.names.set(fam, { roots, byRoot });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Parses every document the core understands. Files above `maxFileSize` (except myid files, whose
 * parse reads one line) are kept as text but not parsed: parsing stays bounded whatever is opened.
 */
export function parseSnapshot(snapshot: Snapshot, cache?: ParseCache, maxFileSize = DEFAULT_MAX_FILE_SIZE, context?: NodeContext): ParsedFiles {
  const files = new ParsedFiles();
  files.maxFileSize = maxFileSize;
  const c = cache ?? new ParseCache();
  // scripts first: the tokens they substitute are unknown values in the files they edit
  // (Map.forEach and index loops here: for..of over entries allocates per file in code that runs once)
  snapshot.forEach((text, path) => {
    if (!isScript(path) || text.length > maxFileSize) return;
    for (const s of sedSubstitutions(text)) files.sed.push(s);
    for (const s of envsubstUses(text)) files.sed.push(s);
  });
  const mounts: ContainerMount[] = [];
  const ctx: RecognizeContext = { sed: files.sed, readFile: (p) => snapshot.get(p), containers: files.containers, mounts };
  let docs: DocInfo[] = [];
  snapshot.forEach((text, path) => {
    if (text.length > maxFileSize && basename(path) !== 'myid') {
      // recognised by name only: a huge file is not scanned
      const kind = classify(path);
      if (kind && kind !== 'marker' && !(kind === 'client' && !/\.(ya?ml|properties)$/.test(path))) {
        files.oversize.set(path, text.length);
        files.texts.set(path, text);
        files.sourceTexts.set(path, text);
      }
      return;
    }
    const before = files.containers.length;
    const found = recognize(path, text, ctx);
    for (let k = 0; k < found.length; k++) docs.push(found[k]);
    // a file that defines containers takes part in the analysis even when it holds no document
    if (files.containers.length > before) files.sourceTexts.set(path, text);
  });
  // documents assembled from several files: templates rendered per inventory host (replacing the
  // masked template they render), a zoo.cfg joined with the dynamic file it names; repository files
  // mounted into containers become the container's
  docs = renderAnsible(snapshot, docs, maxFileSize);
  docs = linkDynamicConfigs(docs);
  docs = bindMounts(docs, mounts);
  assignNodes(docs, context, c.names);
  for (let k = 0; k < docs.length; k++) {
    const d = docs[k];
    files.docs.set(d.id, d);
    if (d.kind === 'marker') {
      files.markers.push(d.source);
      if (d.text) files.markerTexts.set(d.source, d.text);
      continue;
    }
    if (d.kind === 'script') continue;
    const text = d.text;
    switch (d.kind) {
      case 'activemq':
        files.activemq.set(d.id, c.get(d.kind, d.id, text, () => extractActiveMq(parseXml(text), text)));
        break;
      case 'jetty':
        files.jetty.set(d.id, c.get(d.kind, d.id, text, () => extractJetty(parseXml(text), text)));
        break;
      case 'jettyprops':
        files.jettyProps.set(d.id, c.get(d.kind, d.id, text, () => loadProperties(text)));
        break;
      case 'zoocfg':
        files.zoocfg.set(d.id, c.get(d.kind, d.id, text, () => parseZooCfg(text)));
        break;
      case 'zoodynamic':
        files.zoodynamic.set(d.id, c.get(d.kind, d.id, text, () => parseZooCfg(text)));
        break;
      case 'myid':
        files.myid.set(d.id, c.get(d.kind, d.id, text, () => parseMyId(text)));
        break;
      case 'client': {
        const parsed = c.get(d.kind, d.id, text, () => parseClientUrls(d.source, text));
        if (parsed.urls.length === 0) continue;
        files.clients.set(d.id, parsed);
        break;
      }
    }
    files.texts.set(d.id, text);
    files.sourceTexts.set(d.source, snapshot.get(d.source) ?? text);
    if (d.inputs) for (const i of d.inputs) files.sourceTexts.set(i, snapshot.get(i) ?? '');
  }
  files.finish();
  return files;
}

/** Where the images keep what a mount can provide, by file kind. */
function mountedAs(kind: FileKind, rel: string, target: string): string | undefined {
  const t = target.replace(/\/+$/, '');
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  if (kind === 'zoocfg' || kind === 'zoodynamic') return `conf/${base}`;
  if (kind === 'myid') return 'data/myid';
  if (kind === 'activemq' || kind === 'jetty') return `conf/${base}`;
  void t;
  return undefined;
}

/**
 * Repository files bind-mounted into a container belong to the container's node: the same
 * zoo.cfg mounted into three services is three servers with one config. Each mount yields a copy
 * of the document with the container's node identity, mapped onto the same characters; a file
 * that is mounted somewhere is no node of its own any more.
 */
export function bindMounts(docs: DocInfo[], mounts: readonly ContainerMount[]): DocInfo[] {
  if (mounts.length === 0) return docs;
  const bound = new Set<DocInfo>();
  const copies: DocInfo[] = [];
  for (const m of mounts) {
    for (const d of docs) {
      if (d.node || d.template) continue;
      if (d.kind !== 'activemq' && d.kind !== 'jetty' && d.kind !== 'zoocfg' && d.kind !== 'zoodynamic' && d.kind !== 'myid') continue;
      const rel = d.source === m.source ? basename(d.source) : d.source.startsWith(m.source + '/') ? d.source.slice(m.source.length + 1) : undefined;
      if (rel === undefined) continue;
      // a data folder mount provides the myid at its top; a config folder mount its config files
      if (d.kind === 'myid' && rel !== 'myid') continue;
      const where = mountedAs(d.kind, rel, m.target);
      if (!where) continue;
      bound.add(d);
      m.container.nodeRoot = m.node.root;
      copies.push({
        ...d,
        id: `${m.node.root}/${where}`,
        map: d.map ?? sliceMap(d.source, d.text.length, 0),
        node: m.node,
        versions: { ...m.versions, ...d.versions },
      });
    }
  }
  return [...docs.filter((d) => !bound.has(d)), ...copies];
}
