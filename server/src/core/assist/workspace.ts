/**
 * Completion (workspace-aware snippets) and hover (who else listens on this host, quorum arithmetic),
 * answered from the whole workspace's model (the analysis service's WorkspaceView), never from the
 * result of whichever component was analysed last. Snippet texts live in snippets/*.json (bundled);
 * `$AMQ_*` variables are filled from the workspace.
 */
import { basename, classify, dirname, nodeRootOf } from '../model/files';
import { isDistributed, ownServer, type BrokerNode, type Listener, type ZkNode } from '../model/workspace';
import { normalizeAddress } from '../model/address';
import type { WorkspaceView } from '../incremental';
import { nextFreePort, quorumOf } from '../support';
import type { CompletionEntry, HoverInfo } from './types';
import activemqSnippets from '../../../../snippets/activemq.json';
import jettySnippets from '../../../../snippets/jetty.json';
import zoocfgSnippets from '../../../../snippets/zoocfg.json';
import clientSnippets from '../../../../snippets/client.json';

interface SnippetDef {
  prefix: string[];
  description: string;
  body: string[];
}

type SnippetFile = Record<string, SnippetDef>;

function snippetsFor(rel: string): SnippetFile {
  switch (classify(rel)) {
    case 'activemq':
      return activemqSnippets as SnippetFile;
    case 'jetty':
      return jettySnippets as SnippetFile;
    case 'zoocfg':
      return zoocfgSnippets as SnippetFile;
    case 'client':
      return clientSnippets as SnippetFile;
    default:
      if (basename(rel) === 'zoo.cfg') return zoocfgSnippets as SnippetFile;
      return {};
  }
}

/**
 * The listeners of the machine a broker node folder runs on, for "the next free port". A node
 * whose files do not tell its host (a new node folder, or one not written yet) joins its sibling
 * node folders' machine when they all share one.
 */
function machineListeners(view: WorkspaceView, self: BrokerNode | undefined, siblings: BrokerNode[]): Listener[] {
  const known = (host: string) => !host.startsWith('own:');
  if (self && known(self.host)) return view.hosts.get(self.host) ?? [];
  const siblingHosts = new Set(siblings.filter((b) => b !== self).map((b) => b.host));
  const shared = siblingHosts.size === 1 ? [...siblingHosts][0] : undefined;
  if (shared !== undefined && known(shared)) return [...(view.hosts.get(shared) ?? []), ...(self?.listeners ?? [])];
  if (self) return view.hosts.get(self.host) ?? [];
  return siblings.flatMap((b) => b.listeners);
}

