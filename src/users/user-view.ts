import type { RowOf } from '../db/types.ts';

/** How a user is read everywhere: with roles and, if a master, the master id. */
export const USER_VIEW_SELECT = `
  u.id, u.telegram_id, u.name, u.username, u.language,
  ARRAY(SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role) AS roles,
  (SELECT m.id FROM masters m WHERE m.user_id = u.id AND m.deleted_at IS NULL) AS master_id,
  (SELECT m.is_active FROM masters m WHERE m.user_id = u.id AND m.deleted_at IS NULL) AS master_active,
  u.created_at`;

export const USER_VIEW_COLUMNS = {
  id: 'int8',
  /** Null for API-only accounts. */
  telegram_id: 'int8?',
  /** Display name. */
  name: 'text',
  /** Telegram @username without the @, when known. */
  username: 'text?',
  /** 'ru' or 'en'. */
  language: 'text',
  /** Roles in enum order; empty means UNKNOWN. */
  roles: 'user_role[]',
  master_id: 'int8?',
  /** Whether that master may work (null when not a master): a deactivated master acts on no order. */
  master_active: 'bool?',
  created_at: 'timestamptz',
} as const;

export type UserView = RowOf<typeof USER_VIEW_COLUMNS>;
