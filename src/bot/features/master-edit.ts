import { Composer } from 'grammy';
import { z } from 'zod';
import { phoneSchema } from '../../input.ts';
import { requireAdmin } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { endConversation, startConversation } from '../conversation.ts';
import { onAnswer, onButton } from '../routing.ts';
import { masterCard } from './admin-masters.ts';

/** Admins correct a master's name, phone or specialization from the master's card: one question, then the card again. */
const textSchema = z.string().trim().min(1).max(200);
const SCHEMAS = { name: textSchema, phone: phoneSchema, specialization: textSchema } as const;
const target = z.object({ masterId: z.number().int().positive(), field: z.enum(['name', 'phone', 'specialization']) });

export function masterEditFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { masters } = kit.services;

  onButton(c, 'editMaster', 'admin.master_edit', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    const m = await masters.get(ctx.state.principal, d.masterId);
    await ctx.answerCallbackQuery();
    const current = d.field === 'name' ? m.name : d.field === 'phone' ? m.phone : m.specialization;
    await startConversation(kit.store, ctx, 'edit_master', d.field, ctx.t(`edit-master-ask-${d.field}`, { current }), { masterId: d.masterId, field: d.field });
  });

  onAnswer(c, 'edit_master', 'admin.master_edit_answer', async (ctx, text) => {
    const t = target.safeParse(ctx.state.conversation!.data);
    if (!t.success) {
      await endConversation(kit.store, ctx);
      return ctx.reply(ctx.t('error-generic'));
    }
    const value = SCHEMAS[t.data.field].safeParse(text);
    if (!value.success) return ctx.reply(ctx.t(t.data.field === 'phone' ? 'create-invalid-client_phone' : 'invalid-text'));
    await endConversation(kit.store, ctx);
    const m = await masters.update(ctx.state.principal, t.data.masterId, { [t.data.field]: value.data });
    const { text: card, reply_markup } = masterCard(ctx, await masters.card(ctx.state.principal, m.id));
    await ctx.reply(`${ctx.t('edit-master-done')}\n\n${card}`, { reply_markup });
  });

  return c;
}
