import type { Rule } from './types';
import type { BrokerNode } from '../model/workspace';

/**
 * Shared-store master/slave groups that cannot work as intended: brokers sharing one store
 * directory with different store types or with locking disabled, a JDBC lease locker without a
 * unique brokerName/leaseHolderId, or a lease shorter than the keep-alive.
 */
export const rule: Rule = {
  meta: {
    code: 'shared-store-misconfig',
    description: 'Brokers sharing a store (KahaDB directory or JDBC lease locker) are set up so that locking cannot protect it.',
    defaultSeverity: 'error',
    fixable: false,
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
