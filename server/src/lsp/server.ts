/**
 * The language server: thin handlers over one AnalysisService per workspace folder (core/service.ts).
 *
 * What lives here, and only this: the connection's handlers; which text the service sees for a file
 * (every workspace folder is read from disk on start, open buffers override disk content, watched-
 * file events keep the disk view current, the `exclude` setting leaves files out); when to analyse
 * (changes are coalesced) and what to publish; and the conversions between the service's offsets and
 * workspace-relative paths and LSP positions and URIs (convert.ts). Every answer itself (findings,
 * fixes, fix-all, suppression edits, hover, completion, plan, generator) comes from the service.
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  WatchKind,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisService, optionsFromSettings, type WorkspaceSettings } from '../core/service';
import { GeneratorError } from '../core/generate/cluster';
import { classify } from '../core/model/files';
import type { Finding } from '../core/types';
import { LineIndex } from '../core/text';
import { MAX_READ_BYTES, isSkippedDir, readWorkspace } from '../io/walk';
import { projectFile, toolVersion } from '../io/project';
import { Ranges, SOURCE, sameRange, toCodeAction, toCompletionItem, toDiagnostic, toHover, toWorkspaceEdit, type UriResolver } from './convert';
import { compileGlobs } from './glob';
import {
  Commands,
  Notifications,
  Requests,
  type FolderPlan,
  type GenerateParams,
  type GenerateResponse,
  type InitializationOptions,
  type LintWorkspaceResult,
  type ListenerView,
  type PlanResponse,
  type SuppressArguments,
} from '../protocol';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;
export const LINT_COMMAND = Commands.lintWorkspace;
export const SUPPRESS_COMMAND = Commands.suppress;
export const PLAN_REQUEST = Requests.plan;
export const PLAN_MARKDOWN_REQUEST = Requests.planMarkdown;
export const GENERATE_REQUEST = Requests.generate;
export const PLAN_CHANGED = Notifications.planChanged;

export type Settings = WorkspaceSettings;

interface Folder {
  name: string;
  root: string;
  uri: string;
  disk: Map<string, string>;
  service: AnalysisService;
  settings: Settings;
  excluded: (rel: string) => boolean;

  published: Map<string, string>;
  ready: boolean;
}

const DOCS_ROOT = projectFile('docs', 'rules');
/** A folder created by a copy or a generator may keep filling after its creation event: looked at again after this long. */
const NEW_FOLDER_RESCAN_MS = 400;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const folders: Folder[] = [];
  /** answers for files outside every workspace folder (schema completion, snippet defaults) */
  const loose = new AnalysisService();
  let hasConfiguration = false;
  let hasWatcherRegistration = false;
  let clientHandlesSuppress = false;
  let clientShowsDocuments = false;
  let planSubscribed = false;
  let scheduled: NodeJS.Timeout | undefined;
  const dirty = new Set<Folder>();
  /** URIs as the client spelled them, so diagnostics land on the same document */
  const clientUris = new Map<string, string>();

  const fsPathOf = (uri: string): string | undefined => {
    try {
      return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
    } catch {
      return undefined;
    }
  };

  function folderFor(fsPath: string): { folder: Folder; rel: string } | undefined {
    let best: Folder | undefined;
    for (const f of folders) {
      if ((fsPath === f.root || fsPath.startsWith(f.root + path.sep)) && (!best || f.root.length > best.root.length)) best = f;
    }
    if (!best) return undefined;
    return { folder: best, rel: path.relative(best.root, fsPath).split(path.sep).join('/') };
  }

  function uriOf(folder: Folder, rel: string): string {
    const abs = path.join(folder.root, rel);
    return clientUris.get(abs) ?? pathToFileURL(abs).toString();
  }

  function resolverFor(folder: Folder): UriResolver {
    return {
      uri: (rel) => uriOf(folder, rel),
      text: (rel) => textOf(folder, rel),
      docUrl: (code) => pathToFileURL(path.join(DOCS_ROOT, `${code}.md`)).toString(),
    };
  }

  function openDocFor(folder: Folder, rel: string): TextDocument | undefined {
    return documents.get(uriOf(folder, rel));
  }

  function textOf(folder: Folder, rel: string): string | undefined {
    return openDocFor(folder, rel)?.getText() ?? folder.disk.get(rel);
  }

  /** Feeds a file's effective text (open buffer over disk) to the folder's service. */
  function sync(folder: Folder, rel: string): void {
    const text = textOf(folder, rel);
    if (text === undefined || folder.excluded(rel) || !AnalysisService.understands(rel)) folder.service.deleteFile(rel);
    else folder.service.setFile(rel, text);
  }

  function syncAll(folder: Folder): void {
    for (const rel of [...folder.service.paths()]) if (!folder.disk.has(rel) && !openDocFor(folder, rel)) folder.service.deleteFile(rel);
    for (const rel of folder.disk.keys()) sync(folder, rel);
    for (const doc of documents.all()) {
      const p = fsPathOf(doc.uri);
      const hit = p ? folderFor(p) : undefined;
      if (hit && hit.folder === folder) sync(folder, hit.rel);
    }
  }

  function publish(folder: Folder, rel: string, diagnostics: Diagnostic[]): void {
    const doc = openDocFor(folder, rel);
    void connection.sendDiagnostics({ uri: uriOf(folder, rel), diagnostics, ...(doc ? { version: doc.version } : {}) });
  }

  function analyzeFolder(folder: Folder): void {
    if (!folder.ready) return;
    const update = folder.service.update();
    for (const e of update.internalErrors) {
      connection.console.error(`rule ${e.rule} failed: ${e.message}`);
      void connection.sendNotification('window/showMessage', { type: 2, message: `amq-cluster: rule ${e.rule} failed internally (${e.message}); other rules still report.` });
    }
    const resolver = resolverFor(folder);
    const ranges = new Ranges(resolver);
    const byFile = new Map<string, Finding[]>();
    for (const rel of update.affected) {
      const fs = folder.service.findings(rel);
      if (fs.length) byFile.set(rel, fs);
    }
    for (const [rel, findings] of byFile) {
      const diagnostics = findings.map((f) => toDiagnostic(f, resolver, ranges));
      const key = JSON.stringify(diagnostics);
      if (folder.published.get(rel) === key) continue;
      folder.published.set(rel, key);
      publish(folder, rel, diagnostics);
    }
    // after a partial update only affected files can have lost their findings (a deletion is a full update)
    for (const rel of update.full ? [...folder.published.keys()] : [...update.affected].filter((r) => folder.published.has(r))) {
      if (byFile.has(rel)) continue;
      folder.published.delete(rel);
      publish(folder, rel, []);
    }
    if (planSubscribed) void connection.sendNotification(PLAN_CHANGED, { folder: folder.uri });
  }

  /** The cluster picture of a folder with URIs and LSP ranges, for the cluster view. */
  function planFor(folder: Folder): FolderPlan {
    const plan = folder.service.plan();
    const ranges = new Ranges(resolverFor(folder));
    const loc = (file: string, span: { start: number; end: number }) => ({ uri: uriOf(folder, file), range: ranges.range(file, span) });
    const listener = (l: (typeof plan)['hosts'][number]['listeners'][number]): ListenerView => ({ ...l, location: loc(l.file, l.span) });
    return {
      folder: folder.uri,
      name: folder.name,
      clusters: plan.clusters.map((c) => ({ ...c, nodes: c.nodes.map((n) => ({ ...n, location: loc(n.file, n.span), listeners: n.listeners.map(listener) })) })),
      hosts: plan.hosts.map((h) => ({ ...h, listeners: h.listeners.map(listener) })),
    };
  }

  function schedule(folder: Folder): void {
    dirty.add(folder);
    if (scheduled) return;
    // coalesce a burst of changes (typing) into one analysis once the queue is drained
    scheduled = setTimeout(() => {
      scheduled = undefined;
      const todo = [...dirty];
      dirty.clear();
      for (const f of todo) {
        try {
          analyzeFolder(f);
        } catch (e) {
          connection.console.error(`analysis of ${f.root} failed: ${(e as Error).stack ?? e}`);
        }
      }
    }, 0);
  }

  async function fetchSettings(folder: Folder): Promise<void> {
    if (!hasConfiguration) return;
    try {
      const s = (await connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'amqCluster' })) as Settings | null;
      folder.settings = s ?? {};
    } catch {
      folder.settings = {};
    }
    folder.excluded = compileGlobs(folder.settings.exclude ?? []);
    folder.service.setOptions(optionsFromSettings(folder.settings));
  }

  async function addFolder(wf: WorkspaceFolder): Promise<void> {
    const root = fsPathOf(wf.uri);
    if (!root) return;
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
    folders.push(folder);
    await fetchSettings(folder);
    const { snapshot: disk } = await readWorkspace(folder.root);
    for (const [rel, text] of disk) if (!folder.disk.has(rel)) folder.disk.set(rel, text);
    syncAll(folder);
    folder.ready = true;
    schedule(folder);
  }

  function removeFolder(wf: WorkspaceFolder): void {
    const root = fsPathOf(wf.uri);
    const i = folders.findIndex((f) => f.root === (root && path.resolve(root)));
    if (i < 0) return;
    const [folder] = folders.splice(i, 1);
    for (const rel of folder.published.keys()) void connection.sendDiagnostics({ uri: uriOf(folder, rel), diagnostics: [] });
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    hasConfiguration = !!caps.workspace?.configuration;
    hasWatcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    clientHandlesSuppress = !!(params.initializationOptions as InitializationOptions | undefined)?.suppressCommand;
    clientShowsDocuments = !!caps.window?.showDocument?.support;
    const wfs = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : []);
    pendingFolders = wfs;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll] },
        completionProvider: { triggerCharacters: ['<', ' ', '=', '"', ':', ',', '.'] },
        hoverProvider: true,
        executeCommandProvider: { commands: [LINT_COMMAND, ...(clientShowsDocuments ? [Commands.showCreatedFile] : [])] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'amq-cluster-lsp', version: toolVersion() },
    };
  });

  let pendingFolders: WorkspaceFolder[] = [];
  connection.onInitialized(async () => {
    if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'amqCluster' });
    if (hasWatcherRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/{activemq.xml,jetty.xml,zoo.cfg,myid}' },
          { globPattern: '**/application*.{yml,yaml,properties}' },
          { globPattern: '**/*.java' },
          // folders: created (a copied node, a generated cluster: the files inside them may not get
          // events of their own) and deleted (their files do not either)
          { globPattern: '**/*', kind: WatchKind.Create | WatchKind.Delete },
        ],
      });
    }
    try {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const r of e.removed) removeFolder(r);
        for (const a of e.added) void addFolder(a);
      });
    } catch {
      // client without workspace folder support
    }
    await Promise.all(pendingFolders.map((f) => addFolder(f)));
  });

  connection.onDidChangeConfiguration(async () => {
    for (const f of folders) {
      await fetchSettings(f);
      syncAll(f);
      f.published.clear();
      f.service.invalidate();
      schedule(f);
    }
  });

  documents.onDidOpen((e) => noteDocument(e.document.uri, true));
  documents.onDidChangeContent((e) => noteDocument(e.document.uri, false));
  documents.onDidClose((e) => {
    const p = fsPathOf(e.document.uri);
    if (!p) return;
    const hit = folderFor(p);
    // the disk content applies again once the buffer is closed
    if (hit) {
      void fs
        .readFile(p, 'utf8')
        .then((t) => hit.folder.disk.set(hit.rel, t))
        .catch(() => hit.folder.disk.delete(hit.rel))
        .finally(() => {
          sync(hit.folder, hit.rel);
          schedule(hit.folder);
        });
    }
  });

  function noteDocument(uri: string, opened: boolean): void {
    const p = fsPathOf(uri);
    if (!p) return;
    if (opened) clientUris.set(path.resolve(p), uri);
    const hit = folderFor(p);
    if (!hit || !AnalysisService.understands(hit.rel)) return;
    sync(hit.folder, hit.rel);
    schedule(hit.folder);
  }

  /** Reads the files of a folder (created, or changed as a whole) into the disk view; true when it is a folder. */
  async function rescanFolder(folder: Folder, rel: string, abs: string): Promise<boolean> {
    if (rel.split('/').some((seg) => isSkippedDir(seg))) return false;
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st?.isDirectory()) return false;
    const { snapshot: sub } = await readWorkspace(abs);
    for (const [r, t] of sub) {
      const k = rel ? `${rel}/${r}` : r;
      if (folder.disk.get(k) === t) continue;
      folder.disk.set(k, t);
      sync(folder, k);
    }
    return true;
  }

  connection.onDidChangeWatchedFiles(async (params) => {
    const touched = new Set<Folder>();
    for (const ch of params.changes) {
      const p = fsPathOf(ch.uri);
      if (!p) continue;
      const hit = folderFor(p);
      if (!hit) continue;
      const { folder, rel } = hit;
      if (ch.type === FileChangeType.Deleted) {
        // a file, or a whole folder of them
        for (const k of [...folder.disk.keys()]) {
          if (k === rel || k.startsWith(rel + '/') || rel === '') {
            folder.disk.delete(k);
            sync(folder, k);
          }
        }
        touched.add(folder);
      } else if (classify(rel)) {
        try {
          if (classify(rel) !== 'marker' && (await fs.stat(p)).size > MAX_READ_BYTES) throw new Error('too large to read');
          folder.disk.set(rel, classify(rel) === 'marker' ? '' : await fs.readFile(p, 'utf8'));
        } catch {
          folder.disk.delete(rel);
        }
        sync(folder, rel);
        touched.add(folder);
      } else if (await rescanFolder(folder, rel, p)) {
        // a created or renamed folder: its files are read now, and once more a moment later for
        // the ones still being written when the event came
        touched.add(folder);
        if (ch.type === FileChangeType.Created) {
          setTimeout(() => {
            void rescanFolder(folder, rel, p).then((isDir) => {
              if (isDir) schedule(folder);
            });
          }, NEW_FOLDER_RESCAN_MS);
        }
      }
    }
    for (const f of touched) schedule(f);
  });

  connection.onCodeAction((params: CodeActionParams): CodeAction[] => {
    const p = fsPathOf(params.textDocument.uri);
    if (!p) return [];
    const hit = folderFor(p);
    if (!hit) return [];
    const { folder, rel } = hit;
    const resolver = resolverFor(folder);
    const ranges = new Ranges(resolver);
    const versions = (file: string) => openDocFor(folder, file)?.version ?? null;
    const findings = folder.service.findings(rel);
    const only = params.context.only;
    const wantsFixAll = !!only && only.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll));
    const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k === CodeActionKind.QuickFix);
    const actions: CodeAction[] = [];
    if (wantsQuickFix) {
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const f = findings.find((x) => x.code === d.code && x.message === d.message && sameRange(ranges.range(x.file, x.span), d.range));
        if (!f) continue;
        for (const fix of f.fixes ?? []) {
          const action = toCodeAction(fix, [d], resolver, ranges, versions);
          // a fix that creates a file also shows it (run by the client after the edit is applied)
          const created = fix.creates?.[0];
          if (created && clientShowsDocuments) action.command = { title: `Show ${created.file}`, command: Commands.showCreatedFile, arguments: [resolver.uri(created.file)] };
          actions.push(action);
        }
        const sup = folder.service.suppression(f);
        if (sup) {
          const action: CodeAction = { title: `Suppress ${f.code} here (asks for a reason)`, kind: CodeActionKind.QuickFix, diagnostics: [d] };
          const range = ranges.range(rel, sup.span);
          if (clientHandlesSuppress) {
            const args: SuppressArguments = [params.textDocument.uri, range, sup.prefix, sup.suffix];
            action.command = { title: action.title, command: SUPPRESS_COMMAND, arguments: args };
          } else {
            action.edit = { changes: { [params.textDocument.uri]: [{ range, newText: sup.prefix + 'reason' + sup.suffix }] } };
          }
          actions.push(action);
        }
      }
    }
    if (wantsFixAll) {
      const merged = folder.service.fixAll(rel);
      if (merged) actions.push({ title: merged.title, kind: FIX_ALL_KIND, edit: toWorkspaceEdit(merged, resolver, ranges, versions) });
    }
    return actions;
  });

  connection.onCompletion((params) => {
    const p = fsPathOf(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!p || !doc) return [];
    const hit = folderFor(p);
    const text = doc.getText();
    const li = new LineIndex(text);
    const entries = hit ? hit.folder.service.completion(hit.rel, doc.offsetAt(params.position), text) : loose.completion(path.basename(p), doc.offsetAt(params.position), text);
    return entries.map((e) => toCompletionItem(e, li));
  });

  connection.onHover((params) => {
    const p = fsPathOf(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!p || !doc) return null;
    const hit = folderFor(p);
    if (!hit) return null;
    const text = doc.getText();
    const h = hit.folder.service.hover(hit.rel, doc.offsetAt(params.position), text);
    return h ? toHover(h, new LineIndex(text)) : null;
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command === Commands.showCreatedFile) {
      const uri = params.arguments?.[0];
      if (typeof uri === 'string') await connection.window.showDocument({ uri, takeFocus: true }).catch(() => undefined);
      return undefined;
    }
    if (params.command !== LINT_COMMAND) return undefined;
    let count = 0;
    for (const f of folders) {
      const { snapshot: disk } = await readWorkspace(f.root);
      f.disk = disk;
      syncAll(f);
      f.published.clear();
      f.service.invalidate();
      analyzeFolder(f);
      count += f.service.allFindings().length;
    }
    const result: LintWorkspaceResult = { folders: folders.length, findings: count };
    return result;
  });

  connection.onRequest(PLAN_REQUEST, (): PlanResponse => {
    planSubscribed = true;
    return folders.filter((f) => f.ready).map((f) => planFor(f));
  });

  connection.onRequest(PLAN_MARKDOWN_REQUEST, (): string =>
    folders
      .filter((f) => f.ready)
      .map((f) => f.service.planMarkdown(`Cluster port plan: ${f.name}`))
      .join('\n'),
  );

  connection.onRequest(GENERATE_REQUEST, (params: GenerateParams): GenerateResponse => {
    const base = fsPathOf(params.folderUri);
    if (!base) return { error: 'the target must be a folder on disk' };
    // placed next to what the workspace folder that will hold it already runs
    const service = folderFor(path.resolve(base))?.folder.service ?? loose;
    try {
      const g = service.generate(params.spec);
      return {
        files: [...g.files].map(([rel, content]) => ({ uri: pathToFileURL(path.join(base, rel)).toString(), content })),
        summary: g.summary,
        failoverUrl: g.failoverUrl,
      };
    } catch (e) {
      if (e instanceof GeneratorError) return { error: e.message };
      throw e;
    }
  });

  documents.listen(connection);
  connection.listen();
}

export type { Diagnostic };
