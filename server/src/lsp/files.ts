/**
 * Which text each workspace folder's analysis service sees: every folder is read from disk on
 * start, open buffers override disk content, watched-file events keep the disk view current, and
 * the `exclude` setting and the walk's folder rule leave files out. Paths, URIs and file system
 * events only: no analysis.
 *
 * Every read goes through the contained reader (`io/walk.ts`): the start-up walk and the re-read
 * of a whole folder (`readWorkspaceSync`), single files for watcher events and closed buffers
 * (`readFileContainedSync`). So nothing outside the workspace is read, a FIFO is never opened for
 * reading (and no I/O thread of Node is ever blocked: every read is a non-blocking synchronous
 * call), a path reached through a link to something read under its own name is not read twice,
 * and a link out of the workspace is recorded as left out, never followed. What the walk left out,
 * the paths read through links and files whose bytes are not valid UTF-8 are the folder's
 * `blockedPaths`: no fix edits or creates there.
 *
 * The service gets the texts when an analysis is about to run (`flush`), never in between: so it
 * always holds the texts of its latest analysis, a hover or completion never runs an analysis of
 * its own, and a version that a newer one replaced before the analysis ran is never analysed.
 *
 * Settings go through `resolveSettings` (core/config.ts): the repository's configuration file
 * (`.amq-cluster.json`, found in the folder or above it) with the editor's settings over it; any
 * shape in, clean options, exclude and include patterns and warnings out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileChangeType, type FileEvent, type TextDocuments, type WorkspaceFolder } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisService } from '../core/service';
import { normalizeSettings, type NormalizedSettings } from '../core/options';
import { resolveSettings, type SettingsLayer } from '../core/config';
import { makeScope } from '../core/scope';
import { loadConfigFor } from '../io/config';
import { isCandidate } from '../core/sources/recognize';
import { isInside, isSkippedDir, readFileContainedSync, readWorkspaceSync, type FileEncoding, type Skipped, type WalkResult } from '../io/walk';

export interface Folder {
  name: string;
  /** the folder as the client names it */
  root: string;
  /** its real path (links resolved): documents opened by their real path belong here too */
  realRoot: string;
  uri: string;
  /** file text on disk, by workspace-relative path (BOM removed) */
  disk: Map<string, string>;
  /** files that are not plain BOM-less UTF-8 */
  encodings: Map<string, FileEncoding>;
  /** what the walk (or a watcher event) left out, by relative path, with why */
  skipped: Map<string, Skipped>;
  /** files read through a symbolic link: relative path -> real path */
  links: Map<string, string>;
  service: AnalysisService;
  settings: NormalizedSettings;
  /** a path (or one of its folders) matches an `exclude` pattern */
  excluded: (rel: string) => boolean;
  /** folders the folder rule skips that the `include` setting opens */
  include: (rel: string) => boolean;
  includePatterns?: readonly string[];
  /** the repository's configuration file (.amq-cluster.json) in use */
  configFile?: string;
  /** the diagnostics last published per file (JSON), to publish only changes */
  published: Map<string, string>;
  /** the URI each file's diagnostics were published under */
  publishedUri: Map<string, string>;
  /** files whose URI changed (a document opened by another path, or closed) since the last analysis */
  uriMoved: Set<string>;
  /** read from disk (before that, nothing is analysed) */
  ready: boolean;
  /** taken out of the workspace: nothing is published for it any more */
  removed: boolean;
  /** files whose effective text may differ from the service's */
  pending: Set<string>;
  /** every file must be handed to the service again (settings, a new walk) */
  pendingAll: boolean;
  /** the settings changed: options go to the service again */
  settingsChanged: boolean;
  /** what the walk left out or read through links may have changed: blocked paths are compared again */
  optionsChanged: boolean;
  /** the blocked paths the service has */
  appliedBlocked?: Set<string>;
  /** the URI a client opened each file under */
  clientUris: Map<string, string>;
  /** the version of each open document the service holds */
  analysedVersions: Map<string, number>;
  /** delayed re-reads of new folders */
  timers: Set<NodeJS.Timeout>;
}

