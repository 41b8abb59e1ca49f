import type { Rule } from './types';
import type { BrokerNode } from '../model/workspace';
import type { Span } from '../types';
import { quorumOf } from '../support';

function replicasAttr(b: BrokerNode): { value?: number; span: Span; written: boolean; text?: string } {
  const pa = b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB')!;
  const v = pa.attrs.get('replicas');
  if (!v) return { value: 3, span: pa.nameSpan, written: false };
  const t = v.value.trim();
  return { value: /^\d+$/.test(t) ? Number(t) : undefined, span: v.span, written: true, text: t };
}

/**
 * `replicas` must be the same on every node of a replication set and should match the set's size:
 * fewer nodes than the quorum (replicas/2+1) never elect a master; more than replicas are refused.
 */
export const rule: Rule = {
  meta: {
    code: 'replicas-node-count',
    description: 'replicatedLevelDB replicas does not fit the number of nodes in its replication set, or differs between nodes.',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const c of ctx.model.replicationCandidates) {
      const names = new Set(c.members.map((m) => m.brokerName));
      if (names.size > 1) continue; // broker-name-mismatch explains the split
      const members = c.members;
      const reps = members.map((m) => ({ m, r: replicasAttr(m) }));
      if (reps.some((x) => x.r.value === undefined)) continue;
      const counts = new Map<number, number>();
      for (const x of reps) counts.set(x.r.value!, (counts.get(x.r.value!) ?? 0) + 1);
      const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
      const n = members.length;
      const setFix = (to: number) => ({
        title: `Set replicas="${to}" on every node of the set (${n} ${n === 1 ? 'node' : 'nodes'})`,
        edits: reps.filter((x) => x.r.written && x.r.value !== to).map((x) => ({ file: x.m.file, span: x.r.span, newText: String(to) })),
        isPreferred: true,
      });
      if (ranked.length > 1) {
        const common = ranked[0][1] > ranked[1][1] ? ranked[0][0] : undefined;
        for (const x of reps) {
          if (common !== undefined && x.r.value === common) continue;
          const others = reps.filter((o) => o.r.value !== x.r.value);
          ctx.report({
            file: x.m.file,
            span: x.r.span,
            severity: 'error',
            message: `replicas=${x.r.value}${x.r.written ? '' : ' (default)'} on ${x.m.name}, but ${others.map((o) => `${o.m.name} has ${o.r.value}`).join(', ')}; every node of a replication set must use the same replicas (the quorum is computed from it).`,
            related: others.map((o) => ({ file: o.m.file, span: o.r.span, message: `${o.m.name}: replicas=${o.r.value}` })),
            fixes: x.r.written && common !== undefined ? [{ title: `Set replicas="${common}" like the other nodes`, edits: [{ file: x.m.file, span: x.r.span, newText: String(common) }], isPreferred: true }] : undefined,
          });
        }
        continue;
      }
      // a set with one visible member says nothing about the members the workspace does not hold
      // (one activemq.xml that a script copies to every node)
      if (n === 1) continue;
      const r = ranked[0][0];
      const q = quorumOf(r);
      const name = members[0].brokerName ?? '(placeholder)';
      for (const x of reps) {
        const related = reps.filter((o) => o !== x).map((o) => ({ file: o.m.file, span: o.r.span, message: `${o.m.name} is in the same set` }));
        const fix = setFix(n);
        const fixes = fix.edits.length ? [fix] : undefined;
        if (n < q) {
          ctx.report({
            file: x.m.file,
            span: x.r.span,
            severity: 'error',
            message: `replicas=${r} needs ${q} connected nodes to elect a master, but the set '${name}' has only ${n} in this workspace (${members.map((m) => m.name).join(', ')}); it can never elect a master.`,
            related,
            fixes,
          });
        } else if (n > r) {
          ctx.report({
            file: x.m.file,
            span: x.r.span,
            message: `The set '${name}' has ${n} nodes but replicas=${r}; ActiveMQ warns "Too many cluster members are connected. Expected at most ${r} members but there are ${n} connected" and the quorum (${q}) is computed for ${r}.`,
            related,
            fixes,
          });
        } else if (n < r) {
          ctx.report({
            file: x.m.file,
            span: x.r.span,
            message: `replicas=${r} but the set '${name}' has ${n} nodes in this workspace (${members.map((m) => m.name).join(', ')}); with ${n} nodes and a quorum of ${q} it tolerates ${n - q} node ${n - q === 1 ? 'failure' : 'failures'}.`,
            related,
            fixes,
          });
        }
      }
    }
  },
};
