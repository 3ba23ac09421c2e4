import { Composer, InlineKeyboard } from 'grammy';
import { ValidationError } from '../../errors.ts';
import { requireStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, startConversation } from '../conversation.ts';
import { orderButtonLabel } from '../order-card.ts';
import { onAnswer, onMenu } from '../routing.ts';

/** Staff search orders by phone (any formatting), address or client name: `/search text` or the menu. */
const RESULTS = 10;

export function searchFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;

  const run = async (ctx: BotContext, query: string) => {
    let found;
    try {
      found = await kit.services.orders.search(ctx.state.principal, query, RESULTS);
    } catch (err) {
      if (err instanceof ValidationError) return ctx.reply(ctx.t('search-too-short'));
      throw err;
    }
    if (found.length === 0) return ctx.reply(ctx.t('search-empty', { query }));
    const equipmentName = await kit.equipment.namer(ctx.state.principal.language);
    const kb = new InlineKeyboard();
    for (const o of found)
      kb.text(orderButtonLabel(o, { t: ctx.t, equipmentName, timeZone: kit.settings.timeZone }), encode({ type: 'card', orderId: o.id })).row();
    await ctx.reply(ctx.t('search-results', { query, count: found.length }), { reply_markup: kb });
  };

  onMenu(c, 'search', 'orders.search', async (ctx) => {
    requireStaff(ctx.state.principal);
    const query = typeof ctx.match === 'string' ? ctx.match.trim() : '';
    if (query) return run(ctx, query);
    await startConversation(store, ctx, 'search', 'query', ctx.t('search-ask'));
  });

  onAnswer(c, 'search', 'orders.search', async (ctx, text) => {
    await endConversation(store, ctx);
    await run(ctx, text);
  });

  return c;
}
