import { order, type LegacyData } from './legacy-fixture.ts';

/**
 * A legacy file with every quirk legacy-schema.md lists, one or two rows
 * each. Ids have gaps (users 3-4, masters 2, orders 16, history 109) and
 * master 2 and order 16 were hard-deleted while rows still point at them.
 */
export const QUIRKS: LegacyData = {
  users: [
    { id: 1, telegram_id: 1001, username: '@disp_anna', first_name: 'Анна', last_name: 'Диспетчерова', role: 'DISPATCHER', created_at: '2023-01-10 09:00:00' },
    { id: 2, telegram_id: 1002, username: null, first_name: 'Админ', last_name: null, role: 'ADMIN,DISPATCHER', created_at: '2023-01-10T12:00:00.123456+03:00' },
    { id: 5, telegram_id: 1003, username: 'ivan_master', first_name: 'Иван 🔧', last_name: 'Мастеров', role: 'MASTER', created_at: '2023-02-01T10:30:00.5' },
    { id: 6, telegram_id: 1004, first_name: '\u0007Bell\u0000y', last_name: '"O\'Brien"', role: 'UNKNOWN', created_at: null },
    { id: 7, telegram_id: -5, first_name: 'A group chat', role: 'UNKNOWN' },
    { id: 8, telegram_id: 1006, username: 'ghost', role: 'MASTER,SUPERUSER', created_at: '2023-03-01 10:00:00' },
    { id: 9, telegram_id: 1007, first_name: 'Legacy name', role: 'ADMIN', created_at: '2023-03-02 10:00:00' },
  ],
  masters: [
    { id: 1, telegram_id: 1003, phone: '+7 (916) 123-45-67', specialization: 'Стиральные машины', is_active: 1, is_approved: 1, work_chat_id: -1001234567890, created_at: '2023-02-01 08:00:00' },
    { id: 3, telegram_id: 1006, phone: '8 916 000 11 22, 8 925 111 22 33', specialization: '  ', is_active: 0, is_approved: 0, created_at: '2023-03-01T12:00:00' },
    { id: 4, telegram_id: 2000, phone: 'нет', specialization: 'Электрика', created_at: '2023-04-01 10:00:00' },
  ],
  orders: [
    order(10, {
      description: 'Не сливает воду 💧 "срочно" — «ёлка»',
      client_name: "Пётр O'Neil",
      client_phone: '8 (916) 123-45-67',
      dispatcher_id: 1001,
      scheduled_time: '15.03.2024 14:30',
      created_at: '2024-03-01 09:00:00',
      updated_at: '2024-03-01T12:00:00.654321',
    }),
    order(11, {
      equipment_type: 'Духовой шкаф', status: 'CLOSED', assigned_master_id: 1, dispatcher_id: 1002,
      total_amount: 1234.5600000000002, materials_cost: 234.56, master_profit: 400.0, company_profit: 600.0,
      has_review: 1, out_of_city: 0, created_at: '2024-03-02T10:00:00+03:00', updated_at: '2024-03-05 15:00:00',
    }),
    order(12, { status: 'CLOSED', assigned_master_id: 1, total_amount: 1000.0, materials_cost: 0.1, master_profit: 399.96, company_profit: 599.95 }),
    order(13, { equipment_type: 'Кофе машина', status: 'ONSITE', assigned_master_id: 1, scheduled_time: 'завтра 14:00' }),
    order(14, { status: 'DR', assigned_master_id: 1, estimated_completion_date: '20.04.2024', prepayment_amount: 500.0 }),
    order(15, { status: 'DR', assigned_master_id: 1, estimated_completion_date: 'через неделю' }),
    order(17, { status: 'ASSIGNED', assigned_master_id: 2 }),
    order(18, { status: 'CLOSED', assigned_master_id: 2, total_amount: 5000, materials_cost: 1000, out_of_city: null, has_review: 0 }),
    order(19, { status: 'CLOSED', assigned_master_id: 1 }),
    order(20, { status: 'CLOSED', assigned_master_id: null, total_amount: 700 }),
    order(21, { status: 'REFUSED' }),
    order(22, { status: 'REFUSED' }),
    order(23, { equipment_type: 'Холодильники', status: 'ACCEPTED', assigned_master_id: 3, dispatcher_id: 999999, client_phone: 'нет телефона', notes: 'Позвонить заранее' }),
    order(24, { description: '\u0001Текст\r\nвторая строка\u001b', client_name: '', notes: 'tab\there', status: 'weird' }),
    order(25, { status: 'NEW', assigned_master_id: 1 }),
    order(26, {
      status: 'closed', assigned_master_id: 1, total_amount: 100.005, materials_cost: 0, master_profit: 40.0, company_profit: 60.0,
      created_at: '2024-03-20T09:15:00.999999', updated_at: '2024-03-20T09:15:00.999999',
    }),
    order(27, { status: 'NEW', total_amount: 500 }),
    order(28, {
      equipment_type: ' стиральные  машины ', client_phone: '+7 916 1234567 (жена)', scheduled_time: '2024-03-25 10:00',
      rescheduled_count: 2, last_rescheduled_at: '2024-03-21T10:00:00+03:00', reschedule_reason: 'Клиент просил',
    }),
  ],
  order_status_history: [
    { id: 100, order_id: 11, old_status: null, new_status: 'NEW', changed_by: 1002, changed_at: '2024-03-02T10:00:00+03:00' },
    { id: 101, order_id: 11, old_status: 'NEW', new_status: 'ASSIGNED', changed_by: 1002, changed_at: '2024-03-02T10:05:00.000001+03:00' },
    { id: 102, order_id: 11, old_status: 'ASSIGNED', new_status: 'ACCEPTED', changed_by: 1003, changed_at: '2024-03-02T11:00:00' },
    { id: 103, order_id: 11, old_status: 'ACCEPTED', new_status: 'ONSITE', changed_by: 1003, changed_at: '2024-03-05 12:00:00' },
    { id: 104, order_id: 11, old_status: 'ONSITE', new_status: 'CLOSED', changed_by: 1003, changed_at: '2024-03-05T18:00:00+03:00', notes: 'Оплачено ✅' },
    { id: 105, order_id: 16, old_status: 'NEW', new_status: 'ASSIGNED', changed_by: 1002, changed_at: '2024-03-06 08:00:00' },
    { id: 106, order_id: 13, old_status: 'ACCEPTED', new_status: 'ONSITE', changed_by: 424242, changed_at: '2024-03-06 08:00:00' },
    { id: 107, order_id: 13, old_status: 'ONSITE', new_status: 'FOO', changed_by: 1003, changed_at: '2024-03-06 09:00:00' },
    { id: 108, order_id: 14, old_status: 'ONSITE', new_status: 'DR', changed_by: 1003, changed_at: 'вчера' },
    { id: 110, order_id: 21, old_status: 'NEW', new_status: 'REFUSED', changed_by: 1001, changed_at: '2024-03-10 12:00:00', notes: 'Клиент передумал' },
  ],
  audit_log: [
    { id: 200, user_id: 1001, action: 'create_order', details: '{"order_id": 10, "note": "ok \\u0000 done"}', timestamp: '2024-03-01 09:00:01' },
    { id: 201, user_id: 555, action: 'Order Closed', details: 'plain text ✅', timestamp: '2024-03-05T18:00:01.000001' },
    { id: 202, user_id: null, action: 'Вход', details: '{"order_id": 16}', timestamp: '2024-03-05T18:00:02+03:00' },
    { id: 203, user_id: 1002, action: 'export', details: 'not json {', timestamp: null },
  ],
  financial_reports: [{ id: 1, report_type: 'DAILY', period_start: '2024-03-05 00:00:00', total_orders: 1, total_amount: 1234.56 }],
  order_reports: [{ id: 1, order_id: 11, status: 'CLOSED', total_amount: 1234.56, completion_time_hours: 80.0 }],
};
