import { InlineKeyboard } from 'grammy';
import type { BotContext } from './bot-context.ts';
import type { BotStore } from './bot-store.ts';
import { encode } from './callback-data.ts';

/**
 * A step-by-step dialogue (creating an order, completing one, ...), kept in
 * bot_conversations and written in the update's transaction, so a restart
 * mid-conversation loses nothing and a redelivered update repeats nothing.
 */
const CONVERSATION_KINDS = [
  'create_order',
  'refuse_order',
  'decline_order',
  'long_repair',
  'complete_order',
  'add_master',
  'search',
  'report_period',
  'catalog_add',
  'catalog_rename',
  'rule_edit',
  'edit_master',
  // order-reschedule.ts, order-edit.ts, order-delete.ts
  'reschedule_order',
  'edit_order',
  'delete_order',
  'cancel_accepted',
  'client_message',
  'client_comment',
  'attach_files',
  'pin_place',
  // refuse-on-site.ts, order-correct.ts
  'refuse_on_site',
  'correct_order',
] as const;
export type ConversationKind = (typeof CONVERSATION_KINDS)[number];

export interface Conversation {
  kind: ConversationKind;
  step: string;
  data: Record<string, unknown>;
}

/** A stored row as a Conversation; null when it is not one this bot writes. */
export function toConversation(row: { kind: string; step: string; data: unknown } | null): Conversation | null {
  if (!row || !(CONVERSATION_KINDS as readonly string[]).includes(row.kind)) return null;
  if (typeof row.data !== 'object' || row.data === null || Array.isArray(row.data)) return null;
  return { kind: row.kind as ConversationKind, step: row.step, data: row.data as Record<string, unknown> };
}

function where(ctx: BotContext): { chatId: number; userId: number } {
  return { chatId: ctx.chat!.id, userId: ctx.state.principal.userId };
}

/** Starts or moves a conversation to `step`, merging `data` into what it has. */
export async function setStep(
  store: BotStore,
  ctx: BotContext,
  kind: ConversationKind,
  step: string,
  data: Record<string, unknown> = {},
): Promise<Conversation> {
  const prior = ctx.state.conversation?.kind === kind ? ctx.state.conversation.data : {};
  const next: Conversation = { kind, step, data: { ...prior, ...data } };
  const { chatId, userId } = where(ctx);
  await store.saveConversation(chatId, userId, next);
  ctx.state.conversation = next;
  return next;
}

/** Buttons under a question: Skip (when it may be skipped) and Cancel. */
export function cancelKeyboard(ctx: BotContext, skippable = false): InlineKeyboard {
  const kb = new InlineKeyboard();
  if (skippable) kb.text(ctx.t('button-skip'), encode({ type: 'skip' }));
  return kb.text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
}

/**
 * Ends the open dialogue, if any, and says so ("Черновик заказа отменён"):
 * a draft is never dropped without a word. True when one was open.
 */
export async function endAndSay(store: BotStore, ctx: BotContext): Promise<boolean> {
  const open = ctx.state.conversation;
  if (!open) return false;
  await endConversation(store, ctx);
  await ctx.reply(ctx.t(`dialogue-ended-${open.kind}`));
  return true;
}

/** Starts `kind` afresh at `step` and asks its first question; a different dialogue that was open ends, and the person is told. */
export async function startConversation(
  store: BotStore,
  ctx: BotContext,
  kind: ConversationKind,
  step: string,
  question: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await endAndSay(store, ctx);
  await setStep(store, ctx, kind, step, data);
  await ctx.reply(question, { reply_markup: questionMarkup(ctx) });
}

/** Under a question typed in answer: in a group with privacy mode on the bot sees only replies to its messages, so ask for one (/cancel still ends it). */
export function questionMarkup(ctx: BotContext) {
  return ctx.state.inGroup ? { force_reply: true as const, input_field_placeholder: ctx.from?.first_name } : cancelKeyboard(ctx);
}

export async function endConversation(store: BotStore, ctx: BotContext): Promise<void> {
  if (!ctx.state.conversation) return;
  const { chatId, userId } = where(ctx);
  await store.deleteConversation(chatId, userId);
  ctx.state.conversation = null;
}

/** True when this chat is in `kind` (and, if given, at `step`). */
export function inConversation(kind: ConversationKind, step?: string) {
  return (ctx: BotContext): boolean => ctx.state?.conversation?.kind === kind && (step === undefined || ctx.state.conversation.step === step);
}
