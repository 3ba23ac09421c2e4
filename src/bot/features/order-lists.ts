import { Composer, InlineKeyboard } from 'grammy';
import { requireStaff } from '../../users/principal.ts';
import { ForbiddenError } from '../../errors.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode, filterStatuses, STATUS_FILTERS, type ListFilterCode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { orderButtonLabel, statusName } from '../order-card.ts';
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

export function orderListsFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();

  onMenu(c, 'orders', 'orders.list_filters', async (ctx) => {
    requireStaff(ctx.state.principal);
    const kb = new InlineKeyboard();
    STAFF_FILTERS.forEach((f, i) => {
      kb.text(filterLabel(ctx, f), encode({ type: 'list', filter: f, cursor: null }));
      if (i % 3 === 2) kb.row();
    });
    await ctx.reply(ctx.t('list-choose'), { reply_markup: kb });
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
    const equipmentName = await kit.equipment.namer(p.language);
    const kb = new InlineKeyboard();
    for (const o of result.items)
      kb.text(orderButtonLabel(o, { t: ctx.t, equipmentName, timeZone: kit.settings.timeZone }), encode({ type: 'card', orderId: o.id })).row();
    if (result.next_cursor) kb.text(ctx.t('button-next'), encode({ type: 'list', filter, cursor: result.next_cursor }));
    if (cursor) kb.text(ctx.t('button-first'), encode({ type: 'list', filter, cursor: null }));
    const title = ctx.t(result.items.length ? 'list-title' : 'list-empty', { filter: filterLabel(ctx, filter) });
    if (ctx.callbackQuery?.message && cursor) await ctx.editMessageText(title, { reply_markup: kb });
    else await ctx.reply(title, { reply_markup: kb });
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
