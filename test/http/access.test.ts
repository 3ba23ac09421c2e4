import { beforeAll, describe, expect, it } from 'vitest';
import { ORDER_STATUSES } from '../../src/db/enums.ts';
import { apiRoutes } from '../../src/http/api-routes.ts';
import type { AnyRoute } from '../../src/http/route-kit.ts';
import { problemSchema } from '../../src/http/schemas.ts';
import { ACTION_NAMES, ACTIONS } from '../../src/orders/order-actions.ts';
import { revokeToken } from '../../src/users/tokens.sql.ts';
import { issueToken } from '../../src/users/tokens.ts';
import { makeMaster } from '../support/fixtures.ts';
import { createOrder, orderIn, transitionBody, useApi, type Caller } from './support.ts';
import { auditOf } from '../support/reads.ts';

// TTL 0: every request authenticates against the database, so revocation is immediate here.
const api = useApi({ authCacheTtlMs: 0 });

const isEventStream = (r: AnyRoute) => Object.values(r.responses).some((doc) => doc.contentTypes?.includes('text/event-stream'));

/** A concrete URL for a route, with ids that exist nowhere (so allowed calls change nothing). */
function urlOf(route: AnyRoute): string {
  return route.path.replace('{id}', '999999').replace('{telegram_id}', '999999');
}

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate on every API route without a valid token', async () => {
    // Setup: every route but the public ones (signing in to the console).
    const routes = apiRoutes(api.services).filter((r) => !r.public);
    const { id: tokenId, token: revoked } = await issueToken(api.t.db, api.admin.principal.userId, 'to revoke', null);
    await revokeToken(api.t.db, tokenId, null);
    const bad: Array<string | null> = [null, 'rb_' + 'A'.repeat(43), 'not-a-token', revoked];

    // Action
    const answers = [];
    for (const route of routes) {
      for (const token of bad) {
        const res = await api.request(route.method.toUpperCase(), urlOf(route), { token });
        answers.push({
          route: `${route.method} ${route.path}`,
          status: res.status,
          type: res.headers.get('content-type'),
          auth: res.headers.get('www-authenticate'),
        });
      }
      const basic = await api.request(route.method.toUpperCase(), urlOf(route), { headers: { authorization: 'Basic YTpi' } });
      answers.push({
        route: `${route.method} ${route.path}`,
        status: basic.status,
        type: basic.headers.get('content-type'),
        auth: basic.headers.get('www-authenticate'),
      });
    }

    // Assertions
    expect(answers.length).toBe(routes.length * 5);
    for (const a of answers)
      expect(a, a.route).toMatchObject({ status: 401, type: 'application/problem+json; charset=utf-8', auth: 'Bearer realm="repair-bot"' });
  });
});

