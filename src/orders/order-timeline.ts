import type { OrderStatus } from '../db/enums.ts';
import type { TimelineRow } from './order-timeline.sql.ts';

/** One change in an order's story, as its readers see it. */
export interface OrderTimelineEntry {
  at: string;
  /** 'create', or the action (assign, edit, reschedule, delete, ...). */
  action: string;
  actor_name: string | null;
  from: OrderStatus | null;
  to: OrderStatus | null;
  /** The version this change produced. */
  version: number | null;
  /** The reason or note given with it. */
  note: string | null;
  /** Edited fields: value before and after. */
  changes: Record<string, { from: unknown; to: unknown }>;
  /** A reschedule's new time. */
  scheduled_at: string | null;
  scheduled_until: string | null;
  /** Set when an admin did it for this master. */
  for_master: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** An audit row as a timeline entry; `hidePhone` blanks phone values the reader may not see. */
export function toTimelineEntry(row: TimelineRow, hidePhone: boolean): OrderTimelineEntry {
  const d = (row.details ?? {}) as Record<string, unknown>;
  const changes = { ...((d.changes ?? {}) as Record<string, { from: unknown; to: unknown }>) };
  if (hidePhone && changes.client_phone) changes.client_phone = { from: null, to: null };
  return {
    at: row.at,
    action: row.action.replace(/^order\./, ''),
    actor_name: row.actor_name,
    from: str(d.from) as OrderStatus | null,
    to: str(d.to) as OrderStatus | null,
    version: typeof d.version === 'number' ? d.version : null,
    note: str(d.note),
    changes,
    scheduled_at: str(d.scheduled_at),
    scheduled_until: str(d.scheduled_until),
    for_master: str(d.for_master),
  };
}
