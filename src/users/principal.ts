import type { UserRole } from '../db/enums.ts';

/** Who is acting: resolved from an API token or a Telegram user. */
export interface Principal {
  userId: number;
  /** Null for API-only accounts. */
  telegramId: number | null;
  name: string;
  roles: UserRole[];
  /** The masters.id of this user when they are a master, else null. */
  masterId: number | null;
  language: 'ru' | 'en';
}

export function hasRole(p: Principal, ...roles: UserRole[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}
