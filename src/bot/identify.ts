import type { MiddlewareFn } from 'grammy';
import type { Services } from '../services.ts';
import { markHandler } from '../telemetry/bot-telemetry.ts';
import type { BotContext, BotSettings } from './bot-context.ts';
import type { BotStore } from './bot-store.ts';
import { parseCallbackData } from './callback-data.ts';
import { toConversation } from './conversation.ts';
import { answer } from './error-boundary.ts';

/**
 * Who is writing: the Telegram user is recorded (so an admin can grant them
 * roles) and resolved to a Principal; the chat's conversation row is locked
 * for this update; button data is parsed once. The bot works in private
 * chats only; anything else is left alone.
 */
export function identify(services: Services, store: BotStore): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    if (!from || from.is_bot || ctx.chat?.type !== 'private') {
      markHandler(ctx, 'update.ignored');
      return;
    }
    const principal = await services.users.touchTelegramUser(from);
    const row = await store.findConversation(ctx.chat.id, principal.userId);
    ctx.state = {
      principal,
      conversation: toConversation(row),
      callback: ctx.callbackQuery ? parseCallbackData(ctx.callbackQuery.data) : null,
    };
    await next();
  };
}

/** Someone with no role sees the contact information and nothing else. */
export function strangerGate(settings: BotSettings): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.state.principal.roles.length > 0) return next();
    markHandler(ctx, 'start.stranger');
    const text = ctx.t('stranger', { contact: settings.supportContact, id: String(ctx.state.principal.telegramId ?? '') });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    if (ctx.chat) await ctx.reply(text);
  };
}

/** A button this bot never drew (forged, or from a very old message) gets a polite toast. */
export function callbackGate(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (!ctx.callbackQuery || ctx.state.callback) return next();
    markHandler(ctx, 'callback.invalid');
    await answer(ctx, ctx.t('button-invalid'));
  };
}
