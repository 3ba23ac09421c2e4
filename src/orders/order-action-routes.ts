import { z } from 'zod';
import { expectedVersion, setVersionTag } from '../http/etag.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import type { Services } from '../services.ts';
import { ROLES_OF } from './order-access.ts';
import { ACTION_NAMES, ACTIONS, type ActionName } from './order-actions.ts';
import { orderIdParams, orderSchema, toApiOrder, VERSION_HEADER } from './order-api.ts';
import { describeStatuses } from './order-statuses.ts';

/**
 * POST /orders/{id}/<action> for every action of order-actions.ts except
 * edit (PATCH) and delete (DELETE), which orders-routes.ts serves, and the
 * client's cancel (bot only). Roles,
 * text and body schema come from the action's declaration; "assigned
 * master" is enforced by the workflow (another master's order answers 404).
 */
const IF_MATCH = [{ name: 'If-Match', required: false, description: 'optional expected version, e.g. "7" (412 when stale)', schema: z.string() }];
const ETAG = { ETag: 'The new order version' };
// Clients act only in the bot (they hold no API token).
const OWN_ROUTES: readonly ActionName[] = ['edit', 'delete', 'client_cancel'];

function describe(name: ActionName): string {
  const { from, to } = ACTIONS[name];
  return `${describeStatuses(from)} -> ${to ?? 'the same status'}. 409 from any other status.`;
}

export function actionRoutes(services: Services): AnyRoute[] {
  const { workflow } = services;
  // The body is parsed by the action's own schema, so handing it to that action is safe.
  const route = (name: ActionName) =>
    defineRoute({
      method: 'post',
      path: `/api/v1/orders/{id}/${name.replace('_', '-')}`,
      operationId: `${name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}Order`,
      summary: ACTIONS[name].title,
      description: describe(name),
      tag: 'transitions',
      roles: ROLES_OF[ACTIONS[name].who],
      rolesNote: ACTIONS[name].who.includes('master') ? 'A master only on orders assigned to them (others answer 404).' : undefined,
      params: orderIdParams,
      body: ACTIONS[name].body,
      headers: IF_MATCH,
      fieldNames: VERSION_HEADER,
      responses: { 200: { description: 'The order after the action', schema: orderSchema, headers: ETAG } },
      errors: [404, 409, 412, 422],
      async handle({ principal, params, body, req, res }) {
        const order = await workflow.act(principal, params.id, name, body, { expectedVersion: expectedVersion(req, false) });
        setVersionTag(res, order.version);
        res.json(toApiOrder(order));
      },
    });
  return ACTION_NAMES.filter((n) => !OWN_ROUTES.includes(n)).map(route);
}
