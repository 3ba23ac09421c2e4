/**
 * TypeScript mirrors of the database enum types. A test compares each list
 * with pg_enum, so a migration that changes an enum fails CI until this
 * file follows.
 */
export const ORDER_STATUSES = ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED', 'CLOSED', 'REFUSED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const USER_ROLES = ['ADMIN', 'DISPATCHER', 'MASTER', 'SENIOR_MASTER'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** Database enum name -> its values, for the schema test. */
export const DB_ENUMS: Record<string, readonly string[]> = {
  order_status: ORDER_STATUSES,
  user_role: USER_ROLES,
};
