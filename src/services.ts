import { AttachmentsService } from './attachments/attachments-service.ts';
import { ClientsService } from './clients/clients-service.ts';
import type { Config } from './config.ts';
import { createConsoleServices, type ConsoleConfig, type ConsoleServices } from './console/console-services.ts';
import type { Database } from './db/database.ts';
import { migrationsCurrent } from './db/migrate.ts';
import { EquipmentService } from './equipment/equipment-service.ts';
import { MastersService } from './masters/masters-service.ts';
import { OrderChangeFeed } from './orders/order-changes.ts';
import { OrderWorkflow } from './orders/order-workflow.ts';
import { OrdersService } from './orders/orders-service.ts';
import { PlacesService } from './places/places-service.ts';
import { ReportsService } from './reports/reports-service.ts';
import { SettingsService } from './settings/settings-service.ts';
import type { Logger } from './telemetry/logger.ts';
import { UsersService } from './users/users-service.ts';

/**
 * The rules of the product, shared by the HTTP API, the bot, the scheduler
 * and the CLI. The database stays inside: edges that need a transaction
 * around service calls get a UnitOfWork from the composition root.
 */
export interface Services {
  changes: OrderChangeFeed;
  orders: OrdersService;
  workflow: OrderWorkflow;
  /** The client in the loop: links, client views, cancel, ratings. */
  clients: ClientsService;
  /** Photos and documents on orders (Telegram file ids). */
  attachments: AttachmentsService;
  /** The pinned address and the master's check-in. */
  places: PlacesService;
  masters: MastersService;
  users: UsersService;
  reports: ReportsService;
  /** The dispatcher console: sessions and the board. */
  console: ConsoleServices;
  equipment: EquipmentService;
  health: { migrationsCurrent(expected: readonly string[]): Promise<boolean> };
  settings: SettingsService;
}

export function createServices(db: Database, config: Pick<Config, 'commission'> & ConsoleConfig, logger: Pick<Logger, 'error'>): Services {
  const changes = new OrderChangeFeed(
    (err, change) => logger.error({ err, order_id: change.order.id, action: change.action }, 'order change listener failed'),
    (hook) => db.afterCommit(hook),
  );
  const orders = new OrdersService(db, changes);
  const workflow = new OrderWorkflow(db, changes, config.commission);
  return {
    changes,
    orders,
    workflow,
    clients: new ClientsService(db, workflow),
    attachments: new AttachmentsService(db, orders),
    places: new PlacesService(db, orders),
    masters: new MastersService(db),
    users: new UsersService(db),
    reports: new ReportsService(db),
    console: createConsoleServices(db, orders, config),
    equipment: new EquipmentService(db),
    health: { migrationsCurrent: (expected) => migrationsCurrent(db, expected) },
    settings: new SettingsService(db),
  };
}
