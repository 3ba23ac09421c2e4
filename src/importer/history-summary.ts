import type { OrderStatus } from '../db/enums.ts';
import { cleanText } from './clean-text.ts';
import { asInteger, type LegacyRow } from './legacy-file.ts';
import { parseLegacyTimestamp, type Instant } from './legacy-time.ts';
import { mapLegacyStatus } from './statuses.ts';

/**
 * What an order's legacy status history tells about the order itself: when
 * it last entered each status (status_changed_at, closed_at) and why it was
 * refused, the legacy orders table having no column for either.
 */
export interface HistorySummary {
  since: Partial<Record<OrderStatus, Instant>>;
  refuseNote: { text: string; epochMs: number } | null;
}

/**
 * The summaries of a batch of orders at a time, from history rows sorted by
 * order id (LegacyFile.historyByOrder) read alongside the orders, which come
 * by id too: memory stays that of one batch at any file size.
 */
export class HistoryByOrder {
  private readonly rows: Iterator<LegacyRow>;
  private pending: LegacyRow | undefined;

  constructor(rows: Iterable<LegacyRow>) {
    this.rows = rows[Symbol.iterator]();
    this.pending = this.pull();
  }

  private pull(): LegacyRow | undefined {
    const next = this.rows.next();
    return next.done ? undefined : next.value;
  }

  /** Summaries of the orders with ids up to `lastId`; rows of lower ids (orders long gone) are passed over. */
  upTo(lastId: number): Map<number, HistorySummary> {
    const summaries = new Map<number, HistorySummary>();
    while (this.pending !== undefined) {
      const orderId = asInteger(this.pending.order_id);
      if (orderId !== null && orderId > lastId) break;
      addRow(summaries, this.pending);
      this.pending = this.pull();
    }
    return summaries;
  }
}

function addRow(summaries: Map<number, HistorySummary>, row: LegacyRow): void {
  {
    // One row's say on its order: when the order last entered that status, and a refusal's note.
    const orderId = asInteger(row.order_id);
    const status = mapLegacyStatus(row.new_status);
    const at = parseLegacyTimestamp(row.changed_at);
    if (orderId === null || !status || !at) return;
    let summary = summaries.get(orderId);
    if (!summary) summaries.set(orderId, (summary = { since: {}, refuseNote: null }));
    const previous = summary.since[status];
    // Rows come by id: on equal times the later row wins.
    if (!previous || at.epochMs >= previous.epochMs) summary.since[status] = at;
    const note = status === 'REFUSED' ? cleanText(row.notes)?.text : undefined;
    if (note && (!summary.refuseNote || at.epochMs >= summary.refuseNote.epochMs)) summary.refuseNote = { text: note, epochMs: at.epochMs };
  }
}
