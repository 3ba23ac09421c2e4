import { beforeAll, describe, expect, it } from 'vitest';
import { OrderChangeFeed } from '../../src/orders/order-changes.ts';
import { OrdersService } from '../../src/orders/orders-service.ts';
import { searchOrdersByWords, wordsQuery } from '../../src/orders/search-words.sql.ts';
import { searchOrders } from '../../src/orders/search.sql.ts';
import type { Principal } from '../../src/users/principal.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeUser, orderInput } from '../support/fixtures.ts';

const t = useTestDatabase();
let orders: OrdersService;
let admin: Principal;
const ids: Record<string, number> = {};

/** Clients whose texts have what splitting into words can get wrong. */
const CLIENTS = {
  yo: { client_name: 'Королёв Пётр Семёнович', client_address: 'ул. Академика Королёва, д. 4, корп. 2, кв. 90' },
  ye: { client_name: 'Королев Петр Семенович', client_address: 'ул. Академика Королева, д. 4, корп. 2, кв. 90' },
  julia: { client_name: 'Юлия Игоревна', client_address: 'Москва, ул. Молодёжная, д. 125, кв. 218' },
  caps: { client_name: 'ИВАНОВА ЮЛИЯ ИГОРЕВНА', client_address: 'г. Химки, Юбилейный пр-т, 7/2-а' },
  latin: { client_name: "O'Brien-Smith John", client_address: 'London, Baker St. 221b, flat 3 (ring twice!)' },
  short: { client_name: 'Ян Ли', client_address: '3-я ул. 8 Марта, 12/3, кв. 1' },
  accents: { client_name: 'José Müller Київ', client_address: 'Straße 5, Zürich' },
  digits: { client_name: 'Мира Мирова', client_address: 'индекс 123456, ул. Мира 5', client_phone: '+74951234567' },
};
// As search_text has them: the phone (orderInput's unless given) after the name and address.
const TEXTS = Object.values(CLIENTS).map((c) => `${c.client_name} ${c.client_address} ${'client_phone' in c ? c.client_phone : '+79161234567'}`.toLowerCase());

beforeAll(async () => {
  orders = new OrdersService(t.db, new OrderChangeFeed());
  admin = await makeUser(t.db, ['ADMIN']);
  for (const [key, client] of Object.entries(CLIENTS)) ids[key] = (await orders.create(admin, orderInput(client))).order.id;
  // Older orders sharing some of their words, so the index has more than one list per word.
  for (let i = 0; i < 30; i++) await orders.create(admin, orderInput({ client_name: `Юлия Петровна ${i}`, client_address: `ул. Молодёжная, д. ${i}` }));
});

describe('search by the words index', () => {
  it('finds exactly what the trigram search finds for any stretch of a client text, words cut at either end included', async () => {
    // Setup: every stretch starting at each of the first 30 characters and of the last 30 (into the phone), of several lengths
    const terms = new Set<string>();
    for (const text of TEXTS)
      for (const start of [...Array.from({ length: 30 }, (_, i) => i), ...Array.from({ length: 30 }, (_, i) => text.length - 45 + i)])
        for (const length of [7, 12, 19, 31, 200]) terms.add(text.slice(Math.max(0, start), Math.max(0, start) + length).trim());
    let keyed = 0;
    for (const term of terms) {
      const words = wordsQuery(term);
      if (!words) continue;
      keyed++;
      // Action
      const got = await searchOrdersByWords(t.db, words, term, 50, 1000);
      // Assertions
      expect(
        got?.map((o) => o.id),
        `${term} (${words})`,
      ).toEqual((await searchOrders(t.db, term, 50)).map((o) => o.id));
    }
    expect(keyed).toBeGreaterThan(500);
  });

  it('keeps ё and е apart, ignores case and punctuation, and finds words cut at the ends of the term', async () => {
    // Action / Assertions
    const found = async (q: string) => (await orders.search(admin, q)).map((o) => o.id);
    expect(await found('Пётр Семёнович')).toEqual([ids.yo]);
    expect(await found('петр семенович')).toEqual([ids.ye]);
    expect(await found('академика королёва, д. 4')).toEqual([ids.yo]);
    expect(await found('ЮЛИЯ ИГОРЕВНА')).toEqual([ids.caps, ids.julia]);
    expect(await found('лия игорев')).toEqual([ids.caps, ids.julia]);
    expect(await found('игоревна юлия')).toEqual([]);
    expect(await found('игоревна москва, ул. молодёжная')).toEqual([ids.julia]);
    expect(await found('молодежная, д. 125')).toEqual([]);
    expect(await found('д. 125, кв. 218')).toEqual([ids.julia]);
    expect(await found("o'brien-smith john")).toEqual([ids.latin]);
    expect(await found('brien smith')).toEqual([]);
    expect(await found('baker st. 221b, flat')).toEqual([ids.latin]);
    expect(await found('3-я ул. 8 марта, 12/3')).toEqual([ids.short]);
    expect(await found('ян ли 3-я')).toEqual([ids.short]);
    expect(await found('müller київ straße')).toEqual([ids.accents]);
    expect(await found('юбилейный пр-т, 7/2-а')).toEqual([ids.caps]);
    expect(await found('молодёжная, д. 125, кв. 218 +7916')).toEqual([ids.julia]);
    expect(await found('индекс 123456, ул. мира 5 +749512')).toEqual([ids.digits]);
  });

  it('asks the index for whole inner words and prefixes of the words at the ends, never for short ones or what may be the phone', () => {
    // Action / Assertions
    expect(wordsQuery('юлия игоревна')).toBe("'яилю':* & 'игоревна':*");
    expect(wordsQuery('иванова юлия игоревна')).toBe("'авонави':* & 'юлия' & 'игоревна':*");
    expect(wordsQuery('ул. молодёжная, д. 125, кв. 218')).toBe("'молодёжная' & '125'");
    expect(wordsQuery(', молодёжная, 125.')).toBe("'молодёжная' & '125'");
    expect(wordsQuery('3-я ул. 8 марта')).toBe("'8' & 'марта':*");
    expect(wordsQuery('кв. 218 +79161234567')).toBe(null); // digits at an end: may be in the phone
    expect(wordsQuery('москва, 12345 мира')).toBe("'авксом':* & 'мира':*"); // five digits: may be a phone
    expect(wordsQuery('ян ли 3-я')).toBe(null); // no word of three letters
    expect(wordsQuery('молодёжная')).toBe(null); // may be inside any word
    expect(wordsQuery("' & 'x':* | !'")).toBe(null); // no tsquery syntax gets through
  });
});
