import type { OrderStatus } from '../db/enums.ts';

/**
 * How long an order may stay in a status before it breaches its SLA,
 * measured from when it entered the status, or from the scheduled visit
 * when that is later. Statuses not listed have no SLA.
 */
export const SLA_LIMIT_MINUTES: Partial<Record<OrderStatus, number>> = {
  NEW: 120,
  ASSIGNED: 240,
  ACCEPTED: 480,
  IN_PROGRESS: 720,
};

export function slaArrays(limits: Partial<Record<OrderStatus, number>> = SLA_LIMIT_MINUTES): { statuses: OrderStatus[]; seconds: number[] } {
  const entries = Object.entries(limits) as Array<[OrderStatus, number]>;
  return { statuses: entries.map(([s]) => s), seconds: entries.map(([, m]) => m * 60) };
}
