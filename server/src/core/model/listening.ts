/**
 * Who can listen, and who listens at the same time: derived before any port clash is looked for
 * (a broker that can never become master binds nothing; only the master of a master/slave group
 * and only the leader of a ZooKeeper ensemble bind some ports). Pure.
 */
import type { BrokerNode, Listener, ReplicationCandidate } from './workspace';
import { quorumOf } from '../support';

export function replicasOf(b: BrokerNode): number {
  const pa = b.config.persistenceAdapters.find((p) => p.kind === 'replicatedLevelDB');
  const v = pa?.attrs.get('replicas');
  return v && /^\d+$/.test(v.value.trim()) ? Number(v.value.trim()) : 3;
}

/** A replication set split off its siblings by a different brokerName, below its quorum. */
export interface SplitSet {
  candidate: ReplicationCandidate;
  name: string;
  members: BrokerNode[];
  /** the name most siblings share, when one does */
  majority?: { name: string; members: BrokerNode[] };
  replicas: number;
  quorum: number;
}

/**
 * Replicated LevelDB groups the brokers of one ensemble and zkPath by brokerName: a name group
 * smaller than its quorum, next to siblings with another name, can never elect a master. A name
 * group that reaches its quorum is a legitimate set of its own sharing the zkPath; a lone node
 * without siblings of another name says nothing (the workspace may not hold the others).
 */
export function splitSets(candidates: ReplicationCandidate[]): SplitSet[] {
  const out: SplitSet[] = [];
  for (const c of candidates) {
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
      const quorum = quorumOf(replicas);
      if (members.length >= quorum) continue;
      out.push({ candidate: c, name, members, majority: top ? { name: top[0], members: top[1] } : undefined, replicas, quorum });
    }
  }
  return out;
}

/** The cause key of a split set member (broker-name-mismatch reports it). */
export function splitCause(b: BrokerNode): string {
  return 'split-set:' + b.file;
}

/**
 * The key under which listeners take turns instead of binding at once: the members of one
 * master/slave group (only the master opens its connectors), and the quorum ports of one
 * ZooKeeper ensemble (only the elected leader binds its server.N quorum port). Two listeners of
 * different nodes with the same key never bind at the same time.
 */
export function turnKey(l: Listener): string | undefined {
  const n = l.node;
  if (n.type === 'broker') return n.group && !n.silent ? 'group:' + n.group.kind + ':' + n.group.key : undefined;
  if (l.kind === 'zk-quorum' && n.ensemble && n.ensemble.members.length > 1) return 'leader:' + n.ensemble.id;
  return undefined;
}

/** True when the two listeners' processes hold their ports at the same time. */
export function bindTogether(a: Listener, b: Listener): boolean {
  if (a.node === b.node) return true;
  const k = turnKey(a);
  return k === undefined || k !== turnKey(b);
}

// ---------------------------------------------------------------------------------------------
// clashes on one host, in O(n log n) for any number of listeners

/** Listeners that bind (silent brokers bind nothing). */
export function binds(l: Listener): boolean {
  return !(l.node.type === 'broker' && l.node.silent);
}

function before(a: Listener, b: Listener): boolean {
  return a.file < b.file || (a.file === b.file && a.span.start < b.span.start);
}

/**
 * One part of a port's listeners, sorted by (turn key, node, position) so that the listeners
 * that take turns with a given one (same turn key, other node) form one contiguous run.
 */
class Part {
  readonly items: Listener[];
  private readonly index = new Map<Listener, number>();
  /** turn key -> [start, end) */
  private readonly runs = new Map<string, [number, number]>();
  /** turn key + node -> [start, end) */
  private readonly nodeRuns = new Map<string, [number, number]>();
  private readonly explicitPrefix: number[];
  /** earliest listener of items[0..i) and of items[i..] */
  private readonly minBefore: (Listener | undefined)[];
  private readonly minFrom: (Listener | undefined)[];
  /** per turn run: the first listener of each node in it, earliest first */
  private readonly runFirsts = new Map<string, Listener[]>();

