import type { Queryable } from '../../db/database.ts';
import { pruneOrderChanges, readOrderChanges } from './order-changes.sql.ts';

/** What one poll found: orders to refresh, or that everyone must reload. */
export interface PolledChanges {
  ids: number[];
  resync: boolean;
}

export interface PollerOptions {
  /** Log rows are dropped once every reader's snapshot has been past them this long. */
  retainMs?: number;
  /** How often this reader prunes. */
  pruneEveryMs?: number;
  now?: () => number;
}

/**
 * Reads the order change log (migration 0157) from where the last read
 * left off. A transaction id at or above the last snapshot's xmin may still
 * have been running then, so the next read starts at that xmin, and the
 * transactions already delivered are remembered until the xmin passes
 * them: every commit is delivered once, in whatever order they commit.
 *
 * A reader that has not read for longer than the log keeps rows (a stalled
 * event loop, a lost session) cannot know what it missed, and says resync.
 */
export class OrderChangePoller {
  private since: bigint | null = null;
  private readonly seen = new Set<bigint>();
  private lastReadAt = 0;
  /** xmins read at least `retainMs` ago bound what may be pruned. */
  private readonly marks: Array<{ at: number; xmin: bigint }> = [];
  private lastPruneAt = 0;
  private readonly retainMs: number;
  private readonly pruneEveryMs: number;
  private readonly now: () => number;

  constructor(opts: PollerOptions = {}) {
    this.retainMs = opts.retainMs ?? 60_000;
    this.pruneEveryMs = opts.pruneEveryMs ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** Forgets the position: the next poll starts from now (after a reconnect, which resyncs anyway). */
  reset(): void {
    this.since = null;
    this.seen.clear();
    this.marks.length = 0;
  }

  async poll(db: Queryable): Promise<PolledChanges> {
    const startedAt = this.now();
    const stale = this.since !== null && startedAt - this.lastReadAt > this.retainMs / 2;
    const rows = await readOrderChanges(db, this.since === null ? null : String(this.since));
    const xmin = BigInt(rows[0]!.xmin);
    // Filtered before any is marked seen: a transaction's statements share its id and all are new together.
    const fresh = rows.filter((row) => row.txid !== null && !this.seen.has(BigInt(row.txid)));
    const ids: number[] = [];
    let resync = stale;
    for (const row of fresh) {
      this.seen.add(BigInt(row.txid!));
      if (row.ids === null) resync = true;
      else ids.push(...row.ids);
    }
    for (const txid of this.seen) if (txid < xmin) this.seen.delete(txid);
    this.since = xmin;
    this.lastReadAt = startedAt;
    this.marks.push({ at: startedAt, xmin });
    await this.prune(db, startedAt);
    return { ids: resync ? [] : ids, resync };
  }

  private async prune(db: Queryable, now: number): Promise<void> {
    if (now - this.lastPruneAt < this.pruneEveryMs) return;
    let bound: bigint | undefined;
    while (this.marks.length > 0 && now - this.marks[0]!.at >= this.retainMs) bound = this.marks.shift()!.xmin;
    if (bound === undefined) return;
    this.lastPruneAt = now;
    await pruneOrderChanges(db, String(bound));
  }
}
