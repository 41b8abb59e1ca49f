/**
 * When to analyse. A change marks its folder; the analysis runs
 *
 * - right away (after the messages already received are handled) when changes come slower than
 *   an analysis takes: one edit, then its diagnostics, as fast as they can be;
 * - once the changes pause, when they come faster than an analysis takes (a storm of edits, of
 *   watched-file events): the pause waited for is as long as the last analysis took (at most
 *   MAX_QUIET_MS). Superseded versions are never analysed, and requests are answered between
 *   messages instead of waiting behind analyses of texts that are already out of date;
 * - after a pause also for the first change when that change alone is expected to take long (a
 *   buffer of some hundred KB: COST_PER_CHAR), so that a storm that starts with it does not start
 *   with a long analysis; watched files after DISK_QUIET_MS, and while their events come faster
 *   than four analyses' time, once they pause that long (at most 500 ms): nobody waits for the
 *   diagnostics of a checkout file by file;
 * - at the latest when the oldest waiting change is older than a bound that grows with the cost
 *   of an analysis (40 analyses' time, between MIN_STALE_MS and MAX_STALE_MS): so during an
 *   endless storm the analysis takes about 2.5% of the time and diagnostics still follow.
 *
 * While received messages wait in the connection's queue (`Traffic`), it waits too: one of them
 * may be a newer text, and requests go first.
 */
import type { Traffic } from './transport';

export const MAX_QUIET_MS = 250;
export const MIN_STALE_MS = 2000;
export const MAX_STALE_MS = 10_000;
const STALE_FACTOR = 40;
/** about what an analysis costs per character of a changed buffer (a 0.7 MB activemq.xml: 250 to 400 ms) */
export const COST_PER_CHAR_MS = 0.0004;
/** expected costs below this are analysed at once */
const FIRST_QUIET_MIN_MS = 50;
/** watched-file events are waited out this long at least */
export const DISK_QUIET_MS = 50;

export type ChangeKind = { kind: 'edit'; chars: number } | { kind: 'disk' } | { kind: 'other' };

export class AnalysisScheduler<T> {
  private readonly dirty = new Set<T>();
  private timer?: NodeJS.Timeout;
  private immediate?: NodeJS.Immediate;
  private due = 0;
  private firstPending = 0;
  private lastRequest = -Infinity;
  /** how long the last analysis run took (ms) */
  lastCost = 0;
  /** analyses run, for tests and logs */
  runs = 0;

  constructor(
    private readonly traffic: Traffic,
    private readonly run: (item: T) => void,
  ) {}

  /** `item` changed: analyse it soon. */
  request(item: T, change: ChangeKind = { kind: 'other' }): void {
    const now = performance.now();
    const gap = now - this.lastRequest;
    this.lastRequest = now;
    this.dirty.add(item);
    if (!this.firstPending) this.firstPending = now;
    let quiet = gap < this.lastCost ? Math.min(this.lastCost, MAX_QUIET_MS) : 0;
    if (change.kind === 'edit') {
      const expected = change.chars * COST_PER_CHAR_MS;
      if (expected >= FIRST_QUIET_MIN_MS) quiet = Math.max(quiet, Math.min(expected, MAX_QUIET_MS));
    } else if (change.kind === 'disk') {
      // nobody types files on disk: bursts (a checkout, a build) are waited out while an analysis would take a quarter of the time
      quiet = Math.max(quiet, DISK_QUIET_MS, gap < 4 * this.lastCost ? Math.min(4 * this.lastCost, 2 * MAX_QUIET_MS) : 0);
    }
    this.due = Math.max(this.due, now + quiet);
    this.arm(quiet);
  }

  /** Analyses `item` now if it waits (a request that needs fresh results). */
  runNow(item: T): void {
    if (!this.dirty.delete(item)) return;
    this.execute([item]);
  }

  /** Drops a waiting item (a removed folder). */
  forget(item: T): void {
    this.dirty.delete(item);
  }

  isPending(item: T): boolean {
    return this.dirty.has(item);
  }

  private staleBound(): number {
    return Math.max(MIN_STALE_MS, Math.min(MAX_STALE_MS, STALE_FACTOR * this.lastCost));
  }

  private arm(delay: number): void {
    if (this.timer || this.immediate) return;
    if (delay <= 0) this.immediate = setImmediate(this.tick);
    else this.timer = setTimeout(this.tick, delay);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    if (this.dirty.size === 0) {
      this.firstPending = 0;
      return;
    }
    const now = performance.now();
    const overdue = now - this.firstPending >= this.staleBound();
    if (!overdue && now < this.due) {
      this.timer = setTimeout(this.tick, Math.min(this.due - now, this.firstPending + this.staleBound() - now));
      return;
    }
    if (!overdue && this.traffic.queued() > 0) {
      // messages wait: let them be handled first (a newer text, a request)
      this.immediate = setImmediate(this.tick);
      return;
    }
    const items = [...this.dirty];
    this.dirty.clear();
    this.execute(items);
  };

  private execute(items: T[]): void {
    const t = performance.now();
    for (const item of items) this.run(item);
    this.runs++;
    this.lastCost = performance.now() - t;
    if (this.dirty.size === 0) {
      this.firstPending = 0;
      this.due = 0;
    }
  }
}
