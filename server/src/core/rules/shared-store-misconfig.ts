import type { Rule } from './types';
import type { BrokerNode } from '../model/workspace';
import type { RuleContext } from './types';
import { UnionFind } from '../model/unionfind';

/**
 * Shared-store master/slave groups that cannot work as intended: brokers sharing one store
 * directory with different store types or with locking disabled, a JDBC lease locker without a
 * unique brokerName/leaseHolderId, or a lease shorter than the keep-alive.
 */
export const rule: Rule = {
  meta: {
    code: 'shared-store-misconfig',
    description: 'Brokers sharing a store (KahaDB directory or JDBC lease locker) are set up so that locking cannot protect it, or mean to share one but name it slightly differently (each becomes master).',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const g of ctx.model.groups) {
      if (g.kind === 'shared-file') {
        const kinds = new Set(g.members.map((m) => m.store!.kind));
        const dir = g.key.slice(4);
        if (kinds.size > 1) {
          for (const m of g.members) {
            const others = g.members.filter((o) => o !== m);
            ctx.report({
              file: m.file,
              span: m.store!.attrs.get('directory')?.span ?? m.store!.nameSpan,
              message: `${m.name} opens ${dir} as ${m.store!.kind}, but ${others.map((o) => `${o.name} as ${o.store!.kind}`).join(', ')}; brokers sharing a store directory must use the same store type.`,
              related: others.map((o) => ({ file: o.file, span: o.store!.nameSpan, message: `${o.name}: ${o.store!.kind}` })),
            });
          }
        }
        for (const m of g.members) {
          const useLock = m.store!.attrs.get('useLock');
          if (useLock && useLock.value.trim() === 'false') {
            const others = g.members.filter((o) => o !== m);
            ctx.report({
              file: m.file,
              span: useLock.span,
              message: `${m.name} shares ${dir} with ${others.map((o) => o.name).join(', ')} but disables the store lock; without it every broker becomes master and they corrupt the shared store.`,
              related: others.map((o) => ({ file: o.file, span: o.store!.attrs.get('directory')?.span ?? o.store!.nameSpan, message: `${o.name} uses the same directory` })),
            });
          }
        }
      }
      if (g.kind === 'jdbc') {
        const lease = g.members.filter((m) => leaseLocker(m));
        const byName = new Map<string, BrokerNode[]>();
        for (const m of lease) {
          const locker = leaseLocker(m)!;
          if (locker.attrs.get('leaseHolderId')) continue;
          if (!m.brokerName) continue;
          let arr = byName.get(m.brokerName);
          if (!arr) byName.set(m.brokerName, (arr = []));
          arr.push(m);
        }
        for (const [name, ms] of byName) {
          if (ms.length < 2) continue;
          for (const m of ms) {
            const others = ms.filter((o) => o !== m);
            ctx.report({
              file: m.file,
              span: m.brokerNameAttr?.span ?? m.config.broker!.nameSpan,
              severity: 'warning',
              message: `${m.name} and ${others.map((o) => o.name).join(', ')} use a lease-database-locker on the same data source with the same brokerName '${name}' and no leaseHolderId; the lease holder is identified by it, so each broker needs a unique brokerName or leaseHolderId.`,
              related: others.map((o) => ({ file: o.file, span: o.brokerNameAttr?.span ?? o.config.broker!.nameSpan, message: `${o.name}: brokerName '${name}'` })),
            });
          }
        }
      }
    }
    nearlySharedStores(ctx);
    // lease locker timing, per broker
    for (const b of ctx.model.brokers) {
      const locker = leaseLocker(b);
      if (!locker) continue;
      const pa = b.config.persistenceAdapters.find((p) => p.locker === locker)!;
      const keep = pa.attrs.get('lockKeepAlivePeriod');
      const sleep = locker.attrs.get('lockAcquireSleepInterval');
      const keepV = keep && /^\d+$/.test(keep.value.trim()) ? Number(keep.value.trim()) : 0;
      const sleepV = sleep ? (/^\d+$/.test(sleep.value.trim()) ? Number(sleep.value.trim()) : undefined) : 10000;
      if (sleepV === undefined || keepV === 0) continue;
      if (sleepV <= keepV) {
        ctx.report({
          file: b.file,
          span: sleep?.span ?? locker.nameSpan,
          severity: 'warning',
          message: `lockAcquireSleepInterval (${sleepV}${sleep ? '' : ', default'}) must be greater than lockKeepAlivePeriod (${keepV}) for a lease-database-locker; otherwise a slave can take the lease while the master still renews it.`,
          related: keep ? [{ file: b.file, span: keep.span, message: 'lockKeepAlivePeriod' }] : [],
        });
      }
    }
  },
};

