import { Composer, InlineKeyboard } from 'grammy';
import { z } from 'zod';
import { ConflictError } from '../../errors.ts';
import type { MasterQuality } from '../../masters/master-quality.ts';
import type { MasterView } from '../../masters/master-view.ts';
import { STATUS_SETS } from '../../orders/order-statuses.ts';
import { requireAdmin } from '../../users/principal.ts';
import { phoneSchema } from '../../input.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { cancelKeyboard, endAndSay, endConversation, inConversation, setStep, startConversation } from '../conversation.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import { savepoint } from '../outbox.ts';
import { qualityLine } from '../report-text.ts';
import { onAnswer, onButton, onMenu } from '../routing.ts';

/** Admins: the masters list, a master's card (approve, activate, deactivate), adding a master by Telegram id. */
const PER_PAGE = 8;
/** Open orders listed when deactivating a master who still has some. */
const OPEN_SHOWN = 6;
const telegramIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const specializationSchema = z.string().trim().min(1).max(200);
const nameSchema = z.string().trim().min(1).max(200);

/** A master's card: details, state, how clients rated them and whether they arrive on time (all time), and what an admin can do. */
export function masterCard(ctx: BotContext, m: MasterView & MasterQuality): { text: string; reply_markup: InlineKeyboard } {
  const text = ctx.t('master-card', {
    name: m.senior ? `${m.name} (${ctx.t('role-SENIOR_MASTER')})` : m.name,
    telegramId: String(m.telegram_id ?? '-'),
    phone: m.phone,
    specialization: m.specialization,
    approved: ctx.t(m.is_approved ? 'master-approved' : 'master-pending'),
    active: ctx.t(m.is_active ? 'master-active' : 'master-inactive'),
  });
  const group = ctx.t('master-group-line', { group: ctx.t(m.work_chat_id === null ? 'group-none' : 'master-group-set') });
  const kb = new InlineKeyboard();
  if (!m.is_approved) kb.text(ctx.t('button-approve'), encode({ type: 'masterFlag', flag: 'approve', masterId: m.id }));
  const flag = m.is_active ? 'deactivate' : 'activate';
  kb.text(ctx.t(`button-${flag}`), encode({ type: 'masterFlag', flag, masterId: m.id }));
  kb.row();
  for (const field of ['name', 'phone', 'specialization'] as const)
    kb.text(ctx.t(`button-edit-master-${field}`), encode({ type: 'editMaster', masterId: m.id, field }));
  kb.row().text(ctx.t('button-work-group'), encode({ type: 'workChat', masterId: m.id }));
  kb.row().text(ctx.t('button-back'), encode({ type: 'masters', afterId: 0 }));
  return { text: `${text}\n${group}\n${qualityLine(ctx.t, m)}`, reply_markup: kb };
}

