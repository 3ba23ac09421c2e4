import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaceUserRoles } from '../../src/users/users.sql.ts';
import { tokenFor, useApi, type Api } from '../http/support.ts';
import { makeMaster } from '../support/fixtures.ts';
import { orderDriver } from '../support/money.ts';

const api: Api = useApi();
const MONEY = '#,##0.00 "₽"';
const TIME = 'dd.mm.yyyy hh:mm';
let period: string;
let ids: { washer: number; fridge: number; tv: number; refused: number; fresh: number; assigned: number };
let tokens: { alexey: string; boris: string };
let stamps: Record<number, { completed_at: string; closed_at: string | null; created_at: string }>;

/** Moscow has been UTC+3 all year since 2014: the wall clock a cell must show, to the second. */
const moscow = (iso: string | null) => (iso === null ? null : new Date(Math.floor(Date.parse(iso) / 1000) * 1000 + 3 * 3600_000));

async function workbook(kind: string, token: string, query = period) {
  const res = await fetch(`${api.base}/api/v1/reports/workbooks/${kind}${query ? `?${query}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) return { status: res.status, wb: null, body: body.toString() };
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return { status: res.status, wb, body: '' };
}

/** Every cell of a sheet as values (dates as Dates), row by row. */
function cells(sheet: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) values.push(row.getCell(c).value ?? null);
    out.push(values);
  });
  return out;
}

function checkLayout(sheet: ExcelJS.Worksheet, moneyColumns: number[], timeColumns: number[], percentColumns: number[] = []) {
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.getRow(1).font?.bold).toBe(true);
  for (let c = 1; c <= sheet.columnCount; c++) {
    const widest = Math.max(...cells(sheet).map((r) => cellWidth(r[c - 1])));
    expect(sheet.getColumn(c).width, `${sheet.name} column ${c}`).toBeGreaterThanOrEqual(Math.min(60, widest));
    const fmt = moneyColumns.includes(c) ? MONEY : timeColumns.includes(c) ? TIME : percentColumns.includes(c) ? '0"%"' : undefined;
    for (let r = 2; r <= sheet.rowCount; r++) expect(sheet.getCell(r, c).numFmt, `${sheet.name} ${r}:${c}`).toBe(fmt);
  }
}

beforeAll(async () => {
  const admin = api.admin.principal;
  const drive = orderDriver(api.t.db, admin);
  const alexey = await makeMaster(api.t.db, { name: 'Алексей' });
  const boris = await makeMaster(api.t.db, { name: 'Борис' });
  await replaceUserRoles(api.t.db, alexey.userId, ['MASTER', 'SENIOR_MASTER'], null);
  tokens = { alexey: await tokenFor(api.t.db, alexey), boris: await tokenFor(api.t.db, boris) };
  const start = new Date(Date.now() - 60_000).toISOString();
  // A senior master: 8 000 net at 50% (his floor; 40% otherwise), closed; a refrigerator: 20 000 net at 60% + 10 out of city, 1 000 prepaid.
  const washer = await drive.completed(alexey, { equipment: 'washing_machine', total: '10000.00', materials: '2000.00' });
  await drive.workflow.act(admin, washer, 'close', {});
  const fridge = await drive.completed(alexey, { equipment: 'refrigerator', total: '25000.00', materials: '5000.00', away: true, prepayment: '1000.00' });
  const tv = await drive.completed(boris, { equipment: 'tv', total: '5000.00', materials: '0.00', review: true });
  // A client refusing on site pays 1 000 for the visit: a senior master's 50% floor holds for refusal fees too.
  const onSite = await drive.started(alexey, 'washing_machine');
  await drive.workflow.act(alexey, onSite, 'client_refused', { reason: 'Дорого', fee: '1000.00' });
  const refused = await drive.created();
  await drive.workflow.act(admin, refused, 'assign', { master_id: boris.masterId });
  await drive.workflow.act(admin, refused, 'refuse', { reason: 'Клиент передумал' });
  const fresh = await drive.created('oven');
  const assigned = await drive.created('dishwasher');
  await drive.workflow.act(admin, assigned, 'assign', { master_id: boris.masterId });
  ids = { washer, fridge, tv, refused, fresh, assigned };
  period = `from=${start}&to=${new Date(Date.now() + 3600_000).toISOString()}`;
  const { rows } = await api.t.db.pool.query(
    `SELECT id::int, to_json(completed_at) #>> '{}' AS completed_at, to_json(closed_at) #>> '{}' AS closed_at, to_json(created_at) #>> '{}' AS created_at FROM orders`,
  );
  stamps = Object.fromEntries(rows.map((r) => [r.id, r]));
});

