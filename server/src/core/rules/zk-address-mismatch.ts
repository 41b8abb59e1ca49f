import type { Rule } from './types';
import type { Ensemble, ZkNode } from '../model/workspace';
import { bestEnsembleFor, matchZkEntry, ownServer } from '../model/workspace';
import { normalizeAddress } from '../model/address';

function clientEndpoints(e: Ensemble, loopbackHost: string | undefined): { member: ZkNode; text: string }[] {
  const out: { member: ZkNode; text: string }[] = [];
  const members = [...e.members].sort((a, b) => (a.serverId ?? 1e9) - (b.serverId ?? 1e9));
  for (const m of members) {
    const l = m.listeners.find((x) => x.kind === 'zk-client');
    if (!l) continue;
    const own = ownServer(m);
    const host = loopbackHost ?? own?.addresses[0]?.host ?? (l.host === '0.0.0.0' ? undefined : l.host);
    if (!host) continue;
    out.push({ member: m, text: `${host.includes(':') ? `[${host}]` : host}:${l.port}` });
  }
  return out;
}

/** ensembleHosts per ensemble: asked once per broker, the same for all brokers of a replication set */
const HOSTS = new WeakMap<Ensemble, { keys: Set<string>; loopback: boolean }>();

/** The hosts an ensemble's server lines name (normalised), and whether they are all loopback. */
function ensembleHosts(e: Ensemble): { keys: Set<string>; loopback: boolean } {
  let h = HOSTS.get(e);
  if (!h) HOSTS.set(e, (h = collectEnsembleHosts(e)));
  return h;
}

function collectEnsembleHosts(e: Ensemble): { keys: Set<string>; loopback: boolean } {
  const keys = new Set<string>();
  let loopback = true;
  for (const m of e.members) {
    for (const s of m.config.servers) {
      for (const a of s.addresses) {
        const n = normalizeAddress(a.host);
        keys.add(n.key);
        if (n.cls !== 'loopback') loopback = false;
      }
    }
  }
  return { keys, loopback: loopback && keys.size > 0 };
}

/**
 * Whether an entry's host is known to be one of the ensemble's: a host its server lines name, or
 * loopback for an ensemble on one machine. Any other host (a NAT or Docker-published address, a
 * load balancer, a name the repository does not define) is unknown: its ports say nothing.
 */
function knownHost(host: string, hosts: { keys: Set<string>; loopback: boolean }): boolean {
  const n = normalizeAddress(host);
  if (n.cls === 'loopback') return hosts.loopback;
  return hosts.keys.has(n.key);
}

const PRIVATE_V4 = /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|127\.)/;

function editDistanceOne(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const rest = (x: string, y: string) => x.slice(i + 1) === y.slice(i + 1) || x.slice(i + 1) === y.slice(i) || x.slice(i) === y.slice(i + 1);
  return rest(a, b);
}

