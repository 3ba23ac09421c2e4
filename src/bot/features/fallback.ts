import { Composer, InlineKeyboard } from 'grammy';
import { encode } from '../callback-data.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext } from '../bot-context.ts';
import { mainMenu } from './start.ts';

/**
 * Whatever no feature took: a button that no longer fits the chat's state
 * gets a polite toast, a message in a private chat gets the menu, anything
 * else (a group's chatter included) is ignored.
 */
export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query', async (ctx) => {
    markHandler(ctx, 'fallback.button');
    await ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
  });
  // A dialogue is open and this message is no answer to it (a sticker, a photo, an unknown command): ask again, keep the draft.
  c.filter(
    (ctx) => ctx.state?.conversation != null,
    async (ctx, next) => {
      if (!ctx.message) return next();
      markHandler(ctx, 'fallback.dialogue');
      await ctx.reply(ctx.t('dialogue-reask', { dialogue: ctx.t(`dialogue-name-${ctx.state.conversation!.kind}`) }), {
        reply_markup: new InlineKeyboard().text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' })),
      });
    },
  );
  // In a group people talk to each other: what the bot did not take is not addressed to it.
  c.filter(
    (ctx) => ctx.state?.inGroup === true,
    (ctx) => markHandler(ctx, 'fallback.group'),
  );
  c.on('message', async (ctx) => {
    markHandler(ctx, 'fallback.message');
    await ctx.reply(ctx.t('unknown-input'), { reply_markup: mainMenu(ctx.state.principal, ctx.t) });
  });
  c.use((ctx) => markHandler(ctx, 'fallback.ignored'));
  return c;
}
