/**
 * The cluster picture: clusters (ensembles, replication sets, shared-store / JDBC groups, networks
 * of brokers) with their nodes and listeners, and the per-host port plan with collisions, near
 * misses and quorum arithmetic. Data for the CLI's `--format plan`, the LSP cluster view and hovers.
 */
import type { Finding, Span } from './types';
import type { BrokerNode, Listener, Node, WorkspaceModel } from './model/workspace';
import { isDistributed } from './model/workspace';
import { HostClashes, binds } from './model/listening';
import { quorumOf } from './support';

export interface PlanListener {
  port: number;
  node: string;
  nodeRoot: string;
  kind: Listener['kind'];
  label: string;
  address: string;
  implicit: boolean;
  file: string;
  span: Span;
  /** another process on this host binds the same port */
  collision: boolean;
  /** same port as a member of its own master/slave group (only the master listens), or a default that collides */
  nearMiss: boolean;
}

export interface PlanHost {
  key: string;
  label: string;
  evidence: string;
  listeners: PlanListener[];
}

export interface PlanNode {
  name: string;
  root: string;
  type: 'broker' | 'zookeeper';
  role: string;
  host: string;
  file: string;
  span: Span;
  listeners: PlanListener[];
  problems: { errors: number; warnings: number; infos: number };
}

export interface PlanCluster {
  kind: 'zookeeper-ensemble' | 'replicated-leveldb' | 'shared-file' | 'jdbc' | 'network-of-brokers' | 'standalone';
  name: string;
  /** "3 of 3 nodes, quorum 2, tolerates 1 failure" */
  arithmetic: string;
  nodes: PlanNode[];
}

/** A container of a compose file or Kubernetes manifest. */
export interface PlanContainer {
  /** compose service, Kubernetes workload, or a script's `docker run` container */
  name: string;
  kind: 'compose' | 'k8s' | 'run';
  file: string;
  span: Span;
  image?: string;
  /** `0.0.0.0:2182->2181/tcp` */
  published: string[];
  /** the node it runs, if any */
  node?: string;
  replicas?: number;
}

export interface ClusterPlan {
  clusters: PlanCluster[];
  hosts: PlanHost[];
  containers: PlanContainer[];
}

