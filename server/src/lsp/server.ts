/**
 * The language server: a thin adapter over the pure core.
 *
 * - Every workspace folder is indexed from disk on start; open buffers override disk content.
 * - Watched-file events keep the disk view current (created, changed, deleted, renamed).
 * - After any change only the clusters the change touches are re-analysed (core/incremental.ts;
 *   parse results are cached per file) and diagnostics are published for every affected file whose
 *   diagnostics changed, opened or not; files whose findings went away are cleared.
 * - Code actions carry the core's fixes; `source.fixAll.amq-cluster` applies every preferred fix.
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
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalAnalyzer } from '../core/incremental';
import { classify } from '../core/model/files';
import { isCandidate } from '../core/sources/recognize';
import { DEFAULT_MAX_FILE_SIZE, type AnalysisOptions, type Finding, type Fix, type Severity } from '../core/types';
import { MAX_READ_BYTES, readWorkspace } from '../io/walk';
import { projectFile, toolVersion } from '../io/project';
import { Ranges, SOURCE, sameRange, toCodeAction, toDiagnostic, toWorkspaceEdit, type UriResolver } from './convert';
import { suppressionEdit } from './suppress-action';
import { compileGlobs } from './glob';
import { provideCompletion, provideHover } from './assist';
import { schemaCompletions, schemaHover } from './schema-assist';
import { buildPlan, renderPlanMarkdown, type ClusterPlan } from '../core/plan';
import { generateCluster, GeneratorError, type ClusterSpec } from '../core/generate/cluster';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.${SOURCE}`;
export const LINT_COMMAND = 'amq-cluster.lintWorkspace';
export const SUPPRESS_COMMAND = 'amq-cluster.suppress';
export const PLAN_REQUEST = 'amqCluster/plan';
export const PLAN_MARKDOWN_REQUEST = 'amqCluster/planMarkdown';
export const GENERATE_REQUEST = 'amqCluster/generate';
export const PLAN_CHANGED = 'amqCluster/planChanged';

export interface Settings {
  activemqVersion?: string;
  severity?: Record<string, Severity | 'off'>;
  hostMap?: Record<string, string>;
  exclude?: string[];
  /** analysis size limit per file, in MB */
  maxFileSize?: number;
}

const MB = 1024 * 1024;

interface Folder {
  name: string;
  root: string;
  uri: string;
  disk: Map<string, string>;
  inc: IncrementalAnalyzer;
  settings: Settings;
  excluded: (rel: string) => boolean;

  published: Map<string, string>;
  ready: boolean;
}

