import { Composer, InlineKeyboard } from 'grammy';
import { requireStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { rubles } from '../money-text.ts';
import { detached } from '../outbox.ts';
import { onButton } from '../routing.ts';

/** Orders listed in one message before "…and N more". */
const SHOWN = 20;

/**
 * Staff: what each master has to hand over, and taking it in one go (one
 * settlement of the orders listed). The settle button names the newest
 * order it was drawn for, so an order completed after the list was shown
 * is never taken by an old button, and a second press finds nothing left.
 */
export function moneyFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { ledger } = kit.services;

  const owedList = async (ctx: BotContext) => {
    const p = ctx.state.principal;
    requireStaff(p);
    const balances = await detached(() => ledger.balances(p));
    if (balances.length === 0) return ctx.reply(ctx.t('owed-none'));
    const kb = new InlineKeyboard();
    for (const b of balances) {
      const label = ctx.t('owed-master-button', { name: b.master_name, amount: rubles(b.owed, p.language), count: b.orders });
      kb.text(label.slice(0, 60), encode({ type: 'owedMaster', masterId: b.master_id })).row();
    }
    await ctx.reply(ctx.t('owed-title'), { reply_markup: kb });
  };

  c.command('owed', async (ctx) => owedList(ctx));
  onButton(c, 'owed', 'money.owed', async (ctx) => {
    await ctx.answerCallbackQuery();
    await owedList(ctx);
  });

  onButton(c, 'owedMaster', 'money.owed_master', async (ctx, d) => {
    const p = ctx.state.principal;
    requireStaff(p);
    await ctx.answerCallbackQuery();
    const orders = await detached(() => ledger.owedOrders(p, d.masterId));
    if (orders.length === 0) return ctx.reply(ctx.t('owed-none'));
    const total = await ledger.balance(p, d.masterId);
    const lines = orders.slice(0, SHOWN).map((o) => ctx.t('owed-order-line', { id: String(o.id), amount: rubles(o.owed, p.language) }));
    if (orders.length > SHOWN) lines.push(ctx.t('owed-more', { count: orders.length - SHOWN }));
    const upTo = Math.max(...orders.map((o) => o.id));
    const kb = new InlineKeyboard().text(
      ctx.t('button-settle', { amount: rubles(total.owed, p.language) }),
      encode({ type: 'settle', masterId: d.masterId, upToOrderId: upTo }),
    );
    await ctx.reply([ctx.t('owed-master-title', { count: total.orders, amount: rubles(total.owed, p.language) }), ...lines].join('\n'), { reply_markup: kb });
  });

  onButton(c, 'settle', 'money.settle', async (ctx, d) => {
    const p = ctx.state.principal;
    requireStaff(p);
    const ids = (await ledger.owedOrders(p, d.masterId)).map((o) => o.id).filter((id) => id <= d.upToOrderId);
    if (ids.length === 0) {
      await ctx.answerCallbackQuery({ text: ctx.t('owed-none') });
      return;
    }
    const settled = await ledger.settle(p, d.masterId, ids);
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('settled', { id: String(settled.id), count: settled.orders, amount: rubles(settled.amount, p.language) }));
  });

  return c;
}
