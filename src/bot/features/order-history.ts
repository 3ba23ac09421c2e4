import { Composer } from 'grammy';
import type { OrderTimelineEntry } from '../../orders/order-timeline.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { formatDateTime, formatVisit } from '../format.ts';
import type { Translate } from '../i18n.ts';
import { statusName } from '../order-card.ts';
import { onOrderAction } from '../order-guard.ts';

/**
 * An order's story in the chat (the "History" button): who did what and
 * when, status moves with their reasons, edits with the values before and
 * after, reschedules, deletion; what an admin did for a master says so.
 */
const SHOWN = 30;
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function value(v: unknown, tz: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v, tz);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return clip(String(v), 60);
  return clip(JSON.stringify(v), 60);
}

/** "Адрес «Тверская 1» → «Тверская 3»; Примечания «—» → «Домофон»" */
function describeChanges(t: Translate, changes: OrderTimelineEntry['changes'], tz: string): string {
  return Object.entries(changes)
    .map(([field, c]) => t('history-change', { field: t(`field-${field}`), from: value(c.from, tz), to: value(c.to, tz) }))
    .join('; ');
}

/** What one change did, in a few words. */
export function describeEntry(t: Translate, e: OrderTimelineEntry, tz: string): string {
  const note = e.note ? t('history-note', { note: clip(e.note, 200) }) : '';
  switch (e.action) {
    case 'create':
      return t('history-create');
    case 'edit':
      return t('history-edit', { changes: describeChanges(t, e.changes, tz) });
    case 'reschedule':
      return t('history-reschedule', { time: e.scheduled_at ? formatVisit(e.scheduled_at, e.scheduled_until, tz) : '—' }) + note;
    case 'delete':
    case 'restore':
      return t(`history-${e.action}`) + note;
    case 'correct':
      return t('history-correct', { changes: describeChanges(t, e.changes, tz) }) + note;
    default:
      if (e.from && e.to) return `${statusName(t, e.from)} → ${statusName(t, e.to)}${note}`;
      return e.action + note;
  }
}

function timelineText(t: Translate, orderId: number, entries: OrderTimelineEntry[], tz: string): string {
  const lines = entries.map((e) => {
    const who = e.actor_name ?? t('history-system');
    const forMaster = e.for_master ? t('history-for-master', { master: e.for_master }) : '';
    return `${formatDateTime(e.at, tz)} · ${who}${forMaster}: ${describeEntry(t, e, tz)}`;
  });
  const text = [t('history-title', { id: String(orderId) }), ...lines].join('\n');
  return text.length > 4000 ? `${text.slice(0, 3999)}…` : text;
}

export function orderHistoryFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  onOrderAction(c, ['history'], async (ctx, d) => {
    const entries = await kit.services.orders.timeline(ctx.state.principal, d.orderId, { limit: SHOWN });
    await ctx.answerCallbackQuery();
    await ctx.reply(timelineText(ctx.t, d.orderId, entries, kit.settings.timeZone));
  });
  return c;
}
