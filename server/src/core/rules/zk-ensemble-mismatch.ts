import { detectEol } from '../text';
import type { Rule } from './types';
import type { ZooServer } from '../parse/zoocfg';
import type { ZkNode } from '../model/workspace';
import { normalizeAddress } from '../model/address';

function signature(s: ZooServer, hostless = false): string {
  const addrs = s.addresses.map((a) => `${hostless ? '' : normalizeAddress(a.host).key}:${a.quorumPort ?? '?'}:${a.electionPort ?? '?'}`).join('|');
  const client = s.clientPort !== undefined ? `;${s.clientHost ? normalizeAddress(s.clientHost).key + ':' : ''}${s.clientPort}` : '';
  return `${addrs}:${s.role}${client}`;
}

/** The cause key of a member's incomplete server list (zk-even-ensemble and zk-myid-mismatch fold into it). */
export function serverListCause(m: ZkNode): string {
  return 'server-list:' + m.file;
}


/**
 * Every server of an ensemble must carry the same server.N list: a member that disagrees about a
 * server's address or ports cannot reach it, and quorum arithmetic diverges.
 */
export const rule: Rule = {
  meta: {
    code: 'zk-ensemble-mismatch',
    description: 'The zoo.cfg files of one ZooKeeper ensemble disagree about its server.N lines.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const e of ctx.model.ensembles) {
      if (e.members.length < 2) continue;
      const ids = new Set<number>();
      // id -> the member's first server.N line with that id (one pass per member, not one per id)
      const byId = new Map<ZkNode, Map<number, ZooServer>>();
      for (const m of e.members) {
        const own = new Map<number, ZooServer>();
        byId.set(m, own);
        for (const s of m.config.servers) {
          if (s.id === undefined) continue;
          ids.add(s.id);
          if (!own.has(s.id)) own.set(s.id, s);
        }
      }
      for (const id of [...ids].sort((a, b) => a - b)) {
        const have = new Map<ZkNode, ZooServer>();
        for (const m of e.members) {
          const s = byId.get(m)!.get(id);
          if (s) have.set(m, s);
        }
        // members that lack the line entirely
        for (const m of e.members) {
          if (have.has(m) || have.size === 0 || ctx.atLimit(m.file)) continue;
          const first = m.config.servers[0];
          const example = [...have.entries()][0];
          const eol = detectEol(ctx.text(m.file) ?? '');
          const insertAt = m.config.servers.length ? m.config.servers[m.config.servers.length - 1].entry.lineSpan.end : (ctx.text(m.file) ?? '').length;
          const srcText = ctx.text(example[0].file) ?? '';
          const line = srcText.slice(example[1].entry.lineSpan.start, example[1].entry.lineSpan.end);
          ctx.report({
            file: m.file,
            span: first ? first.entry.keySpan : { start: 0, end: 0 },
            message: `${m.name}'s zoo.cfg has no server.${id}, but ${[...have.keys()].map((x) => x.name).join(', ')} list it; every member of an ensemble needs the same server list.`,
            related: [...have.entries()].map(([o, s]) => ({ file: o.file, span: s.entry.keySpan, message: `server.${s.idText} in ${o.name}` })),
            // a zoo.cfg that names a dynamic configuration file the repository does not hold: a server
            // line added to zoo.cfg itself would be refused ("must be in a separate dynamic config file")
            fixes: m.config.byKey.has('dynamicConfigFile') && !m.dynamicFile ? undefined : [{ title: `Add ${line.trim()} from ${example[0].name}`, edits: [{ file: m.file, span: { start: insertAt, end: insertAt }, newText: eol + line.trim() }], isPreferred: have.size === e.members.length - 1 }],
            // what follows from the missing line (an even count of voters, its own id missing) folds into this finding
            cause: serverListCause(m),
          });
        }
        if (have.size < 2) continue;
        // the same line text everywhere parses to the same signature: nothing disagrees (the usual case)
        let same = true;
        let value: string | undefined;
        for (const s of have.values()) {
          if (value === undefined) value = s.entry.untrimmedValue;
          else if (s.entry.untrimmedValue !== value) {
            same = false;
            break;
          }
        }
        if (same) continue;
        // a server's own line saying 0.0.0.0 where the others name its host (the container idiom:
        // bind every interface) is no disagreement while ports and role agree; zk-dynamic-config
        // explains what it risks from ZooKeeper 3.5 on
        for (const [m, s] of [...have]) {
          if (m.serverId !== id || !s.addresses.length || !s.addresses.every((a) => normalizeAddress(a.host).cls === 'wildcard')) continue;
          if ([...have].some(([o, os]) => o !== m && signature(os, true) === signature(s, true))) have.delete(m);
        }
        if (have.size < 2) continue;
        const bySig = new Map<string, ZkNode[]>();
        for (const [m, s] of have) {
          const sig = signature(s);
          let arr = bySig.get(sig);
          if (!arr) bySig.set(sig, (arr = []));
          arr.push(m);
        }
        if (bySig.size < 2) continue;
        const ranked = [...bySig.entries()].sort((a, b) => b[1].length - a[1].length);
        const majority = ranked[0][1].length > ranked[1][1].length ? ranked[0] : undefined;
        for (const [sig, members] of ranked) {
          if (majority && sig === majority[0]) continue;
          const inGroup = new Set(members);
          const others = [...have.entries()].filter(([o]) => !inGroup.has(o));
          for (const m of members) {
            if (ctx.atLimit(m.file)) continue;
            const s = have.get(m)!;
            const target = majority ? have.get(majority[1][0])! : undefined;
            const targetText = target ? (ctx.text(majority![1][0].file) ?? '').slice(target.entry.valueSpan.start, target.entry.valueSpan.start + target.entry.value.length) : undefined;
            ctx.report({
              file: m.file,
              span: { start: s.entry.valueSpan.start, end: s.entry.valueSpan.start + s.entry.value.length },
              message: `server.${s.idText} is '${s.entry.value}' here but '${others.map(([, os]) => os.entry.value).filter((v, i, a) => a.indexOf(v) === i).join("' / '")}' in ${others.map(([o]) => o.name).join(', ')}; every member of an ensemble needs the same server list.`,
              related: others.map(([o, os]) => ({ file: o.file, span: { start: os.entry.valueSpan.start, end: os.entry.valueSpan.start + os.entry.value.length }, message: `server.${os.idText} in ${o.name}` })),
              // a role change (participant <-> observer) changes the quorum: offered, never applied by fix-all
              fixes: targetText !== undefined ? [{ title: `Use '${targetText}' like ${majority![1].map((x) => x.name).join(', ')}`, edits: [{ file: m.file, span: { start: s.entry.valueSpan.start, end: s.entry.valueSpan.start + s.entry.value.length }, newText: targetText }], isPreferred: target!.role === s.role }] : undefined,
            });
          }
        }
      }
    }
  },
};
