import { ForbiddenError, NotFoundError } from '../errors.ts';
import { hasRole, type Principal } from '../users/principal.ts';
import type { OrderView } from './order-view.ts';
import { isStaff, PHONE_VISIBLE_TO_MASTER } from './transitions.ts';

/** An order as a particular caller may see it: masters get the phone only from IN_PROGRESS on. */
export type VisibleOrder = Omit<OrderView, 'client_phone'> & { client_phone: string | null };

export function requireStaff(actor: Principal): void {
  if (!isStaff(actor.roles)) throw new ForbiddenError('only admins and dispatchers may do this');
}

export function requireAdmin(actor: Principal): void {
  if (!hasRole(actor, 'ADMIN')) throw new ForbiddenError('only admins may do this');
}

/** Staff see every order; a master only theirs (others look absent); the role-less nothing. */
export function visibleTo(actor: Principal, order: OrderView | null, id: number): VisibleOrder {
  if (!isStaff(actor.roles) && !hasRole(actor, 'MASTER')) throw new ForbiddenError('you have no role that may read orders');
  if (!order || (!isStaff(actor.roles) && (actor.masterId === null || order.master_id !== actor.masterId))) {
    throw new NotFoundError(`order ${id} not found`, { field: 'id' });
  }
  return present(actor, order);
}

export function present(actor: Principal, order: OrderView): VisibleOrder {
  if (isStaff(actor.roles) || PHONE_VISIBLE_TO_MASTER.includes(order.status)) return order;
  return { ...order, client_phone: null };
}
