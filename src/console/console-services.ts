import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { OrdersService } from '../orders/orders-service.ts';
import { BoardService } from './board-service.ts';
import { ConsoleAuth } from './console-auth.ts';

export interface ConsoleServices {
  auth: ConsoleAuth;
  board: BoardService;
}

/** What the console's services read from the configuration; everything has a default, so tests may pass none. */
export type ConsoleConfig = Partial<Pick<Config, 'reports' | 'console' | 'telegram'>>;

const DEFAULTS = { sessionTtlSeconds: 12 * 3600, loginLinkTtlSeconds: 600, initDataMaxAgeSeconds: 3600 };

export function createConsoleServices(db: Database, orders: OrdersService, config: ConsoleConfig): ConsoleServices {
  const c = config.console;
  return {
    auth: new ConsoleAuth(db, {
      publicUrl: c?.publicUrl,
      sessionTtlSeconds: c?.sessionTtlSeconds ?? DEFAULTS.sessionTtlSeconds,
      loginLinkTtlSeconds: c?.loginLinkTtlSeconds ?? DEFAULTS.loginLinkTtlSeconds,
      initDataMaxAgeSeconds: c?.initDataMaxAgeSeconds ?? DEFAULTS.initDataMaxAgeSeconds,
      botToken: config.telegram?.token,
    }),
    board: new BoardService(db, orders, config.reports?.timeZone ?? 'Europe/Moscow'),
  };
}