/** A folder created by a copy or a generator may keep filling after its creation event: read again after this long. */
const NEW_FOLDER_RESCAN_MS = 400;
/** Watched-file events are applied in slices of about this long, then the event loop runs (requests answer). */
const EVENT_SLICE_MS = 8;
/** reasons a path is never part of the workspace, also when a buffer shows it */
const NOT_OURS = new Set<Skipped['reason']>(['folder-rule', 'excluded', 'symlink-outside', 'symlink-broken', 'symlink-loop', 'duplicate', 'not-regular', 'unreadable-name']);

export function fsPathOf(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

function relOf(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join('/');
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? 'error';
}

function realpathOrUndefined(p: string): string | undefined {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return undefined;
  }
}

/**
 * Is a folder on the way to `rel` (not `rel` itself, unless `self`) one the walk never enters (the
 * folder rule, unless the `include` setting opens it)?
 */
function underSkippedDir(folder: Folder, rel: string, self = false): boolean {
  const segs = rel.split('/');
  let prefix = '';
  for (let i = 0; i < segs.length - (self ? 0 : 1); i++) {
    prefix = prefix ? `${prefix}/${segs[i]}` : segs[i];
    if (isSkippedDir(segs[i]) && !folder.include(prefix)) return true;
  }
  return false;
}

/** The exclude and include patterns in use (a change means the folder is read again). */
function patternsKey(folder: Folder): string {
  return `${folder.settings.exclude.patterns.join('\n')}\u0000${(folder.includePatterns ?? []).join('\n')}`;
}

function isUnder(k: string, rel: string): boolean {
  return k === rel || k.startsWith(rel + '/');
}

export interface LoadReport {
  files: number;
  skipped: Skipped[];
}

export class WorkspaceFiles {
  readonly folders: Folder[] = [];
  /** open documents -> the folder file they show */
  private readonly docs = new Map<string, { folder: Folder; rel: string }>();
  private readonly events: FileEvent[] = [];
  private draining = false;

