/**
 * A real LSP client over stdio for tests: spawns bin/amq-cluster-lsp.js, speaks JSON-RPC with
 * vscode-jsonrpc, records published diagnostics, and applies workspace edits to disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  Diagnostic,
  InitializeResult,
  PublishDiagnosticsParams,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

const ROOT = path.resolve(__dirname, '..', '..');

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, Diagnostic[]>();
  /** every publishDiagnostics in arrival order */
  readonly log: PublishDiagnosticsParams[] = [];
  readonly versions = new Map<string, number>();
  readonly open = new Map<string, string>();
  /** capabilities the server registered (client/registerCapability) */
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  /** documents the server asked the client to show (window/showDocument) */
  readonly shown: { uri: string; takeFocus?: boolean }[] = [];
  stderr = '';
  private waiters: (() => void)[] = [];

  constructor(args: string[] = ['--stdio']) {
    this.proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'amq-cluster-lsp.js'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d.toString()));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p.diagnostics);
      this.log.push(p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.conn.onRequest('client/registerCapability', (p: { registrations: { method: string; registerOptions?: unknown }[] }) => {
      this.registrations.push(...p.registrations);
      return null;
    });
    this.conn.onRequest('window/showDocument', (p: { uri: string; takeFocus?: boolean }) => {
      this.shown.push(p);
      return { success: true };
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('window/showMessage', () => undefined);
    this.conn.listen();
  }

  async initialize(folders: string[], capabilities: Record<string, unknown> = {}): Promise<InitializeResult> {
    const res = (await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { workspaceFolders: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } },
        ...capabilities,
      },
      workspaceFolders: folders.map((f) => ({ uri: uri(f), name: path.basename(f) })),
    })) as InitializeResult;
    await this.conn.sendNotification('initialized', {});
    return res;
  }

  /** Resolves when `check` holds, re-checked after every publishDiagnostics (rejects after `ms`). */
  async until(check: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  diags(file: string): Diagnostic[] {
    return this.diagnostics.get(uri(file)) ?? [];
  }

  async openFile(file: string, languageId = 'plaintext'): Promise<void> {
    const text = fs.readFileSync(file, 'utf8');
    this.versions.set(file, 1);
    this.open.set(file, text);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId, version: 1, text } });
  }

  async change(file: string, text: string): Promise<void> {
    const v = (this.versions.get(file) ?? 0) + 1;
    this.versions.set(file, v);
    this.open.set(file, text);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version: v }, contentChanges: [{ text }] });
  }

  async watched(changes: { file: string; type: 1 | 2 | 3 }[]): Promise<void> {
    await this.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: uri(c.file), type: c.type })) });
  }

  async codeActions(file: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return (await this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uri(file) },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    })) as CodeAction[];
  }

  /** Applies a workspace edit the way an editor would: open buffers get didChange, other files are written to disk. */
  async apply(edit: WorkspaceEdit): Promise<string[]> {
    const touched: string[] = [];
    const editFile = async (file: string, edits: TextEdit[]) => {
      const before = this.open.get(file) ?? (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
      const after = applyTextEdits(before, edits);
      touched.push(file);
      if (this.open.has(file)) await this.change(file, after);
      else {
        const existed = fs.existsSync(file);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, after);
        await this.watched([{ file, type: existed ? 2 : 1 }]);
      }
    };
    for (const [u, edits] of Object.entries(edit.changes ?? {})) await editFile(fileURLToPath(u), edits);
    for (const dc of edit.documentChanges ?? []) {
      if ('kind' in dc) {
        if (dc.kind === 'create') {
          const f = fileURLToPath(dc.uri);
          if (!fs.existsSync(f)) {
            fs.mkdirSync(path.dirname(f), { recursive: true });
            fs.writeFileSync(f, '');
          }
        }
        continue;
      }
      await editFile(fileURLToPath(dc.textDocument.uri), dc.edits as unknown as TextEdit[]);
    }
    return touched;
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 3000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    this.conn.dispose();
  }
}

export function uri(file: string): string {
  return pathToFileURL(file).toString();
}

export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') starts.push(i + 1);
    else if (text[i] === '\r' && text[i + 1] !== '\n') starts.push(i + 1);
  }
  const off = (p: { line: number; character: number }) => (p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length));
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
