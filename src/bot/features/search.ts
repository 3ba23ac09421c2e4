import { Composer, InlineKeyboard } from 'grammy';
import { ValidationError } from '../../errors.ts';
import { requireStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, inConversation, setStep, startConversation } from '../conversation.ts';
import { orderButtonLabel } from '../order-card.ts';
import { onAnswer, onButton, onMenu } from '../routing.ts';

/** Staff search orders by number (#123, ours or the legacy bot's), phone (any formatting), address or client name: `/search text` or the menu; ten at a time. */
const RESULTS = 10;
const MAX_RESULTS = 100;
const MORE = 'search_more';

export function searchFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;

  /** One page of results; "More" walks on while the search keeps finding (up to MAX_RESULTS). */
  const run = async (ctx: BotContext, query: string, shown = 0) => {
    let found;
    try {
      found = await kit.services.orders.search(ctx.state.principal, query, Math.min(shown + RESULTS + 1, MAX_RESULTS));
    } catch (err) {
      if (err instanceof ValidationError) return ctx.reply(ctx.t('search-too-short'));
      throw err;
    }
    if (found.length === 0) return ctx.reply(ctx.t('search-empty', { query }));
    const page = found.slice(shown, shown + RESULTS);
    const more = found.length > shown + RESULTS;
    const equipmentName = await kit.equipment.namer(ctx.state.principal.language);
    const kb = new InlineKeyboard();
    for (const o of page)
      kb.text(orderButtonLabel(o, { t: ctx.t, equipmentName, timeZone: kit.settings.timeZone }), encode({ type: 'card', orderId: o.id })).row();
    if (more) {
      // The query stays in the dialogue's row: a button has no room for it.
      await setStep(store, ctx, 'search', 'results', { query, shown: shown + RESULTS });
      kb.text(ctx.t('button-next'), encode({ type: 'pick', value: MORE }));
    }
    const count = `${shown + page.length}${more ? '+' : ''}`;
    await ctx.reply(
      shown === 0 ? ctx.t('search-results', { query, count }) : ctx.t('search-results-more', { query, from: shown + 1, to: shown + page.length }),
      {
        reply_markup: kb,
      },
    );
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

  onButton(c.filter(inConversation('search', 'results')), 'pick', 'orders.search_more', async (ctx, d) => {
    const { query, shown } = ctx.state.conversation!.data;
    if (d.value !== MORE || typeof query !== 'string' || typeof shown !== 'number') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await endConversation(store, ctx);
    await run(ctx, query, shown);
  });

  return c;
}
