import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeUser } from '../support/fixtures.ts';
import type { StubCall } from '../support/telegram-stub.ts';
import { buttonsOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);
const sent = (calls: StubCall[]): StubCall => calls.find((c) => c.method === 'sendMessage')!;
const typeRow = async (code: string) =>
  (await t.db.pool.query(`SELECT name_ru, singular_ru, name_en, singular_en, is_active, sort_order FROM equipment_types WHERE code = $1`, [code])).rows[0];

describe('the equipment catalog in the bot', () => {
  it('lets an admin add a type, rename it, move it up and switch it off', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    const [list] = await admin.send('/catalog');
    await admin.press('Добавить вид');
    await admin.send('Bad Code; Вытяжки');
    const refused = admin.last!;
    const added = await admin.send('hood; Вытяжки; Вытяжка; Hoods; Hood');
    await admin.press('Переименовать');
    const renamed = sent(await admin.send('Кухонные вытяжки; -; Kitchen hoods'));
    const moved = sent(await admin.press('Выше'));
    await admin.press('Кухонные вытяжки');
    const off = sent(await admin.press('Отключить'));

    // Assertions
    expect(buttonsOf(list)).toEqual(expect.arrayContaining(['Стиральные машины', 'ДШ/ВП', 'Холодильники', '➕ Добавить вид']));
    expect(refused.payload.text).toBe('Не получилось разобрать код (латинские строчные буквы, цифры и «_»). Проверьте и отправьте ещё раз.');
    expect(added.map((c) => c.payload.text)).toEqual([
      'Вид техники добавлен.',
      'Вытяжки (hood)\nВ карточке заказа: Вытяжка\nEnglish: Hoods / Hood\nСостояние: предлагается для новых заказов',
    ]);
    expect(renamed.payload.text).toContain('Кухонные вытяжки (hood)\nВ карточке заказа: Вытяжка\nEnglish: Kitchen hoods / Hood');
    const order = buttonsOf(moved);
    expect(order.indexOf('Кухонные вытяжки')).toBe(order.indexOf('Холодильники') - 1);
    expect(off.payload.text).toContain('Состояние: отключён');
    expect(buttonsOf(off)).toContain('✅ Включить');
    expect(await typeRow('hood')).toEqual({
      name_ru: 'Кухонные вытяжки',
      singular_ru: 'Вытяжка',
      name_en: 'Kitchen hoods',
      singular_en: 'Hood',
      is_active: false,
      sort_order: expect.any(Number),
    });
    const audit = await t.db.pool.query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'equipment_type.%' GROUP BY action ORDER BY action`,
    );
    expect(audit.rows).toEqual([
      { action: 'equipment_type.add', n: 1 },
      { action: 'equipment_type.change', n: 2 },
      { action: 'equipment_type.reorder', n: 1 },
    ]);
  });

  it('answers a dispatcher politely and changes nothing', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const before = await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log`);
    // Action
    const [reply] = await h.user(anna.telegramId!, 'Anna').send('/catalog');
    // Assertions
    expect(reply!.payload.text).not.toContain('Виды техники');
    expect(buttonsOf(reply)).not.toContain('➕ Добавить вид');
    expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM audit_log`)).rows).toEqual(before.rows);
  });
});
