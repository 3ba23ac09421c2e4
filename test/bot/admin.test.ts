import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness, workOrder } from './harness.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

describe('an admin in the bot', () => {
  it('adds a master by Telegram id and approves them; the master is told of each, once', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const admin = h.user(boss.telegramId!, 'Boss');
    const newcomerId = telegramId();

    // Action
    const [menu] = await admin.send('/start');
    expect(buttonsOf(menu)).toEqual(expect.arrayContaining(['👷 Мастера', '👥 Пользователи', '📊 Отчёты', '➕ Новый заказ']));
    await admin.press('Мастера');
    await admin.press('Добавить мастера');
    await admin.send('not a number');
    expect(admin.last!.payload.text).toContain('положительное число');
    await admin.send(String(newcomerId));
    expect(admin.last!.payload.text).toContain('Как зовут мастера?');
    await admin.send('Сергей Мастеров');
    await admin.send('+7 (999) 555-44-33');
    await admin.send('Посудомоечные машины');
    expect(admin.last!.payload.text).toContain('Мастер добавлен');
    expect(admin.last!.payload.text).toContain('ждёт одобрения');
    expect(buttonsOf(admin.last)).toEqual(['✅ Одобрить', '⛔ Отключить', '✏️ Имя', '✏️ Телефон', '✏️ Специализация', '👥 Рабочая группа', '« Назад']);
    const approved = await admin.press('Одобрить');

    // Assertions
    expect(approved.find((c) => c.method === 'answerCallbackQuery')!.payload.text).toBe('Мастер одобрен.');
    const card = approved.find((c) => c.method === 'editMessageText')!;
    expect(card.payload.text).toContain('одобрен, активен');
    expect(buttonsOf(card)).toEqual(['⛔ Отключить', '✏️ Имя', '✏️ Телефон', '✏️ Специализация', '👥 Рабочая группа', '« Назад']);
    expect(h.stub.messagesTo(newcomerId).map((c) => c.payload.text)).toEqual([
      'Здравствуйте, Сергей Мастеров! Вы зарегистрированы как мастер и ждёте одобрения администратора.\nКак только вас одобрят, здесь появятся заказы. Язык можно сменить командой /language.',
      '✅ Вы одобрены как мастер: заказы будут приходить сюда.',
    ]);
    const { rows } = await t.db.pool.query(
      `SELECT u.name, m.phone, m.specialization, m.is_approved, m.is_active, m.approved_by, ARRAY(SELECT role::text FROM user_roles r WHERE r.user_id = u.id) AS roles
       FROM masters m JOIN users u ON u.id = m.user_id WHERE u.telegram_id = $1`,
      [newcomerId],
    );
    expect(rows).toEqual([
      {
        name: 'Сергей Мастеров',
        phone: '+79995554433',
        specialization: 'Посудомоечные машины',
        is_approved: true,
        is_active: true,
        approved_by: boss.userId,
        roles: ['MASTER'],
      },
    ]);
  });

  it('adds a master from a shared contact; a skipped name is a placeholder until they write; pending, they see "awaiting approval"', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const admin = h.user(boss.telegramId!, 'Boss');
    const contactId = telegramId();
    const quietId = telegramId();

    // Action: a shared contact answers who, name and phone at once
    await admin.send('/masters');
    await admin.press('Добавить мастера');
    await admin.act(
      'Boss shares a contact',
      admin.messageWith({ contact: { phone_number: '79161112233', first_name: 'Олег', last_name: 'Контактов', user_id: contactId } }),
    );
    expect(admin.last!.payload.text).toContain('Специализация');
    await admin.send('Холодильники');
    // Another, by id, with the name skipped
    await admin.press('Добавить мастера');
    await admin.send(String(quietId));
    await admin.press('Пропустить');
    await admin.send('+7 916 000-11-22');
    await admin.send('Телевизоры');
    const names = async () =>
      (await t.db.pool.query(`SELECT telegram_id, name FROM users WHERE telegram_id = ANY($1::int8[]) ORDER BY name`, [[contactId, quietId]])).rows;
    const before = await names();
    // The quiet one writes for the first time
    const quiet = h.user(quietId, 'Вася');
    const [pending] = await quiet.send('/start');

    // Assertions
    expect(before).toEqual([
      { telegram_id: quietId, name: `id${quietId}` },
      { telegram_id: contactId, name: 'Олег Контактов' },
    ]);
    expect((await names()).find((u) => u.telegram_id === quietId)!.name).toBe('Вася');
    expect(pending!.payload.text).toContain('ждёте одобрения администратора');
    expect(buttonsOf(pending)).toEqual([]);
    const { rows } = await t.db.pool.query(`SELECT m.phone FROM masters m JOIN users u ON u.id = m.user_id WHERE u.telegram_id = $1`, [contactId]);
    expect(rows).toEqual([{ phone: '79161112233' }]);
  });

  it('grants roles; pressing the same role button twice sets the same roles', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const olga = await makeUser(t.db, [], 'Olga');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.send('/users');
    await admin.press('Olga');
    expect(admin.last!.payload.text).toContain('Роли: без роли');
    const { button, messageId } = admin.findButton('диспетчер');
    await admin.act('Boss presses [диспетчер]', admin.callbackUpdate(button.callback_data, messageId));
    await admin.act('Boss presses the same [диспетчер] again', admin.callbackUpdate(button.callback_data, messageId));

    // Assertions
    expect(admin.last!.payload.text).toContain('Роли: диспетчер');
    const { rows } = await t.db.pool.query(`SELECT array_agg(role::text) AS roles FROM user_roles WHERE user_id = $1`, [olga.userId]);
    expect(rows[0].roles).toEqual(['DISPATCHER']);
  });

  it("corrects a master's name, phone and specialization from the card, re-asking a bad phone", async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const master = await makeMaster(t.db, { name: 'Kolya Typo' });
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.send('/masters');
    await admin.press('Kolya Typo');
    await admin.press('✏️ Имя');
    expect(admin.last!.payload.text).toBe('Новое имя мастера? Сейчас: Kolya Typo');
    await admin.send('Николай Петров');
    await admin.press('✏️ Телефон');
    await admin.send('позвоните');
    expect(admin.last!.payload.text).toContain('5–20 цифр');
    await admin.send('+7 916 555-00-11');
    await admin.press('✏️ Специализация');
    await admin.send('Кондиционеры');

    // Assertions
    expect(admin.last!.payload.text).toContain('Сохранено.');
    expect(admin.last!.payload.text).toContain('Мастер Николай Петров');
    const { rows } = await t.db.pool.query(`SELECT u.name, m.phone, m.specialization FROM masters m JOIN users u ON u.id = m.user_id WHERE m.id = $1`, [
      master.masterId,
    ]);
    expect(rows).toEqual([{ name: 'Николай Петров', phone: '+79165550011', specialization: 'Кондиционеры' }]);
    const audit = await t.db.pool.query(`SELECT details FROM audit_log WHERE action = 'master.update' AND entity_id = $1 ORDER BY id`, [master.masterId]);
    expect(audit.rows.map((r) => r.details)).toEqual([{ name: 'Николай Петров' }, { phone: '+79165550011' }, { specialization: 'Кондиционеры' }]);
  });

  it('warns before deactivating a master with open orders and offers their cards', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const busy = await makeMaster(t.db, { name: 'Busy Boris' });
    const { order } = await h.services.orders.create(boss, orderInput());
    await h.services.workflow.act(boss, order.id, 'assign', { master_id: busy.masterId });
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.send('/masters');
    while (!buttonsOf(admin.last).some((b) => b.includes('Busy Boris'))) await admin.press('Далее');
    await admin.press('Busy Boris');
    const [warned] = (await admin.press('Отключить')).filter((c) => c.method === 'sendMessage');

    // Assertions: nothing changed yet; then deactivated on purpose
    expect(warned!.payload.text).toContain('У мастера открытых заказов: 1');
    expect(buttonsOf(warned)).toEqual([`Открыть №${order.id}`, '⛔ Всё равно отключить', '« Назад']);
    expect((await h.services.masters.byId(busy.masterId))!.is_active).toBe(true);
    await admin.press('Всё равно отключить');
    expect((await h.services.masters.byId(busy.masterId))!.is_active).toBe(false);
  });

  it('giving the master role explains what is missing and registers the master from there', async () => {
    // Setup
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const misha = await makeUser(t.db, [], 'Misha Newbie');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.send('/users');
    while (!buttonsOf(admin.last).some((b) => b.startsWith('Misha Newbie'))) await admin.press('Далее');
    await admin.press('Misha Newbie');
    await admin.press('мастер');
    const hint = admin.last!;
    await admin.press('Оформить мастера');
    await admin.send('+7 916 777-88-99');
    await admin.send('Плиты');

    // Assertions
    expect(hint.payload.text).toBe('Misha Newbie теперь с ролью мастера, но заказы на него назначать пока нельзя: нужны телефон и специализация.');
    expect(admin.last!.payload.text).toContain('Мастер добавлен');
    const me = await h.services.users.byTelegramId(misha.telegramId!);
    expect(me!.masterId).not.toBeNull();
    expect((await h.services.masters.byId(me!.masterId!))!).toMatchObject({ name: 'Misha Newbie', phone: '+79167778899', specialization: 'Плиты' });
  });

  it('asks before taking a role away, and never takes the last admin role', async () => {
    // Setup: the only admin
    await t.db.pool.query(`DELETE FROM user_roles WHERE role = 'ADMIN'`);
    const boss = await makeUser(t.db, ['ADMIN', 'DISPATCHER'], 'Solo Boss');
    const admin = h.user(boss.telegramId!, 'Solo Boss');

    // Action: the admin opens their own card and taps their admin role
    await admin.send('/users');
    while (!buttonsOf(admin.last).some((b) => b.startsWith('Solo Boss'))) await admin.press('Далее'); // the newest users are on the last page
    await admin.press('Solo Boss');
    await admin.press('✓ администратор');
    const asked = buttonsOf(admin.last);
    const [refused] = (await admin.press('Да, снять роль')).filter((c) => c.method === 'answerCallbackQuery');

    // Assertions
    expect(asked).toEqual(['Да, снять роль «администратор» (Solo Boss)', '« Нет, назад']);
    expect(refused!.payload.text).toBe('Это последний администратор: сначала назначьте администратором кого-то ещё.');
    expect((await h.services.users.byTelegramId(boss.telegramId!))!.roles).toEqual(expect.arrayContaining(['ADMIN', 'DISPATCHER']));
  });

  it("reads this month's report with per-master figures and gets the XLSX file", async () => {
    // Setup: one order closed now
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(boss, orderInput());
    await workOrder(h, { staff: boss, master: pyotr }, order.id, 'closed');
    const admin = h.user(boss.telegramId!, 'Boss');

    // Action
    await admin.send('/reports');
    const report = (await admin.press('Этот месяц')).find((c) => c.method === 'sendMessage');
    const files = await admin.press('XLSX');

    // Assertions: the text
    expect(report!.payload.text).toMatch(/^Отчёт \d\d\.\d\d\.\d{4} – \d\d\.\d\d\.\d{4}/);
    expect(report!.payload.text).toContain('Закрыто заказов: 1');
    expect(report!.payload.text).toContain('Выручка 10 000,00 ₽, материалы 2 000,00 ₽, чистыми 8 000,00 ₽');
    expect(report!.payload.text).toContain('Pyotr: выполнено 1, закрыто 1, выручка 10 000,00 ₽, доля мастера 4 000,00 ₽');
    // ... and the file
    const doc = files.find((c) => c.method === 'sendDocument')!;
    expect(doc.payload.chat_id).toBe(boss.telegramId);
    expect(doc.files.document!.name).toMatch(/^report-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(doc.files.document!.data as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header).toContain('total_amount');
    expect(row[header.indexOf('order_id')]).toBe(order.id);
    expect(row[header.indexOf('total_amount')]).toBe(10000);
    expect(sheet.rowCount).toBe(2);
  });

  it('asks for dates for a custom period', async () => {
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const admin = h.user(boss.telegramId!, 'Boss');
    await admin.send('/reports');
    await admin.press('Даты');
    await admin.send('31.05.2026 01.05.2026');
    expect(admin.last!.payload.text).toBe('Период наоборот: первый день (31.05.2026) позже последнего (01.05.2026).');
    await admin.send('01.01.2024 - 31.05.2026');
    expect(admin.last!.payload.text).toBe('Период длиннее года: выберите не больше 366 дней.');
    await admin.send('с 1 по 31 мая 2026');
    expect(admin.last!.payload.text).toMatch(/^Отчёт 01\.05\.2026 – 31\.05\.2026\nСоздано заказов: 0/);
  });
});

