import { describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/pool.ts';
import { useTestDatabase } from '../support/db.ts';

const t = useTestDatabase();
const adminShutdown = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('the pool error handler', () => {
  it('logs a dropped idle connection, but not the server ending sessions the pool itself is closing', async () => {
    // Setup: a pool with idle connections, and a logger that records
    const logged: unknown[] = [];
    const db = createDatabase(t.url, { min: 0, max: 3, statementTimeoutMs: 5_000, idleTimeoutMs: 10_000 }, { error: (...args: unknown[]) => logged.push(args) });
    await Promise.all([1, 2, 3].map(() => db.pool.query('SELECT pg_sleep(0.01)')));

    // Action: what node-postgres emits when the server ends a session, while open and after close()
    db.pool.emit('error', adminShutdown());
    const whileOpen = logged.length;
    await db.close();
    db.pool.emit('error', adminShutdown());
    db.pool.emit('error', Object.assign(new Error('connection lost'), { code: 'ECONNRESET' }));

    // Assertions
    expect(whileOpen).toBe(1);
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged[1])).toContain('ECONNRESET');
  });
});
