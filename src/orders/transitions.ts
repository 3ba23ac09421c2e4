import type { OrderStatus, UserRole } from '../db/enums.ts';

/**
 * The order state machine, exactly as in the product spec. `who`:
 * - staff: an admin or a dispatcher;
 * - master: the assigned master, or an admin acting for them.
 */
export type Actor = 'staff' | 'master';

export interface TransitionRule {
  from: readonly OrderStatus[];
  to: OrderStatus;
  who: Actor;
}

export const TRANSITIONS = {
  assign: { from: ['NEW', 'ASSIGNED'], to: 'ASSIGNED', who: 'staff' },
  unassign: { from: ['ASSIGNED', 'ACCEPTED'], to: 'NEW', who: 'staff' },
  decline: { from: ['ASSIGNED'], to: 'NEW', who: 'master' },
  accept: { from: ['ASSIGNED'], to: 'ACCEPTED', who: 'master' },
  // The spec's "arrive on site / resume": arriving works from a long repair too.
  arrive: { from: ['ACCEPTED', 'LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master' },
  resume: { from: ['LONG_REPAIR'], to: 'IN_PROGRESS', who: 'master' },
  long_repair: { from: ['ACCEPTED', 'IN_PROGRESS'], to: 'LONG_REPAIR', who: 'master' },
  complete: { from: ['IN_PROGRESS', 'LONG_REPAIR'], to: 'COMPLETED', who: 'master' },
  close: { from: ['COMPLETED'], to: 'CLOSED', who: 'staff' },
  refuse: { from: ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR'], to: 'REFUSED', who: 'staff' },
  reopen: { from: ['REFUSED'], to: 'NEW', who: 'staff' },
} as const satisfies Record<string, TransitionRule>;

export type TransitionName = keyof typeof TRANSITIONS;
export const TRANSITION_NAMES = Object.keys(TRANSITIONS) as TransitionName[];

/** Statuses in which the visit can still be moved to another time. */
export const RESCHEDULABLE: readonly OrderStatus[] = ['NEW', 'ASSIGNED', 'ACCEPTED', 'LONG_REPAIR'];
/** Statuses in which descriptive fields may still be edited. */
export const EDITABLE: readonly OrderStatus[] = ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED', 'REFUSED'];
/** Open orders: work not finished yet (gauges, SLA). */
export const OPEN_STATUSES: readonly OrderStatus[] = ['NEW', 'ASSIGNED', 'ACCEPTED', 'IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED'];
/** From these statuses on, a master may see the client's phone. */
export const PHONE_VISIBLE_TO_MASTER: readonly OrderStatus[] = ['IN_PROGRESS', 'LONG_REPAIR', 'COMPLETED', 'CLOSED'];

export function isStaff(roles: readonly UserRole[]): boolean {
  return roles.includes('ADMIN') || roles.includes('DISPATCHER');
}

/** Transitions a user with these roles could ever perform (ignoring order state). */
export function mayAttempt(rule: TransitionRule, roles: readonly UserRole[]): boolean {
  if (roles.includes('ADMIN')) return true;
  return rule.who === 'staff' ? roles.includes('DISPATCHER') : roles.includes('MASTER');
}

/** Transitions allowed from a status, for building buttons. */
export function transitionsFrom(status: OrderStatus): TransitionName[] {
  return TRANSITION_NAMES.filter((n) => (TRANSITIONS[n].from as readonly OrderStatus[]).includes(status));
}