/** The values `$AMQ_*` variables take for a file of the workspace. */
export function snippetVariables(rel: string, view: WorkspaceView | undefined): Record<string, string> {
  const vars: Record<string, string> = {
    AMQ_REPLICAS: '3',
    AMQ_BIND_PORT: '61619',
    AMQ_ZK_ADDRESS: 'zk1:2181,zk2:2181,zk3:2181',
    AMQ_HOSTNAME: 'broker-host',
    AMQ_NODE_NAME: basename(nodeRootOf(rel)) || 'broker1',
    AMQ_OPENWIRE_PORT: '61616',
    AMQ_WEB_PORT: '8161',
    AMQ_PEER_URIS: 'tcp://peer-host:61616',
    AMQ_FAILOVER_URIS: 'tcp://broker1:61616,tcp://broker2:61616',
    AMQ_NEXT_SERVER_ID: '1',
    AMQ_NEXT_SERVER_HOST: 'localhost',
    AMQ_NEXT_QUORUM_PORT: '2888',
    AMQ_NEXT_ELECTION_PORT: '3888',
  };
  if (!view) return vars;
  const model = view;
  const root = nodeRootOf(rel);
  const self = model.brokers.find((b) => b.root === root);
  // zkAddress from the workspace's ensemble(s)
  const ens = model.ensembles.filter((e) => e.members.length > 1).sort((a, b) => b.members.length - a.members.length)[0];
  if (ens) {
    const eps: string[] = [];
    for (const m of [...ens.members].sort((a, b) => (a.serverId ?? 0) - (b.serverId ?? 0))) {
      const l = m.listeners.find((x) => x.kind === 'zk-client');
      const own = ownServer(m);
      const host = own?.addresses[0]?.host ?? 'localhost';
      if (l) eps.push(`${normalizeAddress(host).cls === 'loopback' ? 'localhost' : host}:${l.port}`);
    }
    if (eps.length) vars.AMQ_ZK_ADDRESS = [...new Set(eps)].join(',');
  }
  // siblings: other brokers under the same parent folder
  const siblings = model.brokers.filter((b) => dirname(b.root) === dirname(root));
  const replicated = siblings.filter((b) => b.config.persistenceAdapters.some((p) => p.kind === 'replicatedLevelDB'));
  const setSize = Math.max(replicated.length + (self && replicated.includes(self) ? 0 : 1), 1);
  vars.AMQ_REPLICAS = String(setSize >= 3 ? setSize : 3);
  const hostListeners = machineListeners(model, self, siblings);
  const used = hostListeners.map((l) => l.port);
  const nextAfter = (kind: string, base: number) => {
    const ports = hostListeners.filter((l) => l.kind === kind && !(self && l.node === self)).map((l) => l.port);
    const from = ports.length ? Math.max(...ports) : base - 1;
    return String(nextFreePort(from, used) ?? base);
  };
  vars.AMQ_BIND_PORT = nextAfter('replication', 61619);
  vars.AMQ_OPENWIRE_PORT = nextAfter('transport', 61616);
  vars.AMQ_WEB_PORT = nextAfter('web', 8161);
  const hn = self?.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB')?.attrs.get('hostname')?.value
    ?? siblings.map((b) => b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB')?.attrs.get('hostname')?.value).find((v) => v);
  if (hn) vars.AMQ_HOSTNAME = hn;
  const others = siblings.filter((b) => b !== self);
  const peerUris = others.map((b) => openwire(b)).filter((x): x is string => !!x);
  if (peerUris.length) vars.AMQ_PEER_URIS = peerUris.join(',');
  const all = siblings.map((b) => openwire(b)).filter((x): x is string => !!x);
  if (all.length) vars.AMQ_FAILOVER_URIS = all.join(',');
  // next server line of a zoo.cfg
  const z = model.zkNodes.find((n) => n.file === rel);
  if (z) {
    const servers = z.config.servers;
    const ids = servers.map((s) => s.id ?? 0);
    vars.AMQ_NEXT_SERVER_ID = String(ids.length ? Math.max(...ids) + 1 : 1);
    const last = servers[servers.length - 1];
    const a = last?.addresses[0];
    if (a) {
      vars.AMQ_NEXT_SERVER_HOST = a.host;
      const loop = normalizeAddress(a.host).cls === 'loopback';
      const quorum = servers.flatMap((s) => s.addresses.map((x) => x.quorumPort ?? 0));
      const election = servers.flatMap((s) => s.addresses.map((x) => x.electionPort ?? 0));
      vars.AMQ_NEXT_QUORUM_PORT = String(loop ? Math.max(...quorum) + 1 : a.quorumPort ?? 2888);
      vars.AMQ_NEXT_ELECTION_PORT = String(loop ? Math.max(...election) + 1 : a.electionPort ?? 3888);
    }
  }
  return vars;
}

function openwire(b: BrokerNode): string | undefined {
  const l = b.listeners.find((x) => x.kind === 'transport' && x.label === 'openwire') ?? b.listeners.find((x) => x.kind === 'transport');
  if (!l) return undefined;
  const hn = b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB')?.attrs.get('hostname')?.value;
  const host = l.address.cls === 'ip' || l.address.cls === 'name' ? l.host : hn ?? 'localhost';
  return `tcp://${host}:${l.port}`;
}

function fill(body: string, vars: Record<string, string>): string {
  return body.replace(/\$(AMQ_[A-Z_]+)/g, (all, name: string) => (vars[name] ?? all).replace(/[$}\\]/g, '\\$&'));
}

/** The snippets for a file, with the workspace's values filled in. */
export function snippetCompletions(rel: string, view: WorkspaceView | undefined): CompletionEntry[] {
  const snippets = snippetsFor(rel);
  const names = Object.keys(snippets);
  if (names.length === 0) return [];
  const vars = snippetVariables(rel, view);
  const items: CompletionEntry[] = [];
  for (const name of names) {
    const s = snippets[name];
    const body = fill(s.body.join('\n'), vars);
    for (const prefix of s.prefix) {
      items.push({
        label: prefix,
        kind: 'snippet',
        detail: name,
        documentation: `${s.description}\n\n\`\`\`\n${body.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\\\$/g, '$')}\n\`\`\``,
        snippet: true,
        insertText: body,
        filterText: prefix,
        sortText: '0' + prefix,
      });
    }
  }
  return items;
}

function within(offset: number, span: { start: number; end: number }): boolean {
  return offset >= span.start && offset <= span.end;
}

