import type { UserRole } from '../db/enums.ts';
import { ForbiddenError } from '../errors.ts';

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

export function hasRole(p: Pick<Principal, 'roles'>, ...roles: readonly UserRole[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}

/** Admins and dispatchers: the people who run orders. */
export function isStaff(p: Pick<Principal, 'roles'>): boolean {
  return hasRole(p, 'ADMIN', 'DISPATCHER');
}

export function requireStaff(p: Principal): void {
  if (!isStaff(p)) throw new ForbiddenError('only admins and dispatchers may do this');
}

export function requireAdmin(p: Principal): void {
  if (!hasRole(p, 'ADMIN')) throw new ForbiddenError('only admins may do this');
}
