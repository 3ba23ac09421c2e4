import pg from 'pg';
import { describe, expect, it, vi } from 'vitest';
import { createDatabase } from '../../src/db/pool.ts';
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
