import type { RowOf } from '../db/types.ts';

/** An API token as admins see it: whose, what for, when used; never the token or its hash. */
export const TOKEN_VIEW_COLUMNS = {
  id: 'int8',
  user_id: 'int8',
  /** The owner's display name. */
  user_name: 'text',
  /** Null for API-only accounts. */
  telegram_id: 'int8?',
  label: 'text',
  created_at: 'timestamptz',
  /** Updated at most once a minute. */
  last_used_at: 'timestamptz?',
  revoked_at: 'timestamptz?',
} as const;

export type TokenView = RowOf<typeof TOKEN_VIEW_COLUMNS>;