describe('roles', () => {
  it('answers 403 exactly to the roles a route does not list, on every route', async () => {
    // Setup: event streams stay open while allowed (test/console/board.test.ts checks their roles).
    const routes = apiRoutes(api.services).filter((r) => !r.public && !isEventStream(r));
    const callers: Array<[string, Caller]> = [
      ['ADMIN', api.admin],
      ['DISPATCHER', api.dispatcher],
      ['MASTER', api.master],
      ['none', api.nobody],
    ];
    const before = await auditOf(api.t.db);

    // Action / Assertions
    for (const route of routes) {
      for (const [role, caller] of callers) {
        const res = await api.request(route.method.toUpperCase(), urlOf(route), { token: caller.token });
        const allowed = route.roles.includes(role as never);
        if (allowed) expect([401, 403], `${role} ${route.method} ${route.path}: ${res.text}`).not.toContain(res.status);
        else expect(res.status, `${role} ${route.method} ${route.path}`).toBe(403);
        expect(res.status).toBeLessThan(500);
      }
    }
    // Nothing was written: no audit row for any refused (or allowed bodiless) call.
    expect(await auditOf(api.t.db)).toEqual(before);
  });

  it('follows the transition table: staff moves refuse masters, master moves refuse dispatchers', async () => {
    // Setup
    const assigned = await orderIn(api, 'ASSIGNED');
    const completed = await orderIn(api, 'COMPLETED');

    // Action
    const masterAssigns = await api.request('POST', `/api/v1/orders/${assigned.id}/assign`, {
      token: api.master.token,
      body: { master_id: api.master2.masterId },
    });
    const masterCloses = await api.request('POST', `/api/v1/orders/${completed.id}/close`, { token: api.master.token });
    const dispatcherAccepts = await api.request('POST', `/api/v1/orders/${assigned.id}/accept`, { token: api.dispatcher.token });
    const dispatcherDeletes = await api.request('DELETE', `/api/v1/orders/${assigned.id}`, { token: api.dispatcher.token });
    const masterEdits = await api.request('PATCH', `/api/v1/orders/${assigned.id}`, {
      token: api.master.token,
      body: { notes: 'x' },
      headers: { 'if-match': '"2"' },
    });

    // Assertions
    for (const res of [masterAssigns, masterCloses, dispatcherAccepts, dispatcherDeletes, masterEdits]) {
      expect(res.status).toBe(403);
      expect(res.body.type).toBe('urn:repair-bot:problem:forbidden');
    }
    const now = await api.request('GET', `/api/v1/orders/${assigned.id}`, { token: api.admin.token });
    expect(now.body).toMatchObject({ status: 'ASSIGNED', version: assigned.version, master_id: api.master.masterId });
  });
});

describe('a master sees and moves only their own orders', () => {
  let order: { id: number; version: number };
  beforeAll(async () => {
    order = await orderIn(api, 'ASSIGNED');
  });

  it('another master gets 404 for reading, history and every master move', async () => {
    // Action
    const reads = await Promise.all([
      api.request('GET', `/api/v1/orders/${order.id}`, { token: api.master2.token }),
      api.request('GET', `/api/v1/orders/${order.id}/history`, { token: api.master2.token }),
      ...['accept', 'decline', 'arrive', 'resume', 'long-repair', 'complete', 'reschedule'].map((a) =>
        api.request('POST', `/api/v1/orders/${order.id}/${a}`, { token: api.master2.token, body: transitionBody(a, api) }),
      ),
    ]);

    // Assertions
    for (const res of reads) expect(res.status, res.text).toBe(404);
    const now = await api.request('GET', `/api/v1/orders/${order.id}`, { token: api.master.token });
    expect(now.body.version).toBe(order.version);
  });

  it('lists only their own orders and may not ask for another master', async () => {
    // Setup
    const other = await createOrder(api);
    await api.request('POST', `/api/v1/orders/${other.id}/assign`, { token: api.dispatcher.token, body: { master_id: api.master2.masterId } });

    // Action
    const own = await api.request('GET', '/api/v1/orders?limit=100', { token: api.master2.token });
    const foreign = await api.request('GET', `/api/v1/orders?master_id=${api.master.masterId}`, { token: api.master2.token });

    // Assertions
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    for (const o of own.body.items) expect(o.master_id).toBe(api.master2.masterId);
    expect(foreign.status).toBe(403);
    expect(foreign.body.field).toBe('master_id');
  });
});

