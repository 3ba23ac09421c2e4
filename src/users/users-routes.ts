import { z } from 'zod';
import { USER_ROLES } from '../db/enums.ts';
import { decodeIdCursor, idPage } from '../http/id-cursor.ts';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { pageSchema, rowSchema } from '../http/schemas.ts';
import { cursorQuery, idParam, limitQuery } from '../http/validate.ts';
import type { Services } from '../services.ts';
import { USER_VIEW_COLUMNS } from './user-view.ts';

export const userSchema = rowSchema(USER_VIEW_COLUMNS);
docSchemas.add(userSchema, { id: 'User', description: 'A person (or API account) with roles; no roles means UNKNOWN' });

const rolesBody = z.strictObject({
  roles: z
    .array(z.enum(USER_ROLES))
    .max(USER_ROLES.length)
    .refine((r) => new Set(r).size === r.length, 'must not repeat a role')
    .meta({ description: 'exactly the roles the user will hold; [] leaves none' }),
});

/** Users and their roles (admins). */
export function userRoutes(services: Services): AnyRoute[] {
  const { users } = services;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/users',
      operationId: 'listUsers',
      summary: 'List users by id (keyset pages)',
      tag: 'users',
      roles: ['ADMIN'],
      query: z.strictObject({ limit: limitQuery.optional(), cursor: cursorQuery.optional() }),
      responses: { 200: { description: 'A page of users', schema: pageSchema(userSchema) } },
      async handle({ principal, query, res }) {
        const limit = query.limit ?? 20;
        res.json(idPage(await users.list(principal, decodeIdCursor(query.cursor), limit + 1), limit));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/users/{telegram_id}/roles',
      operationId: 'setUserRoles',
      summary: "Replace a Telegram user's roles",
      description:
        'The user must be known (has written to the bot, or was added by the CLI or as a master). Takes effect on other instances within the auth cache TTL.',
      tag: 'users',
      roles: ['ADMIN'],
      params: z.strictObject({ telegram_id: idParam }),
      body: rolesBody,
      responses: { 200: { description: 'The user with the new roles', schema: userSchema } },
      errors: [404],
      async handle({ principal, params, body, res, invalidateAuth }) {
        const user = await users.setRoles(principal, params.telegram_id, body.roles);
        invalidateAuth();
        res.json(user);
      },
    }),
  ];
}
