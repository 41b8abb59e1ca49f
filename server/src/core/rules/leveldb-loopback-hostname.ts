import type { Rule } from './types';
import { settingValue } from '../options';
import type { BrokerNode } from '../model/workspace';
import type { Fix } from '../types';
import { normalizeAddress } from '../model/address';
import { versionAtLeast } from '../model/versions';

/** The node's own non-loopback addresses the workspace states (listen addresses, host mapping). */
function ownAddresses(b: BrokerNode, hostMap: ReadonlyMap<string, string> | Record<string, string> | undefined): string[] {
  const out = new Set<string>();
  const mapped = settingValue(hostMap, b.root);
  if (mapped && normalizeAddress(mapped).cls !== 'loopback') out.add(mapped);
  for (const l of b.listeners) if (l.address.cls === 'ip' || l.address.cls === 'name') out.add(l.host);
  return [...out];
}

/**
 * replicatedLevelDB `hostname` is the address a master advertises in ZooKeeper for its slaves to
 * replicate from. A loopback hostname works only when every member runs on one machine; with
 * members on different hosts (or containers) each slave connects to itself and never syncs.
 */
export const rule: Rule = {
  meta: {
    code: 'leveldb-loopback-hostname',
    description: 'A replicatedLevelDB hostname of 127.0.0.1/localhost in a replication set whose nodes run on different hosts: slaves connect to themselves.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    const hostMap = ctx.model.options.hostMap;
    for (const g of ctx.model.groups) {
      if (g.kind !== 'replicated-leveldb' || g.members.length < 2) continue;
      // ActiveMQ 5.17+ has no LevelDB at all (leveldb-unsupported says so)
      const live = g.members.filter((m) => versionAtLeast(m.version, 5, 17) !== true);
      const hosts = new Set(live.map((m) => m.host));
      if (hosts.size < 2) continue;
      // explicit evidence that the members are on different machines; inferred separation is only a hint
      const explicit = new Set(live.filter((m) => m.host.startsWith('host:')).map((m) => m.host)).size >= 2;
      for (const m of live) {
        const pa = m.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB');
        const hn = pa?.attrs.get('hostname');
        if (!hn || hn.placeholder || normalizeAddress(hn.value).cls !== 'loopback') continue;
        const elsewhere = live.filter((o) => o.host !== m.host);
        const own = ownAddresses(m, hostMap);
        const fixes: Fix[] | undefined = own.length === 1 ? [{ title: `Set hostname="${own[0]}" (${m.name}'s own address)`, edits: [{ file: m.file, span: hn.span, newText: own[0] }], isPreferred: true }] : undefined;
        ctx.report({
          file: m.file,
          span: hn.span,
          severity: explicit ? undefined : 'information',
          message:
            `hostname="${hn.value}" is what ${m.name} advertises in ZooKeeper when it is master (tcp://${hn.value}:<bind port>), but ${elsewhere.map((o) => o.name).join(', ')} of its replication set ${explicit ? 'run' : 'seem to run'} on other hosts (${m.hostEvidence}; ${elsewhere[0].hostEvidence}): ` +
            `a slave there connects to itself, never syncs, and a quorum_mem/quorum_disk master waits for it. Set hostname to an address the other members can reach.` +
            (explicit ? '' : ' (The hosts are only inferred: with every member on one machine a loopback hostname works.)'),
          related: elsewhere.slice(0, 10).map((o) => ({ file: o.file, span: o.brokerNameAttr?.span ?? o.config.broker?.nameSpan ?? { start: 0, end: 0 }, message: `${o.name} (${o.hostEvidence})` })),
          fixes,
        });
      }
    }
  },
};
