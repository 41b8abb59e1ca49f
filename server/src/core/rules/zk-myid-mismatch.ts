import type { Rule } from './types';
import type { ZkNode } from '../model/workspace';
import { isDistributed, ownServer } from '../model/workspace';
import { serverListCause } from './zk-ensemble-mismatch';
import { zkAtLeast } from '../model/versions';

interface Blame {
  /** its own evidence says it is the server of the shared id */
  innocent: boolean;
  /** the id its evidence says it is (when blamed and known) */
  to?: number;
  why: string;
}

function blameFor(z: ZkNode, m: Map<ZkNode, Blame>): Blame | undefined {
  return m.get(z);
}

/**
 * Which member of each group of servers sharing a myid is the wrong one: the one whose own
 * evidence disagrees with the id (the number in its folder name, its clientPort, each mapped to
 * server ids by the offset the other members show); with the one server id nobody claims as the
 * fix. A group where nothing decides is not in the result (every member is reported).
 */
function blameDuplicates(members: ZkNode[]): Map<ZkNode, Blame> {
  const out = new Map<ZkNode, Blame>();
  const withId = members.filter((m) => m.myid?.id !== undefined && m.myidFile);
  const byId = new Map<number, ZkNode[]>();
  for (const m of withId) {
    let arr = byId.get(m.myid!.id!);
    if (!arr) byId.set(m.myid!.id!, (arr = []));
    arr.push(m);
  }
  const ids = new Set<number>();
  for (const m of members) for (const s of m.config.servers) if (s.id !== undefined) ids.add(s.id);
  const claimed = new Set(withId.map((m) => m.myid!.id!));
  const unclaimed = [...ids].filter((i) => !claimed.has(i));
  const sources: { what: (m: ZkNode) => string; value: (m: ZkNode) => number | undefined }[] = [
    { what: (m) => `its folder name ${m.name}`, value: (m) => (/(\d+)$/.exec(m.name) ? Number(/(\d+)$/.exec(m.name)![1]) : undefined) },
    { what: (m) => `its clientPort ${clientPortOf(m)}`, value: clientPortOf },
  ];
  for (const [id, dup] of byId) {
    if (dup.length < 2) continue;
    const others = withId.filter((m) => !dup.includes(m));
    const expected = new Map<ZkNode, { id: number; why: string }[]>();
    for (const src of sources) {
      const offset = offsetOf(members, others, src.value, ids);
      if (offset === undefined) continue;
      for (const m of dup) {
        const v = src.value(m);
        if (v === undefined) continue;
        let arr = expected.get(m);
        if (!arr) expected.set(m, (arr = []));
        arr.push({ id: v - offset, why: src.what(m) });
      }
    }
    const agrees = (m: ZkNode) => {
      const ex = expected.get(m) ?? [];
      return ex.length > 0 && ex.every((x) => x.id === id);
    };
    const says = (m: ZkNode): number | undefined => {
      const ex = expected.get(m) ?? [];
      const vals = new Set(ex.map((x) => x.id));
      return ex.length > 0 && vals.size === 1 && !vals.has(id) ? ex[0].id : undefined;
    };
    const innocent = dup.filter(agrees);
    const guilty = dup.filter((m) => says(m) !== undefined);
    if (innocent.length !== 1 || innocent.length + guilty.length !== dup.length) continue;
    out.set(innocent[0], { innocent: true, why: '' });
    for (const m of guilty) {
      const want = says(m)!;
      const ok = ids.has(want) && !claimed.has(want);
      const to = ok ? want : guilty.length === 1 && unclaimed.length === 1 ? unclaimed[0] : undefined;
      const ev = expected.get(m)!.map((x) => x.why).join(' and ');
      out.set(m, {
        innocent: false,
        to,
        why: `${m.name} is the wrong one: ${ev} ${expected.get(m)!.length > 1 ? 'say' : 'says'} it is server ${want}, as the other servers' folders and ports map to their ids, while ${innocent[0].name}'s agree with ${id}${to !== undefined && unclaimed.includes(to) ? `; server.${to} is claimed by no myid` : ''}.`,
      });
    }
  }
  return out;
}

