import { Composer, InlineKeyboard } from 'grammy';
import { requireStaff } from '../../users/principal.ts';
import { createOrderSchema, ORDER_FIELD_NAMES, ORDER_FIELDS, type OrderFieldName } from '../../orders/order-fields.ts';
import { sendClientLink } from './client-link.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endAndSay, endConversation, inConversation, setStep } from '../conversation.ts';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import { readVisitTime, tomorrowExample } from '../visit-time.ts';
import { parseTime } from '../../time/parse-time.ts';
import { visitFields } from '../../time/visit.ts';
import { replyCard } from '../card-reply.ts';
import { fieldLines } from '../order-card.ts';
import { onAnswer, onButton, onMenu } from '../routing.ts';
import { DRAFT_FILES_MAX, draftFiles, fileOf, withDraftFile } from './dialogue-files.ts';
import { tellReturningClient } from './returning-client.ts';
import { mainMenu } from './start.ts';

/**
 * A dispatcher creates an order step by step: equipment type (buttons),
 * description, client name, address, phone, notes and time (both
 * skippable), photos of the appliance (skippable), then confirms. Each
 * answer is checked with the API's own field schemas; the order is created
 * by OrdersService like any other.
 */
/** The step that asks for each field (a new field asks for one here); steps follow the fields' order. */
const STEP_OF = {
  equipment_type: 'equipment',
  description: 'description',
  client_name: 'client_name',
  client_address: 'client_address',
  client_phone: 'client_phone',
  notes: 'notes',
  scheduled_at: 'time',
  scheduled_until: 'time',
  scheduled_note: 'time',
} as const satisfies Record<OrderFieldName, string>;
// After the fields, photos of the appliance (optional, several, documents too), kept with the draft until it is confirmed.
type Step = (typeof STEP_OF)[OrderFieldName] | 'photos' | 'confirm';
const STEPS: readonly Step[] = [...new Set<Step>(ORDER_FIELD_NAMES.map((k) => STEP_OF[k])), 'photos', 'confirm'];
const TEXT_FIELDS = {
  description: createOrderSchema.shape.description,
  client_name: createOrderSchema.shape.client_name,
  client_address: createOrderSchema.shape.client_address,
  client_phone: createOrderSchema.shape.client_phone,
  notes: createOrderSchema.shape.notes,
} as const;
/** The fields a step asks for; a step whose fields may all be empty (nullable) can be skipped, leaving them null. */
const fieldsOf = (step: Step) => ORDER_FIELD_NAMES.filter((k) => STEP_OF[k] === step);
const SKIPPABLE: readonly Step[] = STEPS.filter((step) => step !== 'confirm' && fieldsOf(step).every((k) => ORDER_FIELDS[k].pg.endsWith('?')));

/** The order's fields in the dialogue's data (without the dialogue's own marks, such as `editing`). */
const draftOf = (data: Record<string, unknown>) => Object.fromEntries(ORDER_FIELD_NAMES.filter((k) => k in data).map((k) => [k, data[k]]));

const nextStep = (step: Step): Step => STEPS[STEPS.indexOf(step) + 1] ?? 'confirm';

