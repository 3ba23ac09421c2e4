import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { useApi, type Api } from '../http/support.ts';
import { makeMaster } from '../support/fixtures.ts';
import { orderDriver } from '../support/money.ts';
import { orderStateOf } from '../support/reads.ts';

const api: Api = useApi();

/** The settlement workbook's "to hand over" cells: the master's summary row and his order's row. */
async function toHandOver(token: string, query: string, master: string) {
  const res = await fetch(`${api.base}/api/v1/reports/workbooks/settlement?${query}`, { headers: { authorization: `Bearer ${token}` } });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const column = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).indexOf('К сдаче');
  const summary = wb.getWorksheet('Сводка')!;
  const sheet = wb.getWorksheet(master)!;
  return { summary: summary.getRow(2).getCell(column(summary)).value, order: sheet.getRow(2).getCell(column(sheet)).value };
}

describe('settlement workbook after a correction of a closed order', () => {
  it('owes the difference until a settlement takes it, as the ledger does', async () => {
    // Setup: 8 000 completed (company 4 000), closed, then corrected to 9 000 (company 4 500: 500 owed again)
    const admin = api.admin.principal;
    const drive = orderDriver(api.t.db, admin);
    const gleb = await makeMaster(api.t.db, { name: 'Глеб' });
    const query = `from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    const order = await drive.completed(gleb, { equipment: 'washing_machine', total: '8000.00', materials: '0.00' });
    await drive.workflow.act(admin, order, 'close', {});
    const closed = await toHandOver(api.admin.token, query, 'Глеб');
    await drive.workflow.act(
      admin,
      order,
      'correct',
      { total_amount: '9000.00', reason: 'доплата' },
      { expectedVersion: (await orderStateOf(api.t.db, order)).version },
    );
    // Action
    const corrected = await toHandOver(api.admin.token, query, 'Глеб');
    await api.services.ledger.settle(admin, gleb.masterId, []);
    const settled = await toHandOver(api.admin.token, query, 'Глеб');
    // Assertions
    expect(closed).toEqual({ summary: 0, order: 0 });
    expect(corrected).toEqual({ summary: 500, order: 500 });
    expect(settled).toEqual({ summary: 0, order: 0 });
  });
});
