import type { Rule } from './types';
import type { BrokerNode } from '../model/workspace';
import type { Fix, TextEdit } from '../types';
import { splitCause, splitSets } from '../model/listening';

export function renameEdit(b: BrokerNode, name: string): TextEdit | undefined {
  if (b.brokerNameAttr) return { file: b.file, span: b.brokerNameAttr.span, newText: name };
  if (b.config.broker) return { file: b.file, span: { start: b.config.broker.nameSpan.end, end: b.config.broker.nameSpan.end }, newText: ` brokerName="${name}"` };
  return undefined;
}

/**
 * Replicated LevelDB groups brokers by brokerName inside one zkPath: a node whose brokerName
 * differs from its siblings forms a set of its own, too small to reach quorum. That is the root
 * cause of what follows (the node never listens, so it clashes with no port): one finding.
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
    for (const split of splitSets(ctx.model.replicationCandidates)) {
      const { candidate: c, name, members, majority: top, replicas, quorum: q } = split;
      const others = c.members.filter((m) => m.brokerName !== name && m.brokerName !== undefined);
      for (const b of members) {
        const fixes: Fix[] = [];
        if (top) {
          const e = renameEdit(b, top.name);
          if (e) fixes.push({ title: `Rename this broker to '${top.name}' like ${top.members.map((x) => x.name).join(', ')}`, edits: [e], isPreferred: true });
        }
        const all = others.map((o) => renameEdit(o, name)).filter((e): e is TextEdit => !!e);
        if (all.length) fixes.push({ title: `Rename the whole set to '${name}' (${others.map((o) => o.name).join(', ')})`, edits: all });
        ctx.report({
          file: b.file,
          span: b.brokerNameAttr?.span ?? b.config.broker!.nameSpan,
          message: `brokerName '${name}' differs from ${others.map((o) => `${o.name} ('${o.brokerName}')`).join(', ')}, which share this ZooKeeper path (${c.zkPath}). Replicated LevelDB groups nodes by brokerName, so ${b.name} forms a set of ${members.length} that can never reach the quorum of ${q} (replicas=${replicas}) and never becomes master.`,
          related: others.map((o) => ({ file: o.file, span: o.brokerNameAttr?.span ?? o.config.broker!.nameSpan, message: `${o.name}: brokerName '${o.brokerName}'` })),
          fixes,
          cause: splitCause(b),
        });
      }
    }
  },
};
