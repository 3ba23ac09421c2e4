import { describe, expect, it } from 'vitest';
import { cleanText, limitLength, normalizeLegacyPhone } from '../../src/importer/clean-text.ts';
import { parseAmount } from '../../src/importer/legacy-money.ts';
import { parseScheduledText } from '../../src/importer/legacy-schedule.ts';
import { parseLegacyDate, parseLegacyTimestamp } from '../../src/importer/legacy-time.ts';
import { legacyAction } from '../../src/importer/map-trail.ts';
import { reconcileMoney, type LegacyMoney } from '../../src/importer/order-money.ts';
import { DEFAULT_COMMISSION } from '../../src/orders/money.ts';

/** The importer's readers of legacy values, one shape at a time. */
describe('legacy timestamps', () => {
  it.each([
    // SQLite CURRENT_TIMESTAMP: UTC.
    ['2024-03-01 09:00:00', '2024-03-01T09:00:00+00:00'],
    // The application: Moscow time, naive or with its offset, with or without microseconds.
    ['2024-03-01T12:00:00', '2024-03-01T12:00:00+03:00'],
    ['2024-03-01T12:00:00.123456', '2024-03-01T12:00:00.123456+03:00'],
    ['2024-03-01 12:00:00.5', '2024-03-01T12:00:00.5+03:00'],
    ['2024-03-01T12:00:00.123456+03:00', '2024-03-01T12:00:00.123456+03:00'],
    ['2024-03-01T09:00:00Z', '2024-03-01T09:00:00+00:00'],
    // Moscow was UTC+4 from 2011 to 2014, and kept DST before.
    ['2012-06-01T12:00:00', '2012-06-01T12:00:00+04:00'],
    ['2010-01-15T12:00:00', '2010-01-15T12:00:00+03:00'],
    ['2010-07-15T12:00:00', '2010-07-15T12:00:00+04:00'],
  ])('%s -> %s', (raw, expected) => {
    expect(parseLegacyTimestamp(raw)?.text).toBe(expected);
  });

  it('orders instants across shapes', () => {
    expect(parseLegacyTimestamp('2024-03-01 09:00:00')!.epochMs).toBe(parseLegacyTimestamp('2024-03-01T12:00:00+03:00')!.epochMs);
  });

  it.each([null, '', 'вчера', '2023-02-30 10:00:00', '2024-13-01 10:00:00', '2024-03-01 25:00:00', '0024-03-01 10:00:00', 1709283600])('refuses %s', (raw) => {
    expect(parseLegacyTimestamp(raw)).toBeNull();
  });

  it('reads ETA dates in ISO and Russian forms', () => {
    expect(['2024-04-20', '2024-04-20 10:00:00', '20.04.2024', '20.04.24', '20.4.2024 г.'].map(parseLegacyDate)).toEqual(Array(5).fill('2024-04-20'));
    expect(['через неделю', '31.02.2024', '20.04'].map(parseLegacyDate)).toEqual([null, null, null]);
  });

  it("reads ETA dates as the latest bot writes them: 'DD.MM.YYYY HH:MM' and with how far off it is", () => {
    expect(['20.04.2024 14:00', '20.04.2024 14:00 (Через 3 дня)', '20.04.2024 (завтра)'].map(parseLegacyDate)).toEqual(Array(3).fill('2024-04-20'));
    expect(['20.04.2024 14:00 потом', '20.04.2024 (a) (b)'].map(parseLegacyDate)).toEqual([null, null]);
  });
});

describe('scheduled_time free text', () => {
  it.each([
    ['15.03.2024 14:30', '2024-03-15T14:30:00+03:00'],
    ['15.03.2024 в 14:30', '2024-03-15T14:30:00+03:00'],
    ['15.03.24, 9.05', '2024-03-15T09:05:00+03:00'],
    ['14:30 15.03.2024', '2024-03-15T14:30:00+03:00'],
    ['2024-03-15 14:30', '2024-03-15T14:30:00+03:00'],
    // The bot's own form: the time and, in brackets, how it was said.
    ['15.03.2024 14:00 (завтра в 14)', '2024-03-15T14:00:00+03:00'],
  ])('%s is unambiguous', (text, expected) => {
    expect(parseScheduledText(text)?.text).toBe(expected);
  });

  it.each(['завтра 14:00', '15.10 после обеда', '15.03 14:30', '15.03.2024', 'после 18', '15.03.2024 14:30 позвонить', '32.03.2024 10:00'])(
    '%s stays a note',
    (text) => {
      expect(parseScheduledText(text)).toBeNull();
    },
  );
});