/**
 * A replicatedLevelDB `zkAddress` that names host:port pairs no ZooKeeper of the workspace listens
 * on: the broker then waits forever for a quorum it cannot reach.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-address-mismatch',
    description: 'replicatedLevelDB zkAddress names ports that no zoo.cfg of the ensemble listens on.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    typoHosts(ctx);
    const ensembles = ctx.model.ensembles;
    if (ensembles.length === 0) return;
    for (const b of ctx.model.brokers) {
      for (const pa of b.config.persistenceAdapters) {
        if (pa.kind !== 'replicatedLevelDB' || !pa.zkAddress) continue;
        const attr = pa.attrs.get('zkAddress')!;
        if (attr.placeholder) continue;
        // the parsed list itself when it holds no placeholder: the model asked bestEnsembleFor about it already
        const entries = pa.zkAddress.some((x) => x.placeholder) ? pa.zkAddress.filter((x) => !x.placeholder) : pa.zkAddress;
        if (entries.length === 0) continue;
        const { ensemble, matched } = bestEnsembleFor(entries, ensembles);
        let target = ensemble;
        if (!target) {
          const multi = ensembles.filter((x) => x.members.length > 1);
          if (multi.length !== 1) continue;
          target = multi[0];
        }
        // the entries no member of the target answers, on hosts known to be the ensemble's (a NAT or
        // Docker-published address says nothing about its ports): most zkAddress values are right,
        // and then nothing below (endpoints, fix, related) is computed
        const hosts = ensembleHosts(target);
        if (!entries.some((x) => knownHost(x.host, hosts))) continue;
        const failing = matched === 0 ? entries : entries.filter((en) => !matchZkEntry(en, target!) && knownHost(en.host, hosts));
        if (failing.length === 0) continue;
        const allLoop = entries.every((x) => normalizeAddress(x.host).cls === 'loopback');
        const eps = clientEndpoints(target, allLoop ? entries[0].host : undefined);
        const suggestion = [...new Set(eps.map((x) => x.text))].join(',');
        const chroot = attr.value.includes('/') ? attr.value.slice(attr.value.indexOf('/')) : '';
        const fix =
          eps.length > 0
            ? [{ title: `Set zkAddress to ${suggestion}${chroot} (the ensemble's client endpoints)`, edits: [{ file: b.file, span: attr.span, newText: suggestion + chroot }], isPreferred: true }]
            : undefined;
        const related = eps.map((x) => {
          const l = x.member.listeners.find((y) => y.kind === 'zk-client')!;
          return { file: l.file, span: l.span, message: `${x.member.name} listens for clients on ${l.port}` };
        });
        const names = target.members.map((m) => m.name).join(', ');
        if (matched === 0) {
          ctx.report({
            file: b.file,
            span: attr.span,
            severity: 'warning',
            message: `No ZooKeeper of the workspace listens on any of ${entries.map((x) => `${x.host}:${x.port}`).join(', ')}; the ensemble ${names} takes clients on ${suggestion || '(no client port set)'}.`,
            related,
            fixes: fix,
          });
          continue;
        }
        for (const en of failing) {
          ctx.report({
            file: b.file,
            span: en.portSpan ?? en.span,
            message: `zkAddress names ${en.host}:${en.port}, but no server of the ensemble (${names}) listens there; its client endpoints are ${suggestion}.`,
            related,
            fixes: fix,
          });
        }
      }
    }
  },
};

/**
 * One entry's IPv4 address is a public address one character away from the private address all
 * other entries share (`171.17.0.1` among `172.17.0.1`): a typo, whether or not the ensemble's
 * own files are in the repository. Reported as a warning on the odd host.
 */
function typoHosts(ctx: Parameters<NonNullable<Rule['check']>>[0]): void {
  for (const b of ctx.model.brokers) {
    for (const pa of b.config.persistenceAdapters) {
      if (pa.kind !== 'replicatedLevelDB' || !pa.zkAddress) continue;
      const entries = pa.zkAddress.filter((x) => !x.placeholder);
      if (entries.length < 3) continue;
      // the odd host and the shared one are both IPv4 addresses: every entry starts with a digit
      if (entries.some((x) => !(x.host.charCodeAt(0) >= 48 && x.host.charCodeAt(0) <= 57))) continue;
      const counts = new Map<string, number>();
      for (const e of entries) counts.set(e.host, (counts.get(e.host) ?? 0) + 1);
      const [major, n] = [...counts].sort((x, y) => y[1] - x[1])[0];
      if (n !== entries.length - 1 || !/^\d+\.\d+\.\d+\.\d+$/.test(major) || !PRIVATE_V4.test(major)) continue;
      const odd = entries.find((e) => e.host !== major)!;
      if (!/^\d+\.\d+\.\d+\.\d+$/.test(odd.host) || PRIVATE_V4.test(odd.host) || !editDistanceOne(odd.host, major)) continue;
      ctx.report({
        file: b.file,
        span: odd.hostSpan,
        severity: 'warning',
        message: `zkAddress names ${odd.host}:${odd.port} among entries on ${major}: ${odd.host} is a public address one character away from the private ${major}, most likely a typo; the broker cannot reach this ZooKeeper and the replication set loses one of its ${entries.length} servers.`,
        related: entries.filter((e) => e !== odd).map((e) => ({ file: b.file, span: e.hostSpan, message: `${e.host}:${e.port}` })),
        fixes: [{ title: `Change ${odd.host} to ${major}`, edits: [{ file: b.file, span: odd.hostSpan, newText: major }], isPreferred: true }],
      });
    }
  }
}