/** The written client port of a server (clientPort, else its own server line's client part). */
function clientPortOf(m: ZkNode): number | undefined {
  const l = m.listeners.find((x) => x.kind === 'zk-client' && !x.implicit);
  if (l) return l.port;
  const own = ownServer(m);
  return own?.clientPort;
}

/**
 * The offset between a numbering (folder numbers, client ports) and server ids that every member
 * with a sure id shows, or else the one that maps all members onto the server ids one to one.
 */
function offsetOf(members: ZkNode[], sure: ZkNode[], value: (m: ZkNode) => number | undefined, ids: Set<number>): number | undefined {
  const fromSure = new Set<number>();
  for (const m of sure) {
    const v = value(m);
    if (v === undefined) return undefined;
    fromSure.add(v - m.myid!.id!);
  }
  if (fromSure.size === 1) {
    const o = [...fromSure][0];
    // the numbering must also tell every member apart
    const vals = members.map(value);
    if (vals.some((v) => v === undefined) || new Set(vals).size !== vals.length) return undefined;
    return o;
  }
  if (fromSure.size > 1) return undefined;
  const vals = members.map(value);
  if (vals.some((v) => v === undefined) || new Set(vals).size !== vals.length || vals.length !== ids.size) return undefined;
  const o = Math.min(...(vals as number[])) - Math.min(...ids);
  return (vals as number[]).every((v) => ids.has(v - o)) ? o : undefined;
}

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
    const dupBlame = new Map<ZkNode, Blame>();
    for (const e of ctx.model.ensembles) for (const [n, b] of blameDuplicates(e.members)) dupBlame.set(n, b);
    for (const z of ctx.model.zkNodes) {
      if (!z.myidFile || !z.myid) continue;
      const m = z.myid;
      const file = z.myidFile;
      // a standalone server reads an existing myid from 3.5 on (setupMyId), never in 3.4 (only for an ensemble)
      const standalone = !isDistributed(z);
      const v35 = zkAtLeast(z.version, 3, 5);
      if (standalone && v35 === false) continue;
      if (m.error !== undefined) {
        const trimmed = (m.firstLine ?? '').trim();
        const repl = /^\+?\d+$/.test(trimmed) ? String(Number(trimmed)) : z.serverIdInferred && z.serverId !== undefined ? String(z.serverId) : undefined;
        ctx.report({
          file,
          span: m.span,
          message: standalone && v35 === undefined
            ? `ZooKeeper 3.5 and later read an existing myid even when running standalone and cannot read this one ("${m.error}"): it must hold just the server id on the first line, with no spaces. ZooKeeper 3.4 ignores it on a standalone server; the version here is not known.`
            : `ZooKeeper cannot read this myid and exits with "${m.error}": it must hold just the server id on the first line, with no spaces.`,
          severity: standalone && v35 === undefined ? 'information' : undefined,
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
          // the siblings list this id: the line missing from this server's list is the cause
          effectOf: (z.ensemble?.members ?? []).some((o) => o !== z && o.config.servers.some((s) => s.id === m.id)) ? serverListCause(z) : undefined,
        });
        continue;
      }
      const dups: ZkNode[] = (z.ensemble?.members ?? []).filter((o) => o !== z && o.myid?.id === m.id && o.myidFile);
      if (dups.length > 0) {
        const verdict = blameFor(z, dupBlame);
        if (verdict?.innocent) continue; // its own evidence says it is this server: the others are wrong
        const fixes = verdict?.to !== undefined ? [{ title: `Set myid to ${verdict.to}`, edits: [{ file, span: m.span, newText: String(verdict.to) }], isPreferred: true }] : undefined;
        ctx.report({
          file,
          span: m.span,
          message:
            `myid ${m.id} of ${z.name} is also the myid of ${dups.map((d) => d.name).join(', ')} in the same ensemble; two servers cannot share an id (the second to join is rejected and the ensemble may lose quorum).` +
            (verdict ? ` ${verdict.why}` : ' Nothing in the workspace tells which of them is wrong.'),
          related: dups.map((d) => ({ file: d.myidFile!, span: d.myid!.span, message: `${d.name}'s myid` })),
          fixes,
        });
      }
    }
  },
};
