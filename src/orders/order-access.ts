import type { UserRole } from '../db/enums.ts';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { hasRole, isStaff, type Principal } from '../users/principal.ts';
import { ACTIONS, actionsFrom, type ActionName, type Who } from './order-actions.ts';
import { inSet } from './order-statuses.ts';
import type { OrderView } from './order-view.ts';

/**
 * Who may see and do what with an order, in one place. Staff see every
 * order; a master sees only orders assigned to them (others look absent),
 * and the client's phone only from IN_PROGRESS on; anyone else sees none.
 * The services apply these rules and return what the caller may see; the
 * edges (routes, bot) never redact or re-check.
 */

/** An order as a particular reader may see it. */
export type VisibleOrder = Omit<OrderView, 'client_phone'> & { client_phone: string | null };

/** The roles behind each kind of actor (the API's x-roles come from here too). */
export const ROLES_OF: Record<Who, readonly UserRole[]> = {
  staff: ['ADMIN', 'DISPATCHER'],
  master: ['ADMIN', 'MASTER'],
  staff_or_master: ['ADMIN', 'DISPATCHER', 'MASTER'],
  admin: ['ADMIN'],
  // Clients hold no role: the action's statement checks that the actor is a client of the order.
  client: [],
};

/** Whether someone with these roles could ever do an action (ignoring the order's state). */
export function mayAttempt(actor: Pick<Principal, 'roles'>, name: ActionName): boolean {
  return ACTIONS[name].who === 'client' || hasRole(actor, ...ROLES_OF[ACTIONS[name].who]);
}

/**
 * The master an action is limited to: a master acting (not as staff or
 * admin) may act only on orders assigned to them. Null: any order.
 */
export function masterScope(actor: Principal, who: Who): number | null {
  if (who === 'staff' || who === 'admin' || who === 'client' || hasRole(actor, 'ADMIN') || (who === 'staff_or_master' && isStaff(actor))) return null;
  if (actor.masterId === null) throw new ForbiddenError('you are not registered as a master');
  return actor.masterId;
}

/** The master whose orders a reader's lists are limited to (undefined: all), refusing what they may not list. */
export function listScope(actor: Principal, requestedMasterId: number | undefined): number | undefined {
  if (isStaff(actor)) return requestedMasterId;
  if (!hasRole(actor, 'MASTER') || actor.masterId === null) throw new ForbiddenError('you have no role that may list orders');
  if (requestedMasterId !== undefined && requestedMasterId !== actor.masterId) {
    throw new ForbiddenError('masters may list only their own orders', { field: 'master_id' });
  }
  return actor.masterId;
}

/** Whether the reader may see this order at all. */
export function canRead(reader: Principal, order: Pick<OrderView, 'master_id'>): boolean {
  return isStaff(reader) || (hasRole(reader, 'MASTER') && reader.masterId !== null && order.master_id === reader.masterId);
}

/** The order as the reader may see it (phone hidden from a master before IN_PROGRESS). */
export function redact(reader: Principal, order: OrderView): VisibleOrder {
  if (isStaff(reader) || inSet('phoneVisibleToMaster', order.status)) return order;
  return { ...order, client_phone: null };
}

/** A read by id: 403 for the role-less, 404 for what does not exist or is not the reader's. */
export function readable(reader: Principal, order: OrderView | null, id: number): VisibleOrder {
  if (!isStaff(reader) && !hasRole(reader, 'MASTER')) throw new ForbiddenError('you have no role that may read orders');
  if (!order || !canRead(reader, order)) throw new NotFoundError(`order ${id} not found`, { field: 'id' });
  return redact(reader, order);
}

/** The actions this reader could take on the order now (buttons): allowed from its status, and theirs to take. */
export function actionsFor(reader: Principal, order: Pick<OrderView, 'status' | 'master_id'>): ActionName[] {
  const ownMaster = reader.masterId !== null && order.master_id === reader.masterId;
  const staff = isStaff(reader);
  const admin = hasRole(reader, 'ADMIN');
  // An admin may do every master action for the order's master (marked so in the audit).
  const forMaster = ownMaster || (admin && order.master_id !== null);
  const mine: Record<Who, boolean> = { staff, master: forMaster, staff_or_master: staff || ownMaster, admin, client: false };
  return actionsFrom(order.status).filter((n) => mine[ACTIONS[n].who]);
}

/** Whether staff may tell the order's master that the client is waiting. */
export function mayNudge(reader: Principal, order: Pick<OrderView, 'status' | 'master_id'>): boolean {
  return isStaff(reader) && order.master_id !== null && inSet('nudgeable', order.status);
}
