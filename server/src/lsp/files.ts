/**
 * Which text each workspace folder's analysis service sees: every folder is read from disk on
 * start, open buffers override disk content, watched-file events keep the disk view current, and
 * the `exclude` setting leaves files out. Paths, URIs and file system events only: no analysis.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileChangeType, type FileEvent, type TextDocuments, type WorkspaceFolder } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisService, optionsFromSettings, type WorkspaceSettings } from '../core/service';
import { classify } from '../core/model/files';
import { isCandidate } from '../core/sources/recognize';
import { markerNeedsText } from '../core/model/versions';
import { MAX_READ_BYTES, isSkippedDir, readWorkspace } from '../io/walk';
import { resolveSettings, type SettingsLayer } from '../core/config';
import { makeScope } from '../core/scope';
import { loadConfigFor } from '../io/config';

export interface Folder {
  name: string;
  root: string;
  uri: string;
  /** file text on disk, by workspace-relative path */
  disk: Map<string, string>;
  service: AnalysisService;
  settings: WorkspaceSettings;
  excluded: (rel: string) => boolean;
  /** folders the folder rule skips that the `include` setting opens (for the walk) */
  include?: (rel: string) => boolean;
  /** the include patterns in use, to tell when the folder must be walked again */
  includeKey?: string;
  /** the repository's configuration file (.amq-cluster.json) in use, and what was wrong with it */
  configFile?: string;
  configWarnings?: string[];
  /** the diagnostics last published per file (JSON), to publish only changes */
  published: Map<string, string>;
  /** read from disk (before that, nothing is analysed) */
  ready: boolean;
}

/** A folder created by a copy or a generator may keep filling after its creation event: read again after this long. */
const NEW_FOLDER_RESCAN_MS = 400;