export function adminMastersFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { masters } = kit.services;

  const page = async (ctx: BotContext, afterId: number) => {
    requireAdmin(ctx.state.principal);
    const list = await masters.list(ctx.state.principal, { afterId, limit: PER_PAGE + 1 });
    const kb = new InlineKeyboard();
    for (const m of list.slice(0, PER_PAGE)) {
      const mark = !m.is_approved ? '⏳' : m.is_active ? '✅' : '⛔';
      kb.text(`${mark} ${m.name} · ${m.specialization}`.slice(0, 60), encode({ type: 'masterCard', masterId: m.id })).row();
    }
    if (list.length > PER_PAGE) kb.text(ctx.t('button-next'), encode({ type: 'masters', afterId: list[PER_PAGE - 1]!.id }));
    kb.text(ctx.t('button-add-master'), encode({ type: 'addMaster' }));
    kb.row().text(ctx.t('button-dispatchers-group'), encode({ type: 'workChat', masterId: 0 }));
    kb.row().text(ctx.t('button-back'), encode({ type: 'menu', item: 'home' }));
    await ctx.reply(ctx.t(list.length ? 'masters-title' : 'masters-empty'), { reply_markup: kb });
  };

  onMenu(c, 'masters', 'admin.masters', (ctx) => page(ctx, 0));
  onButton(c, 'masters', 'admin.masters', (ctx, d) => page(ctx, d.afterId));

  onButton(c, 'masterCard', 'admin.master_card', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    const { text, reply_markup } = masterCard(ctx, await masters.card(ctx.state.principal, d.masterId));
    await ctx.reply(text, { reply_markup });
  });

  const setFlag = async (ctx: BotContext, flag: 'approve' | 'activate' | 'deactivate', masterId: number) => {
    // The master hears of it from the service's change (services.people), as from the HTTP API.
    await masters[flag](ctx.state.principal, masterId);
    await ctx.answerCallbackQuery({ text: ctx.t(`done-master-${flag}`) });
    const { text, reply_markup } = masterCard(ctx, await masters.card(ctx.state.principal, masterId));
    await ctx.editMessageText(text, { reply_markup });
  };

  onButton(c, 'masterFlag', 'admin.master_flag', async (ctx, d) => {
    if (d.flag !== 'deactivate') return setFlag(ctx, d.flag, d.masterId);
    // Open orders would wait on someone who no longer works: warn, and offer their cards to reassign.
    requireAdmin(ctx.state.principal);
    const open = await kit.services.orders.list(ctx.state.principal, { statuses: [...STATUS_SETS.masterWork], masterId: d.masterId, limit: OPEN_SHOWN + 1 });
    if (open.items.length === 0) return setFlag(ctx, 'deactivate', d.masterId);
    await ctx.answerCallbackQuery();
    const kb = new InlineKeyboard();
    open.items.slice(0, OPEN_SHOWN).forEach((o, i) => {
      kb.text(ctx.t('reminder-open', { id: String(o.id) }), encode({ type: 'card', orderId: o.id }));
      if (i % 2 === 1) kb.row();
    });
    kb.row().text(ctx.t('button-deactivate-anyway'), encode({ type: 'masterOff', masterId: d.masterId }));
    kb.row().text(ctx.t('button-back'), encode({ type: 'masterCard', masterId: d.masterId }));
    const count = open.items.length > OPEN_SHOWN ? `${OPEN_SHOWN}+` : String(open.items.length);
    await ctx.reply(ctx.t('master-has-open-orders', { count }), { reply_markup: kb });
  });

  onButton(c, 'masterOff', 'admin.master_off', (ctx, d) => setFlag(ctx, 'deactivate', d.masterId));

  onButton(c, 'addMaster', 'admin.master_add', async (ctx) => {
    requireAdmin(ctx.state.principal);
    await ctx.answerCallbackQuery();
    await startConversation(store, ctx, 'add_master', 'telegram_id', ctx.t('add-master-telegram-id'));
  });

  /** Asks the first step the draft still lacks (a shared contact may have answered several). */
  const askNext = async (ctx: BotContext) => {
    const data = ctx.state.conversation!.data;
    const step = data.name === undefined ? 'name' : data.phone === undefined ? 'phone' : 'specialization';
    await setStep(store, ctx, 'add_master', step);
    await ctx.reply(ctx.t(`add-master-${step}`), { reply_markup: cancelKeyboard(ctx, step === 'name') });
  };

  onAnswer(c, 'add_master', 'admin.master_add_step', async (ctx, typed) => {
    const step = ctx.state.conversation!.step;
    const text = typed.trim();
    if (step === 'telegram_id') {
      const id = telegramIdSchema.safeParse(text);
      if (!id.success || !/^\d+$/.test(text)) return ctx.reply(ctx.t('invalid-telegram-id'));
      await setStep(store, ctx, 'add_master', step, { telegram_id: id.data });
      return askNext(ctx);
    }
    if (step === 'name') {
      const name = nameSchema.safeParse(text);
      if (!name.success) return ctx.reply(ctx.t('invalid-text'));
      await setStep(store, ctx, 'add_master', step, { name: name.data });
      return askNext(ctx);
    }
    if (step === 'phone') {
      const phone = phoneSchema.safeParse(text);
      if (!phone.success) return ctx.reply(ctx.t('create-invalid-client_phone'));
      await setStep(store, ctx, 'add_master', step, { phone: phone.data });
      return askNext(ctx);
    }
    const specialization = specializationSchema.safeParse(text);
    if (!specialization.success) return ctx.reply(ctx.t('invalid-text'));
    await finishAdding(ctx, specialization.data);
  });

  // A shared contact answers the first question: who (their Telegram id), their name and phone.
  c.filter(inConversation('add_master', 'telegram_id')).on('message:contact', async (ctx) => {
    markHandler(ctx, 'admin.master_add_contact');
    const contact = ctx.message.contact;
    if (!contact.user_id) return ctx.reply(ctx.t('add-master-contact-no-telegram'));
    const phone = phoneSchema.safeParse(contact.phone_number);
    const name = nameSchema.safeParse([contact.first_name, contact.last_name].filter(Boolean).join(' '));
    await setStep(store, ctx, 'add_master', 'telegram_id', {
      telegram_id: contact.user_id,
      ...(name.success ? { name: name.data } : {}),
      ...(phone.success ? { phone: phone.data } : {}),
    });
    await askNext(ctx);
  });

  // The MASTER role given in the users screen: the person still needs a phone and a specialization to be assignable.
  onButton(c, 'addMasterFor', 'admin.master_add_for', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    const person = await kit.services.users.byTelegramId(d.telegramId);
    await ctx.answerCallbackQuery();
    await endAndSay(store, ctx);
    await setStep(store, ctx, 'add_master', 'telegram_id', { telegram_id: d.telegramId, ...(person ? { name: person.name } : {}) });
    await askNext(ctx);
  });

  // No name typed: the placeholder gives way to their Telegram name when they first write.
  onButton(c.filter(inConversation('add_master', 'name')), 'skip', 'admin.master_add_skip_name', async (ctx) => {
    await ctx.answerCallbackQuery();
    await setStep(store, ctx, 'add_master', 'name', { name: null });
    await askNext(ctx);
  });

  const finishAdding = async (ctx: BotContext, specialization: string) => {
    const data = ctx.state.conversation!.data;
    await endConversation(store, ctx);
    let m: MasterView;
    try {
      m = await savepoint(kit.uow, () =>
        masters.create(ctx.state.principal, {
          telegram_id: Number(data.telegram_id),
          phone: String(data.phone),
          specialization,
          ...(typeof data.name === 'string' ? { name: data.name } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof ConflictError) return ctx.reply(ctx.t('add-master-exists'));
      throw err;
    }
    const { text: card, reply_markup } = masterCard(ctx, await masters.card(ctx.state.principal, m.id));
    await ctx.reply(`${ctx.t('add-master-done')}\n\n${card}`, { reply_markup });
  };

  return c;
}
