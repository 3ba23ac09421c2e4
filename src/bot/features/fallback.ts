import { Composer } from 'grammy';
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
