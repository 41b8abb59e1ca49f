/**
 * The VS Code side: starts the language server, selects activemq.xml / jetty.xml by pattern (so
 * Red Hat's XML extension keeps the `xml` language), contributes the zoocfg language, turns the
 * server's "suppress" action into an input box asking for the reason, and shows what the server
 * read (every file with its kind and node, every file left out with why) in an output channel.
 */
import * as vscode from 'vscode';
import { SERVER_EXEC_ARGV } from '../../server/src/lsp/launch';
import { Commands, Notifications, Requests, type InitializationOptions, type ListFilesResponse, type SuppressArguments } from '../../server/src/protocol';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { ClusterView, newCluster, showPortPlan } from './clusterView';

let client: LanguageClient | undefined;

export const DOCUMENT_SELECTOR = [
  { scheme: 'file', pattern: '**/activemq.xml' },
  { scheme: 'file', pattern: '**/jetty.xml' },
  { scheme: 'file', language: 'zoocfg' },
  { scheme: 'file', pattern: '**/myid' },
  { scheme: 'file', pattern: '**/application*.{yml,yaml,properties}' },
  { scheme: 'file', language: 'java' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    initializationOptions: { suppressCommand: true } satisfies InitializationOptions,
    synchronize: { configurationSection: 'amqCluster' },
    diagnosticCollectionName: 'amq-cluster',
  };
  client = new LanguageClient('amqCluster', 'ActiveMQ Cluster', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.suppress, async (...[uri, range, prefix, suffix]: SuppressArguments) => {
      const reason = await vscode.window.showInputBox({
        title: 'Suppress this finding',
        prompt: 'Why is this finding not a problem here? (kept in the comment)',
        placeHolder: 'e.g. lab brokers that are never started together',
        validateInput: (v) => (v.trim() ? undefined : 'A reason helps the next reader; please give one.'),
      });
      if (!reason) return;
      const edit = new vscode.WorkspaceEdit();
      const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      edit.replace(vscode.Uri.parse(uri), r, prefix + reason.trim().replace(/-{2,}/g, '-').replace(/[\r\n]+/g, ' ') + suffix);
      await vscode.workspace.applyEdit(edit);
    }),
  );
  // "List the files read": the server's report of each workspace folder, in an output channel of its own
  const filesChannel = vscode.window.createOutputChannel('ActiveMQ Cluster: files read');
  context.subscriptions.push(
    filesChannel,
    vscode.commands.registerCommand(Commands.listFiles, async () => {
      const res = await client!.sendRequest<ListFilesResponse>(Requests.listFiles);
      filesChannel.clear();
      filesChannel.append(res.text || 'No workspace folder is open.\n');
      filesChannel.show(true);
    }),
  );
  void vscode.commands.executeCommand('setContext', 'amqCluster.active', true);
  const view = new ClusterView(client);
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider('amqClusterView', view),
    vscode.commands.registerCommand(Commands.refreshClusterView, () => view.refresh()),
    vscode.commands.registerCommand(Commands.showPortPlan, () => showPortPlan(client!)),
    vscode.commands.registerCommand(Commands.newCluster, () => newCluster(client!)),
  );
  await client.start();
  context.subscriptions.push(client.onNotification(Notifications.planChanged, () => view.refresh()));
  view.refresh();
  context.subscriptions.push({ dispose: () => void client?.stop() });
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
