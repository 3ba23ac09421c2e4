import { describe, expect, it } from 'vitest';
import '../../src/masters/master-quality.sql.ts';
import { registeredQueries } from '../../src/db/query.ts';
import { useTestDatabase } from '../support/db.ts';

/**
 * The masters report reads on-time arrivals over its period. Prepared
 * statements switch to a cached generic plan after a few runs: that plan
 * must still scan the arrivals index over the period (an index condition on
 * changed_at), not every check-in ever made with the period as a filter,
 * which took 0.8-1.9 s per report at 1,000,000 orders.
 */
const t = useTestDatabase();

describe('on-time arrivals: the generic plan', () => {
  it('bounds the arrivals index scan by the period', async () => {
    // Setup: the query as the service prepares it; only index scans, so the tiny test tables do not hide the plan
    const query = registeredQueries().find((q) => q.name === 'masters.sum_master_arrivals')!;
    const plan = await t.db.withClient(async (_db, c) => {
      await c.query('SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off; SET enable_bitmapscan = off');
      await c.query(`PREPARE arrivals AS ${query.text}`);
      // Action
      const res = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE arrivals(NULL, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z')`);
      await c.query('DEALLOCATE arrivals; RESET ALL');
      return res.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    // Assertions
    expect(plan).toContain('order_status_history_arrivals_idx');
    expect(plan).toMatch(/Index Cond: \(\(changed_at >= COALESCE\(\$2/);
  });
});
