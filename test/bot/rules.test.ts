import { describe, expect, it } from 'vitest';
import { parseRule } from '../../src/bot/features/rules.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser } from '../support/fixtures.ts';
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
    expect(buttonsOf(list)).toEqual(['✏️ По умолчанию', '✏️ Электрика', '✏️ Сантехника', '✏️ Холодильники', '✏️ Водонагреватели']);
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
