import type { Composer, MiddlewareFn } from 'grammy';
import { markHandler } from '../telemetry/bot-telemetry.ts';
import type { BotContext } from './bot-context.ts';
import type { CallbackData, MenuItem } from './callback-data.ts';
import { inConversation, type ConversationKind } from './conversation.ts';

/** Small routing helpers shared by the feature composers. */

type Of<T extends CallbackData['type']> = Extract<CallbackData, { type: T }>;

/** Handles one kind of button; the handler gets its parsed data. */
export function onButton<T extends CallbackData['type']>(
  c: Composer<BotContext>,
  type: T,
  handler: string,
  fn: (ctx: BotContext, data: Of<T>) => Promise<unknown>,
): void {
  c.filter(
    (ctx) => ctx.state?.callback?.type === type,
    async (ctx) => {
      markHandler(ctx, handler);
      await fn(ctx, ctx.state.callback as Of<T>);
    },
  );
}

/** A menu entry: the same handler for its inline button, its reply-keyboard button and its /command. */
export function onMenu(c: Composer<BotContext>, item: MenuItem, handler: string, fn: (ctx: BotContext) => Promise<unknown>, commands: string[] = [item]): void {
  const run = async (ctx: BotContext) => {
    markHandler(ctx, handler);
    await fn(ctx);
  };
  c.command(commands, run);
  c.filter((ctx) => (ctx.state?.callback?.type === 'menu' && ctx.state.callback.item === item) || ctx.state?.menuTap === item, run);
}

/** Handles text typed as an answer in a conversation of `kind` (at `step`, if given). */
export function onAnswer(
  c: Composer<BotContext>,
  kind: ConversationKind,
  handler: string,
  fn: (ctx: BotContext, text: string) => Promise<unknown>,
  step?: string,
): void {
  c.filter(inConversation(kind, step))
    .on('message:text')
    .filter(isAnswerText, async (ctx) => {
      markHandler(ctx, handler);
      await fn(ctx, ctx.message.text);
    });
}

/** Text typed in a conversation (commands and reply-keyboard taps are never taken as answers). */
function isAnswerText(ctx: BotContext): boolean {
  const text = ctx.message?.text;
  return typeof text === 'string' && !text.startsWith('/') && !ctx.state.menuTap;
}

/** Answers a button press that nothing answered explicitly, so the client stops its spinner. */
export function autoAnswer(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    let answered = false;
    ctx.api.config.use((prev, method, payload, signal) => {
      if (method === 'answerCallbackQuery') answered = true;
      return prev(method, payload, signal);
    });
    await next();
    if (!answered) await ctx.answerCallbackQuery();
  };
}
