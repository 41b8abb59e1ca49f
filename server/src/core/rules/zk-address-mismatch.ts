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
    const ensembles = ctx.model.ensembles;
    if (ensembles.length === 0) return;
    for (const b of ctx.model.brokers) {
      for (const pa of b.config.persistenceAdapters) {
        if (pa.kind !== 'replicatedLevelDB' || !pa.zkAddress) continue;
        const attr = pa.attrs.get('zkAddress')!;
        if (attr.placeholder) continue;
        const entries = pa.zkAddress.filter((x) => !x.placeholder);
        if (entries.length === 0) continue;
        const { ensemble, matched } = bestEnsembleFor(entries, ensembles);
        let target = ensemble;
        if (!target) {
          const multi = ensembles.filter((x) => x.members.length > 1);
          if (multi.length !== 1) continue;
          target = multi[0];
        }
        // the entries no member of the target answers: most zkAddress values are right, and then
        // nothing below (endpoints, fix, related) is computed
        const failing = matched === 0 ? entries : entries.filter((en) => !matchZkEntry(en, target!));
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