function hostLabel(key: string, nodes: Node[]): string {
  if (key.startsWith('host:addr:')) return key.slice('host:addr:'.length);
  // a container's or pod's own network namespace
  const held = nodes.find((n) => n.host === key && /^(container|pod) /.test(n.hostEvidence));
  if (held) return `${held.hostEvidence.startsWith('pod') ? 'pod' : 'container'} ${held.name}`;
  const hn = nodes
    .filter((n) => n.host === key)
    .map((n) => (n.type === 'broker' ? n.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB')?.attrs.get('hostname')?.value : undefined))
    .find((v) => v);
  if (hn) return hn;
  const members = nodes.filter((n) => n.host === key).map((n) => n.name);
  if (key.startsWith('own:')) return `${members[0]}'s machine`;
  return `shared machine of ${members.join(', ')}`;
}

function arithmetic(present: number, size: number): string {
  const q = quorumOf(size);
  const tolerates = Math.max(0, Math.min(present, size) - q);
  return `${present} of ${size} nodes, quorum ${q}, tolerates ${tolerates} failure${tolerates === 1 ? '' : 's'}${present < q ? ' — cannot reach quorum' : ''}`;
}

export function buildPlan(model: WorkspaceModel, findings: Finding[] = []): ClusterPlan {
  const all: Node[] = [...model.brokers, ...model.zkNodes];
  const pl = new Map<Listener, PlanListener>();
  const clashesOf = new Map<string, HostClashes>();
  for (const n of all) {
    let hc = clashesOf.get(n.host);
    if (!hc) clashesOf.set(n.host, (hc = new HostClashes(model.hosts.get(n.host) ?? [])));
    for (const l of n.listeners) {
      const c = hc.clash(l, 1);
      // a collision: two written ports bound at once; a near miss: a default that collides, a port
      // repeated inside one master/slave group (only the master listens), or a node that never listens
      const collision = binds(l) && !l.implicit && c.explicitCount > 0;
      const nearMiss = !collision && (c.count > 0 || hc.hasTurnMate(l) || (!binds(l) && (model.hosts.get(n.host) ?? []).some((o) => o !== l && o.port === l.port)));
      const at = model.files.toSource(l.file, l.span);
      pl.set(l, { port: l.port, node: n.name, nodeRoot: n.root, kind: l.kind, label: l.label, address: l.host, implicit: l.implicit, file: at.file, span: at.span, collision, nearMiss });
    }
  }
  const counts = (n: Node) => {
    const files = new Set([n.file, ...(n.type === 'broker' && n.jettyFile ? [n.jettyFile] : []), ...(n.type === 'zk' && n.myidFile ? [n.myidFile] : [])].map((f) => model.files.sourceOf(f)));
    const fs = findings.filter((f) => files.has(f.file));
    return { errors: fs.filter((f) => f.severity === 'error').length, warnings: fs.filter((f) => f.severity === 'warning').length, infos: fs.filter((f) => f.severity === 'information' || f.severity === 'hint').length };
  };
  const planNode = (n: Node, role: string): PlanNode => {
    const at = model.files.toSource(n.file, n.type === 'broker' ? (n.brokerNameAttr?.span ?? n.config.broker?.nameSpan ?? { start: 0, end: 0 }) : (n.config.entries[0]?.keySpan ?? { start: 0, end: 0 }));
    return {
      name: n.name,
      root: n.root,
      type: n.type === 'broker' ? 'broker' : 'zookeeper',
      role,
      host: hostLabel(n.host, all),
      file: at.file,
      span: at.span,
      listeners: n.listeners.map((l) => pl.get(l)!).sort((a, b) => a.port - b.port),
      problems: counts(n),
    };
  };
  const clusters: PlanCluster[] = [];
  for (const e of model.ensembles) {
    const voters = e.participants;
    const nodes = e.members.map((m) => {
      const own = m.config.servers.find((s) => s.id === m.serverId);
      return planNode(m, isDistributed(m) ? `server.${m.serverId ?? '?'} ${own?.role ?? 'participant'}` : 'standalone');
    });
    clusters.push({ kind: 'zookeeper-ensemble', name: `ZooKeeper ${e.members.map((m) => m.name).join(', ')}`, arithmetic: voters > 1 ? arithmetic(e.members.length, voters) : 'standalone', nodes });
  }
  const grouped = new Set<BrokerNode>();
  for (const g of model.groups) {
    for (const m of g.members) grouped.add(m);
    const first = g.members[0];
    if (g.kind === 'replicated-leveldb') {
      const pa = first.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB');
      const r = Number(pa?.attrs.get('replicas')?.value ?? 3) || 3;
      clusters.push({
        kind: 'replicated-leveldb',
        name: `replicated LevelDB '${first.brokerName ?? '?'}' (${pa?.attrs.get('zkPath')?.value ?? '/default'})`,
        arithmetic: arithmetic(g.members.length, r),
        nodes: g.members.map((m) => planNode(m, 'master/slave (replicated LevelDB)')),
      });
    } else {
      clusters.push({
        kind: g.kind,
        name: g.kind === 'shared-file' ? `shared store ${g.key.slice(4)}` : `JDBC master/slave (${g.key.split('|')[1]})`,
        arithmetic: `${g.members.length} brokers, one master at a time, tolerates ${g.members.length - 1} broker failure${g.members.length - 1 === 1 ? '' : 's'} (the store itself must be highly available)`,
        nodes: g.members.map((m) => planNode(m, g.kind === 'shared-file' ? 'master/slave (shared file lock)' : 'master/slave (JDBC lock)')),
      });
    }
  }
  // networks of brokers: brokers with network connectors, grouped with the brokers they name
  const networked = model.brokers.filter((b) => b.config.networkConnectors.length > 0);
  if (networked.length) {
    clusters.push({
      kind: 'network-of-brokers',
      name: 'network of brokers',
      arithmetic: `${networked.length} broker${networked.length === 1 ? '' : 's'} with network connectors (${networked.map((b) => b.config.networkConnectors.map((c) => c.uri?.value ?? '?').join(' ')).join('; ')})`,
      nodes: networked.map((b) => planNode(b, 'network member')),
    });
  }
  for (const b of model.brokers) {
    if (grouped.has(b) || networked.includes(b)) continue;
    clusters.push({ kind: 'standalone', name: `broker ${b.name}`, arithmetic: 'single broker, no fail-over', nodes: [planNode(b, 'standalone')] });
  }
  const hosts: PlanHost[] = [];
  for (const [key, ls] of model.hosts) {
    const nodes = all.filter((n) => n.host === key);
    hosts.push({ key, label: hostLabel(key, all), evidence: nodes[0]?.hostEvidence ?? '', listeners: ls.map((l) => pl.get(l)!).sort((a, b) => a.port - b.port || a.node.localeCompare(b.node)) });
  }
  hosts.sort((a, b) => a.label.localeCompare(b.label));
  const containers: PlanContainer[] = model.containers.map((c) => ({
    name: c.name,
    kind: c.kind,
    file: c.file,
    span: c.nameSpan,
    image: c.image && !c.image.masked.length ? c.image.text : undefined,
    published: c.published.map((p) => `${p.hostIp ?? '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`),
    node: c.nodeRoot !== undefined ? all.find((n) => n.root === c.nodeRoot)?.name : undefined,
    replicas: c.replicas?.value,
  }));
  containers.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.span.start - b.span.start));
  return { clusters, hosts, containers };
}

export function renderPlanMarkdown(plan: ClusterPlan, title = 'Cluster port plan'): string {
  const out: string[] = [`# ${title}`, ''];
  if (plan.clusters.length === 0 && plan.containers.length === 0) return out.concat('No ActiveMQ or ZooKeeper configuration found.', '').join('\n');
  out.push('## Clusters', '', '| cluster | nodes | arithmetic |', '|---|---|---|');
  for (const c of plan.clusters) out.push(`| ${c.name} | ${c.nodes.map((n) => n.name).join(', ')} | ${c.arithmetic} |`);
  out.push('', '## Listeners per host', '', 'Collisions are marked **COLLISION** (two processes bind the port at once), near misses *near miss* (the same port inside one master/slave group, where only the master listens, or a default that collides).', '');
  for (const h of plan.hosts) {
    out.push(`### ${h.label}`, '', `Host: ${h.evidence}`, '', '| port | node | listener | address | file | note |', '|---:|---|---|---|---|---|');
    for (const l of h.listeners) {
      const note = l.collision ? '**COLLISION**' : l.nearMiss ? '*near miss*' : '';
      out.push(`| ${l.port} | ${l.node} | ${l.label}${l.implicit ? ' (default)' : ''} | ${l.address} | ${l.file} | ${note} |`);
    }
    out.push('');
  }
  if (plan.containers.length) {
    out.push('## Containers', '', '| container | file | image | published ports | runs |', '|---|---|---|---|---|');
    for (const c of plan.containers) {
      const runs = c.node ? `${c.node}${c.replicas && c.replicas > 1 ? ` (${c.replicas} replicas)` : ''}` : c.replicas && c.replicas > 1 ? `${c.replicas} replicas` : '';
      out.push(`| ${c.name} | ${c.file} | ${c.image ?? '(unknown)'} | ${c.published.join(', ') || '-'} | ${runs} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