  constructor(items: Listener[]) {
    const keyed = items.map((l) => ({ l, t: turnKey(l) ?? '', n: l.node.file }));
    keyed.sort((a, b) => (a.t !== b.t ? (a.t < b.t ? -1 : 1) : a.n !== b.n ? (a.n < b.n ? -1 : 1) : before(a.l, b.l) ? -1 : before(b.l, a.l) ? 1 : 0));
    this.items = keyed.map((k) => k.l);
    const n = this.items.length;
    this.explicitPrefix = new Array(n + 1).fill(0);
    this.minBefore = new Array(n + 1);
    this.minFrom = new Array(n + 1);
    for (let i = 0; i < n; i++) {
      const l = this.items[i];
      this.index.set(l, i);
      this.explicitPrefix[i + 1] = this.explicitPrefix[i] + (l.implicit ? 0 : 1);
      const m = this.minBefore[i];
      this.minBefore[i + 1] = m && before(m, l) ? m : l;
      const t = keyed[i].t;
      if (t) {
        const r = this.runs.get(t);
        if (r) r[1] = i + 1;
        else this.runs.set(t, [i, i + 1]);
        const nk = t + '\u0000' + keyed[i].n;
        const nr = this.nodeRuns.get(nk);
        if (nr) nr[1] = i + 1;
        else {
          this.nodeRuns.set(nk, [i, i + 1]);
          let firsts = this.runFirsts.get(t);
          if (!firsts) this.runFirsts.set(t, (firsts = []));
          firsts.push(l);
        }
      }
    }
    for (let i = n - 1; i >= 0; i--) {
      const m = this.minFrom[i + 1];
      this.minFrom[i] = m && before(m, this.items[i]) ? m : this.items[i];
    }
    for (const firsts of this.runFirsts.values()) firsts.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  }

  /** the index ranges of the part that are l's clash partners: all but the run of l's turn key (except l's own node) and l */
  private ranges(l: Listener): [number, number][] {
    const n = this.items.length;
    const t = turnKey(l);
    const r = t ? this.runs.get(t) : undefined;
    const out: [number, number][] = [];
    const push = (a: number, b: number) => {
      if (b > a) out.push([a, b]);
    };
    const cut = (a: number, b: number) => {
      const i = this.index.get(l);
      if (i !== undefined && i >= a && i < b) {
        push(a, i);
        push(i + 1, b);
      } else push(a, b);
    };
    if (!r) {
      cut(0, n);
      return out;
    }
    cut(0, r[0]);
    const nr = this.nodeRuns.get(t + '\u0000' + l.node.file);
    if (nr) cut(nr[0], nr[1]);
    cut(r[1], n);
    return out;
  }

  count(l: Listener): { all: number; explicit: number } {
    let all = 0;
    let explicit = 0;
    for (const [a, b] of this.ranges(l)) {
      all += b - a;
      explicit += this.explicitPrefix[b] - this.explicitPrefix[a];
    }
    return { all, explicit };
  }

  list(l: Listener, max: number, out: Listener[]): void {
    for (const [a, b] of this.ranges(l)) {
      for (let i = a; i < b && out.length < max; i++) out.push(this.items[i]);
      if (out.length >= max) return;
    }
  }

  earliest(l: Listener): Listener | undefined {
    let best: Listener | undefined;
    for (const [a, b] of this.ranges(l)) {
      // a range is a prefix, a suffix or a node run (sorted by position)
      const m = a === 0 ? this.minBefore[b] : b === this.items.length ? this.minFrom[a] : this.items[a];
      if (m && (!best || before(m, best))) best = m;
    }
    return best;
  }

  /** true when another node of l's turn key has a listener in this part */
  hasTurnMate(l: Listener): boolean {
    const t = turnKey(l);
    const r = t ? this.runs.get(t) : undefined;
    if (!r) return false;
    const nr = this.nodeRuns.get(t + '\u0000' + l.node.file);
    return r[1] - r[0] > (nr ? nr[1] - nr[0] : 0);
  }

