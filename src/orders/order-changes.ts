import { ChangeFeed } from '../db/change-feed.ts';
import type { OrderStatus } from '../db/enums.ts';
import type { Principal } from '../users/principal.ts';
import type { ActionName } from './order-actions.ts';
import type { OrderView } from './order-view.ts';

/** One committed change to an order, for notifications and metrics. */
export interface OrderChange {
  /** 'create', or the action that changed it. */
  action: 'create' | ActionName;
  from: OrderStatus | null;
  to: OrderStatus;
  order: OrderView;
  /** For a reassignment or unassignment: the master who had it before. */
  previousMasterId: number | null;
  actor: Principal;
  note: string | null;
}

/** Committed order changes, for notifications and metrics. */
export class OrderChangeFeed extends ChangeFeed<OrderChange> {}
