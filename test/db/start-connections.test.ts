import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '../../src/app-runtime.ts';
import { useTestDatabase } from '../support/db.ts';
import { eventually } from '../support/eventually.ts';
import { startServiceOn } from '../telemetry/support.ts';

const t = useTestDatabase();
let service: RunningService;

/** The service pool's sessions on the test database: the listener, readiness and start-up sessions have names of their own, and the test asks on its one connection. */
async function poolSessions(): Promise<number> {
  const { rows } = await t.db.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1::text AND application_name = 'repair-bot' AND pid <> pg_backend_pid()`,
    [t.name],
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  ({ service } = await startServiceOn(t.url, { PG_POOL_MIN: '1', PG_POOL_MAX: '4', PG_IDLE_TIMEOUT_MS: '1500', WARM_UP_REQUESTS: '0' }));
});

afterAll(async () => {
  await service?.stop();
});

describe('the pool at start', () => {
  it('is open and warm to its maximum when the service listens, and shrinks toward its minimum when idle', async () => {
    // Action: the service has started (beforeAll); nothing has asked it anything yet
    const atStart = await poolSessions();
    const idle = await eventually(
      async () => {
        const n = await poolSessions();
        // The scheduler's jobs may hold a second connection now and then: fewer than the maximum is the point.
        if (n > 2) throw new Error(`${n} pooled sessions`);
        return n;
      },
      { timeout: 10_000, what: 'the idle pool shrinking toward PG_POOL_MIN' },
    );

    // Assertions
    expect(atStart).toBe(4);
    expect(idle).toBeLessThanOrEqual(2);
  });
});
