import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';
import { asText } from './clean-text.ts';

/** The legacy bot's statuses; the rest map by name (ours too, should a file already use them). */
const LEGACY_STATUS: Record<string, OrderStatus> = {
  ONSITE: 'IN_PROGRESS',
  DR: 'LONG_REPAIR',
  ...Object.fromEntries(ORDER_STATUSES.map((s) => [s, s])),
};

/** The status a legacy value stands for: null when empty, undefined when unknown. */
export function mapLegacyStatus(raw: unknown): OrderStatus | null | undefined {
  const text = asText(raw)?.trim().toUpperCase();
  if (!text) return null;
  return LEGACY_STATUS[text];
}

/** Statuses whose orders carry money, a completion time and a master. */
export const COMPLETED_STATUSES: readonly OrderStatus[] = ['COMPLETED', 'CLOSED'];
