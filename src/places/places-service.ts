import type { Database } from '../db/database.ts';
import { NotFoundError, ValidationError, ConflictError } from '../errors.ts';
import { canRead } from '../orders/order-access.ts';
import type { OrdersService } from '../orders/orders-service.ts';
import { isStaff, type Principal } from '../users/principal.ts';
import { distanceMetres, type Point } from './map-links.ts';
import { listPlaces, savePlace } from './places.sql.ts';

export interface OrderPlaces {
  pin: (Point & { set_at: string }) | null;
  checkIn: (Point & { set_at: string; live: boolean }) | null;
  /** Metres between the pin and the check-in, when both exist. */
  distance: number | null;
}

function valid(p: Point): Point {
  if (!Number.isFinite(p.latitude) || Math.abs(p.latitude) > 90) throw new ValidationError('must be a latitude from -90 to 90', { field: 'latitude' });
  if (!Number.isFinite(p.longitude) || Math.abs(p.longitude) > 180) throw new ValidationError('must be a longitude from -180 to 180', { field: 'longitude' });
  return p;
}

/**
 * Where the job is. Staff pin the client's address; the assigned master
 * checks in on arrival (only once the order is IN_PROGRESS, so a location
 * sent from home is not taken for an arrival).
 */
export class PlacesService {
  private readonly db: Database;
  private readonly orders: OrdersService;
  constructor(db: Database, orders: OrdersService) {
    this.db = db;
    this.orders = orders;
  }

  async pin(actor: Principal, orderId: number, point: Point): Promise<OrderPlaces> {
    if (!isStaff(actor)) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    await this.orders.get(actor, orderId);
    await savePlace(this.db, { orderId, kind: 'pin', ...valid(point), live: false, actorId: actor.userId });
    return this.of(actor, orderId);
  }

  async checkIn(actor: Principal, orderId: number, point: Point, live: boolean): Promise<OrderPlaces> {
    const order = await this.orders.get(actor, orderId);
    if (actor.masterId === null || order.master_id !== actor.masterId) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    if (order.status !== 'IN_PROGRESS') throw new ConflictError(`a check-in is taken on site: order ${orderId} is ${order.status}`);
    await savePlace(this.db, { orderId, kind: 'check_in', ...valid(point), live, actorId: actor.userId });
    return this.of(actor, orderId);
  }

  /** The master's order on site now (the latest arrival), for a location sent without naming one. */
  async currentJobOf(actor: Principal): Promise<number | null> {
    if (actor.masterId === null) return null;
    const page = await this.orders.list(actor, { statuses: ['IN_PROGRESS'], masterId: actor.masterId, limit: 20 });
    const latest = [...page.items].sort((a, b) => b.status_changed_at.localeCompare(a.status_changed_at))[0];
    return latest?.id ?? null;
  }

  async of(actor: Principal, orderId: number): Promise<OrderPlaces> {
    const order = await this.orders.get(actor, orderId);
    if (!canRead(actor, order)) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    const rows = await listPlaces(this.db, orderId);
    const pin = rows.find((r) => r.kind === 'pin');
    const check = rows.find((r) => r.kind === 'check_in');
    return {
      pin: pin ? { latitude: pin.latitude, longitude: pin.longitude, set_at: pin.set_at } : null,
      checkIn: check ? { latitude: check.latitude, longitude: check.longitude, set_at: check.set_at, live: check.live } : null,
      distance: pin && check ? distanceMetres(pin, check) : null,
    };
  }
}
