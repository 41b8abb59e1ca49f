/**
 * When to analyse. A change marks its folder; the analysis runs
 *
 * - right away (after the messages already received are handled) when changes come slower than
 *   an analysis takes: one edit, then its diagnostics, as fast as they can be;
 * - once the changes pause, when they come faster than an analysis takes (a storm of edits, of
 *   watched-file events): the pause waited for is as long as the last analysis took (at most
 *   MAX_QUIET_MS). Superseded versions are never analysed, and requests are answered between
 *   messages instead of waiting behind analyses of texts that are already out of date;
 * - at the latest when the oldest waiting change is older than a bound that grows with the cost
 *   of an analysis (at least MIN_STALE_MS, 20 analyses' time): so during an endless storm the
 *   analysis takes about 5% of the time and diagnostics still follow.
 *
 * While received messages wait in the connection's queue (`Traffic`), it waits too: one of them
 * may be a newer text, and requests go first.
 */
import type { Traffic } from './transport';

export const MAX_QUIET_MS = 250;
export const MIN_STALE_MS = 1000;
const STALE_FACTOR = 20;

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
  request(item: T): void {
    const now = performance.now();
    const gap = now - this.lastRequest;
    this.lastRequest = now;
    this.dirty.add(item);
    if (!this.firstPending) this.firstPending = now;
    const quiet = gap < this.lastCost ? Math.min(this.lastCost, MAX_QUIET_MS) : 0;
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
    return Math.max(MIN_STALE_MS, STALE_FACTOR * this.lastCost);
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