describe('settlement workbook', () => {
  it('has a summary per master and a total, then each order on its master sheet, cell by cell', async () => {
    // Action
    const { status, wb } = await workbook('settlement', api.admin.token);
    // Assertions
    expect(status).toBe(200);
    expect(wb!.worksheets.map((s) => s.name)).toEqual(['Сводка', 'Алексей', 'Борис']);
    const summary = wb!.getWorksheet('Сводка')!;
    expect(cells(summary)).toEqual([
      [
        'Мастер',
        'Старший мастер',
        'Заказов',
        'Выручка',
        'Материалы',
        'Доля мастера',
        'Доля компании',
        'Предоплата',
        'К сдаче',
        'Средний чек',
        'С отзывом',
        'За городом',
        'Отказов',
        'Отказов с оплатой',
        'Оплата за отказы',
        'Мастеру с отказов',
        'Компании с отказов',
      ],
      // To hand over includes the company's 500 of the refusal fee still with Алексей; the fee splits 500 / 500.
      ['Алексей', 'да', 2, 35000, 7000, 18000, 10000, 1000, 5500, 17500, 0, 1, 1, 1, 1000, 500, 500],
      ['Борис', 'нет', 1, 5000, 0, 2500, 2500, 0, 2500, 5000, 1, 0, 1, 0, 0, 0, 0],
      ['Итого', null, 3, 40000, 7000, 20500, 12500, 1000, 8000, 13333.33, 1, 1, 2, 1, 1000, 500, 500],
    ]);
    expect(summary.getRow(4).font?.bold).toBe(true);
    // The period's chart sits under the table, a PNG.
    const images = summary.getImages();
    expect(images.map((i) => i.range.tl.nativeRow)).toEqual([5]);
    const media = wb!.getImage(Number(images[0]!.imageId));
    expect([
      media.extension,
      Buffer.from(media.buffer as unknown as Uint8Array)
        .subarray(1, 4)
        .toString(),
    ]).toEqual(['png', 'PNG']);
    checkLayout(summary, [4, 5, 6, 7, 8, 9, 10, 15, 16, 17], []);
    const alexey = wb!.getWorksheet('Алексей')!;
    const s = (id: number) => stamps[id]!;
    expect(cells(alexey)).toEqual([
      [
        '№ заказа',
        'Выполнен',
        'Закрыт',
        'Техника',
        'Адрес',
        'Сумма',
        'Материалы',
        'Чистыми',
        'Ставка мастера',
        'Доля мастера',
        'Доля компании',
        'Предоплата',
        'К сдаче',
        'Отзыв',
        'За городом',
        'Статус',
      ],
      [
        ids.washer,
        moscow(s(ids.washer).completed_at),
        moscow(s(ids.washer).closed_at),
        'Стиральная машина',
        'Moscow, Tverskaya 1, apt 5',
        10000,
        2000,
        8000,
        50,
        4000,
        4000,
        null,
        0,
        'нет',
        'нет',
        'Закрыт',
      ],
      [
        ids.fridge,
        moscow(s(ids.fridge).completed_at),
        null,
        'Холодильник',
        'Moscow, Tverskaya 1, apt 5',
        25000,
        5000,
        20000,
        70,
        14000,
        6000,
        1000,
        5000,
        'нет',
        'да',
        'Выполнен',
      ],
    ]);
    checkLayout(alexey, [6, 7, 8, 10, 11, 12, 13], [2, 3], [9]);
    expect(cells(wb!.getWorksheet('Борис')!)[1]).toEqual([
      ids.tv,
      moscow(s(ids.tv).completed_at),
      null,
      'Телевизор',
      'Moscow, Tverskaya 1, apt 5',
      5000,
      0,
      5000,
      50,
      2500,
      2500,
      null,
      2500,
      'да',
      'нет',
      'Выполнен',
    ]);
  });

  it('speaks English when asked', async () => {
    // Action
    const { wb } = await workbook('settlement', api.admin.token, `${period}&lang=en`);
    // Assertions
    expect(wb!.worksheets.map((s) => s.name)).toEqual(['Summary', 'Алексей', 'Борис']);
    expect(cells(wb!.getWorksheet('Summary')!)[0]).toEqual([
      'Master',
      'Senior master',
      'Orders',
      'Revenue',
      'Materials',
      "Master's share",
      "Company's share",
      'Prepayment',
      'To hand over',
      'Average check',
      'With review',
      'Out of city',
      'Refusals',
      'Refusals with a fee',
      'Refusal fees',
      "Master's part of the fees",
      "Company's part of the fees",
    ]);
    expect(cells(wb!.getWorksheet('Summary')!)[1]!.slice(0, 2)).toEqual(['Алексей', 'yes']);
    expect(cells(wb!.getWorksheet('Борис')!)[1]![3]).toBe('TV');
  });
});

