/**
 * The language server: thin handlers over one AnalysisService per workspace folder (core/service.ts).
 *
 * What lives here: the connection's handlers and what to publish (diagnostics of affected files
 * whose diagnostics changed, opened or not; cleared when none are left). When to analyse is
 * schedule.ts (changes coalesced, storms waited out), which text each service sees is files.ts
 * (contained reads, buffers, watched files, excludes), the connection itself transport.ts, LSP
 * shapes convert.ts. Every answer itself (findings, fixes, fix-all, suppression edits, hover,
 * completion, plan, generator) comes from the service.
 *
 * Hover, completion and code actions never run an analysis: they answer from the latest one (a
 * buffer edited since is answered where it did not change; fixes on it carry the analysed
 * version). Long requests (plan, lint-workspace, listFiles) yield between folders and stop when
 * cancelled.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeAction,
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
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
import type { Finding, Fix } from '../core/types';
import type { HoverInfo } from '../core/assist/types';
import { projectFile, toolVersion } from '../io/project';
import { Ranges, SOURCE, lineIndexOf, sameRange, toCodeAction, toCompletionItem, toDiagnostic, toHover, toWorkspaceEdit, type UriResolver } from './convert';
import { WorkspaceFiles, fsPathOf, type Folder } from './files';
import { folderFiles, loadSummary, renderFiles } from './listfiles';
import { AnalysisScheduler } from './schedule';
import type { Traffic } from './transport';
import { fileWatchers } from './watch';
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
  type FolderFiles,
  type ListFilesResponse,
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

export function startServer(connection: Connection, traffic: Traffic = { queued: () => 0 }): void {
  const documents = new TextDocuments(TextDocument);
  const files = new WorkspaceFiles(documents, (f) => scheduler.request(f, { kind: 'disk' }));
  const folders = files.folders;
  const scheduler = new AnalysisScheduler<Folder>(traffic, (f) => analyzeFolder(f));
  /** answers for files outside every workspace folder (schema completion, snippet defaults) */
  const loose = new AnalysisService();
  let hasConfiguration = false;
  let hasWatcherRegistration = false;
  let clientHandlesSuppress = false;
  let clientShowsDocuments = false;
  let clientDocumentChanges = false;
  let planSubscribed = false;
  /** settings the client pushed with didChangeConfiguration (clients without workspace/configuration) */
  let pushedSettings: unknown;
  /** per folder: internal errors already shown, the settings warnings last shown */
  const shownErrors = new WeakMap<Folder, Set<string>>();
  const shownWarnings = new WeakMap<Folder, string>();

  function resolverFor(folder: Folder): UriResolver {
    return {
      uri: (rel) => files.uriOf(folder, rel),
      // what diagnostics and fixes are positioned on: the text of the latest analysis
      text: (rel) => files.analysedText(folder, rel),
      docUrl: (code) => pathToFileURL(path.join(DOCS_ROOT, `${code}.md`)).toString(),
    };
  }

  function publish(folder: Folder, rel: string, diagnostics: Diagnostic[]): void {
    const uri = files.uriOf(folder, rel);
    const version = files.openDocFor(folder, rel) ? folder.analysedVersions.get(rel) : undefined;
    if (diagnostics.length) folder.publishedUri.set(rel, uri);
    else folder.publishedUri.delete(rel);
    void connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  }

  function analyzeFolder(folder: Folder): void {
    if (!folder.ready || folder.removed) return;
    try {
      files.flush(folder);
      const update = folder.service.update();
      let shown = shownErrors.get(folder);
      if (!shown) shownErrors.set(folder, (shown = new Set()));
      for (const e of update.internalErrors) {
        const key = `${e.rule}\u0000${e.message}`;
        if (shown.has(key)) continue;
        shown.add(key);
        connection.console.error(`rule ${e.rule} failed: ${e.message}`);
        void connection.sendNotification('window/showMessage', { type: MessageType.Warning, message: `amq-cluster: rule ${e.rule} failed internally (${e.message}); other rules still report.` });
      }
      // files now shown under another URI (opened by another path, closed): their diagnostics move
      const moved = [...folder.uriMoved];
      folder.uriMoved.clear();
      for (const rel of moved) {
        const old = folder.publishedUri.get(rel);
        if (old === undefined || old === files.uriOf(folder, rel)) continue;
        void connection.sendDiagnostics({ uri: old, diagnostics: [] });
        folder.publishedUri.delete(rel);
        folder.published.delete(rel);
      }
      const touched = new Set<string>(update.affected);
      for (const rel of moved) touched.add(rel);
      const resolver = resolverFor(folder);
      const ranges = new Ranges(resolver);
      const byFile = new Map<string, Finding[]>();
      for (const rel of touched) {
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
      // after a partial update only touched files can have lost their findings (a deletion is a full update)
      for (const rel of update.full ? [...folder.published.keys()] : [...touched].filter((r) => folder.published.has(r))) {
        if (byFile.has(rel)) continue;
        folder.published.delete(rel);
        publish(folder, rel, []);
      }
    } catch (e) {
      connection.console.error(`analysis of ${folder.root} failed: ${(e as Error).stack ?? e}`);
      return;
    }
    const changed: PlanChangedParams = { folder: folder.uri };
    if (planSubscribed) void connection.sendNotification(PLAN_CHANGED, changed);
    // after a whole analysis: what later edits need, once the diagnostics are out and the messages
    // received meanwhile are handled
    setImmediate(() => {
      if (!folder.removed) folder.service.prepare();
    });
  }

  /** The cluster picture of a folder with URIs and LSP ranges, for the cluster view. */
  function planFor(folder: Folder): FolderPlan {
    const plan = folder.service.plan();
    const ranges = new Ranges(resolverFor(folder));
    const loc = (file: string, span: { start: number; end: number }) => ({ uri: files.uriOf(folder, file), range: ranges.range(file, span) });
    const listener = (l: (typeof plan)['hosts'][number]['listeners'][number]): ListenerView => ({ ...l, location: loc(l.file, l.span) });
    return {
      folder: folder.uri,
      name: folder.name,
      clusters: plan.clusters.map((c) => ({ ...c, nodes: c.nodes.map((n) => ({ ...n, location: loc(n.file, n.span), listeners: n.listeners.map(listener) })) })),
      hosts: plan.hosts.map((h) => ({ ...h, listeners: h.listeners.map(listener) })),
      containers: plan.containers.map((c) => ({ ...c, location: loc(c.file, c.span) })),
    };
  }

  /**
   * The cancellation token of a request handler's arguments: vscode-jsonrpc passes it last, after
   * the params when there are any (none: it is the only argument).
   */
  function tokenIn(args: unknown[]): CancellationToken | undefined {
    for (let i = args.length - 1; i >= 0; i--) {
      const a = args[i] as CancellationToken | undefined;
      if (a && typeof a === 'object' && typeof a.isCancellationRequested === 'boolean' && typeof a.onCancellationRequested === 'function') return a;
    }
    return undefined;
  }

  /**
   * Lets received messages (a $/cancelRequest among them) be handled, then stops a cancelled
   * request. Two turns of the event loop: the reader reads in one turn's poll phase and hands the
   * message over in that turn's check phase, after an immediate queued before it.
   */
  async function checkpoint(token: CancellationToken | undefined): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    await new Promise<void>((r) => setImmediate(r));
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  }

  /** The folders with an analysis of their current texts (requests that need fresh results). */
  function current(folder: Folder): boolean {
    if (!folder.ready || folder.removed) return false;
    scheduler.runNow(folder);
    return true;
  }

  function reportSettings(folder: Folder, warnings: string[]): void {
    const key = warnings.join('\n');
    if ((shownWarnings.get(folder) ?? '') === key) return;
    shownWarnings.set(folder, key);
    if (!warnings.length) return;
    for (const w of warnings) connection.console.warn(`settings of ${folder.name}: ${w}`);
    const more = warnings.length > 2 ? ` (and ${warnings.length - 2} more, see the output)` : '';
    void connection.sendNotification('window/showMessage', { type: MessageType.Warning, message: `amq-cluster: settings of ${folder.name}: ${warnings.slice(0, 2).join('; ')}${more}` });
  }

  /** Fetches and applies a folder's settings; true when its exclude patterns changed. */
  async function fetchSettings(folder: Folder): Promise<boolean> {
    let raw: unknown = pushedSettings;
    if (hasConfiguration) {
      try {
        raw = await connection.workspace.getConfiguration({ scopeUri: folder.uri, section: 'amqCluster' });
      } catch (e) {
        connection.console.warn(`settings of ${folder.name} could not be read (${(e as Error)?.message ?? e}); defaults are used`);
        raw = undefined;
      }
    }
    if (folder.removed) return false;
    const { warnings, excludeChanged } = files.configure(folder, raw);
    reportSettings(folder, warnings);
    return excludeChanged;
  }

  function load(folder: Folder): void {
    const report = files.load(folder);
    for (const line of loadSummary(folder, report.files, report.skipped)) connection.console.info(line);
  }

  async function addFolder(wf: WorkspaceFolder): Promise<void> {
    const folder = files.add(wf);
    if (!folder) return;
    await fetchSettings(folder);
    // removed while its settings were asked for: nothing is read, nothing published
    if (folder.removed) return;
    load(folder);
    scheduler.request(folder);
  }

  function removeFolder(wf: WorkspaceFolder): void {
    const folder = files.remove(wf);
    if (!folder) return;
    scheduler.forget(folder);
    for (const rel of folder.published.keys()) void connection.sendDiagnostics({ uri: folder.publishedUri.get(rel) ?? files.uriOf(folder, rel), diagnostics: [] });
    folder.published.clear();
    folder.publishedUri.clear();
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params?.capabilities ?? {};
    hasConfiguration = !!caps.workspace?.configuration;
    hasWatcherRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    clientHandlesSuppress = !!(params?.initializationOptions as InitializationOptions | undefined)?.suppressCommand;
    clientShowsDocuments = !!caps.window?.showDocument?.support;
    clientDocumentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    const wfs = Array.isArray(params?.workspaceFolders) ? params.workspaceFolders : typeof params?.rootUri === 'string' ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : [];
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
    if (hasWatcherRegistration) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: fileWatchers() });
    try {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const r of Array.isArray(e?.removed) ? e.removed : []) removeFolder(r);
        for (const a of Array.isArray(e?.added) ? e.added : []) void addFolder(a);
      });
    } catch {
      // client without workspace folder support
    }
    await Promise.all(pendingFolders.map((f) => addFolder(f)));
  });

  connection.onDidChangeConfiguration(async (params) => {
    const pushed = (params as { settings?: unknown } | null)?.settings;
    if (pushed !== null && typeof pushed === 'object' && Object.prototype.hasOwnProperty.call(pushed, 'amqCluster')) pushedSettings = (pushed as Record<string, unknown>).amqCluster;
    for (const f of [...folders]) {
      const excludeChanged = await fetchSettings(f);
      if (f.removed) continue;
      if (excludeChanged && f.ready) load(f);
      scheduler.request(f);
    }
  });

  documents.onDidOpen((e) => {
    const folder = files.noteDocument(e.document.uri, true);
    if (folder) scheduler.request(folder, { kind: 'edit', chars: e.document.getText().length });
  });
  documents.onDidChangeContent((e) => {
    const folder = files.noteDocument(e.document.uri, false);
    if (folder) scheduler.request(folder, { kind: 'edit', chars: e.document.getText().length });
  });
  documents.onDidClose((e) => {
    const folder = files.closeDocument(e.document.uri);
    if (folder) scheduler.request(folder);
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    const changes = (params as { changes?: unknown } | null)?.changes;
    const warning = files.enqueue(changes);
    if (warning) connection.console.warn(warning);
    // the repository's configuration file changed: every folder reads its settings again (it may
    // lie above a folder, so every folder, not only the one the event names)
    if (Array.isArray(changes) && changes.some((c) => typeof c?.uri === 'string' && c.uri.endsWith('/' + CONFIG_FILE_NAME))) {
      for (const f of [...folders]) {
        const patternsChanged = await fetchSettings(f);
        if (f.removed) continue;
        if (patternsChanged && f.ready) load(f);
        scheduler.request(f);
      }
    }
  });

  connection.onCodeAction((params: CodeActionParams, token): CodeAction[] => {
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const uri = params?.textDocument?.uri;
    const hit = typeof uri === 'string' ? files.resolve(uri) : undefined;
    if (!hit || !hit.rel) return [];
    const { folder, rel } = hit;
    const resolver = resolverFor(folder);
    const ranges = new Ranges(resolver);
    // edits are positioned on the analysed texts: for a buffer changed since, they carry the
    // analysed version, so the client refuses them instead of applying them at the wrong place
    const versions = (file: string) => files.editVersion(folder, file) ?? null;
    const stale = (fix: Fix) => fix.edits.some((e) => files.isStale(folder, e.file));
    // a fix on a buffer changed since needs a version the client can check; without one, no fix
    const offerable = (fix: Fix) => !stale(fix) || (clientDocumentChanges && fix.edits.every((e) => files.editVersion(folder, e.file) !== undefined));
    const findings = folder.service.findings(rel);
    const only = Array.isArray(params.context?.only) ? params.context.only : undefined;
    const wantsFixAll = !!only && only.some((k) => typeof k === 'string' && FIX_ALL_KIND.startsWith(k) && k.startsWith(CodeActionKind.SourceFixAll));
    const wantsQuickFix = !only || only.some((k) => typeof k === 'string' && (CodeActionKind.QuickFix.startsWith(k) || k === CodeActionKind.QuickFix));
    const actions: CodeAction[] = [];
    if (wantsQuickFix) {
      for (const d of Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : []) {
        if (d?.source !== SOURCE || !d.range) continue;
        const f = findings.find((x) => x.code === d.code && x.message === d.message && sameRange(ranges.range(x.file, x.span), d.range));
        if (!f) continue;
        for (const fix of f.fixes ?? []) {
          if (!offerable(fix)) continue;
          const versioned = stale(fix);
          const action = toCodeAction(fix, [d], resolver, ranges, versions, versioned);
          // a fix that creates a file also shows it (run by the client after the edit is applied)
          const created = fix.creates?.[0];
          if (created && clientShowsDocuments) action.command = { title: `Show ${created.file}`, command: Commands.showCreatedFile, arguments: [resolver.uri(created.file)] };
          actions.push(action);
        }
        // a comment goes into this file: not into a buffer changed since, nor through a link
        const sup = files.isStale(folder, rel) || files.isBlocked(folder, rel) ? undefined : folder.service.suppression(f);
        if (sup) {
          const action: CodeAction = { title: `Suppress ${f.code} here (asks for a reason)`, kind: CodeActionKind.QuickFix, diagnostics: [d] };
          const range = ranges.range(rel, sup.span);
          if (clientHandlesSuppress) {
            const args: SuppressArguments = [uri, range, sup.prefix, sup.suffix];
            action.command = { title: action.title, command: SUPPRESS_COMMAND, arguments: args };
          } else {
            action.edit = { changes: { [uri]: [{ range, newText: sup.prefix + 'reason' + sup.suffix }] } };
          }
          actions.push(action);
        }
      }
    }
    if (wantsFixAll) {
      const merged = folder.service.fixAll(rel);
      if (merged && offerable(merged)) actions.push({ title: merged.title, kind: FIX_ALL_KIND, edit: toWorkspaceEdit(merged, resolver, ranges, versions, stale(merged)) });
    }
    return actions;
  });

  connection.onCompletion((params) => {
    const uri = params?.textDocument?.uri;
    const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
    const p = fsPathOf(uri);
    if (!p || !doc) return [];
    const hit = files.resolve(uri);
    const text = doc.getText();
    // one line index per text, shared by the requests on it (the document's own would be a second)
    const li = lineIndexOf(text);
    const offset = li.offset(params.position);
    const entries = hit && hit.rel ? hit.folder.service.completion(hit.rel, offset, text) : loose.completion(path.basename(p), offset, text);
    return entries.map((e) => toCompletionItem(e, li));
  });

  connection.onHover((params) => {
    const uri = params?.textDocument?.uri;
    const doc = typeof uri === 'string' ? documents.get(uri) : undefined;
    if (!doc) return null;
    const hit = files.resolve(uri);
    if (!hit || !hit.rel) return null;
    const text = doc.getText();
    const li = lineIndexOf(text);
    const h = hoverOn(hit.folder, hit.rel, li.offset(params.position), text);
    return h ? toHover(h, li) : null;
  });

  /**
   * A hover on a buffer, answered from the latest analysis without running one: where the buffer
   * differs from the analysed text (a storm of edits not analysed yet), only the unchanged text
   * before and after the edited stretch is answered for, at its analysed position.
   */
  function hoverOn(folder: Folder, rel: string, offset: number, buffer: string): HoverInfo | null {
    const service = folder.service;
    const analysed = service.text(rel);
    if (analysed === undefined || analysed === buffer) return service.hover(rel, offset, buffer);
    const { prefix, suffix } = commonEnds(analysed, buffer);
    if (offset < prefix) {
      const h = service.hover(rel, offset, analysed);
      return h && h.span.end <= prefix ? h : null;
    }
    const delta = buffer.length - analysed.length;
    if (offset >= buffer.length - suffix) {
      const h = service.hover(rel, offset - delta, analysed);
      if (!h || h.span.start < analysed.length - suffix) return null;
      return { ...h, span: { start: h.span.start + delta, end: h.span.end + delta } };
    }
    return null;
  }

  connection.onExecuteCommand(async (params, token) => {
    if (params?.command === Commands.showCreatedFile) {
      const uri = params.arguments?.[0];
      if (typeof uri === 'string') await connection.window.showDocument({ uri, takeFocus: true }).catch(() => undefined);
      return undefined;
    }
    if (params?.command !== LINT_COMMAND) return undefined;
    let count = 0;
    let n = 0;
    for (const f of [...folders]) {
      await checkpoint(token);
      if (!f.ready || f.removed) continue;
      load(f);
      scheduler.request(f);
      await checkpoint(token);
      if (!current(f)) continue;
      count += f.service.allFindings().length;
      n++;
    }
    const result: LintWorkspaceResult = { folders: n, findings: count };
    return result;
  });

  /**
   * The folders whose whole-workspace result a request needs, brought up to date step by step
   * (their pending changes, then the whole-workspace analysis), stopping when cancelled.
   */
  async function* wholeFolders(token: CancellationToken | undefined): AsyncGenerator<Folder> {
    for (const f of [...folders]) {
      await checkpoint(token);
      if (!current(f)) continue;
      await checkpoint(token);
      f.service.fullResult();
      await checkpoint(token);
      if (!f.removed) yield f;
    }
  }

  connection.onRequest(PLAN_REQUEST, async (...args: unknown[]): Promise<PlanResponse> => {
    const token = tokenIn(args);
    planSubscribed = true;
    const out: PlanResponse = [];
    for await (const f of wholeFolders(token)) out.push(planFor(f));
    return out;
  });

  connection.onRequest(PLAN_MARKDOWN_REQUEST, async (...args: unknown[]): Promise<string> => {
    const token = tokenIn(args);
    const parts: string[] = [];
    for await (const f of wholeFolders(token)) parts.push(f.service.planMarkdown(`Cluster port plan: ${f.name}`));
    return parts.join('\n');
  });

  connection.onRequest(Requests.listFiles, async (...args: unknown[]): Promise<ListFilesResponse> => {
    const token = tokenIn(args);
    const report: FolderFiles[] = [];
    for await (const f of wholeFolders(token)) report.push(folderFiles(f, files));
    const text = renderFiles(report);
    connection.console.log(`files read and left out:\n${text}`);
    return { folders: report, text };
  });

  connection.onRequest(GENERATE_REQUEST, (params: GenerateParams): GenerateResponse => {
    const base = fsPathOf(params?.folderUri);
    if (!base) return { error: 'the target must be a folder on disk' };
    // placed next to what the workspace folder that will hold it already runs
    const hit = files.folderFor(path.resolve(base));
    if (hit) current(hit.folder);
    const service = hit?.folder.service ?? loose;
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

let lastEnds: { a: string; b: string; prefix: number; suffix: number } | undefined;

/**
 * Lengths of the common prefix and suffix of two texts (not overlapping). Compares halving
 * stretches natively (a few passes over the text, not a loop in JavaScript); the last pair is
 * remembered (a hover and a code action on the same buffer).
 */
export function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  if (lastEnds && lastEnds.a === a && lastEnds.b === b) return lastEnds;
  const n = Math.min(a.length, b.length);
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  const prefix = lo;
  lo = 0;
  hi = n - prefix;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  lastEnds = { a, b, prefix, suffix: lo };
  return lastEnds;
}

export type { Diagnostic };
