import type { Rule, RuleContext } from './types';
import type { Fix } from '../types';
import type { Listener, ZkNode } from '../model/workspace';
import { HostClashes, listenedBefore, turnKey } from '../model/listening';
import { describeListener, relatedListener } from '../support';
import { detectEol } from '../text';

const ADMIN_NOTE = ' The others log "Problem starting AdminServer" and run on without it (ZooKeeper 3.5+).';

/** Related information listed per finding; the rest are counted. */
const MAX_RELATED = 10;

/**
 * Two listeners on one host bind the same port at the same time. Who binds is derived first: a
 * broker that can never become master (split off its replication set) binds nothing; members of
 * one master/slave group take turns (only the master opens its connectors), and so do the quorum
 * ports of one ZooKeeper ensemble (only the leader binds it). A member repeating a port its
 * offset-ported siblings keep distinct gets an information-level hint instead. One finding per
 * listener, with a bounded list of the others: linear in the number of listeners.
 */
export const rule: Rule = {
  meta: {
    code: 'port-conflict',
    description: 'Two nodes (or two listeners of one node) on the same host bind the same port.',
    defaultSeverity: 'error',
    fixable: true,
    scope: 'cross-node',
  },
  check(ctx) {
    for (const listeners of ctx.model.hosts.values()) checkHost(ctx, listeners);
  },
};

function others(list: Listener[], count: number): string {
  const shown = list.map(describeListener).join(', ');
  return count > list.length ? `${shown} and ${count - list.length} more` : shown;
}

function related(list: Listener[], count: number): { file: string; span: { start: number; end: number }; message: string }[] {
  const out = list.map((o) => relatedListener(o));
  if (count > list.length && list.length > 0) out.push({ file: list[list.length - 1].file, span: list[list.length - 1].span, message: `and ${count - list.length} more listeners on this port` });
  return out;
}

/** Whether two listeners of the list use one port (nothing below reports on a host without). */
function repeatsAPort(listeners: Listener[]): boolean {
  const n = listeners.length;
  if (n <= 16) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (listeners[i].port === listeners[j].port) return true;
    return false;
  }
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (seen.has(listeners[i].port)) return true;
    seen.add(listeners[i].port);
  }
  return false;
}

