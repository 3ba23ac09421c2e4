import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';

/**
 * What each order status means to the rest of the product, one row per
 * status. Every named status set (open, editable, ...) is derived from this
 * table, so a new status is one row here (the compiler asks for it) and
 * every list, SQL literal and rule follows.
 */
interface StatusTraits {
  /** Work not finished yet: the "open" list, gauges. */
  open: boolean;
  /** Descriptive fields may still be edited. */
  editable: boolean;
  /** The visit can still be moved to another time. */
  reschedulable: boolean;
  /** The assigned master sees the client's phone. */
  phoneVisibleToMaster: boolean;
  /** A master is on the job and the client may be waiting: staff may nudge them. */
  nudgeable: boolean;
  /** In a master's own list of current work. */
  masterWork: boolean;
  /** Counts in a master's load (the console's masters' load, /team): assigned and the work not yet done. */
  masterLoad: boolean;
  /** A visit still to come: the master is reminded before it (not once on site, nor before anyone holds the order). */
  visitReminder: boolean;
  /** How long an order may stay here before it breaches its SLA (from entering the status, or from the visit when later); null: no SLA. */
  slaMinutes: number | null;
}

// prettier-ignore
const STATUS_TRAITS = {
  NEW:         { open: true,  editable: true,  reschedulable: true,  phoneVisibleToMaster: false, nudgeable: false, masterWork: false, masterLoad: false, visitReminder: false, slaMinutes: 120 },
  ASSIGNED:    { open: true,  editable: true,  reschedulable: true,  phoneVisibleToMaster: false, nudgeable: true,  masterWork: true,  masterLoad: true,  visitReminder: true,  slaMinutes: 240 },
  ACCEPTED:    { open: true,  editable: true,  reschedulable: true,  phoneVisibleToMaster: false, nudgeable: true,  masterWork: true,  masterLoad: true,  visitReminder: true,  slaMinutes: 480 },
  IN_PROGRESS: { open: true,  editable: true,  reschedulable: false, phoneVisibleToMaster: true,  nudgeable: true,  masterWork: true,  masterLoad: true,  visitReminder: false, slaMinutes: 720 },
  LONG_REPAIR: { open: true,  editable: true,  reschedulable: true,  phoneVisibleToMaster: true,  nudgeable: true,  masterWork: true,  masterLoad: true,  visitReminder: true,  slaMinutes: null },
  COMPLETED:   { open: true,  editable: true,  reschedulable: false, phoneVisibleToMaster: true,  nudgeable: false, masterWork: true,  masterLoad: false, visitReminder: false, slaMinutes: null },
  CLOSED:      { open: false, editable: false, reschedulable: false, phoneVisibleToMaster: true,  nudgeable: false, masterWork: false, masterLoad: false, visitReminder: false, slaMinutes: null },
  REFUSED:     { open: false, editable: true,  reschedulable: false, phoneVisibleToMaster: false, nudgeable: false, masterWork: false, masterLoad: false, visitReminder: false, slaMinutes: null },
} as const satisfies Record<OrderStatus, StatusTraits>;

type Flag = { [K in keyof StatusTraits]: StatusTraits[K] extends boolean ? K : never }[keyof StatusTraits];

/** The statuses a flag holds for, as a type: what a per-status column set (e.g. a master's load) is keyed by. */
export type StatusesWhere<F extends Flag> = { [S in OrderStatus]: (typeof STATUS_TRAITS)[S][F] extends true ? S : never }[OrderStatus];

function where(flag: Flag): readonly OrderStatus[] {
  return ORDER_STATUSES.filter((s) => STATUS_TRAITS[s][flag]);
}

/** Named status sets, in enum order. */
export const STATUS_SETS = {
  all: ORDER_STATUSES,
  open: where('open'),
  editable: where('editable'),
  reschedulable: where('reschedulable'),
  phoneVisibleToMaster: where('phoneVisibleToMaster'),
  nudgeable: where('nudgeable'),
  masterWork: where('masterWork'),
  masterLoad: where('masterLoad'),
  visitReminder: where('visitReminder'),
  withSla: ORDER_STATUSES.filter((s) => STATUS_TRAITS[s].slaMinutes !== null),
} as const satisfies Record<string, readonly OrderStatus[]>;

export type StatusSetName = keyof typeof STATUS_SETS;

/** Minutes an order may stay in this status before it breaches its SLA; null: no SLA. */
export function slaMinutesOf(status: OrderStatus): number | null {
  return STATUS_TRAITS[status].slaMinutes;
}

export function inSet(set: StatusSetName, status: OrderStatus): boolean {
  return STATUS_SETS[set].includes(status);
}

/** SLA limits as parallel arrays (statuses without an SLA get 0 seconds when `all` is given). */
export function slaSeconds(statuses: readonly OrderStatus[] = STATUS_SETS.withSla): { statuses: OrderStatus[]; seconds: number[] } {
  return { statuses: [...statuses], seconds: statuses.map((s) => (STATUS_TRAITS[s].slaMinutes ?? 0) * 60) };
}

// Status names are enum labels ([A-Z_]), so these literals are constant SQL, built at module load.

/** A status set as a SQL array literal: '{NEW,ASSIGNED}'::order_status[] */
export function statusArraySql(statuses: readonly OrderStatus[]): string {
  return `'{${statuses.join(',')}}'::order_status[]`;
}

/** A status set as a SQL IN list: ('NEW', 'ASSIGNED'); a partial index predicate must be repeated in this form. */
export function statusListSql(statuses: readonly OrderStatus[]): string {
  return `(${statuses.map((s) => `'${s}'`).join(', ')})`;
}

/** "NEW, ASSIGNED or ACCEPTED", for documentation. */
export function describeStatuses(statuses: readonly OrderStatus[]): string {
  return statuses.length < 2 ? statuses.join('') : `${statuses.slice(0, -1).join(', ')} or ${statuses.at(-1)}`;
}
