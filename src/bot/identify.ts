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
 * chats and in groups (masters' work groups, the dispatchers' group), where
 * whoever pressed or wrote (from.id, not the chat) is the one acting;
 * channels are left alone.
 */
export function identify(services: Services, store: BotStore): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const from = ctx.from;
    const chat = ctx.chat;
    const kind = chat?.type;
    if (!from || from.is_bot || !chat || (kind !== 'private' && kind !== 'group' && kind !== 'supergroup')) {
      markHandler(ctx, 'update.ignored');
      return;
    }
    const principal = await services.users.touchTelegramUser(from);
    const row = await store.findConversation(chat.id, principal.userId);
    ctx.state = {
      principal,
      inGroup: kind !== 'private',
      conversation: toConversation(row),
      callback: ctx.callbackQuery ? parseCallbackData(ctx.callbackQuery.data) : null,
      menuTap: null,
    };
    await next();
  };
}

/**
 * Someone with no role sees the contact information and nothing else. In a
 * group (a master's helper, a client added by mistake) they are not
 * answered at all, except a polite refusal when they press a button, and
 * the bot being added or removed still reaches the work-group feature.
 */
export function strangerGate(settings: BotSettings): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.state.principal.roles.length > 0) return next();
    if (ctx.state.inGroup) {
      if (ctx.myChatMember || ctx.message?.migrate_to_chat_id !== undefined) return next();
      markHandler(ctx, 'group.stranger');
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t('group-not-yours') });
      return;
    }
    // An edited message (a live location moving) is not a new word to answer.
    if (ctx.editedMessage) return markHandler(ctx, 'update.ignored');
    markHandler(ctx, 'start.stranger');
    const text = ctx.t('stranger', { contact: settings.supportContact, id: String(ctx.state.principal.telegramId ?? '') });
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    // No keyboard for someone with no role (one left from a role since taken away goes too).
    if (ctx.chat) await ctx.reply(text, { reply_markup: { remove_keyboard: true } });
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
