/**
 * The "ActiveMQ Clusters" view in the Explorer: workspace folder -> clusters -> nodes -> listeners,
 * with hosts, roles and problem counts; clicking an entry opens the file at the value. It refreshes
 * whenever the server finishes an analysis.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  Requests,
  type ClusterView as PlanClusterView,
  type ContainerView,
  type FolderPlan,
  type GenerateParams,
  type GenerateResponse,
  type ListenerView,
  type Location,
  type NewClusterSpec,
  type NodeView,
  type PlanResponse,
} from '../../server/src/protocol';

type Loc = Location;
type PlanListener = ListenerView;
type PlanNode = NodeView;
type PlanCluster = PlanClusterView;

type Item =
  | { t: 'folder'; f: FolderPlan }
  | { t: 'cluster'; c: PlanCluster }
  | { t: 'node'; n: PlanNode }
  | { t: 'listener'; l: PlanListener }
  | { t: 'containers'; f: FolderPlan }
  | { t: 'container'; c: ContainerView };

function open(loc: Loc): vscode.Command {
  const r = loc.range;
  return {
    title: 'Open',
    command: 'vscode.open',
    arguments: [vscode.Uri.parse(loc.uri), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character) }],
  };
}

const CLUSTER_ICON: Record<string, string> = {
  'zookeeper-ensemble': 'server-environment',
  'replicated-leveldb': 'database',
  'shared-file': 'files',
  jdbc: 'database',
  'network-of-brokers': 'type-hierarchy',
  standalone: 'server',
};

export class ClusterView implements vscode.TreeDataProvider<Item> {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private plans: FolderPlan[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: LanguageClient) {}

  /** Re-fetch the plan (debounced: the server notifies after every analysis). */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      this.plans = (await this.client.sendRequest<PlanResponse>(Requests.plan)) ?? [];
      this.changed.fire(undefined);
    }, 150);
  }

  getChildren(item?: Item): Item[] {
    if (!item) {
      if (this.plans.length === 1) return this.folderChildren(this.plans[0]);
      return this.plans.map((f) => ({ t: 'folder', f }));
    }
    switch (item.t) {
      case 'folder':
        return this.folderChildren(item.f);
      case 'containers':
        return (item.f.containers ?? []).map((c) => ({ t: 'container', c }));
      case 'cluster':
        return item.c.nodes.map((n) => ({ t: 'node', n }));
      case 'node':
        return item.n.listeners.map((l) => ({ t: 'listener', l }));
      default:
        return [];
    }
  }

  private folderChildren(f: FolderPlan): Item[] {
    const items: Item[] = f.clusters.map((c) => ({ t: 'cluster', c }));
    if ((f.containers ?? []).length) items.push({ t: 'containers', f });
    return items;
  }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.t) {
      case 'folder': {
        const ti = new vscode.TreeItem(item.f.name, vscode.TreeItemCollapsibleState.Expanded);
        ti.iconPath = new vscode.ThemeIcon('root-folder');
        return ti;
      }
      case 'cluster': {
        const ti = new vscode.TreeItem(item.c.name, vscode.TreeItemCollapsibleState.Expanded);
        ti.description = item.c.arithmetic;
        ti.tooltip = `${item.c.name}\n${item.c.arithmetic}`;
        ti.iconPath = new vscode.ThemeIcon(CLUSTER_ICON[item.c.kind] ?? 'server');
        return ti;
      }
      case 'node': {
        const n = item.n;
        const ti = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.Collapsed);
        const p = n.problems;
        const counts = [p.errors ? `${p.errors} error${p.errors === 1 ? '' : 's'}` : '', p.warnings ? `${p.warnings} warning${p.warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
        ti.description = `${n.host} · ${n.role}${counts ? ` · ${counts}` : ''}`;
        ti.tooltip = `${n.name} (${n.type})\nhost: ${n.host}\nrole: ${n.role}\n${counts || 'no problems'}`;
        ti.iconPath = new vscode.ThemeIcon(p.errors ? 'error' : p.warnings ? 'warning' : n.type === 'broker' ? 'server-process' : 'server-environment');
        ti.command = open(n.location);
        ti.contextValue = 'amqNode';
        return ti;
      }
      case 'containers': {
        const ti = new vscode.TreeItem('Containers', vscode.TreeItemCollapsibleState.Collapsed);
        ti.description = `${item.f.containers.length} (compose services, Kubernetes workloads, docker run)`;
        ti.iconPath = new vscode.ThemeIcon('package');
        return ti;
      }
      case 'container': {
        const c = item.c;
        const ti = new vscode.TreeItem(c.name, vscode.TreeItemCollapsibleState.None);
        const pub = c.published.length ? c.published.join(', ') : 'nothing published';
        ti.description = `${c.image ?? 'unknown image'} · ${pub}${c.node ? ` · runs ${c.node}` : ''}`;
        ti.tooltip = `${c.name} (${c.kind === 'compose' ? 'compose service' : c.kind === 'run' ? 'docker run in a script' : 'Kubernetes workload'})\nfile: ${c.file}\nimage: ${c.image ?? 'unknown'}\npublished: ${pub}${c.replicas !== undefined ? `\nreplicas: ${c.replicas}` : ''}${c.node ? `\nruns: ${c.node}` : ''}`;
        ti.iconPath = new vscode.ThemeIcon('vm');
        ti.command = open(c.location);
        return ti;
      }
      case 'listener': {
        const l = item.l;
        const ti = new vscode.TreeItem(`${l.port}`, vscode.TreeItemCollapsibleState.None);
        ti.description = `${l.label}${l.implicit ? ' (default)' : ''} on ${l.address}${l.collision ? ' — collision' : l.nearMiss ? ' — near miss' : ''}`;
        ti.iconPath = new vscode.ThemeIcon(l.collision ? 'error' : l.nearMiss ? 'info' : 'plug');
        ti.command = open(l.location);
        return ti;
      }
    }
  }
}

export async function showPortPlan(client: LanguageClient): Promise<void> {
  const md = await client.sendRequest<string>(Requests.planMarkdown);
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md || '# Cluster port plan\n\nNo ActiveMQ or ZooKeeper configuration found.\n' });
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('markdown.showPreviewToSide', doc.uri).then(undefined, () => undefined);
}

export async function newCluster(client: LanguageClient): Promise<void> {
  const styles: (vscode.QuickPickItem & { label: NewClusterSpec['style'] })[] = [
    { label: 'replicated-leveldb', description: 'Replicated LevelDB + ZooKeeper (ActiveMQ 5.9 – 5.16 only)' },
    { label: 'shared-kahadb', description: 'Shared file system master/slave (KahaDB on NFSv4 / SAN)' },
    { label: 'jdbc', description: 'JDBC master/slave with a lease-database-locker' },
  ];
  const style = await vscode.window.showQuickPick(
    styles,
    { title: 'New cluster (1/5): deployment style' },
  );
  if (!style) return;
  const nodes = await vscode.window.showInputBox({ title: 'New cluster (2/5): number of brokers', value: '3', validateInput: (v) => (/^\d+$/.test(v) && +v >= 2 && +v <= 15 ? undefined : 'a number from 2 to 15') });
  if (!nodes) return;
  const layouts: (vscode.QuickPickItem & { label: NewClusterSpec['layout'] })[] = [
    { label: 'one-host', description: 'every node on one machine, ports offset (the tutorials\' plan)' },
    { label: 'per-node', description: 'one machine per node, identical ports' },
  ];
  const layout = await vscode.window.showQuickPick(
    layouts,
    { title: 'New cluster (3/5): layout' },
  );
  if (!layout) return;
  const version = await vscode.window.showInputBox({ title: 'New cluster (4/5): ActiveMQ version', value: style.label === 'replicated-leveldb' ? '5.16.7' : '5.18.3', validateInput: (v) => (/^\d+\.\d+(\.\d+)?$/.test(v) ? undefined : 'like 5.16.7') });
  if (!version) return;
  const host = await vscode.window.showInputBox({ title: `New cluster (5/5): ${layout.label === 'one-host' ? 'host name of the machine' : 'prefix of the machine names (mq1, zk1, ... get it prepended)'}`, value: layout.label === 'one-host' ? 'localhost' : '' });
  if (host === undefined) return;
  const target = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Generate here', defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri });
  if (!target?.[0]) return;
  const spec: NewClusterSpec = {
    style: style.label,
    nodes: Number(nodes),
    layout: layout.label,
    activemqVersion: version,
    host: host || undefined,
  };
  const params: GenerateParams = { spec, folderUri: target[0].toString() };
  const res = await client.sendRequest<GenerateResponse>(Requests.generate, params);
  if ('error' in res) {
    void vscode.window.showErrorMessage(res.error);
    return;
  }
  for (const f of res.files) {
    const uri = vscode.Uri.parse(f.uri);
    const exists = await vscode.workspace.fs.stat(uri).then(() => true, () => false);
    if (exists) {
      void vscode.window.showErrorMessage(`${uri.fsPath} already exists; choose an empty folder.`);
      return;
    }
  }
  for (const f of res.files) await vscode.workspace.fs.writeFile(vscode.Uri.parse(f.uri), new TextEncoder().encode(f.content));
  void vscode.window.showInformationMessage(`Generated ${res.summary}. Clients: ${res.failoverUrl}`);
}
