/**
 * Parsing a snapshot: every file the core understands, parsed once per distinct text.
 * A ParseCache lets the language server re-parse only what changed.
 */
import { DEFAULT_MAX_FILE_SIZE, type Snapshot } from '../types';
import { extractActiveMq, type ActiveMqConfig } from '../parse/activemq';
import { extractJetty, type JettyConfig } from '../parse/jetty';
import { parseZooCfg, type ZooConfig } from '../parse/zoocfg';
import { parseMyId, type MyId } from '../parse/myid';
import { parseClientUrls, type ClientUrlFile } from '../parse/clienturls';
import { parseXml } from '../parse/xml';
import { classify, javaMentionsUrl, nodeRootOf, type FileKind } from './files';
import { markerNeedsText } from './versions';

type Parsed = ActiveMqConfig | JettyConfig | ZooConfig | MyId | ClientUrlFile;

/** Memoises parse results by (kind, path, text). */
export class ParseCache {
  private readonly entries = new Map<string, { text: string; value: Parsed }>();

  /**
   * @param keepTrees false: an XML file's tree is dropped as soon as its model is extracted (the
   *   document checks rebuild it, one file at a time), so that a long-lived cache over a large
   *   workspace never holds every tree at once; true (a one-shot lint): kept until the checks ran.
   */
  constructor(private readonly keepTrees = true) {}

  get<T extends Parsed>(kind: FileKind, path: string, text: string, parse: () => T): T {
    const key = kind + '\u0000' + path;
    const hit = this.entries.get(key);
    if (hit && hit.text === text) return hit.value as T;
    const value = parse();
    if (!this.keepTrees && 'tree' in value) value.tree.release();
    this.entries.set(key, { text, value });
    return value;
  }

  delete(path: string): void {
    for (const k of [...this.entries.keys()]) if (k.endsWith('\u0000' + path)) this.entries.delete(k);
  }
}

export class ParsedFiles {
  readonly activemq = new Map<string, ActiveMqConfig>();
  readonly jetty = new Map<string, JettyConfig>();
  readonly zoocfg = new Map<string, ZooConfig>();
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
  /** the text of every parsed file, for adapters and fixes */
  readonly texts = new Map<string, string>();
  private zkRoots = new Set<string>();
  /** myid files by the ZooKeeper node folder they belong to */
  readonly myidByRoot = new Map<string, string[]>();

  rootOf(file: string): string {
    return nodeRootOf(file);
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

  /** Called once all zoo.cfg files are in. */
  finish(): void {
    this.zkRoots = new Set([...this.zoocfg.keys()].map((f) => nodeRootOf(f)));
    for (const p of this.myid.keys()) {
      const r = this.rootOfMyId(p);
      if (r === undefined) continue;
      let arr = this.myidByRoot.get(r);
      if (!arr) this.myidByRoot.set(r, (arr = []));
      arr.push(p);
    }
  }
}

/**
 * Parses every file the core understands. Files above `maxFileSize` (except myid files, whose
 * parse reads one line) are kept as text but not parsed: parsing stays bounded whatever is opened.
 */
export function parseSnapshot(snapshot: Snapshot, cache?: ParseCache, maxFileSize = DEFAULT_MAX_FILE_SIZE): ParsedFiles {
  const files = new ParsedFiles();
  files.maxFileSize = maxFileSize;
  const c = cache ?? new ParseCache();
  for (const [path, text] of snapshot) {
    const kind = classify(path);
    if (!kind) continue;
    if (kind === 'marker') {
      files.markers.push(path);
      if (markerNeedsText(path) && text.length <= maxFileSize) files.markerTexts.set(path, text);
      continue;
    }
    if (kind === 'client' && path.endsWith('.java') && !javaMentionsUrl(text)) continue;
    if (text.length > maxFileSize && kind !== 'myid') {
      files.oversize.set(path, text.length);
      files.texts.set(path, text);
      continue;
    }
    switch (kind) {
      case 'activemq':
        files.activemq.set(path, c.get(kind, path, text, () => extractActiveMq(parseXml(text), text)));
        break;
      case 'jetty':
        files.jetty.set(path, c.get(kind, path, text, () => extractJetty(parseXml(text), text)));
        break;
      case 'zoocfg':
        files.zoocfg.set(path, c.get(kind, path, text, () => parseZooCfg(text)));
        break;
      case 'myid':
        files.myid.set(path, c.get(kind, path, text, () => parseMyId(text)));
        break;
      case 'client': {
        const parsed = c.get(kind, path, text, () => parseClientUrls(path, text));
        if (parsed.urls.length === 0) continue;
        files.clients.set(path, parsed);
        break;
      }
    }
    files.texts.set(path, text);
  }
  files.finish();
  return files;
}
