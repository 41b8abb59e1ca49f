/**
 * The language server: thin handlers over one AnalysisService per workspace folder (core/service.ts).
 *
 * What lives here: the connection's handlers, when to analyse (changes are coalesced) and what to
 * publish (diagnostics of affected files whose diagnostics changed, opened or not; cleared when none
 * are left). Which text each service sees is files.ts; LSP shapes are convert.ts. Every answer itself
 * (findings, fixes, fix-all, suppression edits, hover, completion, plan, generator) comes from the
 * service.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
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
import { AnalysisService, type WorkspaceSettings } from '../core/service';
import { GeneratorError } from '../core/generate/cluster';
import { CONFIG_FILE_NAME } from '../core/config';
import type { Finding } from '../core/types';
import { LineIndex } from '../core/text';
import { projectFile, toolVersion } from '../io/project';
import { Ranges, SOURCE, sameRange, toCodeAction, toCompletionItem, toDiagnostic, toHover, toWorkspaceEdit, type UriResolver } from './convert';
import { WorkspaceFiles, fsPathOf, type Folder } from './files';
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
  type PlanChangedParams,
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

const DOCS_ROOT = projectFile('docs', 'rules');

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const files = new WorkspaceFiles(documents, (f) => schedule(f));
  const folders = files.folders;
  /** answers for files outside every workspace folder (schema completion, snippet defaults) */
  const loose = new AnalysisService();
  let hasConfiguration = false;
  let hasWatcherRegistration = false;
  let clientHandlesSuppress = false;
  let clientShowsDocuments = false;
  let planSubscribed = false;
  let scheduled: NodeJS.Timeout | undefined;
  const dirty = new Set<Folder>();
  const uriOf = (folder: Folder, rel: string) => files.uriOf(folder, rel);

  function resolverFor(folder: Folder): UriResolver {
    return {
      uri: (rel) => uriOf(folder, rel),
      text: (rel) => files.textOf(folder, rel),
      docUrl: (code) => pathToFileURL(path.join(DOCS_ROOT, `${code}.md`)).toString(),
    };
  }

  function publish(folder: Folder, rel: string, diagnostics: Diagnostic[]): void {
    const doc = files.openDocFor(folder, rel);
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
    const changed: PlanChangedParams = { folder: folder.uri };
    if (planSubscribed) void connection.sendNotification(PLAN_CHANGED, changed);
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
      containers: plan.containers.map((c) => ({ ...c, location: loc(c.file, c.span) })),
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
    let settings: Settings = {};
    if (hasConfiguration) {
      try {
        settings = ((await connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'amqCluster' })) as Settings | null) ?? {};
      } catch {
        settings = {};
      }
    }
    // the repository's .amq-cluster.json under the editor's settings; new include patterns: walk again
    if (files.configure(folder, settings) && folder.ready) await files.reload(folder);
    for (const w of folder.configWarnings ?? []) connection.console.warn(`amq-cluster: ${w}`);
  }

  async function addFolder(wf: WorkspaceFolder): Promise<void> {
    const folder = files.add(wf);
    if (!folder) return;
    await fetchSettings(folder);
    await files.load(folder);
    schedule(folder);
  }

  function removeFolder(wf: WorkspaceFolder): void {
    const folder = files.remove(wf);
    if (folder) for (const rel of folder.published.keys()) void connection.sendDiagnostics({ uri: uriOf(folder, rel), diagnostics: [] });
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
          { globPattern: '**/{myid,.env,Dockerfile,Makefile,zoo.cfg.dynamic*}' },
          { globPattern: '**/*.{xml,cfg,conf,properties,yml,yaml,env,java,kt,kts,groovy,scala,sh,jar}' },
          { globPattern: '**/*.{j2,jinja2,erb,tmpl,tpl,gotmpl,template,sed,in}' },
          { globPattern: `**/${CONFIG_FILE_NAME}` },
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
      files.syncAll(f);
      f.published.clear();
      f.service.invalidate();
      schedule(f);
    }
  });

  documents.onDidOpen((e) => {
    const folder = files.noteDocument(e.document.uri, true);
    if (folder) schedule(folder);
  });
  documents.onDidChangeContent((e) => {
    const folder = files.noteDocument(e.document.uri, false);
    if (folder) schedule(folder);
  });
  documents.onDidClose((e) => {
    void files.closeDocument(e.document.uri).then((folder) => folder && schedule(folder));
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    // the repository's configuration file changed: every folder reads its settings again
    if ((params.changes ?? []).some((c) => c.uri.endsWith('/' + CONFIG_FILE_NAME))) {
      for (const f of folders) {
        await fetchSettings(f);
        files.syncAll(f);
        f.service.invalidate();
        schedule(f);
      }
    }
    for (const f of await files.watched(params.changes)) schedule(f);
  });

  connection.onCodeAction((params: CodeActionParams): CodeAction[] => {
    const hit = files.folderForUri(params.textDocument.uri);
    if (!hit) return [];
    const { folder, rel } = hit;
    const resolver = resolverFor(folder);
    const ranges = new Ranges(resolver);
    const versions = (file: string) => files.openDocFor(folder, file)?.version ?? null;
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
    const hit = files.folderFor(p);
    const text = doc.getText();
    const li = new LineIndex(text);
    const entries = hit ? hit.folder.service.completion(hit.rel, doc.offsetAt(params.position), text) : loose.completion(path.basename(p), doc.offsetAt(params.position), text);
    return entries.map((e) => toCompletionItem(e, li));
  });

  connection.onHover((params) => {
    const p = fsPathOf(params.textDocument.uri);
    const doc = documents.get(params.textDocument.uri);
    if (!p || !doc) return null;
    const hit = files.folderFor(p);
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
      await files.reload(f);
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
    const service = files.folderFor(path.resolve(base))?.folder.service ?? loose;
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