describe('legacy money', () => {
  const kopecks = (raw: unknown) => {
    const a = parseAmount(raw);
    return a && ('kopecks' in a ? a.kopecks : a.invalid);
  };

  it('reads floats by their shortest decimal form and rounds half up to kopecks', () => {
    expect(kopecks(1234.5600000000002)).toBe(123456n);
    expect(kopecks(0.1 + 0.2)).toBe(30n);
    expect(kopecks(100.005)).toBe(10001n);
    expect(kopecks(1.004999)).toBe(100n);
    expect(kopecks(1e-7)).toBe(0n);
    expect(kopecks(5n)).toBe(500n);
    expect(kopecks('1 234,50 ₽')).toBe(123450n);
    expect(kopecks(null)).toBeNull();
  });

  it('flags what cannot be money', () => {
    expect([-5, 'abc', Infinity, 1e13].map(kopecks)).toEqual(['-5 (negative)', 'abc', 'Infinity', '10000000000000 (too large)']);
  });

  const base: LegacyMoney = { total: 9000, materials: 1500, master: null, company: null, prepayment: null, hasReview: true, outOfCity: false };
  const split = (m: Partial<LegacyMoney>) => {
    const reasons: string[] = [];
    const r = reconcileMoney({ ...base, ...m }, true, DEFAULT_COMMISSION, (x) => reasons.push(x));
    return { ...r, reasons };
  };

  it('keeps shares that add up and repairs those that do not', () => {
    expect(split({ master: 4500, company: 3000 })).toMatchObject({ total: '9000.00', masterProfit: '4500.00', companyProfit: '3000.00', reasons: [] });
    expect(split({ master: 4500, company: 3001 })).toMatchObject({
      companyProfit: '3000.00',
      reasons: ['shares do not add up to total - materials: company share recomputed'],
    });
    expect(split({ master: 4500, company: null })).toMatchObject({
      companyProfit: '3000.00',
      reasons: ['company_profit missing: total - materials - master share'],
    });
    expect(split({ total: null, master: 4500, company: 3000 })).toMatchObject({
      total: '9000.00',
      reasons: ['total_amount missing: rebuilt from materials and shares'],
    });
    expect(split({ materials: 10000, master: 0, company: 0 })).toMatchObject({
      materials: '9000.00',
      reasons: ['materials_cost above total_amount: capped at the total'],
    });
  });
});

describe('legacy text', () => {
  it('strips control characters but keeps newlines, tabs, emoji and quotes', () => {
    expect(cleanText('\u0000a\tb\r\nc\u001b "д" 👍🏽\u0085')).toEqual({ text: 'a\tb\nc "д" 👍🏽', stripped: true });
    expect(cleanText(new TextEncoder().encode('blob ✅'))).toEqual({ text: 'blob ✅', stripped: false });
    expect(cleanText('lone \ud800 surrogate')!.text).toBe('lone \ufffd surrogate');
  });

  it('cuts by characters as PostgreSQL counts them, never inside an emoji', () => {
    expect(limitLength('👍👍👍', 2)).toEqual({ text: '👍👍', truncated: true });
    expect(limitLength('👍👍', 2)).toEqual({ text: '👍👍', truncated: false });
  });

  it('normalizes phones the way the product stores them', () => {
    const phone = (raw: unknown) => normalizeLegacyPhone(raw, 'p', () => {});
    expect(phone('+7 (916) 123-45-67')).toEqual({ phone: '+79161234567', leftover: null });
    expect(phone(79161234567n)).toEqual({ phone: '79161234567', leftover: null });
    expect(phone('89161234567 89251234567')).toEqual({ phone: '89161234567', leftover: '89161234567 89251234567' });
    expect(phone('8-916-123-45-67 или 8-925-000-00-00')).toEqual({ phone: '89161234567', leftover: '8-916-123-45-67 или 8-925-000-00-00' });
    expect(phone('123')).toEqual({ phone: '00000', leftover: '123' });
    expect(phone(null)).toEqual({ phone: '00000', leftover: null });
  });

  it('turns legacy actions into audit action codes', () => {
    expect(['create_order', 'Order Closed', 'Вход', 'update-order 2'].map(legacyAction)).toEqual([
      'legacy.create_order',
      'legacy.order_closed',
      'legacy.other',
      'legacy.update_order',
    ]);
  });
});
