import type { Queryable } from '../db/database.ts';
import type { OrderStatus } from '../db/enums.ts';
import type { OrderChangeFeed } from '../orders/order-changes.ts';
import { ACTIONS, STATUS_MOVES } from '../orders/order-actions.ts';
import { slaSeconds, STATUS_SETS } from '../orders/order-statuses.ts';
import { countOpenOrders } from './business-gauges.sql.ts';
import { unmeasured } from './unmeasured.ts';
import type { Metrics } from './metrics.ts';

/**
 * repair_orders_created_total and repair_order_transitions_total{from,to},
 * counted from committed changes. Every allowed (from, to) pair starts at 0
 * so rate() and alerts work from the first scrape. Returns the unsubscribe.
 */
export function countOrderChanges(changes: OrderChangeFeed, metrics: Metrics): () => void {
  for (const name of STATUS_MOVES) {
    const { from, to } = ACTIONS[name];
    for (const f of from) if (to) metrics.orderTransitions.inc({ from: f, to }, 0);
  }
  return changes.subscribe((change) => {
    if (change.action === 'create') metrics.ordersCreated.inc();
    else if (change.from !== null && ACTIONS[change.action].to !== null) metrics.orderTransitions.inc({ from: change.from, to: change.to });
  });
}

export interface GaugeTimer {
  /** Resolves after one refresh; used at start and by tests. */
  refresh(): Promise<void>;
  /** Stops the timer and waits for a refresh in flight. */
  stop(): Promise<void>;
}

/**
 * repair_orders_open{status} and repair_orders_sla_breached{status} from one
 * indexed query every `intervalMs`, never per scrape: a scrape stays cheap
 * whatever the table size. A failed refresh keeps the last values and is
 * reported through `onError`.
 */
export function startBusinessGauges(
  db: Queryable,
  metrics: Metrics,
  opts: { intervalMs: number; onError(err: unknown): void; wrap?: (name: string, run: () => Promise<void>) => Promise<void> },
): GaugeTimer {
  const { statuses, seconds } = slaSeconds(STATUS_SETS.open);
  const hasSla = new Set<OrderStatus>(statuses.filter((_, i) => seconds[i]! > 0));
  const wrap = opts.wrap ?? ((_name, run) => run());
  const refresh = () =>
    wrap('business_gauges', async () => {
      for (const row of await countOpenOrders(db, statuses, seconds)) {
        metrics.ordersOpen.set({ status: row.status }, row.open);
        if (hasSla.has(row.status)) metrics.ordersSlaBreached.set({ status: row.status }, row.breached);
      }
    });
  let running: Promise<void> | null = null;
  const tick = (atStart = false) => {
    if (running) return;
    // The run at start plans the query on a cold session: warm-up, not a slow query (unmeasured.ts).
    running = (atStart ? unmeasured(refresh) : refresh()).catch(opts.onError).finally(() => {
      running = null;
    });
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  tick(true);
  return {
    refresh: async () => {
      await running;
      await refresh();
    },
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
