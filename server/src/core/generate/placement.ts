/**
 * Placing a new cluster next to what the workspace already runs: the ports its machines already
 * use (listeners, ZooKeeper server lines, zkAddress and client URL endpoints that name them) are
 * skipped, and the broker name (which also names the install root, the zkPath and the shared store)
 * is one no broker of the workspace uses. So the generated cluster collides with nothing, and its
 * ZooKeeper ensemble shares no server line with an existing one (an ensemble is the set of zoo.cfg
 * files sharing a server line: the same id, host and quorum port).
 */
import { normalizeAddress, type NormalizedAddress } from '../model/address';
import { settingValue } from '../options';
import type { WorkspaceView } from '../incremental';
import { ownServer } from '../model/workspace';
import { DEFAULT_PORTS, machinesFor, zkCountFor, type BasePorts, type ClusterSpec } from './cluster';

/** True when a name written in the workspace stands for the machine `target` names. */
function sameMachine(target: NormalizedAddress, written: NormalizedAddress): boolean {
  if (target.key === written.key) return true;
  if (target.cls === 'name' && written.cls === 'name') return target.key.startsWith(written.key + '.') || written.key.startsWith(target.key + '.');
  return false;
}

/**
 * The ports in use on the machines `names` (as the new cluster writes them). A host of the
 * workspace is one of those machines when one of its names (listen addresses, replicatedLevelDB
 * hostnames, its ZooKeeper servers' own server.N hosts, the host mapping) is; a loopback target
 * ("this machine") also takes the hosts the workspace names no machine for.
 */
export function portsInUse(view: WorkspaceView, names: readonly string[]): Set<number> {
  const targets = [...new Set(names)].map((n) => normalizeAddress(n));
  const matches = (host: string | undefined) => {
    const a = normalizeAddress(host);
    return targets.some((t) => sameMachine(t, a));
  };
  const loopbackTarget = targets.some((t) => t.cls === 'loopback' || t.cls === 'wildcard');
  const hostNames = new Map<string, string[]>();
  const nameHost = (key: string, name: string | undefined) => {
    if (!name) return;
    let arr = hostNames.get(key);
    if (!arr) hostNames.set(key, (arr = []));
    arr.push(name);
  };
  const mapped = view.options.hostMap;
  for (const b of view.brokers) {
    nameHost(b.host, settingValue(mapped, b.root));
    for (const pa of b.config.persistenceAdapters) {
      const hn = pa.kind === 'replicatedLevelDB' ? pa.attrs.get('hostname') : undefined;
      if (hn && !hn.placeholder) nameHost(b.host, hn.value.trim());
    }
  }
  for (const z of view.zkNodes) {
    nameHost(z.host, settingValue(mapped, z.root));
    for (const a of ownServer(z)?.addresses ?? []) nameHost(z.host, a.host);
  }
  const used = new Set<number>();
  for (const [key, listeners] of view.hosts) {
    const named = [...(hostNames.get(key) ?? []), ...listeners.filter((l) => l.address.cls === 'ip' || l.address.cls === 'name' || l.address.cls === 'loopback').map((l) => l.host)];
    const ours = named.some((n) => matches(n)) || (loopbackTarget && named.every((n) => normalizeAddress(n).cls === 'wildcard'));
    if (ours) for (const l of listeners) used.add(l.port);
  }
  // what other files expect to find on those machines
  for (const z of view.zkNodes) {
    for (const s of z.config.servers) {
      for (const a of s.addresses) {
        if (!matches(a.host)) continue;
        if (a.quorumPort !== undefined) used.add(a.quorumPort);
        if (a.electionPort !== undefined) used.add(a.electionPort);
      }
    }
  }
  for (const b of view.brokers) {
    for (const pa of b.config.persistenceAdapters) for (const e of pa.zkAddress ?? []) if (!e.placeholder && matches(e.host)) used.add(e.port);
  }
  for (const { url } of view.clientUrls) for (const e of url.uri.endpoints) if (e.port !== undefined && e.host !== undefined && matches(e.host)) used.add(e.port);
  return used;
}

/** The first port from `base` at which `count` consecutive ports are all free (undefined if none below the generator's limit). */
function freeRun(base: number, count: number, used: Set<number>): number | undefined {
  for (let p = base; p + count - 1 + 20 <= 65535; p++) {
    let ok = true;
    for (let k = 0; k < count && ok; k++) if (used.has(p + k)) ok = false;
    if (ok) return p;
  }
  return undefined;
}

/** A broker name no broker of the workspace uses (nor, for JDBC, its `<name>-<i>` names). */
export function freeBrokerName(view: WorkspaceView, wanted = 'amq-cluster'): string {
  const taken = new Set(view.brokers.map((b) => b.brokerName).filter((n): n is string => !!n));
  const clashes = (name: string) => [...taken].some((t) => t === name || t.startsWith(name + '-'));
  if (!clashes(wanted)) return wanted;
  for (let i = 2; ; i++) if (!clashes(`${wanted}-${i}`)) return `${wanted}-${i}`;
}

/**
 * The spec with base ports that are free on the new cluster's machines and a broker name of its
 * own (what the user chose explicitly is kept).
 */
export function placeCluster(view: WorkspaceView | undefined, spec: ClusterSpec): ClusterSpec {
  if (!view) return spec;
  const machines = machinesFor(spec);
  const used = portsInUse(view, [...machines.brokers, ...machines.zookeepers]);
  // one host: node i uses base + i - 1; one machine per node: every node uses the base
  const oneHost = spec.layout === 'one-host';
  const run = (n: number) => (oneHost ? n : 1);
  const zk = zkCountFor(spec);
  const ports: Partial<BasePorts> = { ...spec.ports };
  const kinds: [keyof BasePorts, number][] = [
    ['openwire', run(spec.nodes)],
    ['web', run(spec.nodes)],
    ['replication', spec.style === 'replicated-leveldb' ? run(spec.nodes) : 0],
    ['zkClient', run(zk)],
    ['zkQuorum', run(zk)],
    ['zkElection', run(zk)],
    ['zkAdmin', run(zk)],
  ];
  for (const [kind, count] of kinds) {
    if (count === 0 || spec.ports?.[kind] !== undefined) {
      const p = spec.ports?.[kind];
      if (p !== undefined) for (let k = 0; k < count; k++) used.add(p + k);
      continue;
    }
    const base = freeRun(DEFAULT_PORTS[kind], count, used);
    if (base === undefined) continue;
    if (base !== DEFAULT_PORTS[kind]) ports[kind] = base;
    for (let k = 0; k < count; k++) used.add(base + k);
  }
  const out: ClusterSpec = { ...spec, brokerName: spec.brokerName ?? freeBrokerName(view) };
  if (Object.keys(ports).length) out.ports = ports;
  return out;
}
