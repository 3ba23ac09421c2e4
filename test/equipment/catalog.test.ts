import { describe, expect, it } from 'vitest';
import { useApi, type Api } from '../http/support.ts';

const api: Api = useApi();
const list = async () => (await api.request('GET', '/api/v1/equipment-types', { token: api.master.token })).body.items as Array<Record<string, unknown>>;
const auditCount = async (action: string) => Number((await api.t.db.pool.query(`SELECT count(*) FROM audit_log WHERE action = $1`, [action])).rows[0].count);

describe('equipment catalog', () => {
  it('covers the legacy list with plural (menu) and singular (card) names', async () => {
    // Action
    const items = await list();
    // Assertions
    const byCode = Object.fromEntries(items.map((t) => [t.code, t]));
    expect(items.map((t) => t.code)).toEqual([
      'washing_machine',
      'dryer',
      'oven',
      'dishwasher',
      'coffee_machine',
      'plumbing',
      'electrical',
      'water_heater',
      'tv',
      'refrigerator',
    ]);
    expect(byCode.oven).toMatchObject({ name_ru: 'ДШ/ВП', singular_ru: 'Духовой шкаф / варочная панель', singular_en: 'Oven / hob' });
    expect(byCode.dryer).toMatchObject({ name_ru: 'Сушильные машины', singular_ru: 'Сушильная машина', name_en: 'Dryers', is_active: true });
    expect(byCode.refrigerator).toMatchObject({ name_ru: 'Холодильники', singular_ru: 'Холодильник', singular_en: 'Refrigerator' });
    // Menus read in the plural, cards in the singular.
    expect(byCode.dishwasher).toMatchObject({ name_ru: 'Посудомоечные машины', singular_ru: 'Посудомоечная машина', name_en: 'Dishwashers' });
  });

  it('lets an admin add, rename, deactivate and reorder types, each audited', async () => {
    // Action
    const lastBefore = Math.max(...(await list()).map((t) => Number(t.sort_order)));
    const added = await api.request('POST', '/api/v1/equipment-types', {
      token: api.admin.token,
      body: { code: 'hood', name_ru: 'Вытяжки', name_en: 'Hoods', singular_ru: 'Вытяжка', singular_en: 'Hood' },
    });
    const renamed = await api.request('PATCH', '/api/v1/equipment-types/hood', { token: api.admin.token, body: { name_ru: 'Кухонные вытяжки' } });
    const off = await api.request('PATCH', '/api/v1/equipment-types/tv', { token: api.admin.token, body: { is_active: false } });
    const moved = await api.request('PUT', '/api/v1/equipment-types/order', { token: api.admin.token, body: { codes: ['refrigerator', 'hood'] } });
    // Assertions
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ code: 'hood', is_active: true, sort_order: lastBefore + 10 });
    expect(renamed.body).toMatchObject({ code: 'hood', name_ru: 'Кухонные вытяжки', name_en: 'Hoods', singular_ru: 'Вытяжка' });
    expect(off.body).toMatchObject({ code: 'tv', is_active: false });
    expect(moved.status).toBe(200);
    expect(moved.body.items.slice(0, 4).map((t: { code: string }) => t.code)).toEqual(['refrigerator', 'hood', 'washing_machine', 'dryer']);
    expect((await list()).map((t) => t.code)).toEqual(moved.body.items.map((t: { code: string }) => t.code));
    expect([await auditCount('equipment_type.add'), await auditCount('equipment_type.change'), await auditCount('equipment_type.reorder')]).toEqual([1, 2, 1]);
  });

  it('refuses non-admins and bad input with the field named, writing nothing', async () => {
    // Setup
    const before = await list();
    // Action
    const byDispatcher = await api.request('POST', '/api/v1/equipment-types', {
      token: api.dispatcher.token,
      body: { code: 'x1', name_ru: 'X', name_en: 'X' },
    });
    const badCode = await api.request('POST', '/api/v1/equipment-types', { token: api.admin.token, body: { code: 'Bad Code', name_ru: 'X', name_en: 'X' } });
    const taken = await api.request('POST', '/api/v1/equipment-types', { token: api.admin.token, body: { code: 'oven', name_ru: 'X', name_en: 'X' } });
    const empty = await api.request('PATCH', '/api/v1/equipment-types/oven', { token: api.admin.token, body: { name_ru: '   ' } });
    const missing = await api.request('PATCH', '/api/v1/equipment-types/nope', { token: api.admin.token, body: { name_ru: 'Y' } });
    const unknown = await api.request('PUT', '/api/v1/equipment-types/order', { token: api.admin.token, body: { codes: ['oven', 'nope'] } });
    const twice = await api.request('PUT', '/api/v1/equipment-types/order', { token: api.admin.token, body: { codes: ['oven', 'oven'] } });
    // Assertions
    expect(byDispatcher.status).toBe(403);
    expect([badCode.status, badCode.body.field]).toEqual([400, 'code']);
    expect([taken.status, taken.body.field]).toEqual([409, 'code']);
    expect([empty.status, empty.body.field]).toEqual([400, 'name_ru']);
    expect([missing.status, missing.body.field]).toEqual([404, 'code']);
    expect([unknown.status, unknown.body.field]).toEqual([422, 'codes']);
    expect([twice.status, twice.body.field]).toEqual([400, 'codes']);
    expect(await list()).toEqual(before);
  });
});
