import type { RowOf } from '../db/types.ts';

/** How a master is read everywhere: the masters row with the person's Telegram id and name. */
export const MASTER_VIEW_SELECT = `
  m.id, m.user_id, u.telegram_id, u.name, m.phone, m.specialization, m.work_chat_id,
  m.is_active, m.is_approved, m.approved_at, m.created_at, m.updated_at,
  EXISTS (SELECT 1 FROM user_roles sr WHERE sr.user_id = m.user_id AND sr.role = 'SENIOR_MASTER') AS senior`;

/** Columns of a master as read everywhere (also the API's response schema). */
export const MASTER_VIEW_COLUMNS = {
  /** masters.id (what orders point at). */
  id: 'int8',
  user_id: 'int8',
  telegram_id: 'int8?',
  name: 'text',
  phone: 'text',
  specialization: 'text',
  /** Telegram group chat where the master's team works, if any. */
  work_chat_id: 'int8?',
  is_active: 'bool',
  is_approved: 'bool',
  approved_at: 'timestamptz?',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  /** Holds the SENIOR_MASTER role: the share never falls below the rule's senior floor. */
  senior: 'bool',
} as const;

export type MasterView = RowOf<typeof MASTER_VIEW_COLUMNS>;
