import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/bot/format.ts';
import { parseReportDates } from '../../src/bot/report-dates.ts';
import { createI18n, translator } from '../../src/bot/i18n.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';
import { keyboardOf, replyKeyboardOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe('how things read', () => {
  const i18n = createI18n(createLogger('silent'));
  const ru = translator(i18n, 'ru');
  const en = translator(i18n, 'en');

  it('writes money as each language does', () => {
    expect(formatMoney('10000', ru)).toBe('10 000,00 ₽');
    expect(formatMoney('12500.5', en)).toBe('12,500.50 ₽');
    expect(formatMoney('1234567.89', ru)).toBe('1 234 567,89 ₽');
    expect(formatMoney('-500.00', en)).toBe('-500.00 ₽');
    expect(formatMoney('999')).toBe('999,00 ₽');
  });

  it('a card says when the order came in and how long it has waited; no keyboard has an empty row', async () => {
    // Setup: an order that came in 3 h 5 min ago
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const { order } = await h.services.orders.create(anna, orderInput());
    await t.db.pool.query(`UPDATE orders SET created_at = now() - interval '185 minutes', status_changed_at = now() - interval '185 minutes' WHERE id = $1`, [
      order.id,
    ]);
    const me = h.user(anna.telegramId!, 'Anna');

    // Action
    const [card] = await me.send(`/order ${order.id}`);
    await me.send('/new');
    await me.send('/start');
    await me.send('/help');

    // Assertions
    expect(card!.payload.text).toMatch(/Создан: \d\d\.\d\d\.\d{4} \d\d:\d\d · в статусе «Новый» 3 ч 5 мин/);
    const keyboards = h.stub.calls.flatMap((c): unknown[][][] => [keyboardOf(c), replyKeyboardOf(c) ?? []]).filter((kb) => kb.length > 0);
    expect(keyboards.length).toBeGreaterThanOrEqual(4); // card, equipment, the reply-keyboard menu, help
    for (const kb of keyboards) for (const row of kb) expect(row.length).toBeGreaterThan(0);
  });
});

describe('report periods as people type them', () => {
  const today = '2026-12-06';
  it.each([
    ['01.12.2026 - 06.12.2026', { first: '2026-12-01', last: '2026-12-06' }],
    ['01.12.2026 06.12.2026', { first: '2026-12-01', last: '2026-12-06' }],
    ['1.12-6.12', { first: '2026-12-01', last: '2026-12-06' }],
    ['с 1 по 6 декабря', { first: '2026-12-01', last: '2026-12-06' }],
    ['1 ноября — 6 декабря 2026', { first: '2026-11-01', last: '2026-12-06' }],
    ['1-6 December', { first: '2026-12-01', last: '2026-12-06' }],
    ['6.12-1.12', { refused: 'reversed', first: '06.12.2026', last: '01.12.2026' }],
    ['01.01.2025 - 06.12.2026', { refused: 'too-long' }],
    ['31.02.2026 - 06.03.2026', { refused: 'impossible' }],
    ['вчера', { refused: 'format' }],
    ['с 1 по 6 абырвалга', { refused: 'format' }],
  ])('%s', (text, expected) => {
    expect(parseReportDates(text, today)).toEqual(expected);
  });
});
