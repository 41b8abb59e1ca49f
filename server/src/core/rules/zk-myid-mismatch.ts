import type { Rule } from './types';
import type { ZkNode } from '../model/workspace';
import { isDistributed } from '../model/workspace';

/**
 * A myid ZooKeeper rejects (`1 ` with a trailing space, a blank line, text), an id that is not in
 * the server list ("My id 4 not in the peer list"), or two servers of one ensemble with one id.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-myid-mismatch',
    description: 'A myid file is unreadable for ZooKeeper, names an id missing from the server list, or repeats another server\'s id.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const z of ctx.model.zkNodes) {
      if (!z.myidFile || !z.myid) continue;
      const m = z.myid;
      const file = z.myidFile;
      if (m.error !== undefined) {
        const trimmed = (m.firstLine ?? '').trim();
        const repl = /^\+?\d+$/.test(trimmed) ? String(Number(trimmed)) : z.serverIdInferred && z.serverId !== undefined ? String(z.serverId) : undefined;
        ctx.report({
          file,
          span: m.span,
          message: `ZooKeeper cannot read this myid and exits with "${m.error}": it must hold just the server id on the first line, with no spaces.`,
          fixes: repl !== undefined ? [{ title: `Set myid to ${repl}`, edits: [{ file, span: m.span, newText: repl }], isPreferred: true }] : undefined,
        });
        continue;
      }
      if (!isDistributed(z) || m.id === undefined) continue;
      const ids = z.config.servers.filter((s) => s.id !== undefined).map((s) => s.id as number);
      if (!ids.includes(m.id)) {
        const claimed = new Set((z.ensemble?.members ?? []).filter((o) => o !== z && o.serverId !== undefined).map((o) => o.serverId));
        const free = ids.filter((i) => !claimed.has(i));
        ctx.report({
          file,
          span: m.span,
          message: `myid ${m.id} is not in ${z.name}'s server list (server.${ids.join(', server.')}); ZooKeeper exits with "My id ${m.id} not in the peer list".`,
          related: z.config.servers.map((s) => ({ file: z.file, span: s.entry.keySpan, message: `server.${s.idText}` })),
          fixes: free.length === 1 ? [{ title: `Set myid to ${free[0]}`, edits: [{ file, span: m.span, newText: String(free[0]) }], isPreferred: true }] : undefined,
        });
        continue;
      }
      const dups: ZkNode[] = (z.ensemble?.members ?? []).filter((o) => o !== z && o.myid?.id === m.id && o.myidFile);
      if (dups.length > 0) {
        ctx.report({
          file,
          span: m.span,
          message: `myid ${m.id} of ${z.name} is also the myid of ${dups.map((d) => d.name).join(', ')} in the same ensemble; two servers cannot share an id (the second to join is rejected and the ensemble may lose quorum).`,
          related: dups.map((d) => ({ file: d.myidFile!, span: d.myid!.span, message: `${d.name}'s myid` })),
        });
      }
    }
  },
};
