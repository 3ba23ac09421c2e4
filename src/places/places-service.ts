import type { Database } from '../db/database.ts';
import { NotFoundError, ValidationError, ConflictError } from '../errors.ts';
import { canRead } from '../orders/order-access.ts';
import type { OrderView } from '../orders/order-view.ts';
import type { OrdersService } from '../orders/orders-service.ts';
import { isStaff, type Principal } from '../users/principal.ts';
import { distanceMetres, type Point } from './map-links.ts';
import { followLive, listPlaces, savePlace } from './places.sql.ts';

export interface OrderPlaces {
  pin: (Point & { set_at: string }) | null;
  /** set_at: when the master was last seen there (a live location moves it); live_until: while the sharing lasts. */
  checkIn: (Point & { set_at: string; live: boolean; live_until: string | null }) | null;
  /** Metres between the pin and the check-in, when both exist. */
  distance: number | null;
}

const NOT_LIVE = { liveChatId: null, liveMessageId: null, liveUntil: null };

function valid(p: Point): Point {
  if (!Number.isFinite(p.latitude) || Math.abs(p.latitude) > 90) throw new ValidationError('must be a latitude from -90 to 90', { field: 'latitude' });
  if (!Number.isFinite(p.longitude) || Math.abs(p.longitude) > 180) throw new ValidationError('must be a longitude from -180 to 180', { field: 'longitude' });
  return p;
}

/** A live location's message, to follow its edits until it ends (Telegram's date plus live_period). */
export interface LiveShare {
  chatId: number;
  messageId: number;
  until: string;
}

/**
 * Where the job is. Staff pin the client's address; the assigned master
 * checks in on arrival (only once the order is IN_PROGRESS, so a location
 * sent from home is not taken for an arrival). A check-in shared live
 * follows the master while the sharing lasts and the order is on site.
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
    await savePlace(this.db, { orderId, kind: 'pin', ...valid(point), live: false, actorId: actor.userId, ...NOT_LIVE });
    return this.of(actor, orderId);
  }

  async checkIn(actor: Principal, orderId: number, point: Point, live: LiveShare | null): Promise<OrderPlaces> {
    const order = await this.orders.get(actor, orderId);
    if (actor.masterId === null || order.master_id !== actor.masterId) throw new NotFoundError(`order ${orderId} not found`, { field: 'id' });
    if (order.status !== 'IN_PROGRESS') throw new ConflictError(`a check-in is taken on site: order ${orderId} is ${order.status}`);
    const share = live ? { liveChatId: live.chatId, liveMessageId: live.messageId, liveUntil: live.until } : NOT_LIVE;
    await savePlace(this.db, { orderId, kind: 'check_in', ...valid(point), live: live !== null, actorId: actor.userId, ...share });
    return this.of(actor, orderId);
  }

  /**
   * A live location moved (point) or stopped (null): the check-in that shares
   * it follows. The statement itself checks it is this master's sharing, still
   * live, on an order still on site; anything else is ignored (null).
   */
  async followLive(
    actor: Principal,
    message: { chatId: number; messageId: number },
    point: Point | null,
  ): Promise<{ orderId: number; stopped: boolean } | null> {
    const at = point ? valid(point) : { latitude: null, longitude: null };
    const row = await followLive(this.db, { ...message, ...at, actorId: actor.userId });
    return row && { orderId: row.order_id, stopped: row.stopped };
  }

  /** The master's order on site now (the latest arrival), for a location sent without naming one. */
  async currentJobOf(actor: Principal): Promise<number | null> {
    if (actor.masterId === null) return null;
    const page = await this.orders.list(actor, { statuses: ['IN_PROGRESS'], masterId: actor.masterId, limit: 20 });
    const latest = [...page.items].sort((a, b) => b.status_changed_at.localeCompare(a.status_changed_at))[0];
    return latest?.id ?? null;
  }

  async of(actor: Principal, orderId: number): Promise<OrderPlaces> {
    return this.ofShown(actor, await this.orders.get(actor, orderId));
  }

  /** The places of an order the reader was just shown (the order read decided; no second read). */
  async ofShown(actor: Principal, order: Pick<OrderView, 'id' | 'master_id'>): Promise<OrderPlaces> {
    if (!canRead(actor, order)) throw new NotFoundError(`order ${order.id} not found`, { field: 'id' });
    const rows = await listPlaces(this.db, order.id);
    const pin = rows.find((r) => r.kind === 'pin');
    const check = rows.find((r) => r.kind === 'check_in');
    return {
      pin: pin ? { latitude: pin.latitude, longitude: pin.longitude, set_at: pin.set_at } : null,
      checkIn: check ? { latitude: check.latitude, longitude: check.longitude, set_at: check.set_at, live: check.live, live_until: check.live_until } : null,
      distance: pin && check ? distanceMetres(pin, check) : null,
    };
  }
}