const DOCS_ROOT = projectFile('docs', 'rules');

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const folders: Folder[] = [];
  let hasConfiguration = false;
  let hasWatcherRegistration = false;
  let clientHandlesSuppress = false;
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

  function resolverFor(folder: Folder): UriResolver {
    return {
      uri: (rel) => {
        const abs = path.join(folder.root, rel);
        return clientUris.get(abs) ?? pathToFileURL(abs).toString();
      },
      text: (rel) => textOf(folder, rel),
      docUrl: (code) => pathToFileURL(path.join(DOCS_ROOT, `${code}.md`)).toString(),
    };
  }

  function openDocFor(folder: Folder, rel: string): TextDocument | undefined {
    const abs = path.join(folder.root, rel);
    const uri = clientUris.get(abs) ?? pathToFileURL(abs).toString();
    return documents.get(uri);
  }

  function textOf(folder: Folder, rel: string): string | undefined {
    return openDocFor(folder, rel)?.getText() ?? folder.disk.get(rel);
  }

  /** Feeds a file's effective text (open buffer over disk) to the folder's analyzer. */
  function sync(folder: Folder, rel: string): void {
    const text = textOf(folder, rel);
    if (text === undefined || folder.excluded(rel) || !isCandidate(rel)) folder.inc.delete(rel);
    else folder.inc.set(rel, text);
  }

  function syncAll(folder: Folder): void {
    for (const rel of [...folder.inc.paths()]) if (!folder.disk.has(rel) && !openDocFor(folder, rel)) folder.inc.delete(rel);
    for (const rel of folder.disk.keys()) sync(folder, rel);
    for (const doc of documents.all()) {
      const p = fsPathOf(doc.uri);
      const hit = p ? folderFor(p) : undefined;
      if (hit && hit.folder === folder) sync(folder, hit.rel);
    }
  }

  function options(folder: Folder): AnalysisOptions {
    return {
      activemqVersion: folder.settings.activemqVersion || undefined,
      severityOverrides: folder.settings.severity,
      hostMap: folder.settings.hostMap,
      maxFileSize: maxFileSize(folder),
    };
  }

  function maxFileSize(folder: Folder | undefined): number {
    const mb = Number(folder?.settings.maxFileSize);
    return mb > 0 ? Math.round(mb * MB) : DEFAULT_MAX_FILE_SIZE;
  }

  /** Completion and hover parse the buffer: not for a file above the analysis limit. */
  function tooLarge(folder: Folder | undefined, text: string): boolean {
    return text.length > maxFileSize(folder);
  }

  function analyzeFolder(folder: Folder): void {
    if (!folder.ready) return;
    const update = folder.inc.update();
    const result = folder.inc.resultFor([...update.affected][0] ?? '');
    for (const e of update.affected.size && result ? result.internalErrors : []) {
      connection.console.error(`rule ${e.rule} failed: ${e.message}`);
      void connection.sendNotification('window/showMessage', { type: 2, message: `amq-cluster: rule ${e.rule} failed internally (${e.message}); other rules still report.` });
    }
    const resolver = resolverFor(folder);
    const ranges = new Ranges(resolver);
    const byFile = new Map<string, Finding[]>();
    for (const rel of update.affected) {
      const fs = folder.inc.findings(rel);
      if (fs.length) byFile.set(rel, fs);
    }
    for (const [rel, findings] of byFile) {
      const diagnostics = findings.map((f) => toDiagnostic(f, resolver, ranges));
      const key = JSON.stringify(diagnostics);
      if (folder.published.get(rel) === key) continue;
      folder.published.set(rel, key);
      const doc = openDocFor(folder, rel);
      void connection.sendDiagnostics({ uri: resolver.uri(rel), diagnostics, ...(doc ? { version: doc.version } : {}) });
    }
    // after a partial update only affected files can have lost their findings (a deletion is a full update)
    for (const rel of update.full ? [...folder.published.keys()] : [...update.affected].filter((r) => folder.published.has(r))) {
      if (byFile.has(rel)) continue;
      folder.published.delete(rel);
      const doc = openDocFor(folder, rel);
      void connection.sendDiagnostics({ uri: resolver.uri(rel), diagnostics: [], ...(doc ? { version: doc.version } : {}) });
    }
    if (planSubscribed) void connection.sendNotification(PLAN_CHANGED, { folder: folder.uri });
  }

  /** The cluster picture of a folder with URIs and LSP ranges, for the cluster view. */
  function planFor(folder: Folder): unknown {
    const full = folder.inc.fullResult();
    const plan: ClusterPlan = buildPlan(full.model, folder.inc.allFindings());
    const resolver = resolverFor(folder);
    const ranges = new Ranges(resolver);
    const loc = (file: string, span: { start: number; end: number }) => ({ uri: resolver.uri(file), range: ranges.range(file, span) });
    const listener = (l: ClusterPlan['hosts'][number]['listeners'][number]) => ({ ...l, location: loc(l.file, l.span) });
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
    folder.inc.setOptions(options(folder));
  }

  async function addFolder(wf: WorkspaceFolder): Promise<void> {
    const root = fsPathOf(wf.uri);
    if (!root) return;
    const folder: Folder = {
      name: wf.name,
      root: path.resolve(root),
      uri: wf.uri,
      disk: new Map(),
      inc: new IncrementalAnalyzer(),
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
    const resolver = resolverFor(folder);
    for (const rel of folder.published.keys()) void connection.sendDiagnostics({ uri: resolver.uri(rel), diagnostics: [] });
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    hasConfiguration = !!caps.workspace?.configuration;
    hasWatcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    clientHandlesSuppress = !!(params.initializationOptions as { suppressCommand?: boolean } | undefined)?.suppressCommand;
    const wfs = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : []);
    pendingFolders = wfs;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll] },
        completionProvider: { triggerCharacters: ['<', ' ', '=', '"', ':', ',', '.'] },
        hoverProvider: true,
        executeCommandProvider: { commands: [LINT_COMMAND] },
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
          { globPattern: '**/{myid,.env,Dockerfile,Makefile,zoo.cfg.dynamic*}' },
          { globPattern: '**/*.{xml,cfg,conf,properties,yml,yaml,env,java,kt,kts,groovy,scala,sh,jar}' },
          { globPattern: '**/*.{j2,jinja2,erb,tmpl,tpl,gotmpl,template,sed,in}' },
          { globPattern: '**/*', kind: 4 /* delete: folder deletions */ },
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
      f.inc.invalidate();
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
    if (!hit || !isCandidate(hit.rel)) return;
    sync(hit.folder, hit.rel);
    schedule(hit.folder);
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
      } else if (isCandidate(rel)) {
        try {
          if (classify(rel) !== 'marker' && (await fs.stat(p)).size > MAX_READ_BYTES) throw new Error('too large to read');
          folder.disk.set(rel, classify(rel) === 'marker' ? '' : await fs.readFile(p, 'utf8'));
        } catch {
          folder.disk.delete(rel);
        }
        sync(folder, rel);
        touched.add(folder);
      } else {
        // a created/changed folder (e.g. a renamed node): rescan it
        const st = await fs.stat(p).catch(() => undefined);
        if (st?.isDirectory()) {
          const { snapshot: sub } = await readWorkspace(p);
          for (const [r, t] of sub) {
            folder.disk.set(rel ? `${rel}/${r}` : r, t);
            sync(folder, rel ? `${rel}/${r}` : r);
          }
          touched.add(folder);
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
    const findings = folder.inc.findings(rel);
    const only = params.context.only;
    const wantsFixAll = !!only && only.some((k) => FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll));
    const wantsQuickFix = !only || only.some((k) => CodeActionKind.QuickFix.startsWith(k) || k === CodeActionKind.QuickFix);
    const actions: CodeAction[] = [];
    if (wantsQuickFix) {
      for (const d of params.context.diagnostics) {
        if (d.source !== SOURCE) continue;
        const f = findings.find((x) => x.code === d.code && x.message === d.message && sameRange(ranges.range(x.file, x.span), d.range));
        if (!f) continue;
        for (const fix of f.fixes ?? []) actions.push(toCodeAction(fix, [d], resolver, ranges, versions));
        if (f.code !== 'xml-syntax') {
          const sup = suppressionEdit(f, textOf(folder, rel) ?? '');
          if (sup) {
            const action: CodeAction = { title: `Suppress ${f.code} here (asks for a reason)`, kind: CodeActionKind.QuickFix, diagnostics: [d] };
            if (clientHandlesSuppress) {
              action.command = { title: action.title, command: SUPPRESS_COMMAND, arguments: [params.textDocument.uri, ranges.range(rel, sup.span), sup.prefix, sup.suffix] };
            } else {
              action.edit = { changes: { [params.textDocument.uri]: [{ range: ranges.range(rel, sup.span), newText: sup.prefix + 'reason' + sup.suffix }] } };
            }
            actions.push(action);
          }
        }
      }
    }
    if (wantsFixAll) {
      const fixes = preferredFixes(findings);
      if (fixes.length) {
        const merged: Fix = { title: 'Fix all auto-fixable amq-cluster problems', edits: fixes.flatMap((x) => x.edits), creates: fixes.flatMap((x) => x.creates ?? []) };
        actions.push({ title: merged.title, kind: FIX_ALL_KIND, edit: toWorkspaceEdit(merged, resolver, ranges, versions) });
      }
    }
    return actions;
  });

  /** The ActiveMQ version a file is judged against: the setting, else what the node's folder tells. */
  function versionOf(folder: Folder | undefined, rel: string, result: ReturnType<IncrementalAnalyzer['resultFor']>): string | undefined {
    if (folder?.settings.activemqVersion) return folder.settings.activemqVersion;
    return result?.model.brokers.find((b) => b.file === rel || b.jettyFile === rel)?.version;
  }

  connection.onCompletion((params) => {
    const p = fsPathOf(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!p || !doc) return [];
    const hit = folderFor(p);
    const rel = hit?.rel ?? path.basename(p);
    if (tooLarge(hit?.folder, doc.getText())) return [];
    const result = hit ? hit.folder.inc.resultFor(hit.rel) : undefined;
    return [...schemaCompletions(doc.getText(), doc.offsetAt(params.position), rel, versionOf(hit?.folder, rel, result)), ...provideCompletion(doc, params.position, rel, result)];
  });

  connection.onHover((params) => {
    const p = fsPathOf(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!p || !doc) return null;
    const hit = folderFor(p);
    if (!hit || tooLarge(hit.folder, doc.getText())) return null;
    const result = hit.folder.inc.resultFor(hit.rel);
    return provideHover(doc, params.position, hit.rel, result) ?? schemaHover(doc.getText(), doc.offsetAt(params.position), hit.rel, versionOf(hit.folder, hit.rel, result));
  });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== LINT_COMMAND) return undefined;
    let count = 0;
    for (const f of folders) {
      const { snapshot: disk } = await readWorkspace(f.root);
      f.disk = disk;
      syncAll(f);
      f.published.clear();
      f.inc.invalidate();
      analyzeFolder(f);
      count += f.inc.allFindings().length;
    }
    return { folders: folders.length, findings: count };
  });

  connection.onRequest(PLAN_REQUEST, () => {
    planSubscribed = true;
    return folders.filter((f) => f.ready).map((f) => planFor(f));
  });

  connection.onRequest(PLAN_MARKDOWN_REQUEST, () =>
    folders
      .filter((f) => f.ready)
      .map((f) => renderPlanMarkdown(buildPlan(f.inc.fullResult().model, f.inc.allFindings()), `Cluster port plan: ${f.name}`))
      .join('\n'),
  );

  connection.onRequest(GENERATE_REQUEST, (params: { spec: ClusterSpec; folderUri: string }) => {
    try {
      const g = generateCluster({ ...params.spec, folder: '.' });
      const base = fsPathOf(params.folderUri);
      if (!base) return { error: 'the target must be a folder on disk' };
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

/** Non-overlapping preferred fixes of one file's findings. */
export function preferredFixes(findings: Finding[]): Fix[] {
  const out: Fix[] = [];
  const taken: { file: string; start: number; end: number }[] = [];
  const created = new Set<string>();
  for (const f of findings) {
    const fix = (f.fixes ?? []).find((x) => x.isPreferred);
    if (!fix) continue;
    const overlaps = fix.edits.some((e) => taken.some((t) => t.file === e.file && e.span.start < t.end && t.start < e.span.end || (t.file === e.file && t.start === e.span.start)));
    if (overlaps || (fix.creates ?? []).some((c) => created.has(c.file))) continue;
    for (const e of fix.edits) taken.push({ file: e.file, start: e.span.start, end: e.span.end });
    for (const c of fix.creates ?? []) created.add(c.file);
    out.push(fix);
  }
  return out;
}


export type { Diagnostic };
