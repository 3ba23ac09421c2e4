import { z } from 'zod';
import { decodeIdCursor, idPage } from '../http/id-cursor.ts';
import { docSchemas } from '../http/openapi.ts';
import { defineRoute, type AnyRoute } from '../http/route-kit.ts';
import { pageSchema, rowSchema } from '../http/schemas.ts';
import { cursorQuery, idParam, idQuery, limitQuery } from '../http/validate.ts';
import type { Services } from '../services.ts';
import { TOKEN_VIEW_COLUMNS } from './token-view.ts';

const tokenSchema = rowSchema(TOKEN_VIEW_COLUMNS);
docSchemas.add(tokenSchema, { id: 'ApiToken', description: 'An API token: owner, label, use; never the token itself' });

const listQuery = z.strictObject({
  telegram_id: idQuery.optional().meta({ description: "only this Telegram user's tokens" }),
  include_revoked: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .meta({ description: 'true: revoked tokens too' }),
  limit: limitQuery.optional(),
  cursor: cursorQuery.optional(),
});

/** API tokens (admins): list them, revoke one. Created by the operator's CLI (`token create`). */
export function tokenRoutes(services: Services): AnyRoute[] {
  const { users } = services;
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/tokens',
      operationId: 'listTokens',
      summary: 'List API tokens by id (keyset pages)',
      tag: 'users',
      roles: ['ADMIN'],
      query: listQuery,
      responses: { 200: { description: 'A page of tokens', schema: pageSchema(tokenSchema) } },
      async handle({ principal, query, res }) {
        const limit = query.limit ?? 20;
        const filter = { afterId: decodeIdCursor(query.cursor), telegramId: query.telegram_id, includeRevoked: query.include_revoked, limit: limit + 1 };
        res.json(idPage(await users.tokens(principal, filter), limit));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/v1/tokens/{id}',
      operationId: 'revokeToken',
      summary: 'Revoke an API token',
      description: 'Refused at once on this instance; other instances stop accepting it within AUTH_CACHE_TTL_MS.',
      tag: 'users',
      roles: ['ADMIN'],
      params: z.strictObject({ id: idParam }),
      responses: { 204: { description: 'Revoked' } },
      errors: [404],
      async handle({ principal, params, res, invalidateAuth }) {
        await users.revokeToken(principal, params.id);
        invalidateAuth();
        res.status(204).end();
      },
    }),
  ];
}
