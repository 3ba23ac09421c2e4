import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe('a deactivated master in the bot', () => {
  it('can neither open nor work the orders still assigned to them', async () => {
    // Setup: an accepted order, and the card's buttons the master already holds
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const admin = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(anna, orderInput({ client_address: 'Tverskaya 7, apt 12' }));
    await workOrder(h, { staff: anna, master: pyotr }, order.id, 'accepted');
    const master = h.user(pyotr.telegramId!, 'Pyotr');
    await master.send(`/order ${order.id}`);
    expect(master.last!.payload.text).toContain('Tverskaya 7');

    // Action
    await h.services.masters.deactivate(admin, pyotr.masterId);
    const opened = await master.send(`/order ${order.id}`);
    const arrived = await master.press('На месте');

    // Assertions
    expect(opened.map((c) => String(c.payload.text)).join('\n')).not.toContain('Tverskaya 7');
    expect(arrived.map((c) => (c.payload.text as string | undefined) ?? '').join('\n')).not.toContain('Телефон: +7');
    const { rows } = await t.db.pool.query('SELECT status FROM orders WHERE id = $1', [order.id]);
    expect(rows[0].status).toBe('ACCEPTED');
  });
});
