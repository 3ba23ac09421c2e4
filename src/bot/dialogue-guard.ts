import type { MiddlewareFn } from 'grammy';
import type { BotContext } from './bot-context.ts';
import type { BotStore } from './bot-store.ts';
import { endAndSay } from './conversation.ts';

/**
 * Commands that leave whatever dialogue is open for something else: the
 * dialogue ends, the person is told ("Черновик заказа отменён"), and the
 * command runs. /cancel ends it itself; /help answers without ending it;
 * any other command re-asks the step (see the fallback).
 */
const LEAVING_COMMANDS = new Set(['start', 'menu', 'new', 'orders', 'order', 'search', 'my', 'stats', 'masters', 'users', 'reports', 'language', 'console']);

function commandOf(ctx: BotContext): string | null {
  const text = ctx.message?.text;
  const entity = ctx.message?.entities?.[0];
  if (!text || entity?.type !== 'bot_command' || entity.offset !== 0) return null;
  const [name, addressee] = text.slice(1, entity.length).split('@');
  if (addressee !== undefined && addressee.toLowerCase() !== ctx.me.username.toLowerCase()) return null;
  return name!.toLowerCase();
}

/** In front of the features: a menu command, inline menu button or reply-keyboard tap ends the open dialogue out loud before it runs. */
export function dialogueGuard(store: BotStore): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.state.conversation) {
      const command = commandOf(ctx);
      const menu = ctx.state.callback?.type === 'menu' ? ctx.state.callback.item : ctx.state.menuTap;
      const leaves = (command !== null && LEAVING_COMMANDS.has(command)) || (menu !== null && menu !== 'cancel' && menu !== 'language');
      if (leaves) await endAndSay(store, ctx);
    }
    await next();
  };
}