describe('other workbooks', () => {
  it('lists active orders per master, unassigned first', async () => {
    // Action
    const { wb } = await workbook('active', api.dispatcher.token, '');
    // Assertions
    expect(wb!.worksheets.map((s) => s.name)).toEqual(['Сводка', 'Без мастера', 'Алексей', 'Борис']);
    expect(cells(wb!.getWorksheet('Сводка')!)).toEqual([
      ['Мастер', 'Всего активных', 'Новый', 'Назначен', 'Принят', 'В работе', 'Длительный ремонт', 'Выполнен'],
      ['Без мастера', 1, 1, 0, 0, 0, 0, 0],
      ['Алексей', 1, 0, 0, 0, 0, 0, 1],
      ['Борис', 2, 0, 1, 0, 0, 0, 1],
      ['Итого', 4, 1, 1, 0, 0, 0, 2],
    ]);
    const boris = wb!.getWorksheet('Борис')!;
    const address = 'Moscow, Tverskaya 1, apt 5';
    expect(cells(boris)).toEqual([
      ['№ заказа', 'Статус', 'Техника', 'Клиент', 'Адрес', 'Визит', 'Создан', 'Предоплата'],
      [ids.tv, 'Выполнен', 'Телевизор', 'Ivan Petrov', address, null, moscow(stamps[ids.tv]!.created_at), null],
      [ids.assigned, 'Назначен', 'Посудомоечная машина', 'Ivan Petrov', address, null, moscow(stamps[ids.assigned]!.created_at), null],
    ]);
    checkLayout(boris, [8], [6, 7]);
    expect(cells(wb!.getWorksheet('Без мастера')!)[1]!.slice(0, 3)).toEqual([ids.fresh, 'Новый', 'Духовой шкаф / варочная панель']);
  });

  it("gives masters' statistics with refusal reasons", async () => {
    // Action
    const { wb } = await workbook('masters', api.admin.token);
    // Assertions
    expect(cells(wb!.getWorksheet('Сводка')!)).toEqual([
      [
        'Мастер',
        'Старший мастер',
        'Выполнено',
        'Закрыто',
        'Выручка',
        'Доля мастера',
        'Доля компании',
        'Средний чек',
        'Отказов',
        'Отказов с оплатой',
        'Оплата за отказы',
        'Причины отказов',
        ...['Средняя оценка', 'Оценок', 'Визитов ко времени', 'Приехал вовремя', 'Вовремя, %'],
      ],
      // No client rated these orders and none had a scheduled visit (see test/bot/master-quality.test.ts for both).
      ['Алексей', 'да', 2, 1, 35000, 18000, 10000, 17500, 1, 1, 1000, 'Дорого', null, 0, 0, 0, null],
      ['Борис', 'нет', 1, 0, 5000, 2500, 2500, 5000, 1, 0, 0, 'Клиент передумал', null, 0, 0, 0, null],
    ]);
    const refusals = wb!.getWorksheet('Отказы')!;
    expect(cells(refusals)).toEqual([
      ['Мастер', '№ заказа', 'Когда', 'Причина', 'Оплата за выезд'],
      ['Алексей', expect.any(Number), expect.any(Date), 'Дорого', 1000],
      ['Борис', ids.refused, expect.any(Date), 'Клиент передумал', null],
    ]);
    checkLayout(refusals, [5], [3]);
  });

  it('gives a master his own workbook: active (completed awaiting hand-over included) and completed', async () => {
    // Action
    const { wb } = await workbook('mine', tokens.boris);
    // Assertions
    expect(wb!.worksheets.map((s) => s.name)).toEqual(['Активные', 'Выполненные']);
    expect(cells(wb!.getWorksheet('Активные')!).map((r) => r[0])).toEqual(['№ заказа', ids.tv, ids.assigned]);
    expect(cells(wb!.getWorksheet('Выполненные')!).map((r) => r[0])).toEqual(['№ заказа', ids.tv]);
  });

  it('is refused to those who may not read it, with the field named for bad input', async () => {
    // Action
    const byMaster = await workbook('settlement', tokens.alexey);
    const mineByDispatcher = await workbook('mine', api.dispatcher.token);
    const badKind = await workbook('everything', api.admin.token);
    const halfPeriod = await workbook('settlement', api.admin.token, period.split('&')[0]);
    await api.services.settings.set(api.admin.principal, 'dispatchersReadReports', false);
    const dispatcherOff = await workbook('settlement', api.dispatcher.token);
    await api.services.settings.set(api.admin.principal, 'dispatchersReadReports', true);
    // Assertions
    expect([byMaster.status, mineByDispatcher.status, dispatcherOff.status]).toEqual([403, 403, 403]);
    expect([badKind.status, JSON.parse(badKind.body).field]).toEqual([400, 'kind']);
    expect([halfPeriod.status, JSON.parse(halfPeriod.body).field]).toEqual([400, 'to']);
  });
});

/** The characters a cell needs: a date 16, a number or text its own length. */
function cellWidth(v: unknown): number {
  if (v instanceof Date) return 16;
  return typeof v === 'string' || typeof v === 'number' ? String(v).length : 0;
}
