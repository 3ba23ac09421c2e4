import { Composer, InlineKeyboard } from 'grammy';
import { ORDER_STATUSES, type OrderStatus } from '../../db/enums.ts';
import { isStaff, requireStaff } from '../../users/principal.ts';
import { ForbiddenError } from '../../errors.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode, filterStatuses, STATUS_FILTERS, type ListFilterCode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { orderButtonLabel, orderListLine, statusName } from '../order-card.ts';
import { onButton, onMenu } from '../routing.ts';

/** Order lists by status (staff) and "my orders" (masters), a keyset page at a time; opening a card. */
const PAGE_SIZE = 8;
const STAFF_FILTERS: readonly ListFilterCode[] = ['o', ...STATUS_FILTERS];

function filterLabel(ctx: BotContext, f: ListFilterCode): string {
  if (f === 'o') return ctx.t('filter-open');
  if (f === 'm') return ctx.t('filter-mine');
  return filterStatuses(f)
    .map((s) => statusName(ctx.t, s))
    .join(', ');
}

/** Statuses whose orders the filter buttons count; closed and refused ones pile up for years and are not worth a count. */
const COUNTED: readonly OrderStatus[] = ORDER_STATUSES.filter((s) => s !== 'CLOSED' && s !== 'REFUSED');

/** An empty list offers what to do next instead of a dead end. */
function nextStepWhenEmpty(ctx: BotContext, kb: InlineKeyboard, filter: ListFilterCode): void {
  if (isStaff(ctx.state.principal) && (filter === 'o' || filter === 'n')) kb.text(ctx.t('menu-new'), encode({ type: 'menu', item: 'new' })).row();
  else if (filter !== 'm') kb.text(ctx.t('filter-open'), encode({ type: 'list', filter: 'o', cursor: null })).row();
}

/** A menu or list reached by a button replaces the message it was pressed on; typed, it is a new message. */
async function show(ctx: BotContext, text: string, kb: InlineKeyboard): Promise<void> {
  if (ctx.callbackQuery?.message) await ctx.editMessageText(text, { reply_markup: kb });
  else await ctx.reply(text, { reply_markup: kb });
}

export function orderListsFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();

  onMenu(c, 'orders', 'orders.list_filters', async (ctx) => {
    requireStaff(ctx.state.principal);
    const counts = await kit.store.countOrders(COUNTED);
    const count = (f: ListFilterCode) => filterStatuses(f).reduce<number | null>((n, s) => (n === null || !counts.has(s) ? null : n + counts.get(s)!), 0);
    const kb = new InlineKeyboard();
    STAFF_FILTERS.forEach((f, i) => {
      const n = count(f);
      kb.text(n === null ? filterLabel(ctx, f) : `${filterLabel(ctx, f)} (${n})`, encode({ type: 'list', filter: f, cursor: null }));
      if (i % 3 === 2 || i === STAFF_FILTERS.length - 1) kb.row();
    });
    kb.text(ctx.t('button-back'), encode({ type: 'menu', item: 'home' }));
    await show(ctx, ctx.t('list-choose'), kb);
  });

  const page = async (ctx: BotContext, filter: ListFilterCode, cursor: string | null) => {
    const p = ctx.state.principal;
    if (filter === 'm' && p.masterId === null) throw new ForbiddenError('you are not registered as a master');
    const result = await kit.services.orders.list(p, {
      statuses: [...filterStatuses(filter)],
      masterId: filter === 'm' ? p.masterId! : undefined,
      cursor: cursor ?? undefined,
      limit: PAGE_SIZE,
    });
    const style = { t: ctx.t, equipmentName: await kit.equipment.namer(p.language), timeZone: kit.settings.timeZone };
    const kb = new InlineKeyboard();
    for (const o of result.items) kb.text(orderButtonLabel(o, style), encode({ type: 'card', orderId: o.id })).row();
    if (result.next_cursor) kb.text(ctx.t('button-next'), encode({ type: 'list', filter, cursor: result.next_cursor }));
    if (cursor) kb.text(ctx.t('button-first'), encode({ type: 'list', filter, cursor: null }));
    if (result.items.length === 0) nextStepWhenEmpty(ctx, kb, filter);
    if (result.next_cursor || cursor) kb.row();
    kb.text(ctx.t('button-back'), encode(filter === 'm' ? { type: 'menu', item: 'home' } : { type: 'menu', item: 'orders' }));
    const title = ctx.t(result.items.length ? 'list-title' : 'list-empty', { filter: filterLabel(ctx, filter) });
    await show(ctx, [title, ...result.items.map((o) => orderListLine(o, style))].join('\n'), kb);
  };

  onMenu(c, 'my', 'master.my_orders', (ctx) => page(ctx, 'm', null));
  onButton(c, 'list', 'orders.list', async (ctx, d) => {
    await ctx.answerCallbackQuery();
    await page(ctx, d.filter, d.cursor);
  });

  onButton(c, 'card', 'orders.card', async (ctx, d) => {
    const order = await kit.services.orders.get(ctx.state.principal, d.orderId);
    await ctx.answerCallbackQuery();
    await replyCard(kit, ctx, order);
  });

  c.command('order', async (ctx) => {
    markHandler(ctx, 'orders.card');
    const id = Number(ctx.match.trim());
    if (!Number.isSafeInteger(id) || id < 1) return ctx.reply(ctx.t('order-usage'));
    await replyCard(kit, ctx, await kit.services.orders.get(ctx.state.principal, id));
  });

  return c;
}
