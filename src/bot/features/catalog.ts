import { Composer, InlineKeyboard } from 'grammy';
import { equipmentTypePatchSchema, newEquipmentTypeSchema, type EquipmentType } from '../../equipment/equipment-service.ts';
import { requireAdmin } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, startConversation } from '../conversation.ts';
import { onAnswer, onButton } from '../routing.ts';

/**
 * Admins: the equipment catalog. A type's names are typed on one line,
 * parts separated by ';' (a name may hold '/', like 'ДШ/ВП'); '-' leaves a
 * singular name to the plural one.
 */
function parts(text: string): string[] {
  return text.split(';').map((p) => p.trim());
}

const orNull = (p: string | undefined) => (p === undefined || p === '-' || p === '' ? null : p);

const PARTS = ['code', 'name_ru', 'singular_ru', 'name_en', 'singular_en'];

/** Which part of the line was wrong, in the reader's words (never the field's name). */
function partName(ctx: BotContext, field: PropertyKey | undefined, fallback: string): string {
  return ctx.t(`catalog-part-${typeof field === 'string' && PARTS.includes(field) ? field : fallback}`);
}

export function catalogFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { equipment } = kit.services;
  const store = kit.store;

  const list = async (ctx: BotContext) => {
    requireAdmin(ctx.state.principal);
    const en = ctx.state.principal.language === 'en';
    const kb = new InlineKeyboard();
    for (const t of await equipment.list()) {
      kb.text(`${t.is_active ? '' : '⛔ '}${en ? t.name_en : t.name_ru}`, encode({ type: 'catalogType', code: t.code })).row();
    }
    kb.text(ctx.t('button-catalog-add'), encode({ type: 'catalogAdd' }));
    await ctx.reply(ctx.t('catalog-title'), { reply_markup: kb });
  };

  const card = async (ctx: BotContext, t: EquipmentType) => {
    const kb = new InlineKeyboard()
      .text(ctx.t('button-catalog-up'), encode({ type: 'catalogEdit', edit: 'up', code: t.code }))
      .text(ctx.t(t.is_active ? 'button-catalog-off' : 'button-catalog-on'), encode({ type: 'catalogEdit', edit: 'toggle', code: t.code }))
      .row()
      .text(ctx.t('button-catalog-rename'), encode({ type: 'catalogEdit', edit: 'rename', code: t.code }))
      .text(ctx.t('button-catalog-back'), encode({ type: 'catalog' }));
    const text = ctx.t('catalog-card', {
      code: t.code,
      nameRu: t.name_ru,
      singularRu: t.singular_ru ?? t.name_ru,
      nameEn: t.name_en,
      singularEn: t.singular_en ?? t.name_en,
      state: ctx.t(t.is_active ? 'catalog-active' : 'catalog-inactive'),
    });
    await ctx.reply(text, { reply_markup: kb });
  };

  const find = async (code: string) => (await equipment.list()).find((t) => t.code === code);

  c.command('catalog', list);
  onButton(c, 'catalog', 'catalog.list', async (ctx) => {
    await ctx.answerCallbackQuery();
    await list(ctx);
  });

  onButton(c, 'catalogType', 'catalog.card', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    await ctx.answerCallbackQuery();
    const t = await find(d.code);
    if (t) await card(ctx, t);
  });

  onButton(c, 'catalogEdit', 'catalog.edit', async (ctx, d) => {
    const p = ctx.state.principal;
    requireAdmin(p);
    await ctx.answerCallbackQuery();
    if (d.edit === 'rename') return startConversation(store, ctx, 'catalog_rename', 'names', ctx.t('catalog-ask-names'), { code: d.code });
    const types = await equipment.list();
    const at = types.findIndex((t) => t.code === d.code);
    if (at < 0) return;
    if (d.edit === 'toggle') return card(ctx, await equipment.change(p, d.code, { is_active: !types[at]!.is_active }));
    // Up: swap with the one above; the whole order is written so positions stay distinct.
    const codes = types.map((t) => t.code);
    if (at > 0) [codes[at - 1], codes[at]] = [codes[at]!, codes[at - 1]!];
    await equipment.reorder(p, codes);
    await list(ctx);
  });

  onButton(c, 'catalogAdd', 'catalog.add', async (ctx) => {
    requireAdmin(ctx.state.principal);
    await ctx.answerCallbackQuery();
    await startConversation(store, ctx, 'catalog_add', 'line', ctx.t('catalog-ask-new'));
  });

  onAnswer(c, 'catalog_add', 'catalog.add_answer', async (ctx, text) => {
    const [code, nameRu, singularRu, nameEn, singularEn] = parts(text);
    const input = newEquipmentTypeSchema.safeParse({
      code,
      name_ru: nameRu,
      singular_ru: orNull(singularRu),
      name_en: nameEn,
      singular_en: orNull(singularEn),
    });
    if (!input.success) return ctx.reply(ctx.t('catalog-invalid', { part: partName(ctx, input.error.issues[0]?.path[0], 'code') }));
    const added = await equipment.add(ctx.state.principal, input.data);
    await endConversation(store, ctx);
    await ctx.reply(ctx.t('catalog-added'));
    await card(ctx, added);
  });

  onAnswer(c, 'catalog_rename', 'catalog.rename_answer', async (ctx, text) => {
    const code = String(ctx.state.conversation!.data.code);
    const [nameRu, singularRu, nameEn, singularEn] = parts(text);
    const patch = Object.fromEntries(
      Object.entries({ name_ru: nameRu, singular_ru: singularRu, name_en: nameEn, singular_en: singularEn }).filter(([, v]) => orNull(v) !== null),
    );
    const input = equipmentTypePatchSchema.safeParse(patch);
    if (!input.success) return ctx.reply(ctx.t('catalog-invalid', { part: partName(ctx, input.error.issues[0]?.path[0], 'name_ru') }));
    const changed = await equipment.change(ctx.state.principal, code, input.data);
    await endConversation(store, ctx);
    await card(ctx, changed);
  });

  return c;
}