  /**
   * @param changed called whenever a folder's files changed (watched-file slices, delayed
   *   re-reads), so the folder gets analysed
   */
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly changed: (folder: Folder) => void,
  ) {}

  // ---------------------------------------------------------------------------------------------
  // paths and URIs

  /** The deepest workspace folder holding a path (by its name or its real path), and the path relative to it. */
  folderFor(fsPath: string): { folder: Folder; rel: string } | undefined {
    let best: { folder: Folder; rel: string; depth: number } | undefined;
    for (const f of this.folders) {
      if (f.removed) continue;
      for (const root of f.root === f.realRoot ? [f.root] : [f.root, f.realRoot]) {
        if ((fsPath === root || isInside(root, fsPath)) && (!best || root.length > best.depth)) best = { folder: f, rel: relOf(root, fsPath), depth: root.length };
      }
    }
    return best && { folder: best.folder, rel: best.rel };
  }

  /**
   * The folder file a document shows: by its path when the folder knows that path, else by its
   * real path (a document opened through a link to a file read under its own name).
   */
  resolve(uri: string): { folder: Folder; rel: string } | undefined {
    const open = this.docs.get(uri);
    if (open && !open.folder.removed) return open;
    const p = fsPathOf(uri);
    if (!p) return undefined;
    const lex = this.folderFor(p);
    if (lex && (lex.folder.disk.has(lex.rel) || lex.folder.skipped.has(lex.rel))) return lex;
    const real = realpathOrUndefined(p) ?? (() => {
      const dir = realpathOrUndefined(path.dirname(p));
      return dir === undefined ? undefined : path.join(dir, path.basename(p));
    })();
    if (real !== undefined && real !== p) {
      const byReal = this.folderFor(real);
      if (byReal) return byReal;
    }
    return lex;
  }

  uriOf(folder: Folder, rel: string): string {
    return folder.clientUris.get(rel) ?? pathToFileURL(path.join(folder.root, rel)).toString();
  }

  openDocFor(folder: Folder, rel: string): TextDocument | undefined {
    const uri = folder.clientUris.get(rel);
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  /** The effective text of a file: the open buffer, else the disk. */
  textOf(folder: Folder, rel: string): string | undefined {
    return this.openDocFor(folder, rel)?.getText() ?? folder.disk.get(rel);
  }

  /** The text the folder's latest analysis saw (what diagnostics and fixes are positioned on). */
  analysedText(folder: Folder, rel: string): string | undefined {
    return folder.service.text(rel) ?? this.textOf(folder, rel);
  }

  /** An open document whose text is not the one the folder's findings come from (changed since). */
  isStale(folder: Folder, rel: string): boolean {
    const doc = this.openDocFor(folder, rel);
    if (!doc) return false;
    const analysed = folder.service.text(rel);
    return analysed !== undefined && analysed !== doc.getText();
  }

  /**
   * The document version an edit of `rel` computed on the analysed text holds for: the open
   * document's version when its text is the analysed one, the analysed version when it changed
   * since (the client then refuses the edit), null for a file that is not open; undefined when
   * there is no version to give (changed before it was ever analysed).
   */
  editVersion(folder: Folder, rel: string): number | null | undefined {
    const doc = this.openDocFor(folder, rel);
    if (!doc) return null;
    return this.isStale(folder, rel) ? folder.analysedVersions.get(rel) : doc.version;
  }

  /** Whether a file (on disk or in a buffer) takes part in the analysis. */
  admitted(folder: Folder, rel: string): boolean {
    if (!rel || !AnalysisService.understands(rel)) return false;
    if (folder.excluded(rel) || underSkippedDir(folder, rel)) return false;
    const own = folder.skipped.get(rel);
    if (own && NOT_OURS.has(own.reason)) return false;
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
      const s = folder.skipped.get(rel.slice(0, i));
      if (s && s.folder && NOT_OURS.has(s.reason)) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // folders and settings

  /** Adds a workspace folder (not read yet: see `load`); undefined for a non-file URI or a folder already there. */
  add(wf: WorkspaceFolder): Folder | undefined {
    const p = fsPathOf(wf?.uri);
    if (!p) return undefined;
    const root = path.resolve(p);
    if (this.folders.some((f) => f.root === root)) return undefined;
    const settings = normalizeSettings({});
    const folder: Folder = {
      name: typeof wf.name === 'string' ? wf.name : path.basename(root),
      root,
      realRoot: realpathOrUndefined(root) ?? root,
      uri: wf.uri,
      disk: new Map(),
      encodings: new Map(),
      skipped: new Map(),
      links: new Map(),
      service: new AnalysisService(settings.options),
      settings,
      excluded: settings.exclude.excluded,
      include: () => false,
      published: new Map(),
      publishedUri: new Map(),
      uriMoved: new Set(),
      ready: false,
      removed: false,
      pending: new Set(),
      pendingAll: true,
      settingsChanged: true,
      optionsChanged: false,
      clientUris: new Map(),
      analysedVersions: new Map(),
      timers: new Set(),
    };
    this.folders.push(folder);
    return folder;
  }

  remove(wf: WorkspaceFolder): Folder | undefined {
    const p = fsPathOf(wf?.uri);
    const root = p && path.resolve(p);
    const i = this.folders.findIndex((f) => f.root === root);
    if (i < 0) return undefined;
    const [folder] = this.folders.splice(i, 1);
    folder.removed = true;
    for (const t of folder.timers) clearTimeout(t);
    folder.timers.clear();
    for (const [uri, hit] of this.docs) if (hit.folder === folder) this.docs.delete(uri);
    return folder;
  }

  /**
   * Applies a folder's settings: the repository's configuration file (found in the folder or above
   * it) with the editor's settings (of any shape) over it, as analysis options, exclude and include
   * patterns. Returns the warnings, and whether the exclude or include patterns changed (the folder
   * must be read again).
   */
  configure(folder: Folder, raw: unknown): { warnings: string[]; excludeChanged: boolean } {
    const before = patternsKey(folder);
    const config = loadConfigFor(folder.root, (f) => relOf(folder.root, f) || f);
    const layers: SettingsLayer[] = config?.layer ? [config.layer] : [];
    layers.push({ source: 'settings', settings: raw });
    const resolved = resolveSettings(layers);
    const scope = makeScope([{ kind: 'folder', rel: '' }], resolved.exclude, resolved.include);
    folder.settings = resolved;
    folder.includePatterns = resolved.include.patterns;
    folder.excluded = resolved.exclude.excluded;
    folder.include = (rel) => scope.include(rel);
    folder.configFile = config?.file;
    folder.settingsChanged = true;
    folder.pendingAll = true;
    const warnings = [...(config?.error ? [config.error] : []), ...(config?.warnings ?? []), ...resolved.warnings];
    return { warnings, excludeChanged: patternsKey(folder) !== before };
  }

  /** A path (or a folder on its way) no edit may touch: left out by the walk, or read through a link. */
  isBlocked(folder: Folder, rel: string): boolean {
    if (folder.links.has(rel) || folder.encodings.get(rel)?.invalid) return true;
    if (folder.skipped.has(rel)) return true;
    for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) if (folder.skipped.has(rel.slice(0, i))) return true;
    return false;
  }

  /** Paths no fix may edit or create in: what the walk left out, files read through links, files of invalid UTF-8. */
  blockedPaths(folder: Folder): Set<string> {
    const blocked = new Set<string>();
    for (const k of folder.skipped.keys()) if (k) blocked.add(k);
    for (const k of folder.links.keys()) blocked.add(k);
    for (const [k, e] of folder.encodings) if (e.invalid) blocked.add(k);
    return blocked;
  }

  /** Reads a folder from disk, all of it (start, a changed exclude setting, "lint the workspace"). */
  load(folder: Folder): LoadReport {
    folder.realRoot = realpathOrUndefined(folder.root) ?? folder.root;
    const w: WalkResult = readWorkspaceSync(folder.root, { exclude: folder.settings.exclude.matches, include: folder.include });
    folder.disk = w.snapshot;
    this.dirIndex.delete(folder);
    folder.encodings = w.encodings;
    folder.links = w.links;
    folder.skipped = new Map(w.skipped.map((s) => [s.file, s]));
    folder.pendingAll = true;
    folder.optionsChanged = true;
    folder.ready = true;
    return { files: w.snapshot.size, skipped: w.skipped };
  }

  // ---------------------------------------------------------------------------------------------
  // handing texts to the service

  /** Hands the service every text that changed since the last flush (called right before an analysis). */
  flush(folder: Folder): void {
    if (folder.settingsChanged || folder.optionsChanged) {
      const blocked = this.blockedPaths(folder);
      const prev = folder.appliedBlocked;
      const same = !!prev && prev.size === blocked.size && [...blocked].every((b) => prev.has(b));
      // new options make the next analysis a whole one: only when they differ
      if (folder.settingsChanged || !same) folder.service.setOptions({ ...folder.settings.options, blockedPaths: blocked });
      folder.appliedBlocked = blocked;
      folder.settingsChanged = folder.optionsChanged = false;
    }
    if (folder.pendingAll) {
      folder.pendingAll = false;
      folder.pending.clear();
      const want = new Set<string>(folder.disk.keys());
      for (const rel of folder.clientUris.keys()) want.add(rel);
      for (const rel of [...folder.service.paths()]) if (!want.has(rel)) folder.service.deleteFile(rel);
      for (const rel of want) this.syncOne(folder, rel);
      return;
    }
    for (const rel of folder.pending) this.syncOne(folder, rel);
    folder.pending.clear();
  }

  private syncOne(folder: Folder, rel: string): void {
    const doc = this.openDocFor(folder, rel);
    const text = doc?.getText() ?? folder.disk.get(rel);
    if (text === undefined || !this.admitted(folder, rel)) {
      folder.service.deleteFile(rel);
      folder.analysedVersions.delete(rel);
      return;
    }
    folder.service.setFile(rel, text);
    if (doc) folder.analysedVersions.set(rel, doc.version);
    else folder.analysedVersions.delete(rel);
  }

  private touch(folder: Folder, rel: string): void {
    folder.pending.add(rel);
  }

  // ---------------------------------------------------------------------------------------------
  // buffers

  /** A buffer was opened or changed: its text applies. Returns its folder when the service may read it. */
  noteDocument(uri: string, opened: boolean): Folder | undefined {
    let hit = this.docs.get(uri);
    if (opened || !hit) {
      hit = this.resolve(uri);
      if (!hit || !hit.rel) return undefined;
      this.docs.set(uri, hit);
      if (this.uriOf(hit.folder, hit.rel) !== uri) hit.folder.uriMoved.add(hit.rel);
      hit.folder.clientUris.set(hit.rel, uri);
    }
    if (!this.admitted(hit.folder, hit.rel) && !hit.folder.service.hasFile(hit.rel)) return undefined;
    this.touch(hit.folder, hit.rel);
    return hit.folder;
  }

  /** A buffer was closed: the disk content applies again (read afresh: the buffer may have been saved). */
  closeDocument(uri: string): Folder | undefined {
    const hit = this.docs.get(uri) ?? this.resolve(uri);
    this.docs.delete(uri);
    if (!hit || !hit.rel || hit.folder.removed) return undefined;
    const { folder, rel } = hit;
    if (folder.clientUris.get(rel) === uri) {
      folder.clientUris.delete(rel);
      if (this.uriOf(folder, rel) !== uri) folder.uriMoved.add(rel);
    }
    folder.analysedVersions.delete(rel);
    if (folder.ready && this.admitted(folder, rel)) this.readFile(folder, rel);
    this.touch(folder, rel);
    return folder;
  }

  // ---------------------------------------------------------------------------------------------
  // watched files

  /**
   * Watched-file events of any shape: queued and applied in slices (the event loop runs between
   * slices, so requests answer during a storm of events). Returns a warning when the shape is wrong.
   */
  enqueue(changes: unknown): string | undefined {
    if (!Array.isArray(changes)) return `didChangeWatchedFiles without a list of changes (${changes === null ? 'null' : typeof changes}); ignored`;
    let junk = 0;
    for (const c of changes) {
      const ok = c !== null && typeof c === 'object' && typeof (c as FileEvent).uri === 'string' && [1, 2, 3].includes((c as FileEvent).type);
      if (ok) this.events.push({ uri: (c as FileEvent).uri, type: (c as FileEvent).type });
      else junk++;
    }
    if (!this.draining && this.events.length) void this.drain();
    return junk ? `${junk} watched-file change${junk === 1 ? '' : 's'} of the wrong shape ignored` : undefined;
  }

  /** Events waiting to be applied. */
  get queuedEvents(): number {
    return this.events.length;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      let head = 0;
      while (head < this.events.length) {
        const touched = new Set<Folder>();
        const start = performance.now();
        do {
          const f = this.applyEvent(this.events[head++]);
          if (f) touched.add(f);
        } while (head < this.events.length && performance.now() - start < EVENT_SLICE_MS);
        if (head > 4096) {
          this.events.splice(0, head);
          head = 0;
        }
        for (const f of touched) if (!f.removed) this.changed(f);
        await new Promise<void>((r) => setImmediate(r));
      }
      this.events.length = 0;
    } finally {
      this.draining = false;
    }
  }

  /** Applies one event to the disk view; returns the folder whose files changed. */
  private applyEvent(ch: FileEvent): Folder | undefined {
    const p = fsPathOf(ch.uri);
    if (!p) return undefined;
    const hit = this.folderFor(p);
    if (!hit || !hit.folder.ready) return undefined;
    const { folder, rel } = hit;
    if (rel === '') {
      if (ch.type === FileChangeType.Deleted) this.removeUnder(folder, '');
      else this.load(folder);
      return folder;
    }
    if (ch.type === FileChangeType.Deleted) {
      this.removeUnder(folder, rel);
      return folder;
    }
    // the walk never looks below a dependency, build or dot folder, nor at excluded paths
    if (underSkippedDir(folder, rel) || folder.excluded(rel)) return undefined;
    let lst: fs.Stats;
    try {
      lst = fs.lstatSync(p);
    } catch {
      this.removeUnder(folder, rel);
      return folder;
    }
    let isDir = lst.isDirectory();
    if (lst.isSymbolicLink()) {
      try {
        isDir = fs.statSync(p).isDirectory();
      } catch {
        isDir = false;
      }
    }
    if (isDir) {
      this.rescan(folder, rel, ch.type === FileChangeType.Created);
      return folder;
    }
    const hadFolder = this.hasUnder(folder, rel);
    if (hadFolder) this.removeUnder(folder, rel);
    if (!isCandidate(rel)) return hadFolder ? folder : undefined;
    this.readFile(folder, rel);
    return folder;
  }

  /** Folders that hold (or held) files of the disk view: so that an event for a file costs no scan of every path. */
  private readonly dirIndex = new WeakMap<Folder, Set<string>>();

  private dirs(folder: Folder): Set<string> {
    let dirs = this.dirIndex.get(folder);
    if (!dirs) {
      dirs = new Set();
      for (const k of folder.disk.keys()) this.addDirs(dirs, k);
      this.dirIndex.set(folder, dirs);
    }
    return dirs;
  }

  private addDirs(dirs: Set<string>, file: string): void {
    for (let i = file.lastIndexOf('/'); i > 0; i = file.lastIndexOf('/', i - 1)) {
      const d = file.slice(0, i);
      if (dirs.has(d)) break;
      dirs.add(d);
    }
  }

  private setDisk(folder: Folder, rel: string, text: string): void {
    folder.disk.set(rel, text);
    const dirs = this.dirIndex.get(folder);
    if (dirs) this.addDirs(dirs, rel);
  }

  private hasUnder(folder: Folder, rel: string): boolean {
    // the index may remember a folder whose files are gone: then the scan says so
    if (!this.dirs(folder).has(rel)) return false;
    const prefix = rel + '/';
    for (const k of folder.disk.keys()) if (k.startsWith(prefix)) return true;
    return false;
  }

  /** Takes a file, or a folder with everything under it, out of the disk view and the skip records. */
  private removeUnder(folder: Folder, rel: string): void {
    if (folder.disk.has(rel)) {
      folder.disk.delete(rel);
      this.touch(folder, rel);
    } else if (rel === '' || this.dirs(folder).has(rel)) {
      for (const k of [...folder.disk.keys()]) {
        if (rel === '' || k.startsWith(rel + '/')) {
          folder.disk.delete(k);
          this.touch(folder, k);
        }
      }
    }
    this.forgetUnder(folder, rel);
  }

  /** Drops what was recorded about a path and below it (skips, links, encodings). */
  private forgetUnder(folder: Folder, rel: string): void {
    let changed = false;
    for (const m of [folder.skipped, folder.links, folder.encodings] as Map<string, unknown>[]) {
      for (const k of [...m.keys()]) {
        if (rel === '' || isUnder(k, rel)) {
          m.delete(k);
          changed = true;
        }
      }
    }
    if (changed) folder.optionsChanged = true;
  }

  private skip(folder: Folder, s: Skipped): void {
    folder.skipped.set(s.file, s);
    folder.optionsChanged = true;
  }

  /** Would the walk read `realRel` (a path inside the folder) by its own name? */
  private walkable(folder: Folder, realRel: string, isFolder: boolean): boolean {
    if (realRel === '') return true;
    if (realRel.startsWith('../') || realRel === '..') return false;
    if (underSkippedDir(folder, realRel, isFolder)) return false;
    return !folder.excluded(realRel);
  }

  /** Reads one file into the disk view through the contained reader, or records why it is left out. */
  private readFile(folder: Folder, rel: string): void {
    // what was recorded about this file goes; the read says what holds now
    for (const m of [folder.skipped, folder.links, folder.encodings] as Map<string, unknown>[]) if (m.delete(rel)) folder.optionsChanged = true;
    this.touch(folder, rel);
    const drop = (s?: Omit<Skipped, 'file' | 'folder'>) => {
      folder.disk.delete(rel);
      if (s) this.skip(folder, { file: rel, folder: false, ...s });
    };
    // resolves links, refuses a real path outside the workspace, opens only a regular file, without blocking
    const r = readFileContainedSync(folder.root, rel);
    if (!r.ok) {
      if (r.reason === 'missing') {
        let link = false;
        try {
          link = fs.lstatSync(path.join(folder.root, rel)).isSymbolicLink();
        } catch {
          link = false;
        }
        drop(link ? { reason: 'symlink-broken', detail: 'a symbolic link to nothing' } : undefined);
      } else drop(r.reason === 'outside-path' ? undefined : { reason: r.reason, detail: r.detail });
      return;
    }
    const own = r.realPath === path.join(folder.realRoot, rel);
    if (!own) {
      // reached through a link: the walk reads a file once, by its own name when it walks there
      const realRel = relOf(folder.realRoot, r.realPath);
      if (this.walkable(folder, realRel, false)) {
        drop({ reason: 'duplicate', detail: `the same file as ${realRel}, which is read instead` });
        return;
      }
    }
    this.setDisk(folder, rel, r.text);
    if (r.bom || r.encoding !== 'utf-8' || r.invalid) {
      folder.encodings.set(rel, { bom: r.bom, encoding: r.encoding, ...(r.invalid ? { invalid: true } : {}) });
      if (r.invalid) folder.optionsChanged = true;
    }
    if (!own) {
      folder.links.set(rel, r.realPath);
      folder.optionsChanged = true;
    }
  }

  /** Reads a folder (created, or changed as a whole) into the disk view, contained; again a moment later when it was just created. */
  private rescan(folder: Folder, rel: string, created: boolean): void {
    const abs = path.join(folder.root, rel);
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    const leaveOut = (s: Omit<Skipped, 'file' | 'folder'>) => {
      this.removeUnder(folder, rel);
      this.skip(folder, { file: rel, folder: true, ...s });
    };
    if (isSkippedDir(name) && !folder.include(rel)) {
      leaveOut({ reason: 'folder-rule', detail: name.startsWith('.') ? 'a dot folder (hidden folders are not walked)' : `a '${name}' folder (dependencies and build output are not walked)` });
      return;
    }
    const real = realpathOrUndefined(abs);
    if (real === undefined) {
      this.removeUnder(folder, rel);
      return;
    }
    if (!isInside(folder.realRoot, real)) {
      leaveOut({ reason: 'symlink-outside', detail: `a symbolic link to ${real}, outside the workspace; not followed` });
      return;
    }
    const own = real === path.join(folder.realRoot, rel);
    if (!own && this.walkable(folder, relOf(folder.realRoot, real), true)) {
      const loop = isInside(real, path.dirname(abs)) || real === folder.realRoot;
      leaveOut({ reason: 'duplicate', detail: loop ? 'a symbolic link to a folder that contains it (a loop); not followed' : 'a symbolic link to a folder that is read by its own path; not followed' });
      return;
    }
    const sub = readWorkspaceSync(abs, { exclude: (r) => folder.settings.exclude.matches(`${rel}/${r}`), include: (r) => folder.include(`${rel}/${r}`) });
    const prefix = rel + '/';
    for (const k of [...folder.disk.keys()]) {
      if (k.startsWith(prefix) && !sub.snapshot.has(k.slice(prefix.length))) {
        folder.disk.delete(k);
        this.touch(folder, k);
      }
    }
    this.forgetUnder(folder, rel);
    for (const [r, t] of sub.snapshot) {
      const k = prefix + r;
      if (folder.disk.get(k) !== t) {
        this.setDisk(folder, k, t);
        this.touch(folder, k);
      }
      if (!own) folder.links.set(k, path.join(real, r));
    }
    for (const [r, e] of sub.encodings) folder.encodings.set(prefix + r, e);
    for (const [r, l] of sub.links) folder.links.set(prefix + r, l);
    for (const s of sub.skipped) folder.skipped.set(s.file ? prefix + s.file : rel, { ...s, file: s.file ? prefix + s.file : rel });
    folder.optionsChanged = true;
    if (created) {
      // the files still being written when the event came
      const t = setTimeout(() => {
        folder.timers.delete(t);
        if (folder.removed) return;
        let isDir = false;
        try {
          isDir = fs.statSync(abs).isDirectory();
        } catch {
          isDir = false;
        }
        if (!isDir) return;
        this.rescan(folder, rel, false);
        this.changed(folder);
      }, NEW_FOLDER_RESCAN_MS);
      folder.timers.add(t);
    }
  }
}
