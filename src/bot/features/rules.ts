import { Composer, InlineKeyboard } from 'grammy';
import { ValidationError } from '../../errors.ts';
import type { CommissionRuleRow, RuleInput } from '../../money/commission-service.ts';
import { hasRole, requireStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, startConversation } from '../conversation.ts';
import { rubles } from '../money-text.ts';
import { onAnswer, onButton } from '../routing.ts';

const OFF = new Set(['выкл', 'off', 'нет', 'no']);

/**
 * "7000; 40; 50; 10; выкл; 50": threshold; rate below; rate from the
 * threshold; review bonus; out-of-city bonus; senior floor. A bonus written
 * as "выкл"/"off" is switched off and keeps its points for when it is back.
 */
export function parseRule(text: string, previous: RuleInput): RuleInput | null {
  const parts = text.split(';').map((p) => p.trim().toLowerCase());
  if (parts.length !== 6) return null;
  const [threshold, below, above, review, away, floor] = parts as [string, string, string, string, string, string];
  const percent = (s: string) => (/^\d{1,3}$/.test(s) && Number(s) <= 100 ? Number(s) : null);
  const bonus = (s: string, points: number) => (OFF.has(s) ? { points, on: false } : percent(s) === null ? null : { points: percent(s)!, on: true });
  const amount = threshold.replace(/\s/g, '').replace(',', '.');
  const [rb, ra, sf, rv, oc] = [percent(below), percent(above), percent(floor), bonus(review, previous.review_bonus), bonus(away, previous.out_of_city_bonus)];
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(amount) || rb === null || ra === null || sf === null || !rv || !oc) return null;
  return {
    threshold: amount,
    rate_below: rb,
    rate_above: ra,
    review_bonus: rv.points,
    review_bonus_enabled: rv.on,
    out_of_city_bonus: oc.points,
    out_of_city_bonus_enabled: oc.on,
    senior_floor: sf,
  };
}

/** Staff read the commission rules in force; admins start a new version of one from here. */
export function rulesFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { commission, equipment } = kit.services;
  const store = kit.store;

  const typeName = async (ctx: BotContext, code: string | null) => {
    if (code === null) return ctx.t('rule-default');
    const t = (await equipment.list()).find((x) => x.code === code);
    return t ? (ctx.state.principal.language === 'en' ? t.name_en : t.name_ru) : code;
  };

  const describe = async (ctx: BotContext, r: CommissionRuleRow) => {
    const type = await typeName(ctx, r.equipment_type);
    const bonus = (on: boolean, points: number) => (on ? `+${points}%` : ctx.t('rule-off'));
    return ctx.t('rule-line', {
      type,
      version: String(r.version),
      threshold: rubles(r.threshold, ctx.state.principal.language),
      below: String(r.rate_below),
      above: String(r.rate_above),
      review: bonus(r.review_bonus_enabled, r.review_bonus),
      away: bonus(r.out_of_city_bonus_enabled, r.out_of_city_bonus),
      floor: String(r.senior_floor),
    });
  };

  const list = async (ctx: BotContext) => {
    const p = ctx.state.principal;
    requireStaff(p);
    const rules = await commission.current(p);
    const text = [ctx.t('rules-title'), ...(await Promise.all(rules.map((r) => describe(ctx, r))))].join('\n\n');
    if (!hasRole(p, 'ADMIN')) return ctx.reply(text);
    const kb = new InlineKeyboard();
    for (const r of rules) kb.text(`✏️ ${await typeName(ctx, r.equipment_type)}`, encode({ type: 'ruleEdit', code: r.equipment_type })).row();
    await ctx.reply(text, { reply_markup: kb });
  };

  c.command('rules', list);
  onButton(c, 'rules', 'rules.list', async (ctx) => {
    await ctx.answerCallbackQuery();
    await list(ctx);
  });

  onButton(c, 'ruleEdit', 'rules.edit', async (ctx, d) => {
    await ctx.answerCallbackQuery();
    const current = (await commission.current(ctx.state.principal)).find((r) => r.equipment_type === d.code);
    if (!current) return;
    await startConversation(store, ctx, 'rule_edit', 'terms', [await describe(ctx, current), ctx.t('rule-ask')].join('\n\n'), { code: d.code });
  });

  onAnswer(c, 'rule_edit', 'rules.edit_answer', async (ctx, text) => {
    const code = (ctx.state.conversation!.data.code as string | null) ?? null;
    const current = (await commission.current(ctx.state.principal)).find((r) => r.equipment_type === code);
    const input = current ? parseRule(text, current) : null;
    if (!input) return ctx.reply(ctx.t('rule-invalid'));
    let next: CommissionRuleRow;
    try {
      next = await commission.change(ctx.state.principal, code, input);
    } catch (err) {
      // Rates plus bonuses over 100%: the same answer as unreadable terms, the dialogue goes on.
      if (err instanceof ValidationError) return ctx.reply(ctx.t('rule-invalid'));
      throw err;
    }
    await endConversation(store, ctx);
    await ctx.reply([ctx.t('rule-saved'), await describe(ctx, next)].join('\n\n'));
  });

  return c;
}