  /** listeners of other nodes in l's turn run that come before l, earliest first, one per node */
  earlierTurnMates(l: Listener, max: number): Listener[] {
    const t = turnKey(l);
    if (!t) return [];
    const out: Listener[] = [];
    for (const f of this.runFirsts.get(t) ?? []) {
      if (!before(f, l) || out.length >= max) break;
      if (f.node !== l.node) out.push(f);
    }
    return out;
  }
}

/** What one listener clashes with on its host and port. */
export interface Clash {
  /** listeners that bind the same port at the same time (the first few) */
  first: Listener[];
  /** how many there are in all */
  count: number;
  /** how many of them are written ports (not unwritten defaults) */
  explicitCount: number;
  /** the earliest of them in file/position order */
  earliest?: Listener;
}

/**
 * The listeners of one host grouped by port, and for each listener the ones it clashes with:
 * same port, overlapping addresses (`0.0.0.0` with everything, a name with every non-loopback
 * address, otherwise the same address), binding at the same time (model/listening.ts turnKey).
 */
export class HostClashes {
  private readonly parts = new Map<Listener, Part[]>();
  readonly byPort = new Map<number, Listener[]>();

  constructor(listeners: Listener[]) {
    for (const l of listeners) {
      if (!binds(l)) continue;
      let arr = this.byPort.get(l.port);
      if (!arr) this.byPort.set(l.port, (arr = []));
      arr.push(l);
    }
    for (const same of this.byPort.values()) {
      if (same.length < 2) continue;
      const wild: Listener[] = [];
      const loops: Listener[] = [];
      const ips: Listener[] = [];
      const names: Listener[] = [];
      const byKey = new Map<string, Listener[]>();
      for (const l of same) {
        const cls = l.address.cls;
        (cls === 'wildcard' ? wild : cls === 'loopback' ? loops : cls === 'ip' ? ips : names).push(l);
        if (cls !== 'wildcard') {
          let arr = byKey.get(l.address.key);
          if (!arr) byKey.set(l.address.key, (arr = []));
          arr.push(l);
        }
      }
      const W = new Part(wild);
      const L = new Part(loops);
      const I = new Part(ips);
      const N = new Part(names);
      const K = new Map<string, Part>();
      const keyPart = (k: string) => {
        let p = K.get(k);
        if (!p) K.set(k, (p = new Part(byKey.get(k)!)));
        return p;
      };
      for (const l of same) {
        const cls = l.address.cls;
        // disjoint parts whose union is exactly the listeners l's address overlaps with
        this.parts.set(l, cls === 'wildcard' ? [W, L, I, N] : cls === 'loopback' ? [W, keyPart(l.address.key)] : cls === 'ip' ? [W, keyPart(l.address.key), N] : [W, I, N]);
      }
    }
  }

  clash(l: Listener, max = 10): Clash {
    const parts = this.parts.get(l);
    if (!parts) return { first: [], count: 0, explicitCount: 0 };
    let count = 0;
    let explicitCount = 0;
    const first: Listener[] = [];
    let earliest: Listener | undefined;
    for (const p of parts) {
      const c = p.count(l);
      count += c.all;
      explicitCount += c.explicit;
      p.list(l, max, first);
      const e = p.earliest(l);
      if (e && (!earliest || before(e, earliest))) earliest = e;
    }
    return { first, count, explicitCount, earliest };
  }

  /** another node that takes turns with l (master/slave group, ensemble quorum port) has the same port and address */
  hasTurnMate(l: Listener): boolean {
    return (this.parts.get(l) ?? []).some((p) => p.hasTurnMate(l));
  }

  /** listeners of l's master/slave group on the same port and address that come before it (one per node) */
  earlierTurnMates(l: Listener, max = 10): Listener[] {
    const parts = this.parts.get(l);
    if (!parts) return [];
    const out: Listener[] = [];
    for (const p of parts) for (const x of p.earlierTurnMates(l, max)) if (out.length < max) out.push(x);
    return out;
  }
}

export function listenedBefore(a: Listener, b: Listener): boolean {
  return before(a, b);
}