/** Hover on a port, a replicas value or a server.N line, from the whole workspace. */
export function workspaceHover(rel: string, offset: number, view: WorkspaceView | undefined): HoverInfo | null {
  if (!view) return null;
  const model = view;
  // where a document's text is written (a compose service's zoo.cfg is the compose file's characters)
  const at = (file: string, span: { start: number; end: number }) => view.toSource?.(file, span) ?? { file, span };
  // a port: what else listens on this host
  for (const n of [...model.brokers, ...model.zkNodes]) {
    for (const l of n.listeners) {
      if (l.implicit) continue;
      const src = at(l.file, l.span);
      if (src.file !== rel || !within(offset, src.span)) continue;
      const others = (model.hosts.get(n.host) ?? []).filter((o) => o !== l).sort((a, b) => a.port - b.port);
      const lines = [`**${l.port}** — ${l.label} of \`${n.name}\` (listens on ${l.host})`, '', `Host: ${n.hostEvidence || n.host}`, ''];
      if (others.length) {
        lines.push('Also on this host:', '', '| port | node | listener | address |', '|---:|---|---|---|');
        for (const o of others) lines.push(`| ${o.port}${o.port === l.port ? ' ⚠' : ''} | ${o.node.name} | ${o.label}${o.implicit ? ' (default)' : ''} | ${o.host} |`);
      } else lines.push('Nothing else of the workspace listens on this host.');
      return { markdown: lines.join('\n'), span: src.span };
    }
  }
  // replicas: quorum arithmetic of the replication set
  for (const b of model.brokers) {
    if (b.file !== rel) continue;
    for (const pa of b.config.persistenceAdapters) {
      const r = pa.attrs.get('replicas');
      if (!r || !within(offset, r.span) || !/^\d+$/.test(r.value.trim())) continue;
      const replicas = Number(r.value.trim());
      const q = quorumOf(replicas);
      const set = model.groups.find((g) => g.kind === 'replicated-leveldb' && g.members.includes(b));
      const members = set?.members ?? [b];
      const value = [
        `**replicas=${replicas}**: a quorum of ${q} nodes must be connected to elect a master; a sync write waits for ${replicas >> 1} slave ${replicas >> 1 === 1 ? 'ack' : 'acks'}.`,
        `Tolerates ${replicas - q} node ${replicas - q === 1 ? 'failure' : 'failures'} when all ${replicas} run.`,
        '',
        `Set \`${b.brokerName ?? '?'}\` in this workspace: ${members.length} ${members.length === 1 ? 'node' : 'nodes'} (${members.map((m) => m.name).join(', ')}).`,
      ].join('\n');
      return { markdown: value, span: r.span };
    }
  }
  // a server.N line: ensemble arithmetic
  const z: ZkNode | undefined = model.zkNodes.find((n) => n.file === rel);
  if (z) {
    const s = z.config.servers.find((x) => within(offset, x.entry.lineSpan));
    if (s) {
      const voters = z.config.servers.filter((x) => x.role === 'participant').length;
      const observers = z.config.servers.length - voters;
      const q = quorumOf(voters);
      const member = z.ensemble?.members.find((m) => m.serverId === s.id);
      const value = [
        `**server.${s.idText}** — ${s.role}${member ? ` (\`${member.name}\`${member.serverIdInferred ? ', id inferred' : ''})` : ''}`,
        '',
        isDistributed(z)
          ? `${voters} voting ${voters === 1 ? 'server' : 'servers'}${observers ? ` + ${observers} observer${observers === 1 ? '' : 's'}` : ''}: quorum ${q}, tolerates ${Math.max(voters - q, 0)} ${voters - q === 1 ? 'failure' : 'failures'}.`
          : 'A single voting server: ZooKeeper runs standalone.',
      ].join('\n');
      return { markdown: value, span: s.entry.lineSpan };
    }
  }
  // a container: its service, image, published ports and the node it runs
  for (const c of model.containers ?? []) {
    if (c.file !== rel) continue;
    const hit = within(offset, c.nameSpan) ? c.nameSpan : c.published.find((p) => within(offset, p.span))?.span;
    if (!hit) continue;
    const node = c.nodeRoot !== undefined ? [...model.brokers, ...model.zkNodes].find((n) => n.root === c.nodeRoot) : undefined;
    const lines = [
      `**${c.name}** — ${c.kind === 'compose' ? 'compose service' : c.kind === 'run' ? '`docker run` in a script' : 'Kubernetes workload'}${c.replicas && c.replicas.value > 1 ? ` (${c.replicas.value} replicas)` : ''}`,
      '',
      `Image: \`${c.image && !c.image.masked.length ? c.image.text : 'unknown'}\`${c.hostNetwork ? ' · host network' : ''}`,
      '',
    ];
    if (c.published.length) {
      lines.push('| host | container | listens inside |', '|---|---:|---|');
      for (const p of c.published) {
        const inside = node?.listeners.filter((l) => l.port === p.containerPort).map((l) => `${l.label} (${l.host})`).join(', ') || (node ? 'nothing' : 'unknown');
        lines.push(`| ${p.hostIp ?? '0.0.0.0'}:${p.hostPort} | ${p.containerPort}/${p.protocol} | ${inside} |`);
      }
    } else lines.push('Publishes no port.');
    if (node) lines.push('', `Runs \`${node.name}\` (${node.type === 'broker' ? 'ActiveMQ broker' : 'ZooKeeper server'}).`);
    return { markdown: lines.join('\n'), span: hit };
  }
  void ownServer;
  return null;
}
