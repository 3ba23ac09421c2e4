import { Composer, type Filter } from 'grammy';
import type { ClientOrder } from '../../clients/clients-service.ts';
import { ConflictError, NotFoundError } from '../../errors.ts';
import { isStaff, hasRole } from '../../users/principal.ts';
import { countRating, markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { clientButton, clientCard } from '../client-messages.ts';
import { endConversation, setStep } from '../conversation.ts';
import { text as humanText } from '../../input.ts';

/**
 * The client's side of the bot. A client is anyone who opened an order's
 * personal link (/start c...): no role, so this runs before the stranger
 * gate and answers only about the client's own orders. Buttons are
 * `cl:<verb>:<order>[:<score>]`, checked against the client's link by the
 * service on every press (a button for someone else's order finds nothing).
 */
const BUTTON = /^cl:(c|cy|w|s|r):(\d{1,16})(?::([1-5]))?$/;
const MESSAGE_MAX = 2000;

const isClientOnly = (ctx: BotContext) => !isStaff(ctx.state.principal) && !hasRole(ctx.state.principal, 'MASTER');

export function clientFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { clients } = kit.services;
  const card = async (ctx: BotContext, o: ClientOrder) => {
    const name = await kit.equipment.namer(ctx.state.principal.language);
    const m = clientCard(ctx.t, o, name(o.equipment_type), kit.settings.timeZone);
    await ctx.reply(m.text, { reply_markup: m.reply_markup });
  };
  const notMine = (ctx: BotContext) => ctx.reply(ctx.t('client-not-yours'));

  // The deep link: t.me/<bot>?start=c<token> arrives as "/start c<token>".
  c.command('start', async (ctx, next) => {
    const payload = ctx.match.trim();
    if (!payload.startsWith('c')) return next();
    markHandler(ctx, 'client.join');
    await endConversation(kit.store, ctx);
    const joined = await clients.join(ctx.state.principal, ctx.chat.id, payload);
    if (!joined) return ctx.reply(ctx.t('client-link-invalid', { contact: kit.settings.supportContact }));
    // A client works from the order's card and its buttons: no staff keyboard, whatever this chat showed before.
    await ctx.reply(ctx.t(joined.firstTime ? 'client-welcome' : 'client-welcome-back', { id: String(joined.order.id) }), {
      reply_markup: { remove_keyboard: true },
    });
    await card(ctx, joined.order);
  });

  c.on('callback_query:data').filter(
    (ctx) => ctx.callbackQuery.data.startsWith('cl:'),
    async (ctx) => {
      const m = BUTTON.exec(ctx.callbackQuery.data);
      await ctx.answerCallbackQuery();
      if (!m) return ctx.reply(ctx.t('button-invalid'));
      const [, verb, idText, scoreText] = m;
      const id = Number(idText);
      markHandler(ctx, `client.${verb}`);
      try {
        await pressed(ctx, verb!, id, Number(scoreText));
      } catch (err) {
        if (err instanceof NotFoundError) return notMine(ctx);
        if (err instanceof ConflictError) return ctx.reply(ctx.t('client-too-late'));
        throw err;
      }
    },
  );

  async function pressed(ctx: BotContext, verb: string, id: number, score: number): Promise<unknown> {
    switch (verb) {
      case 's':
        return card(ctx, await clients.orderOf(ctx.state.principal, id));
      case 'c':
        await clients.orderOf(ctx.state.principal, id);
        return ctx.reply(ctx.t('client-cancel-confirm', { id: String(id) }), {
          reply_markup: { inline_keyboard: [[{ text: ctx.t('client-button-cancel-yes'), callback_data: clientButton.cancelYes(id) }]] },
        });
      case 'cy': {
        const o = await clients.cancel(ctx.state.principal, id, ctx.t('client-cancel-reason'));
        await ctx.reply(ctx.t('client-cancelled', { id: String(id) }));
        return card(ctx, o);
      }
      case 'w':
        await clients.orderOf(ctx.state.principal, id);
        await setStep(kit.store, ctx, 'client_message', 'text', { orderId: id });
        return ctx.reply(ctx.t('client-write-prompt'));
      default: {
        const rated = await clients.rate(ctx.state.principal, id, score);
        countRating(rated.score);
        if (rated.score <= 2) await kit.notifier.clients.lowRating(rated.route, rated.score, null);
        await setStep(kit.store, ctx, 'client_comment', 'text', { orderId: id });
        return ctx.reply(ctx.t('client-rated', { score: String(rated.score) }));
      }
    }
  }

  // What a client types: a message for the dispatcher, or a comment to the rating just given.
  c.on('message:text').filter(
    (ctx) => ctx.state.conversation?.kind === 'client_message' || ctx.state.conversation?.kind === 'client_comment',
    async (ctx: Filter<BotContext, 'message:text'>) => {
      const conv = ctx.state.conversation!;
      const orderId = Number(conv.data.orderId);
      if (ctx.message.text.startsWith('/')) {
        await endConversation(kit.store, ctx);
        return ctx.reply(ctx.t('client-write-cancelled'));
      }
      const parsed = humanText(MESSAGE_MAX).safeParse(ctx.message.text);
      if (!parsed.success) return ctx.reply(ctx.t('client-write-invalid', { max: String(MESSAGE_MAX) }));
      await endConversation(kit.store, ctx);
      if (conv.kind === 'client_comment') {
        markHandler(ctx, 'client.comment');
        const done = await clients.comment(ctx.state.principal, orderId, parsed.data);
        if (done && done.score <= 2) await kit.notifier.clients.lowRating(done.route, done.score, parsed.data);
        return ctx.reply(ctx.t(done ? 'client-comment-thanks' : 'client-too-late'));
      }
      markHandler(ctx, 'client.message');
      const route = await clients.writeToDispatcher(ctx.state.principal, orderId, parsed.data);
      await kit.notifier.clients.clientWrote(route, ctx.state.principal.name, parsed.data);
      return ctx.reply(ctx.t('client-write-sent'));
    },
  );

  // A client with no staff role who writes anything else sees their orders, not the stranger's notice.
  c.filter(isClientOnly, async (ctx, next) => {
    if (!ctx.message) return next();
    const mine = await clients.ordersOf(ctx.state.principal);
    if (mine.length === 0) return next();
    markHandler(ctx, 'client.orders');
    for (const o of mine.slice(0, 3)) await card(ctx, o);
  });

  return c;
}
