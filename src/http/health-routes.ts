import { Router } from 'express';
import type { Services } from '../services.ts';

/**
 * /healthz: the process is up (no dependencies checked, so a slow database
 * never gets a healthy process restarted). /readyz: the database answers
 * and every shipped migration is applied; else 503 so traffic goes elsewhere.
 */
export function healthRoutes(health: Services['health'], expectedMigrations: readonly string[]): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      const current = await health.migrationsCurrent(expectedMigrations);
      if (!current) {
        res.status(503).json({ status: 'unavailable', reason: 'database migrations are not current' });
        return;
      }
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  return router;
}
