import { order, type LegacyData } from './legacy-fixture.ts';

/**
 * A file of the latest legacy bot (v2.10): soft deletes, versions,
 * refuse_reason, master_lead_name, SENIOR_MASTER, lowercase roles, the bot's
 * own date formats, the later equipment labels, a refusal with a fee and a
 * closed order with money but no master.
 */
export const LATEST: LegacyData = {
  users: [
    { id: 1, telegram_id: 3001, first_name: 'Ольга', role: 'ADMIN,DISPATCHER', created_at: '2025-01-10 09:00:00', version: 2 },
    // Deleted admin: must not administer the new system.
    { id: 2, telegram_id: 3002, first_name: 'Бывший', role: 'ADMIN', created_at: '2025-01-10 09:00:00', deleted_at: '2025-06-01 10:00:00', version: 3 },
    { id: 3, telegram_id: 3003, first_name: 'Старший', role: 'SENIOR_MASTER', created_at: '2025-01-11 09:00:00' },
    { id: 4, telegram_id: 3004, first_name: 'Мастер', role: 'master', created_at: '2025-01-12 09:00:00' },
    { id: 5, telegram_id: 3005, first_name: 'Ушедший', role: 'MASTER', created_at: '2025-01-12 09:00:00', deleted_at: '2025-07-01T12:00:00' },
  ],
  masters: [
    {
      id: 1,
      telegram_id: 3003,
      phone: '+79160000001',
      specialization: 'Электрика',
      is_active: 1,
      is_approved: 1,
      created_at: '2025-01-11 09:00:00',
      version: 4,
    },
    { id: 2, telegram_id: 3004, phone: '+79160000002', specialization: 'Сантехника', is_active: 1, is_approved: 1, created_at: '2025-01-12 09:00:00' },
    {
      id: 3,
      telegram_id: 3005,
      phone: '+79160000003',
      specialization: 'Холодильники',
      is_active: 0,
      is_approved: 1,
      created_at: '2025-01-12 09:00:00',
      deleted_at: '2025-07-01 09:00:00',
    },
  ],
  orders: [
    order(1, { equipment_type: 'ДШ/ВП', status: 'NEW', dispatcher_id: 3001, master_lead_name: 'Иван (лид)', version: 3, created_at: '2025-08-01 09:00:00' }),
    order(2, {
      equipment_type: 'Сушильные машины',
      status: 'DR',
      assigned_master_id: 2,
      estimated_completion_date: '25.08.2025 14:00 (Через 3 дня)',
      prepayment_amount: 1500.0,
    }),
    order(3, { equipment_type: 'Холодильники', status: 'DR', assigned_master_id: 1, estimated_completion_date: '26.08.2025 10:30' }),
    order(4, { status: 'REFUSED', assigned_master_id: 2, refuse_reason: 'Клиент отказался от ремонта', total_amount: 500.0 }),
    order(5, { status: 'CLOSED', assigned_master_id: null, total_amount: 3000.0, materials_cost: 500.0, master_profit: 1000.0, company_profit: 1500.0 }),
    order(6, { status: 'NEW', deleted_at: '2025-08-02 10:00:00' }),
    order(7, { status: 'CLOSED', assigned_master_id: 1, total_amount: 8000.0, materials_cost: 0.0, master_profit: 4000.0, company_profit: 4000.0 }),
    order(8, { status: 'NEW', scheduled_time: '27.08.2025 14:00 (завтра в 14)' }),
  ],
  order_status_history: [
    { id: 1, order_id: 4, old_status: 'ONSITE', new_status: 'REFUSED', changed_by: 3004, changed_at: '2025-08-03 10:00:00', notes: 'отказ' },
    { id: 2, order_id: 7, old_status: 'ONSITE', new_status: 'CLOSED', changed_by: 3003, changed_at: '2025-08-04 10:00:00' },
  ],
  audit_log: [
    { id: 1, user_id: 3001, action: 'Created order #1', details: 'Created order #1', timestamp: '2025-08-01 09:00:00' },
    { id: 2, user_id: 3001, action: 'delete_order', details: '{"order_id": 6}', timestamp: '2025-08-02 10:00:00', deleted_at: '2025-08-05 10:00:00' },
  ],
};
