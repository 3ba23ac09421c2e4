import { asText, cleanText, jsonSafe, optionalText } from './clean-text.ts';
import type { IdMap } from './id-map.ts';
import type { AuditRow, HistoryRow } from './import-trail.sql.ts';
import { asInteger, type LegacyRow } from './legacy-file.ts';
import type { Mapped } from './map-people.ts';
import { parseLegacyTimestamp } from './legacy-time.ts';
import { mapLegacyStatus } from './statuses.ts';

/** Legacy status history and audit rows; both may point at orders and users long gone. */
export interface TrailContext {
  /** Legacy order id -> orders.id, for every order imported now or before. */
  orderIdByLegacy: Pick<IdMap, 'get'>;
  /** Every order id the legacy file has, imported or not. */
  legacyOrderIds: Pick<IdMap, 'has'>;
  userIdByTelegram: ReadonlyMap<number, number>;
}

function actorOf(raw: unknown, field: string, ctx: TrailContext, note: (r: string) => void): { telegramId: number | null; actorId: number | null } {
  const telegramId = asInteger(raw) || null;
  const actorId = telegramId === null ? null : (ctx.userIdByTelegram.get(telegramId) ?? null);
  if (telegramId !== null && actorId === null) note(`${field}: no such user, actor left empty`);
  return { telegramId, actorId };
}

function orderMissing(legacyOrderId: number | null, ctx: TrailContext): string {
  return legacyOrderId !== null && ctx.legacyOrderIds.has(legacyOrderId) ? 'its order was skipped' : 'its order no longer exists (deleted in the legacy data)';
}

export function mapLegacyHistory(raw: LegacyRow, ctx: TrailContext): Mapped<HistoryRow> {
  const legacyId = asInteger(raw.id);
  if (legacyId === null) return { skip: 'id is not an integer' };
  const legacyOrderId = asInteger(raw.order_id);
  const orderId = legacyOrderId === null ? undefined : ctx.orderIdByLegacy.get(legacyOrderId);
  if (orderId === undefined) return { skip: orderMissing(legacyOrderId, ctx) };
  const newStatus = mapLegacyStatus(raw.new_status);
  if (!newStatus) return { skip: 'new_status missing or unknown' };
  const reasons: string[] = [];
  const note = (r: string) => reasons.push(r);
  const oldStatus = mapLegacyStatus(raw.old_status);
  if (oldStatus === undefined) note('old_status: unknown value, left empty');
  const changedAt = parseLegacyTimestamp(raw.changed_at);
  if (!changedAt) note(`changed_at: ${asText(raw.changed_at)?.trim() ? 'unreadable' : 'missing'}, the order's creation time used`);
  return {
    row: {
      legacyId,
      orderId,
      oldStatus: oldStatus ?? null,
      newStatus,
      actorId: actorOf(raw.changed_by, 'changed_by', ctx, note).actorId,
      changedAt: changedAt?.text ?? null,
      note: optionalText(raw.notes, 'notes', 2000, note),
    },
    reasons,
  };
}

/** 'Order Created', 'close_order' -> 'legacy.order_created', 'legacy.close_order'; the original stays in details. */
export function legacyAction(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `legacy.${slug || 'other'}`;
}

/** details as the legacy app wrote them: JSON when it parses, else the text. */
function parseDetails(raw: unknown): unknown {
  const text = cleanText(raw)?.text;
  if (!text) return null;
  if (/^[[{]/.test(text)) {
    try {
      return jsonSafe(JSON.parse(text));
    } catch {
      // Not JSON after all: kept as text.
    }
  }
  return text;
}

export function mapLegacyAudit(raw: LegacyRow, ctx: TrailContext): Mapped<AuditRow> {
  const legacyId = asInteger(raw.id);
  if (legacyId === null) return { skip: 'id is not an integer' };
  const reasons: string[] = [];
  const note = (r: string) => reasons.push(r);
  const actor = actorOf(raw.user_id, 'user_id', ctx, note);
  const action = cleanText(raw.action)?.text ?? '';
  const details = parseDetails(raw.details);
  let entityType = 'legacy';
  let entityId: number | null = null;
  const legacyOrderId = details && typeof details === 'object' ? asInteger((details as Record<string, unknown>).order_id) : null;
  if (legacyOrderId !== null) {
    const orderId = ctx.orderIdByLegacy.get(legacyOrderId);
    if (orderId === undefined) note(`details.order_id: ${orderMissing(legacyOrderId, ctx)}, entity left empty`);
    else [entityType, entityId] = ['order', orderId];
  }
  // Deleted in the legacy bot: kept for audit, detached from any order so no normal read shows it.
  const deletedAt = asText(raw.deleted_at)?.trim() ? (parseLegacyTimestamp(raw.deleted_at)?.text ?? asText(raw.deleted_at)) : null;
  if (deletedAt !== null) {
    note('deleted in the legacy data: kept as legacy_deleted, detached from its order');
    [entityType, entityId] = ['legacy_deleted', null];
  }
  const at = parseLegacyTimestamp(raw.timestamp);
  if (!at) note(`timestamp: ${asText(raw.timestamp)?.trim() ? 'unreadable' : 'missing'}, import time used`);
  return {
    row: {
      legacyId,
      actorId: actor.actorId,
      action: legacyAction(action),
      entityType,
      entityId,
      details: {
        legacy_id: legacyId,
        legacy_action: action,
        legacy_user_id: actor.telegramId,
        legacy_details: details,
        ...(deletedAt === null ? {} : { legacy_deleted_at: deletedAt }),
      },
      createdAt: at?.text ?? null,
    },
    reasons,
  };
}
