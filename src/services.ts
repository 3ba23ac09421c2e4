import { AttachmentsService } from './attachments/attachments-service.ts';
import { ClientsService } from './clients/clients-service.ts';
import { createConsoleServices, type ConsoleConfig, type ConsoleServices } from './console/console-services.ts';
import type { Database, Queryable } from './db/database.ts';
import { migrationsCurrent } from './db/migrate.ts';
import { EquipmentService } from './equipment/equipment-service.ts';
import { MastersService } from './masters/masters-service.ts';
import { CommissionService } from './money/commission-service.ts';
import { LedgerService } from './money/ledger-service.ts';
import { OrderChangeFeed } from './orders/order-changes.ts';
import { OrderWorkflow } from './orders/order-workflow.ts';
import { OrdersService } from './orders/orders-service.ts';
import { PlacesService } from './places/places-service.ts';
import { ReportsService } from './reports/reports-service.ts';
import { WorkbooksService } from './reports/workbooks-service.ts';
import { SettingsService } from './settings/settings-service.ts';
import type { Logger } from './telemetry/logger.ts';
import { PeopleChangeFeed } from './users/people-changes.ts';
import { UsersService } from './users/users-service.ts';

/**
 * The rules of the product, shared by the HTTP API, the bot, the scheduler
 * and the CLI. The database stays inside: edges that need a transaction
 * around service calls get a UnitOfWork from the composition root.
 */
export interface Services {
  changes: OrderChangeFeed;
  /** Roles given or taken, masters registered, approved, switched on or off: the person is told. */
  people: PeopleChangeFeed;
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
  /** Settlement, active orders, masters' statistics and a master's own workbooks. */
  workbooks: WorkbooksService;
  /** The dispatcher console: sessions and the board. */
  console: ConsoleServices;
  equipment: EquipmentService;
  /** Commission rules as versioned data. */
  commission: CommissionService;
  /** What masters owe the company and their hand-overs. */
  ledger: LedgerService;
  health: { migrationsCurrent(expected: readonly string[]): Promise<boolean> };
  settings: SettingsService;
  /** The business's time zone (REPORT_TIMEZONE): where a date-only period bound begins. */
  timeZone: string;
}

/** `reportReads`: where report and export reads go (a streaming replica's router); default the primary. */
export function createServices(db: Database, config: ConsoleConfig, logger: Pick<Logger, 'error'>, reportReads: Queryable = db): Services {
  const changes = new OrderChangeFeed(
    (err, change) => logger.error({ err, order_id: change.order.id, action: change.action }, 'order change listener failed'),
    (hook) => db.afterCommit(hook),
  );
  const people = new PeopleChangeFeed(
    (err, change) => logger.error({ err, kind: change.kind }, 'people change listener failed'),
    (hook) => db.afterCommit(hook),
  );
  const orders = new OrdersService(db, changes);
  const timeZone = config.reports?.timeZone ?? 'Europe/Moscow';
  const settings = new SettingsService(db);
  const equipment = new EquipmentService(db);
  const workflow = new OrderWorkflow(db, changes);
  return {
    changes,
    people,
    orders,
    workflow,
    clients: new ClientsService(db, workflow),
    attachments: new AttachmentsService(db, orders),
    places: new PlacesService(db, orders),
    masters: new MastersService(db, people),
    users: new UsersService(db, people),
    reports: new ReportsService(reportReads, settings),
    workbooks: new WorkbooksService(reportReads, settings, equipment, timeZone),
    console: createConsoleServices(db, orders, config),
    equipment,
    commission: new CommissionService(db),
    ledger: new LedgerService(db),
    health: { migrationsCurrent: (expected) => migrationsCurrent(db, expected) },
    settings,
    timeZone,
  };
}
