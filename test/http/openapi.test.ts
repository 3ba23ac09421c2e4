import { validate } from '@readme/openapi-parser';
import { Router, type Express } from 'express';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../src/http/api-routes.ts';
import { createHttpApp } from '../../src/http/app.ts';
import { listen } from '../../src/http/server.ts';
import { useApi } from './support.ts';

const metrics = Router();
metrics.get('/metrics', (_req, res) => {
  res.type('text/plain').send('# none\n');
});
const api = useApi({ routers: [metrics] });

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** METHOD path of every route express actually serves (405 catch-alls excluded). */
function mountedRoutes(app: Express): Set<string> {
  const found = new Set<string>();
  const visit = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') found.add(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle.stack) {
        visit(layer.handle.stack);
      }
    }
  };
  visit((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return found;
}

function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  const found = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item)) found.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return found;
}

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // Action
    const res = await api.request('GET', '/openapi.json');
    const result = await validate(structuredClone(res.body));

    // Assertions
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents exactly the routes express serves, both ways, including plug-in routers and the webhook', async () => {
    // Setup
    const services = api.services;
    const plain = createHttpApp({ services, expectedMigrations: [], routers: [metrics] });
    const withBot = createHttpApp({ services, expectedMigrations: [], routers: [metrics], telegramWebhook: (_req, res) => void res.end() });

    for (const app of [plain, withBot]) {
      // Action
      const server = await listen(app, 0, '127.0.0.1');
      const doc = (await (await fetch(`http://127.0.0.1:${server.port}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
      await server.close();
      const mounted = mountedRoutes(app);
      const documented = documentedRoutes(doc);

      // Assertions
      expect([...mounted].filter((r) => !documented.has(r))).toEqual([]);
      expect([...documented].filter((r) => !mounted.has(r))).toEqual([]);
      expect(mounted.has('GET /metrics')).toBe(true);
      expect(mounted.has('POST /api/v1/telegram/webhook')).toBe(app === withBot);
      expect(mounted.size).toBeGreaterThan(30);
    }
  });

  it('states the roles of every operation as declared by its route, and the problems it may answer', async () => {
    // Setup
    const res = await api.request('GET', '/openapi.json');
    const doc = res.body as {
      paths: Record<string, Record<string, { 'x-roles'?: string[]; responses: Record<string, { content?: Record<string, unknown> }> }>>;
    };

    // Action / Assertions
    for (const route of apiRoutes(api.services)) {
      const op = doc.paths[route.path]?.[route.method];
      expect(op, `${route.method} ${route.path}`).toBeDefined();
      expect(op!['x-roles']).toEqual([...route.roles]);
      for (const status of ['400', '401', '403', '429']) expect(Object.keys(op!.responses[status]!.content!)).toEqual(['application/problem+json']);
    }
    expect(doc.paths['/api/v1/orders/{id}/long-repair']?.post?.['x-roles']).toEqual(['ADMIN', 'MASTER']);
  });
});
