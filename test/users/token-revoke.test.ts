import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../src/http/app.ts';
import { listen, type RunningServer } from '../../src/http/server.ts';
import { runCli } from '../support/cli.ts';
import { eventually } from '../support/eventually.ts';
import { makeUser } from '../support/fixtures.ts';
import { tokenFor, useApi } from '../http/support.ts';

/**
 * Revoking an API token without SQL: an admin route and the operator's CLI.
 * It is refused at once by the instance that revoked it (even with a long
 * auth cache), and by the others within their cache TTL.
 */
const OTHER_TTL_MS = 800;
const api = useApi({ authCacheTtlMs: 60_000 });

// A second instance on the same database, as behind a load balancer.
let other: RunningServer;
beforeAll(async () => {
  const app = createHttpApp({
    services: api.services,
    expectedMigrations: [],
    rateLimit: { perMinute: 0, authFailuresPerMinute: 0 },
    authCacheTtlMs: OTHER_TTL_MS,
  });
  other = await listen(app, 0, '127.0.0.1');
});
afterAll(() => other?.close(500));

const readOrders = (base: string, token: string) => fetch(`${base}/api/v1/orders`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

async function tokenIdOf(token: string): Promise<number> {
  const { rows } = await api.t.db.pool.query<{ id: number }>("SELECT id::int AS id FROM api_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))", [token]);
  return rows[0]!.id;
}

describe('DELETE /api/v1/tokens/{id}', () => {
  it('refuses the token at once here, within the TTL on another instance, and audits it', async () => {
    // Setup: the token is cached on both instances
    const user = await makeUser(api.t.db, ['DISPATCHER'], 'Leaving dispatcher');
    const token = await tokenFor(api.t.db, user);
    const otherBase = `http://127.0.0.1:${other.port}`;
    expect(await readOrders(api.base, token)).toBe(200);
    expect(await readOrders(otherBase, token)).toBe(200);
    const id = await tokenIdOf(token);

    // Action
    const revoked = await api.request('DELETE', `/api/v1/tokens/${id}`, { token: api.admin.token });

    // Assertions
    expect(revoked.status).toBe(204);
    expect(await readOrders(api.base, token)).toBe(401);
    // The other instance refuses it once its cached principal is older than its TTL.
    await eventually(async () => expect(await readOrders(otherBase, token)).toBe(401), {
      timeout: OTHER_TTL_MS + 2000,
      what: 'the other instance refuses the revoked token',
    });
    const audit = await api.t.db.pool.query("SELECT actor_id::int AS actor FROM audit_log WHERE action = 'token.revoke' AND entity_id = $1", [id]);
    expect(audit.rows).toEqual([{ actor: api.admin.principal.userId }]);
    expect((await api.request('DELETE', `/api/v1/tokens/${id}`, { token: api.admin.token })).body).toMatchObject({ status: 404, field: 'id' });
  });

  it('is for admins only, and the list never shows a token or its hash', async () => {
    // Setup
    const id = await tokenIdOf(api.master.token);

    // Action
    const byDispatcher = await api.request('DELETE', `/api/v1/tokens/${id}`, { token: api.dispatcher.token });
    const list = await api.request('GET', `/api/v1/tokens?telegram_id=${api.master.principal.telegramId}`, { token: api.admin.token });

    // Assertions
    expect(byDispatcher.status).toBe(403);
    expect(await readOrders(api.base, api.master.token)).toBe(200);
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id, telegram_id: api.master.principal.telegramId, revoked_at: null })]);
    expect(list.text).not.toContain(api.master.token);
    expect(list.text).not.toMatch(/hash/);
  });
});

describe('repair-bot token list | revoke', () => {
  it('lists live tokens and revokes one by id; the service refuses it within the TTL', async () => {
    // Setup
    const user = await makeUser(api.t.db, ['ADMIN'], 'Script account');
    const token = await tokenFor(api.t.db, user);
    const id = await tokenIdOf(token);
    const otherBase = `http://127.0.0.1:${other.port}`;
    expect(await readOrders(otherBase, token)).toBe(200);

    // Action
    const list = await runCli(['token', 'list'], { DATABASE_URL: api.t.url });
    const revoke = await runCli(['token', 'revoke', String(id)], { DATABASE_URL: api.t.url });
    const again = await runCli(['token', 'revoke', String(id)], { DATABASE_URL: api.t.url });

    // Assertions
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n').find((l) => l.startsWith(`${id}\t`))).toContain('Script account');
    expect(revoke).toMatchObject({ code: 0, stdout: `revoked token ${id}\n` });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`no live token ${id}`));
    await eventually(async () => expect(await readOrders(otherBase, token)).toBe(401), {
      timeout: OTHER_TTL_MS + 2000,
      what: 'the CLI revoke reaches the service',
    });
  }, 60_000);
});
