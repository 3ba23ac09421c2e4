import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../../src/db/pool.ts';
import { defineQuery } from '../../src/db/query.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();
const adminShutdown = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('the connection error listener', () => {
  it('logs a dropped idle connection, but not the server ending sessions the pool itself is closing', async () => {
    // Setup: a pool with idle connections, and a logger that records
    const logged: unknown[] = [];
    const db = createDatabase(
      t.url,
      { min: 0, max: 3, statementTimeoutMs: 5_000, idleTimeoutMs: 10_000 },
      { error: (...args: unknown[]) => logged.push(args) },
    );
    const clients: pg.Client[] = [];
    db.pool.on('connect', (c) => clients.push(c as pg.Client));
    await Promise.all([1, 2, 3].map(() => db.pool.query('SELECT pg_sleep(0.01)')));
    const pids = clients.map((c) => (c as unknown as { processID: number }).processID);

    // Action: the server ends one idle session for real, then what node-postgres emits after close()
    await t.db.pool.query('SELECT pg_terminate_backend($1)', [pids[0]]);
    await vi.waitFor(() => expect(logged).toHaveLength(1));
    await db.close();
    clients[1]!.emit('error', adminShutdown());
    clients[2]!.emit('error', Object.assign(new Error('connection lost'), { code: 'ECONNRESET' }));

    // Assertions
    expect(JSON.stringify(logged[0])).toContain('57P01');
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged[1])).toContain('ECONNRESET');
  });
});

const showParallelWorkers = defineQuery({
  name: 'test.show_parallel_workers',
  params: {},
  columns: { workers: 'text' },
  text: `SELECT current_setting('max_parallel_workers_per_gather') AS workers`,
});

describe('the session settings', () => {
  // debug_parallel_query puts a Gather over any plan that may run in parallel, unless parallel plans are off.
  const planOf = async (run: (sql: string) => Promise<{ rows: Array<Record<string, string>> }>) => {
    await run('BEGIN');
    await run('SET LOCAL debug_parallel_query = on');
    const { rows } = await run('EXPLAIN SELECT id FROM orders WHERE id > 0');
    await run('ROLLBACK');
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  };

  it('keep statements from starting parallel workers, directly and behind a transaction pooler', async () => {
    // Setup: a plain connection as the reference, the service's pool in both modes
    const plain = new pg.Client({ connectionString: t.url });
    await plain.connect();
    const direct = createDatabase(t.url, { min: 0, max: 1, statementTimeoutMs: 5_000, idleTimeoutMs: 10_000 }, { error: () => {} });
    const pooled = createDatabase(t.url, { min: 0, max: 1, statementTimeoutMs: 5_000, idleTimeoutMs: 10_000, pooler: 'pgbouncer' }, { error: () => {} });
    try {
      // Action
      const reference = await planOf((sql) => plain.query(sql));
      const service = await direct.withClient((_db, raw) => planOf((sql) => raw.query(sql)));
      const behindPooler = await pooled.transaction((tx) => tx.one(showParallelWorkers, {}));

      // Assertions
      expect(reference).toContain('Gather');
      expect(service).not.toContain('Gather');
      expect(behindPooler.workers).toBe('0');
    } finally {
      await plain.end();
      await direct.close();
      await pooled.close();
    }
  });
});
