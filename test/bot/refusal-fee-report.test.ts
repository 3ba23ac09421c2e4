import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe("the bot's period report", () => {
  it('shows the refusal fees taken and adds them to revenue and both shares', async () => {
    // Setup: one order closed (10 000, 2 000 materials: 4 000 / 4 000) and a refusal on site with a 1 000 fee (400 / 600)
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const closed = (await h.services.orders.create(boss, orderInput())).order.id;
    await workOrder(h, { staff: boss, master: pyotr }, closed, 'closed');
    const refused = (await h.services.orders.create(boss, orderInput())).order.id;
    await workOrder(h, { staff: boss, master: pyotr }, refused, 'in_progress');
    await h.services.workflow.act(pyotr, refused, 'client_refused', { reason: 'Дорого', fee: '1000.00' });
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.send('/reports');
    const report = (await admin.press('Этот месяц')).find((c) => c.method === 'sendMessage');

    // Assertions
    expect(report!.payload.text).toContain('Доля мастеров 4 000,00 ₽, доля компании 4 000,00 ₽');
    expect(report!.payload.text).toContain(
      'Отказов с оплатой: 1, оплачено 1 000,00 ₽ (мастерам 400,00 ₽, компании 600,00 ₽)\n' +
        'Вместе с заказами: выручка 11 000,00 ₽, доля мастеров 4 400,00 ₽, доля компании 4 600,00 ₽',
    );
  });
});
