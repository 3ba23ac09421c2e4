import { Composer, InlineKeyboard, type Filter } from 'grammy';
import { markHandler } from '../../telemetry/bot-telemetry.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endAndSay, inConversation, questionMarkup, setStep } from '../conversation.ts';
import { onButton } from '../routing.ts';
import { fileOf } from './dialogue-files.ts';

/**
 * The photo steps that open the completion dialogue: "before" then "after"
 * photos of the work, several per step, a document accepted too. Each file
 * is attached to the order as it arrives (the order exists, and the photos
 * are true whether or not the money steps are finished). Both steps may be
 * skipped, unless the setting asks for an "after" photo: then the after
 * step lets the master on only once the order has one, as the complete
 * statement itself will insist. Then the money steps (master-complete.ts)
 * begin at "total".
 */
type PhotoStep = 'before' | 'after';
const COUNTED = { before: 'before_photos', after: 'after_photos' } as const;

export function completionPhotosFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { attachments, settings } = kit.services;
  const conv = c.filter(inConversation('complete_order'));
  const stepOf = (ctx: BotContext): PhotoStep | null => {
    const step = ctx.state.conversation?.step;
    return step === 'before' || step === 'after' ? step : null;
  };
  const orderOf = (ctx: BotContext) => Number(ctx.state.conversation!.data.orderId);

  /** True when the setting asks for an "after" photo and the order has none yet. */
  const afterStillNeeded = async (ctx: BotContext): Promise<boolean> =>
    (await settings.get('completionNeedsAfterPhoto')) && !(await attachments.list(ctx.state.principal, orderOf(ctx))).some((f) => f.stage === 'after');

  const keyboard = (ctx: BotContext, sent: number, canGoOn: boolean) => {
    const kb = new InlineKeyboard();
    if (canGoOn) kb.text(ctx.t(sent > 0 ? 'media-button-next' : 'button-skip'), encode({ type: 'skip' }));
    return kb.text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
  };

  const ask = async (ctx: BotContext, step: PhotoStep) => {
    const needed = step === 'after' && (await afterStillNeeded(ctx));
    const key = step === 'before' ? 'complete-ask-before' : needed ? 'complete-ask-after-required' : 'complete-ask-after';
    await ctx.reply(ctx.t(key, { id: String(orderOf(ctx)) }), { reply_markup: keyboard(ctx, 0, !needed) });
  };

  conv.on(['message:photo', 'message:document'], async (ctx: Filter<BotContext, 'message:photo' | 'message:document'>, next) => {
    const step = stepOf(ctx);
    if (!step) return next();
    markHandler(ctx, 'master.complete_photo');
    const saved = await attachments.add(ctx.state.principal, orderOf(ctx), { stage: step, ...fileOf(ctx.message) });
    const sent = Number(ctx.state.conversation!.data[COUNTED[step]] ?? 0) + (saved.added ? 1 : 0);
    await setStep(kit.store, ctx, 'complete_order', step, { [COUNTED[step]]: sent });
    const text = ctx.t(saved.added ? 'complete-photo-saved' : 'media-already', { count: String(sent) });
    await ctx.reply(text, { reply_markup: keyboard(ctx, sent, step === 'before' || !(await afterStillNeeded(ctx))) });
  });

  // Words where a photo is asked for: say what the step wants, keep the dialogue.
  conv.on('message:text', async (ctx, next) => {
    const step = stepOf(ctx);
    if (!step || ctx.message.text.startsWith('/')) return next();
    markHandler(ctx, 'master.complete_photo_text');
    await ask(ctx, step);
  });

  onButton(conv, 'skip', 'master.complete_photo_next', async (ctx) => {
    const step = stepOf(ctx);
    if (!step) return ctx.answerCallbackQuery({ text: ctx.t('button-stale') });
    if (step === 'before') {
      await ctx.answerCallbackQuery();
      await setStep(kit.store, ctx, 'complete_order', 'after');
      return ask(ctx, 'after');
    }
    if (await afterStillNeeded(ctx)) return ctx.answerCallbackQuery({ text: ctx.t('complete-after-needed'), show_alert: true });
    await ctx.answerCallbackQuery();
    await setStep(kit.store, ctx, 'complete_order', 'total');
    // The first typed answer: in a group it must be a reply for the bot to see it, as when the dialogue opened with it.
    await ctx.reply(ctx.t('complete-ask-total', { id: String(orderOf(ctx)) }), { reply_markup: questionMarkup(ctx) });
  });

  return c;
}

/** Opens the completion dialogue at its first photo step (another dialogue that was open ends, out loud). */
export async function startCompletion(kit: BotKit, ctx: BotContext, d: { orderId: number; version: number }): Promise<void> {
  await endAndSay(kit.store, ctx);
  await setStep(kit.store, ctx, 'complete_order', 'before', { orderId: d.orderId, version: d.version });
  const kb = new InlineKeyboard().text(ctx.t('button-skip'), encode({ type: 'skip' })).text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
  await ctx.reply(ctx.t('complete-ask-before', { id: String(d.orderId) }), { reply_markup: kb });
}
