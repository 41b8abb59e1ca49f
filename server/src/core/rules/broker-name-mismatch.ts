import type { Rule } from './types';
import type { BrokerNode } from '../model/workspace';
import type { Fix, TextEdit } from '../types';
import { quorumOf } from '../support';

function replicasOf(b: BrokerNode): number {
  const pa = b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB');
  const v = pa?.attrs.get('replicas');
  return v && /^\d+$/.test(v.value.trim()) ? Number(v.value.trim()) : 3;
}

export function renameEdit(b: BrokerNode, name: string): TextEdit | undefined {
  if (b.brokerNameAttr) return { file: b.file, span: b.brokerNameAttr.span, newText: name };
  if (b.config.broker) return { file: b.file, span: { start: b.config.broker.nameSpan.end, end: b.config.broker.nameSpan.end }, newText: ` brokerName="${name}"` };
  return undefined;
}

/**
 * Replicated LevelDB groups brokers by brokerName inside one zkPath: a node whose brokerName
 * differs from its siblings forms a set of its own, too small to reach quorum.
 */
export const rule: Rule = {
  meta: {
    code: 'broker-name-mismatch',
    description: 'A broker of a replicated LevelDB set has a brokerName its siblings do not share, splitting the set below quorum.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const c of ctx.model.replicationCandidates) {
      const byName = new Map<string, BrokerNode[]>();
      for (const b of c.members) {
        if (b.brokerName === undefined) continue;
        let arr = byName.get(b.brokerName);
        if (!arr) byName.set(b.brokerName, (arr = []));
        arr.push(b);
      }
      if (byName.size < 2) continue;
      const ranked = [...byName.entries()].sort((a, b) => b[1].length - a[1].length);
      const top = ranked[0][1].length > ranked[1][1].length ? ranked[0] : undefined;
      for (const [name, members] of ranked) {
        if (top && name === top[0]) continue;
        const replicas = replicasOf(members[0]);
        const q = quorumOf(replicas);
        if (members.length >= q) continue; // a legitimate set of its own sharing the zkPath
        const others = c.members.filter((m) => m.brokerName !== name && m.brokerName !== undefined);
        for (const b of members) {
          const fixes: Fix[] = [];
          if (top) {
            const e = renameEdit(b, top[0]);
            if (e) fixes.push({ title: `Rename this broker to '${top[0]}' like ${top[1].map((x) => x.name).join(', ')}`, edits: [e], isPreferred: true });
          }
          const all = others.map((o) => renameEdit(o, name)).filter((e): e is TextEdit => !!e);
          if (all.length) fixes.push({ title: `Rename the whole set to '${name}' (${others.map((o) => o.name).join(', ')})`, edits: all });
          ctx.report({
            file: b.file,
            span: b.brokerNameAttr?.span ?? b.config.broker!.nameSpan,
            message: `brokerName '${name}' differs from ${others.map((o) => `${o.name} ('${o.brokerName}')`).join(', ')}, which share this ZooKeeper path (${c.zkPath}). Replicated LevelDB groups nodes by brokerName, so ${b.name} forms a set of ${members.length} that can never reach the quorum of ${q} (replicas=${replicas}) and never becomes master.`,
            related: others.map((o) => ({ file: o.file, span: o.brokerNameAttr?.span ?? o.config.broker!.nameSpan, message: `${o.name}: brokerName '${o.brokerName}'` })),
            fixes,
          });
        }
      }
    }
  },
};
