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

export function summarizeHistory(rows: Iterable<LegacyRow>): Map<number, HistorySummary> {
  const summaries = new Map<number, HistorySummary>();
  for (const row of rows) {
    const orderId = asInteger(row.order_id);
    const status = mapLegacyStatus(row.new_status);
    const at = parseLegacyTimestamp(row.changed_at);
    if (orderId === null || !status || !at) continue;
    let summary = summaries.get(orderId);
    if (!summary) summaries.set(orderId, (summary = { since: {}, refuseNote: null }));
    const previous = summary.since[status];
    // Rows come by id: on equal times the later row wins.
    if (!previous || at.epochMs >= previous.epochMs) summary.since[status] = at;
    const note = status === 'REFUSED' ? cleanText(row.notes)?.text : undefined;
    if (note && (!summary.refuseNote || at.epochMs >= summary.refuseNote.epochMs)) summary.refuseNote = { text: note, epochMs: at.epochMs };
  }
  return summaries;
}
