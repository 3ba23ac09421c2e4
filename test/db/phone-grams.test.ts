import { describe, expect, it } from 'vitest';
import { searchOrdersByPhoneGrams } from '../../src/orders/search.sql.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();

/** Every five-digit substring of the digits, as the index keys them (0141: integers). */
function grams(phone: string): number[] {
  const d = phone.replace(/^\++/, '');
  return Array.from({ length: Math.max(0, d.length - 4) }, (_v, i) => Number(d.slice(i, i + 5)));
}

describe('phone_digit_grams (the five-digit phone index, 0120 and 0141)', () => {
  it('keys every five-digit substring of numbers of 5 to 20 digits, with or without +', async () => {
    // Setup
    const phones = ['12345', '+79161234567', '89031112233', '00000012340', '+12345678901234567890', '98765432109876543210'];

    // Action
    const { rows } = await t.db.pool.query<{ phone: string; grams: number[] }>(
      'SELECT p AS phone, phone_digit_grams(p) AS grams FROM unnest($1::text[]) AS p',
      [phones],
    );

    // Assertions
    expect(rows.map((r) => [r.phone, r.grams])).toEqual(phones.map((p) => [p, grams(p)]));
  });

  it('finds the longest number by digits at its very end and in its middle', async () => {
    // Setup: a 20-digit number (the most the table allows) and one sharing its start
    const { rows } = await t.db.pool.query<{ id: number }>(`
      INSERT INTO orders (equipment_type, description, client_name, client_address, client_phone)
      VALUES ('oven', 'grams', 'Long Number', 'Somewhere 1', '+12345678901234567890'),
             ('oven', 'grams', 'Short Number', 'Somewhere 2', '+1234567890')
      RETURNING id`);

    // Action
    const end = await searchOrdersByPhoneGrams(t.db, '4567890', 20);
    const middle = await searchOrdersByPhoneGrams(t.db, '8901234', 20);
    const start = await searchOrdersByPhoneGrams(t.db, '1234567', 20);

    // Assertions
    expect(end.map((o) => o.id).sort()).toEqual([rows[0]!.id, rows[1]!.id].sort());
    expect(middle.map((o) => o.id)).toEqual([rows[0]!.id]);
    expect(start.map((o) => o.id).sort()).toEqual([rows[0]!.id, rows[1]!.id].sort());
  });
});
