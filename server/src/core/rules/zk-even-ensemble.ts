import type { Rule } from './types';
import { quorumOf } from '../support';
import { serverListCause } from './zk-ensemble-mismatch';

/**
 * An even number of voting servers buys nothing: 4 servers tolerate one failure like 3 do, and
 * 2 servers tolerate none. ZooKeeper itself only logs a warning.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-even-ensemble',
    description: 'A ZooKeeper ensemble has an even number of voting servers (2 tolerates no failure).',
    defaultSeverity: 'warning',
    fixable: false,
    scope: 'file',
  },
  check(ctx) {
    for (const z of ctx.model.zkNodes) {
      const participants = z.config.servers.filter((s) => s.role === 'participant');
      const p = participants.length;
      if (p < 2 || p % 2 !== 0) continue;
      const q = quorumOf(p);
      const last = participants[participants.length - 1];
      ctx.report({
        file: z.file,
        span: last.entry.keySpan,
        message:
          p === 2
            ? `2 voting servers need both for a quorum: no server failure will be tolerated (ZooKeeper warns "You need at least 3 servers"). Add a third server.`
            : `${p} voting servers need ${q} for a quorum and tolerate ${p - q} ${p - q === 1 ? 'failure' : 'failures'}, no more than ${p - 1} servers would (ZooKeeper warns "Non-optimal configuration, consider an odd number of servers"). Use an odd number, or make one an observer.`,
        related: participants.slice(0, -1).map((s) => ({ file: z.file, span: s.entry.keySpan, message: `voting server.${s.idText}` })),
        // a list shorter than its siblings' (zk-ensemble-mismatch) explains the even count
        effectOf: z.ensemble && z.ensemble.members.length > 1 && z.ensemble.participants !== p ? serverListCause(z) : undefined,
      });
    }
  },
};