export function fsPathOf(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export class WorkspaceFiles {
  readonly folders: Folder[] = [];
  /** URIs as the client spelled them, so diagnostics land on the same document */
  private readonly clientUris = new Map<string, string>();

  /**
   * @param changed called when a folder's files changed outside an event handler's own report
   *   (a delayed re-read of a new folder), so the folder gets analysed
   */
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly changed: (folder: Folder) => void,
  ) {}

  /** The deepest workspace folder holding a path, and the path relative to it. */
  folderFor(fsPath: string): { folder: Folder; rel: string } | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) {
      if ((fsPath === f.root || fsPath.startsWith(f.root + path.sep)) && (!best || f.root.length > best.root.length)) best = f;
    }
    if (!best) return undefined;
    return { folder: best, rel: path.relative(best.root, fsPath).split(path.sep).join('/') };
  }

  folderForUri(uri: string): { folder: Folder; rel: string } | undefined {
    const p = fsPathOf(uri);
    return p ? this.folderFor(p) : undefined;
  }

  uriOf(folder: Folder, rel: string): string {
    const abs = path.join(folder.root, rel);
    return this.clientUris.get(abs) ?? pathToFileURL(abs).toString();
  }

  openDocFor(folder: Folder, rel: string): TextDocument | undefined {
    return this.documents.get(this.uriOf(folder, rel));
  }

  /** The effective text of a file: the open buffer, else the disk. */
  textOf(folder: Folder, rel: string): string | undefined {
    return this.openDocFor(folder, rel)?.getText() ?? folder.disk.get(rel);
  }

  /** Feeds a file's effective text to the folder's service (or takes it out). */
  sync(folder: Folder, rel: string): void {
    const text = this.textOf(folder, rel);
    if (text === undefined || folder.excluded(rel) || !AnalysisService.understands(rel)) folder.service.deleteFile(rel);
    else folder.service.setFile(rel, text);
  }

  syncAll(folder: Folder): void {
    for (const rel of [...folder.service.paths()]) if (!folder.disk.has(rel) && !this.openDocFor(folder, rel)) folder.service.deleteFile(rel);
    for (const rel of folder.disk.keys()) this.sync(folder, rel);
    for (const doc of this.documents.all()) {
      const hit = this.folderForUri(doc.uri);
      if (hit && hit.folder === folder) this.sync(folder, hit.rel);
    }
  }

  /**
   * Applies a folder's settings: the repository's configuration file (found in the folder or above
   * it, core/config.ts) with the editor's settings over it, as analysis options, exclude and
   * include globs. Returns true when the include patterns changed (the folder must be walked again).
   */
  configure(folder: Folder, settings: WorkspaceSettings): boolean {
    folder.settings = settings;
    const config = loadConfigFor(folder.root);
    const layers: SettingsLayer[] = config?.layer ? [config.layer] : [];
    layers.push({ source: 'settings', settings });
    const resolved = resolveSettings(layers);
    const scope = makeScope([{ kind: 'folder', rel: '' }], resolved.exclude, resolved.include);
    folder.excluded = scope.exclude;
    folder.include = scope.include;
    folder.configFile = config?.file;
    folder.configWarnings = [...(config?.error ? [config.error] : []), ...(config?.warnings ?? []), ...resolved.warnings];
    folder.service.setOptions(resolved.options);
    const key = resolved.include.patterns.join('\n');
    const changed = (folder.includeKey ?? '') !== key;
    folder.includeKey = key;
    return changed;
  }

  /** Adds a workspace folder (not read yet: see `load`). */
  add(wf: WorkspaceFolder): Folder | undefined {
    const root = fsPathOf(wf.uri);
    if (!root) return undefined;
    const folder: Folder = {
      name: wf.name,
      root: path.resolve(root),
      uri: wf.uri,
      disk: new Map(),
      service: new AnalysisService(optionsFromSettings({})),
      settings: {},
      excluded: () => false,
      published: new Map(),
      ready: false,
    };
    this.folders.push(folder);
    return folder;
  }

  /** Reads a folder from disk (keeping what events brought in meanwhile) and feeds its service. */
  async load(folder: Folder): Promise<void> {
    const { snapshot: disk } = await readWorkspace(folder.root, { include: folder.include });
    for (const [rel, text] of disk) if (!folder.disk.has(rel)) folder.disk.set(rel, text);
    this.syncAll(folder);
    folder.ready = true;
  }

  /** Reads a folder from disk again, all of it. */
  async reload(folder: Folder): Promise<void> {
    folder.disk = (await readWorkspace(folder.root, { include: folder.include })).snapshot;
    this.syncAll(folder);
  }

  remove(wf: WorkspaceFolder): Folder | undefined {
    const root = fsPathOf(wf.uri);
    const i = this.folders.findIndex((f) => f.root === (root && path.resolve(root)));
    return i < 0 ? undefined : this.folders.splice(i, 1)[0];
  }

  /** A buffer was opened or changed: its text applies. Returns its folder when the service reads it. */
  noteDocument(uri: string, opened: boolean): Folder | undefined {
    const p = fsPathOf(uri);
    if (!p) return undefined;
    if (opened) this.clientUris.set(path.resolve(p), uri);
    const hit = this.folderFor(p);
    if (!hit || !AnalysisService.understands(hit.rel)) return undefined;
    this.sync(hit.folder, hit.rel);
    return hit.folder;
  }

  /** A buffer was closed: the disk content applies again. */
  async closeDocument(uri: string): Promise<Folder | undefined> {
    const p = fsPathOf(uri);
    const hit = p ? this.folderFor(p) : undefined;
    if (!p || !hit) return undefined;
    try {
      hit.folder.disk.set(hit.rel, await fs.readFile(p, 'utf8'));
    } catch {
      hit.folder.disk.delete(hit.rel);
    }
    this.sync(hit.folder, hit.rel);
    return hit.folder;
  }

  /** Reads the files of a folder (created, or changed as a whole) into the disk view; false when it is no folder. */
  private async rescanFolder(folder: Folder, rel: string, abs: string): Promise<boolean> {
    if (rel.split('/').some((seg) => isSkippedDir(seg))) return false;
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st?.isDirectory()) return false;
    const { snapshot: sub } = await readWorkspace(abs);
    for (const [r, t] of sub) {
      const k = rel ? `${rel}/${r}` : r;
      if (folder.disk.get(k) === t) continue;
      folder.disk.set(k, t);
      this.sync(folder, k);
    }
    return true;
  }

  /** Watched-file events: returns the folders whose files changed. */
  async watched(changes: FileEvent[]): Promise<Set<Folder>> {
    const touched = new Set<Folder>();
    for (const ch of changes) {
      const p = fsPathOf(ch.uri);
      if (!p) continue;
      const hit = this.folderFor(p);
      if (!hit) continue;
      const { folder, rel } = hit;
      if (ch.type === FileChangeType.Deleted) {
        // a file, or a whole folder of them
        for (const k of [...folder.disk.keys()]) {
          if (k === rel || k.startsWith(rel + '/') || rel === '') {
            folder.disk.delete(k);
            this.sync(folder, k);
          }
        }
        touched.add(folder);
      } else if (isCandidate(rel)) {
        try {
          const nameOnly = classify(rel) === 'marker' && !markerNeedsText(rel);
          if (!nameOnly && (await fs.stat(p)).size > MAX_READ_BYTES) throw new Error('too large to read');
          folder.disk.set(rel, nameOnly ? '' : await fs.readFile(p, 'utf8'));
        } catch {
          folder.disk.delete(rel);
        }
        this.sync(folder, rel);
        touched.add(folder);
      } else if (await this.rescanFolder(folder, rel, p)) {
        // a created or renamed folder: its files are read now, and once more a moment later for
        // the ones still being written when the event came
        touched.add(folder);
        if (ch.type === FileChangeType.Created) {
          setTimeout(() => {
            void this.rescanFolder(folder, rel, p).then((isDir) => {
              if (isDir) this.changed(folder);
            });
          }, NEW_FOLDER_RESCAN_MS);
        }
      }
    }
    return touched;
  }
}
