import { z } from 'zod';
import type { UserRole } from '../db/enums.ts';
import { expectedVersion, setVersionTag } from '../http/etag.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import type { Services } from '../services.ts';
import { present } from './access.ts';
import { transitionBodySchemas } from './order-input.ts';
import type { TransitionInput } from './order-workflow.ts';
import { orderIdParams, orderSchema } from './orders-routes.ts';
import { TRANSITION_NAMES, TRANSITIONS, type TransitionName } from './transitions.ts';

/**
 * POST /orders/{id}/<transition> for every move of the state machine, plus
 * reschedule. Roles come from the transition table itself; "assigned
 * master" is enforced by the workflow (another master's order answers 404).
 */
const IF_MATCH = [{ name: 'If-Match', required: false, description: 'optional expected version, e.g. "7" (412 when stale)', schema: z.string() }];
const ETAG = { ETag: 'The new order version' };

function rolesFor(name: TransitionName): UserRole[] {
  return TRANSITIONS[name].who === 'staff' ? ['ADMIN', 'DISPATCHER'] : ['ADMIN', 'MASTER'];
}

function describe(name: TransitionName): string {
  const rule = TRANSITIONS[name];
  return `${rule.from.join(', ')} -> ${rule.to}. 409 from any other status.`;
}

export function transitionRoutes(services: Services): AnyRoute[] {
  const { workflow } = services;
  const moves = TRANSITION_NAMES.map((name) =>
    defineRoute({
      method: 'post',
      path: `/api/v1/orders/{id}/${name.replace('_', '-')}`,
      operationId: `${name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())}Order`,
      summary: `Transition: ${name.replace('_', ' ')}`,
      description: describe(name),
      tag: 'transitions',
      roles: rolesFor(name),
      rolesNote: TRANSITIONS[name].who === 'master' ? 'A master only on orders assigned to them (others answer 404).' : undefined,
      params: orderIdParams,
      body: transitionBodySchemas[name] as z.ZodType,
      headers: IF_MATCH,
      responses: { 200: { description: 'The order after the move', schema: orderSchema, headers: ETAG } },
      errors: [404, 409, 412, 422],
      async handle({ principal, params, body, req, res }) {
        const order = await workflow.transition(principal, params.id, name, body as TransitionInput[typeof name], {
          expectedVersion: expectedVersion(req, false),
        });
        setVersionTag(res, order.version);
        res.json(present(principal, order));
      },
    }),
  );
  const reschedule = defineRoute({
    method: 'post',
    path: '/api/v1/orders/{id}/reschedule',
    operationId: 'rescheduleOrder',
    summary: 'Move the visit to another time (no status change)',
    description: 'Allowed while NEW, ASSIGNED, ACCEPTED or LONG_REPAIR; 409 otherwise.',
    tag: 'transitions',
    roles: ['ADMIN', 'DISPATCHER', 'MASTER'],
    rolesNote: 'A master only on orders assigned to them (others answer 404).',
    params: orderIdParams,
    body: transitionBodySchemas.reschedule,
    headers: IF_MATCH,
    responses: { 200: { description: 'The rescheduled order', schema: orderSchema, headers: ETAG } },
    errors: [404, 409, 412],
    async handle({ principal, params, body, req, res }) {
      const order = await workflow.reschedule(principal, params.id, body, { expectedVersion: expectedVersion(req, false) });
      setVersionTag(res, order.version);
      res.json(present(principal, order));
    },
  });
  return [...moves, reschedule];
}
