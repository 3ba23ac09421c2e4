import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { makeMaster } from '../support/fixtures.ts';
import { NO_DIFFERENCES, ROLLUP_DIFFERENCES } from '../support/rollup-truth.ts';
import { insertOrdersEvery37Minutes } from '../support/zone-orders.ts';

/**
 * A rezone (migration 0160) and writers of orders at once, at READ
 * COMMITTED: no writer's trigger may add rows dated in the old zone after
 * the rewrite. report_rollups_rezone locks orders against writers first, so
 * a writer that has written waits to commit before the rewrite starts, and
 * one that comes during it waits and then reads the new zone. A start does
 * not wait long for a long writer (an import): it leaves the zone as it is.
 */
const t = useTestDatabase();
const MOVE_CLOSED = `UPDATE orders SET closed_at = closed_at + interval '20 hours', created_at = created_at - interval '9 hours'
                     WHERE status = 'CLOSED' AND id % 3 = $1`;
let writer: pg.Client;
let rezoner: pg.Client;

const differences = async (zone: string) => (await t.db.pool.query(ROLLUP_DIFFERENCES, [zone])).rows;

/** Waits until the connection's statement waits for a lock. */
async function blocked(client: pg.Client, what: string) {
  const pid = (client as unknown as { processID: number }).processID;
  await eventually(
    async () => {
      const r = await t.db.pool.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
      if (r.rows[0]?.wait_event_type !== 'Lock') throw new Error(`not waiting: ${JSON.stringify(r.rows)}`);
    },
    { what },
  );
}

beforeAll(async () => {
  // Setup: a week of orders in the UTC rollups, and two connections of their own
  const masters = await Promise.all([1, 2].map(() => makeMaster(t.db)));
  await insertOrdersEvery37Minutes(t.db, '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', [masters[0]!.masterId, masters[1]!.masterId]);
  writer = new pg.Client(t.url);
  rezoner = new pg.Client(t.url);
  await Promise.all([writer.connect(), rezoner.connect()]);
});

afterAll(async () => {
  await Promise.all([writer?.end(), rezoner?.end()]);
});

describe('a rezone next to writers', () => {
  it('waits for a writer whose trigger used the old zone to commit, then rewrites its changes too', async () => {
    // Action: the writer's trigger adds UTC days, uncommitted, while the rezone starts
    await writer.query('BEGIN');
    await writer.query(MOVE_CLOSED, [0]);
    const rezoning = rezoner.query(`SELECT report_rollups_rezone('Asia/Vladivostok')`);
    await blocked(rezoner, 'the rezone to wait for the writer');
    await writer.query('COMMIT');
    await rezoning;
    // Assertions
    expect(await differences('Asia/Vladivostok')).toEqual(NO_DIFFERENCES);
  });

  it('holds a writer that comes during the rewrite, whose trigger then dates its rows in the new zone', async () => {
    // Action: the rewrite is done but not committed when the writer comes
    await rezoner.query('BEGIN');
    await rezoner.query(`SELECT report_rollups_rezone('America/New_York')`);
    const writing = writer.query(MOVE_CLOSED, [1]);
    await blocked(writer, 'the writer to wait for the rezone');
    await rezoner.query('COMMIT');
    await writing;
    // Assertions
    expect(await differences('America/New_York')).toEqual(NO_DIFFERENCES);
  });

  it('is given up by a migrate with a lock timeout while a writer holds orders, and done by the next one', async () => {
    // Setup: the rollups in New York (above); a long transaction writing orders
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (_: object, msg: string) => void warnings.push(msg) };
    await writer.query('BEGIN');
    await writer.query(MOVE_CLOSED, [2]);
    // Action
    const busy = await migrate(t.url, logger, { rollupZone: 'Europe/Berlin', rollupLockTimeoutMs: 100 });
    const zoneMeanwhile = (await t.db.pool.query('SELECT zone FROM report_rollup_zone')).rows[0].zone;
    await writer.query('COMMIT');
    const after = await migrate(t.url, logger, { rollupZone: 'Europe/Berlin', rollupLockTimeoutMs: 100 });
    // Assertions
    expect(busy.rollups).toBeNull();
    expect(warnings).toEqual([expect.stringContaining('report rollups not rewritten')]);
    expect(zoneMeanwhile).toBe('America/New_York');
    expect(after.rollups).toMatchObject({ from: 'America/New_York', to: 'Europe/Berlin' });
    expect(await differences('Europe/Berlin')).toEqual(NO_DIFFERENCES);
  });
});
