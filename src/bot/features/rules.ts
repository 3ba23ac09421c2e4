import { Composer, InlineKeyboard } from 'grammy';
import { ValidationError } from '../../errors.ts';
import type { CommissionRuleRow, RuleInput, RuleKind } from '../../money/commission-service.ts';
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
    const type = r.kind === 'refusal_fee' ? ctx.t('rule-refusal-fee') : await typeName(ctx, r.equipment_type);
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
    const fee = (await commission.current(p, 'refusal_fee')).find((r) => r.equipment_type === null);
    const text = [
      ctx.t('rules-title'),
      ...(await Promise.all(rules.map((r) => describe(ctx, r)))),
      ...(fee ? [ctx.t('rules-fee-title'), await describe(ctx, fee)] : []),
    ].join('\n\n');
    if (!hasRole(p, 'ADMIN')) return ctx.reply(text);
    const kb = new InlineKeyboard();
    for (const r of rules) kb.text(`✏️ ${await typeName(ctx, r.equipment_type)}`, encode({ type: 'ruleEdit', code: r.equipment_type })).row();
    if (fee) kb.text(`✏️ ${ctx.t('rule-refusal-fee')}`, encode({ type: 'ruleFeeEdit' })).row();
    await ctx.reply(text, { reply_markup: kb });
  };

  /** The rule of a kind in force for a type (null: the default, and the only refusal-fee rule). */
  const inForce = async (ctx: BotContext, kind: RuleKind, code: string | null) =>
    (await commission.current(ctx.state.principal, kind)).find((r) => r.equipment_type === code);

  const ask = async (ctx: BotContext, kind: RuleKind, code: string | null) => {
    await ctx.answerCallbackQuery();
    const current = await inForce(ctx, kind, code);
    if (!current) return;
    await startConversation(store, ctx, 'rule_edit', 'terms', [await describe(ctx, current), ctx.t('rule-ask')].join('\n\n'), { code, kind });
  };

  c.command('rules', list);
  onButton(c, 'rules', 'rules.list', async (ctx) => {
    await ctx.answerCallbackQuery();
    await list(ctx);
  });
  onButton(c, 'ruleEdit', 'rules.edit', (ctx, d) => ask(ctx, 'completion', d.code));
  onButton(c, 'ruleFeeEdit', 'rules.edit_fee', (ctx) => ask(ctx, 'refusal_fee', null));

  onAnswer(c, 'rule_edit', 'rules.edit_answer', async (ctx, text) => {
    const data = ctx.state.conversation!.data;
    const code = (data.code as string | null) ?? null;
    // A dialogue begun before the fee rule was on this screen has no kind: it edits a completion rule.
    const kind: RuleKind = data.kind === 'refusal_fee' ? 'refusal_fee' : 'completion';
    const current = await inForce(ctx, kind, code);
    const input = current ? parseRule(text, current) : null;
    if (!input) return ctx.reply(ctx.t('rule-invalid'));
    let next: CommissionRuleRow;
    try {
      next = await commission.change(ctx.state.principal, code, input, kind);
    } catch (err) {
      // Rates plus bonuses over 100%: the same answer as unreadable terms, the dialogue goes on.
      if (err instanceof ValidationError) return ctx.reply(ctx.t('rule-invalid'));
      throw err;
    }
    await endConversation(store, ctx);
    await ctx.reply([ctx.t(kind === 'refusal_fee' ? 'rule-fee-saved' : 'rule-saved'), await describe(ctx, next)].join('\n\n'));
  });

  return c;
}