function leaseLocker(b: BrokerNode) {
  for (const pa of b.config.persistenceAdapters) if (pa.locker?.kind === 'lease-database-locker') return pa.locker;
  return undefined;
}

/** Levenshtein distance, bounded: returns max + 1 as soon as it exceeds max. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Store directories that differ only in case or by a typo (`kahadb` / `kahaDB`): meant to be one
 * shared directory, but on a case-sensitive file system they are two. Numbered directories
 * (`broker1` / `broker2`) are deliberately distinct.
 */
function nearlySame(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (a.replace(/\d+/g, '#') === b.replace(/\d+/g, '#')) return false;
  return Math.min(a.length, b.length) >= 8 && editDistance(a, b, 2) <= 2;
}

/**
 * Brokers with the same written brokerName whose shared-file stores nearly match: each locks its
 * own directory, so both become master.
 */
function nearlySharedStores(ctx: RuleContext): void {
  const byName = new Map<string, BrokerNode[]>();
  for (const b of ctx.model.brokers) {
    if (!b.brokerNameAttr || b.brokerNameAttr.placeholder || !b.brokerName) continue;
    if (!b.store || (b.store.kind !== 'kahaDB' && b.store.kind !== 'levelDB') || !b.storeDir?.startsWith('abs:')) continue;
    if (!b.store.attrs.get('directory')) continue;
    let arr = byName.get(b.brokerName);
    if (!arr) byName.set(b.brokerName, (arr = []));
    arr.push(b);
  }
  for (const [name, brokers] of byName) {
    const dirs = [...new Set(brokers.map((b) => b.storeDir!))];
    if (dirs.length < 2 || dirs.length > 50) continue;
    const uf = new UnionFind();
    for (let i = 0; i < dirs.length; i++) for (let j = i + 1; j < dirs.length; j++) if (nearlySame(dirs[i].slice(4), dirs[j].slice(4))) uf.union(dirs[i], dirs[j]);
    const clusters = new Map<string, string[]>();
    for (const d of dirs) {
      const r = uf.find(d);
      let arr = clusters.get(r);
      if (!arr) clusters.set(r, (arr = []));
      arr.push(d);
    }
    for (const cluster of clusters.values()) {
      if (cluster.length < 2) continue;
      const members = (d: string) => brokers.filter((b) => b.storeDir === d);
      const ranked = [...cluster].sort((a, b) => members(b).length - members(a).length);
      const main = members(ranked[0]).length > members(ranked[1]).length ? ranked[0] : undefined;
      for (const d of cluster) {
        if (d === main) continue;
        for (const b of members(d)) {
          const attr = b.store!.attrs.get('directory')!;
          const others = brokers.filter((o) => o.storeDir !== d && cluster.includes(o.storeDir!));
          const target = main ? members(main)[0].store!.attrs.get('directory')!.value : undefined;
          ctx.report({
            file: b.file,
            span: attr.span,
            message: `${b.name} and ${others.map((o) => `${o.name} (${o.store!.attrs.get('directory')!.value})`).join(', ')} have the same brokerName '${name}' and nearly the same store directory (${attr.value}): meant as one shared store, but on a case-sensitive file system (Linux, NFS) these are different directories, so each broker locks its own and both become master.`,
            related: others.slice(0, 10).map((o) => ({ file: o.file, span: o.store!.attrs.get('directory')!.span, message: `${o.name}: ${o.store!.attrs.get('directory')!.value}` })),
            fixes: target !== undefined ? [{ title: `Use ${target} like ${members(main!).map((o) => o.name).join(', ')}`, edits: [{ file: b.file, span: attr.span, newText: target }], isPreferred: true }] : undefined,
          });
        }
      }
    }
  }
}
