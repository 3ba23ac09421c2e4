import { describe, expect, it } from 'vitest';
import { parseRule } from '../../src/bot/features/rules.ts';
import { useTestDatabase } from '../support/db.ts';
import { auditOf } from '../support/reads.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { workOrder } from './harness.ts';
import { buttonsOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);
const current = async (type: string) =>
  (
    await t.db.pool.query(
      `SELECT version, threshold::text, rate_below, rate_above, review_bonus, review_bonus_enabled, out_of_city_bonus_enabled, senior_floor, created_by::int
       FROM commission_rules WHERE equipment_type = $1 AND valid_to IS NULL`,
      [type],
    )
  ).rows[0];

describe('commission rules in the bot', () => {
  it('shows the rules in force and lets an admin start a new version', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const admin = h.user(boss.telegramId!, 'Boss');
    // Action
    await admin.send('/reports');
    const [list] = (await admin.press('Правила расчёта')).filter((c) => c.method === 'sendMessage');
    await admin.press('✏️ Холодильники');
    const [unreadable] = await admin.send('25000; 50');
    const [tooMuch] = await admin.send('25000; 50; 95; 10; 10; 50');
    const [saved] = await admin.send('25 000; 50; 60; 10; выкл; 50');
    // Assertions
    expect(list!.payload.text).toContain(
      'По умолчанию (версия 1)\nНиже 7 000,00 ₽ чистыми: 40%, от 7 000,00 ₽: 50%\nЗа отзыв: +10%, за город: +10%\nСтаршему мастеру не меньше 50%',
    );
    expect(list!.payload.text).toContain('Холодильники (версия 1)\nНиже 20 000,00 ₽ чистыми: 50%, от 20 000,00 ₽: 60%');
    expect(buttonsOf(list)).toEqual(['✏️ По умолчанию', '✏️ Электрика', '✏️ Сантехника', '✏️ Холодильники', '✏️ Водонагреватели', '✏️ Оплата за отказ']);
    expect(unreadable!.payload.text).toContain('Не получилось разобрать условия');
    expect(tooMuch!.payload.text).toContain('Не получилось разобрать условия');
    expect(saved!.payload.text).toContain('Холодильники (версия 2)\nНиже 25 000,00 ₽ чистыми: 50%, от 25 000,00 ₽: 60%\nЗа отзыв: +10%, за город: выкл.');
    expect(await current('refrigerator')).toEqual({
      version: 2,
      threshold: '25000.00',
      rate_below: 50,
      rate_above: 60,
      review_bonus: 10,
      review_bonus_enabled: true,
      out_of_city_bonus_enabled: false,
      senior_floor: 50,
      created_by: boss.userId,
    });
  });

  it('lets an admin change the refusal-fee rule: a new version, audited, splitting the next fee, past fees kept', async () => {
    // Setup: a fee taken under version 1 (40% to the master under 7 000)
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const fedor = await makeMaster(t.db, { name: 'Фёдор' });
    const take = async () => {
      const { order } = await h.services.orders.create(boss, orderInput());
      await workOrder(h, { staff: boss, master: fedor }, order.id, 'in_progress');
      await h.services.workflow.act(fedor, order.id, 'client_refused', { reason: 'Дорого', fee: '1000.00' });
      return order.id;
    };
    const before = await take();
    const admin = h.user(boss.telegramId!, 'Boss');
    // Action
    const [list] = await admin.send('/rules');
    const [asked] = (await admin.press('✏️ Оплата за отказ')).filter((c) => c.method === 'sendMessage');
    const [tooMuch] = await admin.send('5000; 30; 95; 10; выкл; 50');
    const [saved] = await admin.send('5 000; 30; 45; выкл; выкл; 50');
    const after = await take();
    // Assertions
    expect(list!.payload.text).toContain(
      'Оплата за отказ на месте (выезд, диагностика) делится по своему правилу:\n\nОплата за отказ (версия 1)\nНиже 7 000,00 ₽ чистыми: 40%, от 7 000,00 ₽: 50%\nЗа отзыв: выкл., за город: выкл.',
    );
    expect(buttonsOf(list).at(-1)).toBe('✏️ Оплата за отказ');
    expect(asked!.payload.text).toContain('Оплата за отказ (версия 1)');
    expect(tooMuch!.payload.text).toContain('Не получилось разобрать условия');
    expect(saved!.payload.text).toContain('Новая версия правила для оплаты за отказ сохранена');
    expect(saved!.payload.text).toContain('Оплата за отказ (версия 2)\nНиже 5 000,00 ₽ чистыми: 30%, от 5 000,00 ₽: 45%');
    const versions = await t.db.pool.query(
      `SELECT version, threshold::text, rate_below, rate_above, valid_to IS NULL AS in_force, created_by::int
       FROM commission_rules WHERE kind = 'refusal_fee' ORDER BY version`,
    );
    expect(versions.rows).toEqual([
      { version: 1, threshold: '7000.00', rate_below: 40, rate_above: 50, in_force: false, created_by: null },
      { version: 2, threshold: '5000.00', rate_below: 30, rate_above: 45, in_force: true, created_by: boss.userId },
    ]);
    const [v2] = (await t.db.pool.query(`SELECT id::int FROM commission_rules WHERE kind = 'refusal_fee' AND version = 2`)).rows;
    const audit = await auditOf(t.db, { action: 'commission_rule.change', entityId: v2.id });
    expect(audit.map((a) => [a.actor_id, a.details.kind, a.details.version])).toEqual([[boss.userId, 'refusal_fee', 2]]);
    const shares = await t.db.pool.query(`SELECT id::int, refusal_master_share::text FROM orders WHERE id = ANY($1) ORDER BY id`, [[before, after]]);
    expect(shares.rows).toEqual([
      { id: before, refusal_master_share: '400.00' },
      { id: after, refusal_master_share: '300.00' },
    ]);
  });

  it('shows a dispatcher the rules without edit buttons', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    // Action
    const [reply] = await h.user(anna.telegramId!, 'Anna').send('/rules');
    // Assertions
    expect(reply!.payload.text).toContain('Правила расчёта доли мастера');
    expect(buttonsOf(reply)).toEqual([]);
  });

  it('reads terms typed in Russian or English, bonuses switched off keeping their points', () => {
    const previous = {
      threshold: '7000.00',
      rate_below: 40,
      rate_above: 50,
      review_bonus: 15,
      review_bonus_enabled: true,
      out_of_city_bonus: 10,
      out_of_city_bonus_enabled: true,
      senior_floor: 50,
    };
    expect(parseRule('7000,50; 40; 50; off; 20; 55', previous)).toEqual({
      ...previous,
      threshold: '7000.50',
      review_bonus_enabled: false,
      out_of_city_bonus: 20,
      senior_floor: 55,
    });
    for (const bad of ['', '7000; 40; 50; 10; 10', 'x; 40; 50; 10; 10; 50', '7000; 101; 50; 10; 10; 50', '7000; 40; 50; -1; 10; 50'])
      expect(parseRule(bad, previous), bad).toBeNull();
  });
});
