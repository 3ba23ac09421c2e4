import { InlineKeyboard, type Composer } from 'grammy';
import type { z } from 'zod';
import type { VisibleOrder } from '../../orders/order-access.ts';
import type { Principal } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { replyCard } from '../card-reply.ts';
import { endConversation } from '../conversation.ts';
import { guarded } from '../order-guard.ts';
import { onButton } from '../routing.ts';

// Steps the order money dialogues (completion, correction) share.

/** Yes and No for a dialogue's question, with Cancel below. */
export function yesNoKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('button-yes'), encode({ type: 'answer', yes: true }))
    .text(ctx.t('button-no'), encode({ type: 'answer', yes: false }))
    .row()
    .text(ctx.t('button-cancel'), encode({ type: 'menu', item: 'cancel' }));
}

/**
 * The dialogue's last button: Confirm at the confirm step carries out the
 * action (`act`, with the version of the button that opened the dialogue)
 * and shows the card; No, a stale press or a draft that no longer parses
 * ends the dialogue as cancelled.
 */
export function onConfirmAction<S extends z.ZodType<{ orderId: number }>>(
  conv: Composer<BotContext>,
  kit: BotKit,
  route: { handler: string; done: string; draft: S },
  act: (p: Principal, data: z.output<S>) => Promise<VisibleOrder>,
): void {
  onButton(conv, 'confirm', route.handler, async (ctx, d) => {
    const data = route.draft.safeParse(ctx.state.conversation!.data);
    const atConfirm = ctx.state.conversation!.step === 'confirm';
    await endConversation(kit.store, ctx);
    if (!d.yes || !atConfirm || !data.success) {
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t('cancelled'));
    }
    const p = ctx.state.principal;
    const order = await guarded(kit, ctx, data.data.orderId, () => act(p, data.data));
    if (!order) return;
    await ctx.answerCallbackQuery({ text: ctx.t(route.done) });
    await replyCard(kit, ctx, order, ctx.t(route.done));
  });
}