describe('state and version conflicts', () => {
  it('answers 409 for every transition from a status the table does not allow, writing nothing', async () => {
    // Setup: one order in each status
    const orders = Object.fromEntries(await Promise.all(ORDER_STATUSES.map(async (s) => [s, await orderIn(api, s)] as const)));
    // Every POST /orders/{id}/<action> (edit and delete have their own methods).
    // The client's cancel is a bot-only action (test/bot/client-journey.test.ts).
    const moves = ACTION_NAMES.filter((n) => n !== 'edit' && n !== 'delete' && n !== 'client_cancel').map((n) => ({
      action: n.replace('_', '-'),
      from: ACTIONS[n].from,
    }));
    let checked = 0;

    // Action / Assertions
    for (const status of ORDER_STATUSES) {
      for (const { action, from } of moves) {
        if (from.includes(status)) continue;
        const res = await api.request('POST', `/api/v1/orders/${orders[status]!.id}/${action}`, {
          token: api.admin.token,
          body: transitionBody(action, api),
          // A correction names the version it corrects (428 without one); the status check still comes first.
          headers: action === 'correct' ? { 'if-match': `"${orders[status]!.version}"` } : {},
        });
        expect(res.status, `${action} from ${status}: ${res.text}`).toBe(409);
        expect(problemSchema.parse(res.body)).toMatchObject({ current_status: status, type: 'urn:repair-bot:problem:conflict' });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
    for (const status of ORDER_STATUSES) {
      const now = await api.request('GET', `/api/v1/orders/${orders[status]!.id}`, { token: api.admin.token });
      expect(now.body).toMatchObject({ status, version: orders[status]!.version });
    }
  });

  it('answers 412 to a stale If-Match, 428 to a PATCH without one, 400 to a malformed one', async () => {
    // Setup
    const { id } = await orderIn(api, 'ASSIGNED');

    // Action
    const staleMove = await api.request('POST', `/api/v1/orders/${id}/accept`, { token: api.master.token, headers: { 'if-match': '"1"' } });
    const staleEdit = await api.request('PATCH', `/api/v1/orders/${id}`, { token: api.dispatcher.token, body: { notes: 'x' }, headers: { 'if-match': '"1"' } });
    const missing = await api.request('PATCH', `/api/v1/orders/${id}`, { token: api.dispatcher.token, body: { notes: 'x' } });
    const weak = await api.request('PATCH', `/api/v1/orders/${id}`, { token: api.dispatcher.token, body: { notes: 'x' }, headers: { 'if-match': 'W/"2"' } });
    const fresh = await api.request('POST', `/api/v1/orders/${id}/accept`, { token: api.master.token, headers: { 'if-match': '"2"' } });

    // Assertions
    expect(staleMove.status).toBe(412);
    expect(staleMove.body).toMatchObject({ field: 'If-Match', current_version: 2 });
    expect(staleEdit.status).toBe(412);
    expect(missing.status).toBe(428);
    expect(missing.body.field).toBe('If-Match');
    expect(weak.status).toBe(400);
    expect(fresh.status).toBe(200);
    expect(fresh.body.version).toBe(3);
  });

  it('answers 422 when assigning a master who is unknown, unapproved or inactive', async () => {
    // Setup
    const { id } = await createOrder(api);
    const unapproved = await makeMaster(api.t.db, { approved: false });
    const inactive = await makeMaster(api.t.db, { active: false });

    // Action
    const answers = await Promise.all(
      [999_999, unapproved.masterId, inactive.masterId].map((masterId) =>
        api.request('POST', `/api/v1/orders/${id}/assign`, { token: api.dispatcher.token, body: { master_id: masterId } }),
      ),
    );

    // Assertions
    for (const res of answers) expect(res.body).toMatchObject({ status: 422, field: 'master_id' });
    const now = await api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token });
    expect(now.body).toMatchObject({ status: 'NEW', version: 1 });
  });

  it('treats a deleted order as absent everywhere', async () => {
    // Setup
    const { id } = await orderIn(api, 'ASSIGNED');
    expect((await api.request('DELETE', `/api/v1/orders/${id}`, { token: api.admin.token })).status).toBe(204);

    // Action
    const answers = await Promise.all([
      api.request('GET', `/api/v1/orders/${id}`, { token: api.admin.token }),
      api.request('GET', `/api/v1/orders/${id}/history`, { token: api.admin.token }),
      api.request('POST', `/api/v1/orders/${id}/accept`, { token: api.admin.token }),
      api.request('PATCH', `/api/v1/orders/${id}`, { token: api.admin.token, body: { notes: 'x' }, headers: { 'if-match': '"3"' } }),
      api.request('DELETE', `/api/v1/orders/${id}`, { token: api.admin.token }),
    ]);

    // Assertions
    for (const res of answers) expect(res.status).toBe(404);
  });
});