describe('a master in the bot', () => {
  it('sees their own figures', async () => {
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(boss, orderInput());
    await workOrder(h, { staff: boss, master: pyotr }, order.id, 'completed', {
      total_amount: '5000',
      materials_cost: '0',
      has_review: true,
      out_of_city: true,
    });

    const [stats] = await h.user(pyotr.telegramId!, 'Pyotr').send('/stats');

    expect(stats!.payload.text).toContain('Сегодня: Pyotr: выполнено 1, закрыто 0');
  });

  it('sees the refusal fees they took beside their orders', async () => {
    // Setup: a client refuses on site and pays 1 000 for the visit (40% to the master by the refusal-fee rule)
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const semyon = await makeMaster(t.db, { name: 'Semyon' });
    const { order } = await h.services.orders.create(boss, orderInput());
    await workOrder(h, { staff: boss, master: semyon }, order.id, 'in_progress');
    await h.services.workflow.act(semyon, order.id, 'client_refused', { reason: 'Дорого', fee: '1000.00' });

    // Action
    const [stats] = await h.user(semyon.telegramId!, 'Semyon').send('/stats');

    // Assertions
    expect(stats!.payload.text).toContain(
      'Сегодня: Semyon: выполнено 0, закрыто 0, выручка 0,00 ₽, доля мастера 0,00 ₽, отказов с оплатой 1 (доля мастера 400,00 ₽)',
    );
  });
});
