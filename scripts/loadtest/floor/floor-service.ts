// The bare floor the mix scenario compares the service with: express and a
// pg pool over the same database (same tables, same indexes), serving the
// mix's five requests at the service's paths, with no authentication,
// validation, telemetry, request log, audit or history rows. Whatever the
// service costs above this is the price of what it does beyond it.
//   DATABASE_URL=... PORT=... node scripts/loadtest/floor/floor-service.ts
import express, { type NextFunction, type Request, type Response } from 'express';
import pg from 'pg';
import { findOrder, insertOrder, listOrdersByStatus, searchPhoneFragment, type FloorOrder } from './floor.sql.ts';

// int8 ids and numeric amounts as the service sends them: ids as numbers, money as strings.
pg.types.setTypeParser(20, (v) => Number(v));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 20) });
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.use(express.json({ limit: '64kb' }));

type Handler = (req: Request, res: Response) => Promise<void>;
const route = (fn: Handler) => (req: Request, res: Response, next: NextFunction) => void fn(req, res).catch(next);
const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);

app.get('/readyz', (_req, res) => void res.json({ ready: true }));
app.get(
  '/api/v1/orders',
  route(async (req, res) => {
    const items = await listOrdersByStatus(pool, text(req.query.status) ?? 'NEW', Number(req.query.limit ?? 20));
    res.json({ items, next_cursor: null });
  }),
);
app.get(
  '/api/v1/orders/:id',
  route(async (req, res) => {
    const order = await findOrder(pool, Number(req.params.id));
    if (order) res.json(order);
    else res.status(404).json({ status: 404 });
  }),
);
app.post(
  '/api/v1/orders',
  route(async (req, res) => {
    const b = req.body as Record<string, unknown>;
    const order: FloorOrder = {
      equipment_type: text(b.equipment_type) ?? '',
      description: text(b.description) ?? '',
      client_name: text(b.client_name) ?? '',
      client_address: text(b.client_address) ?? '',
      client_phone: (text(b.client_phone) ?? '').replace(/[^\d+]/g, ''),
      notes: text(b.notes),
      scheduled_at: text(b.scheduled_at),
    };
    res.status(201).json(await insertOrder(pool, order));
  }),
);
app.get(
  '/api/v1/search',
  route(async (req, res) => {
    res.json({ items: await searchPhoneFragment(pool, (text(req.query.q) ?? '').replace(/\D/g, ''), 20) });
  }),
);
app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
  process.stderr.write(`${err.message}\n`);
  res.status(500).json({ status: 500, detail: err.message });
});

// Connections opened and statements prepared before listening, as the service does (src/warm-up.ts):
// the comparison is of steady states, not of who warms up faster.
await Promise.all(
  Array.from({ length: 10 }, async () => {
    const client = await pool.connect();
    try {
      await listOrdersByStatus(client, 'NEW', 20);
      await findOrder(client, 0);
      await searchPhoneFragment(client, '9081726354', 20);
    } finally {
      client.release();
    }
  }),
);
const server = app.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  void pool.end();
});