function checkHost(ctx: RuleContext, listeners: Listener[]): void {
  // every finding below is about listeners sharing a port: most hosts (one node each) have none
  if (!repeatsAPort(listeners)) return;
  const clashes = new HostClashes(listeners);
  const used = new Set(listeners.map((l) => l.port));
  // the listeners a fix-all moves get distinct free ports, in file order
  const taken = new Set(used);
  // where the search for a free port above a given port resumes (ports are only ever taken)
  const cursor = new Map<number, number>();
  const freePort = (from: number): number | undefined => {
    for (let p = Math.max(from + 1, cursor.get(from) ?? 0); p <= 65535; p++) {
      if (!taken.has(p)) {
        taken.add(p);
        cursor.set(from, p + 1);
        return p;
      }
    }
    cursor.set(from, 65536);
    return undefined;
  };
  // per master/slave group: how many distinct ports its members give one listener
  const distinctInGroup = new Map<string, Set<number>>();
  for (const l of listeners) {
    const t = turnKey(l);
    if (!t || l.implicit || l.node.type !== 'broker') continue;
    const k = `${t}\u0000${l.kind}\u0000${l.label}`;
    let s = distinctInGroup.get(k);
    if (!s) distinctInGroup.set(k, (s = new Set()));
    s.add(l.port);
  }
  for (const port of [...clashes.byPort.keys()].sort((a, b) => a - b)) {
    const same = clashes.byPort.get(port)!;
    if (same.length < 2) continue;
    const ordered = [...same].sort((a, b) => (listenedBefore(a, b) ? -1 : listenedBefore(b, a) ? 1 : 0));
    for (const l of ordered) {
      const c = clashes.clash(l, MAX_RELATED);
      if (c.count > 0) {
        const implicit = l.implicit || c.explicitCount === 0;
        // a ZooKeeper whose AdminServer cannot bind warns and runs on (ZooKeeper 3.8, conformance suite)
        const adminOnly = l.kind === 'zk-admin' && c.first.every((o) => o.kind === 'zk-admin');
        // fix-all moves the later listener(s) of a clash, never the first one
        // ... unless no other listener of the clash can be moved (server.N ports, unwritten defaults)
        const othersFixed = c.count === c.first.length && c.first.every((o) => !movable(o));
        const isLater = (!!c.earliest && listenedBefore(c.earliest, l)) || othersFixed;
        const fixes = fixesFor(ctx, l, isLater, freePort, used);
        ctx.report({
          file: l.file,
          span: l.span,
          severity: implicit ? 'information' : adminOnly ? 'warning' : undefined,
          message: implicit
            ? `${describeListener(l)} uses the same default port as ${others(c.first, c.count)} on the same host (${l.node.hostEvidence}); only the first process gets it.${adminOnly ? ADMIN_NOTE : ''} Set the port explicitly on each node.`
            : adminOnly
              ? `Port ${l.port} (${l.label} of ${l.node.name}) is also the AdminServer port of ${others(c.first, c.count)} on the same host (${l.node.hostEvidence}); only the first server gets it.${ADMIN_NOTE}`
              : `Port ${l.port} (${l.label} of ${l.node.name}) is also bound by ${others(c.first, c.count)} on the same host (${l.node.hostEvidence}); whichever starts second fails with "Address already in use".`,
          related: related(c.first, c.count),
          fixes,
        });
      }
      if (!l.implicit && l.node.type === 'broker') {
        const earlier = clashes.earlierTurnMates(l, MAX_RELATED);
        const t = turnKey(l);
        const distinct = t ? distinctInGroup.get(`${t}\u0000${l.kind}\u0000${l.label}`)?.size ?? 0 : 0;
        if (earlier.length > 0 && distinct > 1) {
          const free = freePort(l.port);
          ctx.report({
            file: l.file,
            span: l.span,
            severity: 'information',
            message: `${describeListener(l)} repeats ${earlier.map(describeListener).join(', ')} in the same master/slave group. Only the master listens, so this is no bind conflict, but the other members use distinct ports and clients cannot tell these nodes apart.`,
            related: earlier.map((o) => relatedListener(o)),
            fixes: free !== undefined ? [{ title: `Change ${l.node.name}'s ${l.label} to ${free}`, edits: [{ file: l.file, span: l.span, newText: String(free) }], isPreferred: true }] : undefined,
          });
        }
      }
    }
  }
}

function fixesFor(ctx: RuleContext, l: Listener, isLater: boolean, freePort: (from: number) => number | undefined, used: Set<number>): Fix[] | undefined {
  // a server.N port is the ensemble's shared configuration: moving it in one file would split the
  // server list, so that conflict gets no quick fix
  if (l.kind === 'zk-quorum' || l.kind === 'zk-election') return undefined;
  if (l.implicit) {
    if (l.kind !== 'zk-admin') return undefined;
    return adminPortFix(ctx, l.node as ZkNode, isLater, isLater ? freePort(8080) : nextUnused(8080, used));
  }
  const free = isLater ? freePort(l.port) : nextUnused(l.port, used);
  if (free === undefined) return undefined;
  return [{ title: `Change ${l.node.name}'s ${l.label} to ${free} (next free port on this host)`, edits: [{ file: l.file, span: l.span, newText: String(free) }], isPreferred: isLater }];
}

/** a written port a quick fix may change (a server.N port is the ensemble's shared configuration) */
function movable(l: Listener): boolean {
  return !l.implicit && l.kind !== 'zk-quorum' && l.kind !== 'zk-election';
}

function nextUnused(from: number, used: Set<number>): number | undefined {
  for (let p = from + 1; p <= 65535; p++) if (!used.has(p)) return p;
  return undefined;
}

/** "Add admin.serverPort=N": a new line after clientPort (else after the last setting). */
function adminPortFix(ctx: RuleContext, z: ZkNode, preferred: boolean, port: number | undefined): Fix[] | undefined {
  const text = ctx.text(z.file);
  if (port === undefined || text === undefined) return undefined;
  const after = z.config.byKey.get('clientPort') ?? z.config.entries[z.config.entries.length - 1];
  if (!after) return undefined;
  const eol = detectEol(text);
  let at = after.lineSpan.end;
  while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
  return [{ title: `Add admin.serverPort=${port} (next free port on this host)`, edits: [{ file: z.file, span: { start: at, end: at }, newText: `${eol}admin.serverPort=${port}` }], isPreferred: preferred }];
}