export function orderCreateFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const tz = kit.settings.timeZone;

  const prompt = async (ctx: BotContext, step: Step, text?: string): Promise<unknown> => {
    if (step === 'confirm') return confirmPrompt(ctx);
    const kb = new InlineKeyboard();
    const files = draftFiles(ctx.state.conversation?.data ?? {}).length;
    if (step === 'equipment') {
      const types = await kit.equipment.active();
      types.forEach((type, i) => {
        kb.text(ctx.state.principal.language === 'en' ? type.name_en : type.name_ru, encode({ type: 'equipment', code: type.code }));
        if (i % 2 === 1 || i === types.length - 1) kb.row();
      });
    }
    // Photos already sent: the step is done rather than skipped ("Skip" keeps them too).
    if (SKIPPABLE.includes(step)) kb.text(ctx.t(step === 'photos' && files > 0 ? 'media-button-next' : 'button-skip'), encode({ type: 'skip' }));
    // Back from the first step has nowhere to go; from a field changed on the confirmation screen it goes back there.
    if (step !== STEPS[0] || ctx.state.conversation?.data.editing === true) kb.text(ctx.t('button-back'), encode({ type: 'back' }));
    kb.text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
    const vars = { step: String(STEPS.indexOf(step) + 1), steps: String(STEPS.length - 1), example: tomorrowExample(tz, new Date()) };
    await ctx.reply(text ?? ctx.t(`create-${step}`, vars), { reply_markup: kb });
  };

  const confirmPrompt = async (ctx: BotContext): Promise<unknown> => {
    const draft = createOrderSchema.safeParse(draftOf(ctx.state.conversation!.data));
    if (!draft.success) {
      // A step's answer is missing (cannot happen through the steps): ask it again rather than drop the draft.
      const missing = STEPS.find((step) => step !== 'confirm' && fieldsOf(step).some((k) => ctx.state.conversation!.data[k] === undefined)) ?? STEPS[0]!;
      await setStep(store, ctx, 'create_order', missing);
      return prompt(ctx, missing);
    }
    const equipmentName = await kit.equipment.namer(ctx.state.principal.language);
    const lines = [ctx.t('create-confirm'), ...fieldLines(draft.data, { t: ctx.t, equipmentName, timeZone: tz })];
    const files = draftFiles(ctx.state.conversation!.data).length;
    if (files > 0) lines.push(ctx.t('create-photos-line', { count: String(files) }));
    const kb = new InlineKeyboard()
      .text(ctx.t('button-confirm'), encode({ type: 'confirm', yes: true }))
      .text(ctx.t('button-cancel'), encode({ type: 'confirm', yes: false }))
      .row();
    // Any answer can be changed here: its step is asked again, then this screen comes back.
    STEPS.slice(0, -1).forEach((step, i) => {
      kb.text(ctx.t('button-change', { what: ctx.t(`create-field-${step}`) }), encode({ type: 'editStep', step: i }));
      if (i % 2 === 1) kb.row();
    });
    await ctx.reply(lines.join('\n'), { reply_markup: kb });
  };

  const advance = async (ctx: BotContext, step: Step, data: Record<string, unknown>) => {
    const next = ctx.state.conversation?.data.editing === true ? 'confirm' : nextStep(step);
    await setStep(store, ctx, 'create_order', next, data);
    await prompt(ctx, next);
  };

  onMenu(c, 'new', 'orders.create_start', async (ctx) => {
    requireStaff(ctx.state.principal);
    ctx.state.conversation = null; // a new order starts from a clean sheet
    await setStep(store, ctx, 'create_order', 'equipment');
    await prompt(ctx, 'equipment');
  });

  const conv = c.filter(inConversation('create_order'));

  onButton(conv, 'equipment', 'orders.create_equipment', async (ctx, d) => {
    const known = (await kit.equipment.active()).some((t) => t.code === d.code);
    if (ctx.state.conversation!.step !== 'equipment' || !known) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await advance(ctx, 'equipment', { equipment_type: d.code });
  });

  onButton(conv, 'back', 'orders.create_back', async (ctx) => {
    const step = ctx.state.conversation!.step as Step;
    const editing = ctx.state.conversation!.data.editing === true;
    if (step === 'confirm' || (step === STEPS[0] && !editing)) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    const previous = editing ? 'confirm' : STEPS[STEPS.indexOf(step) - 1]!;
    await setStep(store, ctx, 'create_order', previous);
    await prompt(ctx, previous);
  });

  onButton(conv, 'editStep', 'orders.create_change', async (ctx, d) => {
    const step = STEPS[d.step];
    if (ctx.state.conversation!.step !== 'confirm' || !step || step === 'confirm') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await setStep(store, ctx, 'create_order', step, { editing: true });
    await prompt(ctx, step);
  });

  onButton(conv, 'skip', 'orders.create_skip', async (ctx) => {
    const step = ctx.state.conversation!.step as Step;
    if (!SKIPPABLE.includes(step)) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    await ctx.answerCallbackQuery();
    await advance(ctx, step, Object.fromEntries(fieldsOf(step).map((k) => [k, null])));
  });

  onAnswer(c, 'create_order', 'orders.create_step', async (ctx, text) => {
    const step = ctx.state.conversation!.step as Step;
    if (step === 'equipment' || step === 'confirm') return ctx.reply(ctx.t('use-buttons'));
    if (step === 'photos') return prompt(ctx, step, ctx.t('create-photos-words'));
    if (step === 'time') {
      const now = new Date();
      const example = tomorrowExample(tz, now);
      // Digits shaped like a date must be a real, future date; words go to the plain-Russian parser.
      const typed = readVisitTime(text, tz, now);
      if ('refused' in typed) return ctx.reply(ctx.t(`create-time-${typed.refused}`, { example }));
      const visit = visitFields(parseTime(text, { now, timeZone: tz }));
      if (visit) {
        if (Date.parse(visit.scheduled_until ?? visit.scheduled_at) < now.getTime() - 60_000) return ctx.reply(ctx.t('create-time-past', { example }));
        return advance(ctx, step, visit);
      }
      const note = createOrderSchema.shape.scheduled_note.safeParse(text.trim());
      if (!note.success) return ctx.reply(ctx.t('create-invalid-time', { example }));
      return advance(ctx, step, { scheduled_at: null, scheduled_until: null, scheduled_note: note.data });
    }
    const parsed = TEXT_FIELDS[step].safeParse(text);
    if (!parsed.success) return ctx.reply(ctx.t(`create-invalid-${step}`));
    if (step === 'client_phone') await tellReturningClient(kit, ctx, String(parsed.data));
    await advance(ctx, step, { [step]: parsed.data });
  });

  onButton(conv, 'confirm', 'orders.create_confirm', async (ctx, d) => {
    if (ctx.state.conversation!.step !== 'confirm') return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    if (!d.yes) {
      await ctx.answerCallbackQuery();
      await endAndSay(store, ctx);
      return ctx.reply(ctx.t('menu-again'), { reply_markup: mainMenu(ctx.state.principal, ctx.t) });
    }
    const input = createOrderSchema.safeParse(draftOf(ctx.state.conversation!.data));
    if (!input.success) {
      await endConversation(store, ctx);
      return ctx.answerCallbackQuery({ text: ctx.t('error-generic'), show_alert: true });
    }
    const { order } = await kit.services.orders.create(ctx.state.principal, input.data);
    // The draft's photos join the order in the same update (one transaction): all of them or, on failure, no order.
    for (const file of draftFiles(ctx.state.conversation!.data))
      await kit.services.attachments.add(ctx.state.principal, order.id, { stage: 'appliance', ...file });
    await endConversation(store, ctx);
    await ctx.answerCallbackQuery();
    await replyCard(kit, ctx, order, ctx.t('create-done', { id: String(order.id) }));
    await sendClientLink(kit, ctx, order.id);
  });

  // A photo or a file at the photo step: kept with the draft; the step stays open for more.
  conv.on(['message:photo', 'message:document'], async (ctx, next) => {
    if (ctx.state.conversation!.step !== 'photos') return next();
    markHandler(ctx, 'orders.create_photo');
    const files = withDraftFile(ctx.state.conversation!.data, fileOf(ctx.message));
    if (!files) return prompt(ctx, 'photos', ctx.t('create-photos-full', { max: String(DRAFT_FILES_MAX) }));
    await setStep(store, ctx, 'create_order', 'photos', { files });
    await prompt(ctx, 'photos', ctx.t('create-photos-got', { count: String(files.length) }));
  });

  // Not an answer (a sticker, a photo, a voice message, an unknown command): the step is asked again, the draft kept.
  c.filter(inConversation('create_order')).on('message', async (ctx) => {
    markHandler(ctx, 'orders.create_reask');
    await ctx.reply(ctx.t('dialogue-not-an-answer'));
    await prompt(ctx, ctx.state.conversation!.step as Step);
  });

  return c;
}
