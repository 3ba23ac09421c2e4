import { Router } from 'express';
import type { Readiness } from '../db/readiness.ts';
import type { Services } from '../services.ts';

export type ReadinessCheck = () => Promise<Readiness>;

/** The plain check (tests, tools): migrations read through the shared pool. */
export function migrationsOnly(health: Services['health'], expectedMigrations: readonly string[]): ReadinessCheck {
  return async () => {
    try {
      return (await health.migrationsCurrent(expectedMigrations)) ? { ready: true } : { ready: false, reason: 'database migrations are not current' };
    } catch {
      return { ready: false, reason: 'database unreachable' };
    }
  };
}

/**
 * /healthz: the process is up (no dependencies checked, so a slow database
 * never gets a healthy process restarted). /readyz: the database answers,
 * every shipped migration is applied and a connection is free here; else
 * 503 with the reason, so traffic goes elsewhere.
 */
export function healthRoutes(readiness: ReadinessCheck): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const state = await readiness();
    if (state.ready) res.json({ status: 'ready' });
    else res.status(503).set('Retry-After', '1').json({ status: 'unavailable', reason: state.reason });
  });
  return router;
}
