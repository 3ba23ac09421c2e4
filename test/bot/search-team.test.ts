import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe('search from the bot', () => {
  it('pages past the first ten, ten at a time, newest first', async () => {
    // Setup: 23 orders of one client name
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) ids.push((await h.services.orders.create(anna, orderInput({ client_name: `Сидорова ${i}` }))).order.id);
    const me = h.user(anna.telegramId!, 'Anna');
    const idsOf = (labels: string[]) => labels.filter((l) => l.startsWith('#')).map((l) => Number(/^#(\d+)/.exec(l)![1]));

    // Action
    await me.send('/search сидорова');
    const first = me.last!;
    await me.press('Далее');
    const second = me.last!;
    await me.press('Далее');
    const third = me.last!;

    // Assertions
    const newest = [...ids].reverse();
    expect(first.payload.text).toBe('Найдено по запросу «сидорова»: 10+');
    expect(idsOf(buttonsOf(first))).toEqual(newest.slice(0, 10));
    expect(second.payload.text).toBe('По запросу «сидорова», с 11 по 20:');
    expect(idsOf(buttonsOf(second))).toEqual(newest.slice(10, 20));
    expect(idsOf(buttonsOf(third))).toEqual(newest.slice(20));
    expect(buttonsOf(third)).not.toContain('Далее »');
  });

  it('finds an order by its number, and an imported one by its legacy number', async () => {
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna2');
    const { order } = await h.services.orders.create(anna, orderInput({ client_name: 'Номерной' }));
    const { order: imported } = await h.services.orders.create(anna, orderInput({ client_name: 'Из старого бота' }));
    await t.db.pool.query("INSERT INTO legacy_sources (name, file) VALUES ('msk', 'msk.sqlite')");
    await t.db.pool.query("INSERT INTO legacy_orders (source, legacy_id, order_id) VALUES ('msk', 90001, $1)", [imported.id]);
    const me = h.user(anna.telegramId!, 'Anna2');

    await me.send(`/search #${order.id}`);
    const byNumber = buttonsOf(me.last);
    await me.send('/search №90001');
    const byLegacy = buttonsOf(me.last);

    expect(byNumber).toEqual([expect.stringMatching(new RegExp(`^#${order.id} · .* · Номерной$`))]);
    expect(byLegacy).toEqual([expect.stringMatching(new RegExp(`^#${imported.id} · .* · Из старого бота$`))]);
  });
});

describe('masters for dispatchers', () => {
  it('/team lists each master with today’s open orders, least loaded first', async () => {
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna3');
    const busy = await makeMaster(t.db, { name: 'Busy Pyotr' });
    await makeMaster(t.db, { name: 'Idle Ivan' });
    for (let i = 0; i < 2; i++) {
      const { order } = await h.services.orders.create(anna, orderInput());
      await workOrder(h, { staff: anna, master: busy }, order.id, i === 0 ? 'assigned' : 'accepted');
    }
    const me = h.user(anna.telegramId!, 'Anna3');

    await me.send('/team');

    const lines = String(me.last!.payload.text).split('\n');
    expect(lines[0]).toMatch(/^Мастера на \d{2}\.\d{2}\.\d{4} \(открытые заказы на сегодня\):$/);
    const ivan = lines.findIndex((l) => l.includes('Idle Ivan'));
    const pyotr = lines.findIndex((l) => l.includes('Busy Pyotr'));
    expect(lines[ivan]).toContain(': 0 (назначено 0, принято 0');
    expect(lines[pyotr]).toContain(': 2 (назначено 1, принято 1, на месте 0, длительный 0)');
    expect(ivan).toBeLessThan(pyotr);
  });
});
