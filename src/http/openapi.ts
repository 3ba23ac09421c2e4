import type { Router } from 'express';
import { z } from 'zod';
import type { AnyRoute, HeaderDoc } from './route-kit.ts';
import { problemSchema } from './schemas.ts';

/**
 * The OpenAPI 3.1 document, written from the same route declarations and
 * zod schemas that mount and validate the API. Named response schemas come
 * from `docSchemas` (a zod registry) and are referenced, not repeated.
 */
export const docSchemas = {
  /** Names a response schema: the document defines it once under components and references it. */
  add(schema: z.ZodType, meta: { id: string; description?: string }): void {
    // zod's global registry: where .meta() descriptions live too, so both reach the document.
    z.globalRegistry.add(schema, meta);
  },
};
docSchemas.add(problemSchema, { id: 'Problem', description: 'RFC 9457 problem details; `field` names the offending input' });

type Json = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';

// Query strings and headers are text on the wire; an integer documented as
// such keeps the pattern that checks its digits only for strings.
const override = (ctx: { jsonSchema: Json }) => {
  if (ctx.jsonSchema.type === 'integer') {
    delete ctx.jsonSchema.pattern;
    delete ctx.jsonSchema.maxLength;
  }
};

function relink(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relink);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$defs' || k === '$id') continue;
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', REF_PREFIX) : relink(v);
  }
  return out;
}

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  return relink(z.toJSONSchema(schema, { io, unrepresentable: 'any', override })) as Json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema, 'input');
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties as Record<string, Json> | undefined) ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function headerParameters(headers: HeaderDoc[] | undefined): Json[] {
  return (headers ?? []).map((h) => ({
    name: h.name,
    in: 'header',
    required: h.required,
    description: h.description,
    schema: jsonSchemaOf(h.schema, 'input'),
  }));
}

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed input (the field is named)',
  401: 'Missing, unknown or revoked token',
  403: 'The caller has no role that may do this',
  404: 'No such resource, or not visible to the caller',
  405: 'Method not allowed (see Allow)',
  409: 'Not allowed from the current state, or lost a race',
  412: 'If-Match names a stale version',
  413: 'Body larger than 64 kB',
  415: 'Body is not application/json',
  422: 'Well-formed but impossible (e.g. an unknown master)',
  428: 'If-Match is required',
  429: 'Rate limit exceeded',
  503: 'Database unavailable; retry',
};

function problemResponse(status: number): Json {
  return { description: PROBLEM_TEXT[status] ?? 'Error', content: { 'application/problem+json': { schema: { $ref: `${REF_PREFIX}Problem` } } } };
}

function operationOf(route: AnyRoute): Json {
  const responses: Json = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    const content = doc.schema
      ? { 'application/json': { schema: jsonSchemaOf(doc.schema, 'output') } }
      : doc.contentTypes
        ? Object.fromEntries(doc.contentTypes.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]))
        : undefined;
    const headers = doc.headers
      ? Object.fromEntries(Object.entries(doc.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]))
      : undefined;
    responses[status] = { description: doc.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
  }
  const errorStatuses = new Set([400, 401, 403, 429, 503, ...(route.body ? [413, 415] : []), ...(route.errors ?? [])]);
  for (const status of [...errorStatuses].sort()) responses[status] = problemResponse(status);
  const roles = route.public ? 'Public: no authentication.' : `Roles: ${route.roles.join(', ')}.${route.rolesNote ? ` ${route.rolesNote}` : ''}`;
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: route.description ? `${route.description}\n\n${roles}` : roles,
    tags: [route.tag],
    'x-roles': [...route.roles],
    security: route.public ? [] : [{ bearer: [] }, { console_session: [] }],
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query'), ...headerParameters(route.headers)],
    // A body that may be left out (a bare transition) is optional; one with required fields is not.
    ...(route.body
      ? { requestBody: { required: !route.body.safeParse({}).success, content: { 'application/json': { schema: jsonSchemaOf(route.body, 'input') } } } }
      : {}),
    responses,
  };
}

const STATUS_BODY = {
  'application/json': { schema: { type: 'object', properties: { status: { type: 'string' }, reason: { type: 'string' } }, required: ['status'] } },
};

/** Operations outside the declared API: health, the document itself, the bot's webhook. */
function fixedPaths(withWebhook: boolean): Json {
  const pub = (summary: string, responses: Json) => ({
    get: { operationId: summary.replace(/\W+/g, '_').toLowerCase(), summary, tags: ['service'], security: [], responses },
  });
  return {
    '/healthz': pub('Process liveness', { 200: { description: 'The process is up', content: STATUS_BODY } }),
    '/readyz': pub('Readiness', {
      200: { description: 'Database reachable, migrations current', content: STATUS_BODY },
      503: { description: 'Not ready', content: STATUS_BODY },
    }),
    '/openapi.json': pub('This OpenAPI document', {
      200: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
    }),
    ...(withWebhook
      ? {
          '/api/v1/telegram/webhook': {
            post: {
              operationId: 'telegram_webhook',
              summary: 'Telegram Bot API updates (checks X-Telegram-Bot-Api-Secret-Token)',
              tags: ['telegram'],
              security: [],
              parameters: [{ name: 'X-Telegram-Bot-Api-Secret-Token', in: 'header', required: true, schema: { type: 'string' } }],
              requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
              responses: {
                200: { description: 'Update accepted' },
                400: { description: 'Not an update' },
                401: { description: 'Wrong secret token (checked before the body is read; counts as a failed authentication)' },
                413: { description: 'Body over 256 kB' },
                429: { description: 'Too many failed authentications or requests (Retry-After)' },
                503: { description: 'Not handled now; Telegram delivers it again' },
              },
            },
          },
        }
      : {}),
  };
}

/** Routes mounted by other parts (e.g. GET /metrics), found in their routers, documented minimally. */
function pluginRoutes(routers: readonly Router[]): Array<{ method: string; path: string }> {
  const found: Array<{ method: string; path: string }> = [];
  for (const router of routers) {
    for (const layer of router.stack) {
      const route = layer.route as { path?: unknown; methods?: Record<string, boolean> } | undefined;
      if (!route || typeof route.path !== 'string') continue;
      for (const method of Object.keys(route.methods ?? {})) if (method !== '_all') found.push({ method, path: route.path });
    }
  }
  return found;
}

export function buildOpenApi(routes: readonly AnyRoute[], opts: { routers?: readonly Router[]; webhook?: boolean } = {}): Json {
  const paths = fixedPaths(opts.webhook ?? false) as Record<string, Json>;
  for (const { method, path } of pluginRoutes(opts.routers ?? [])) {
    const openApiPath = path.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[openApiPath] = {
      ...paths[openApiPath],
      [method]: { summary: `${method.toUpperCase()} ${path}`, tags: ['service'], security: [], responses: { 200: { description: 'OK' } } },
    };
  }
  for (const route of routes) paths[route.path] = { ...paths[route.path], [route.method]: operationOf(route) };
  const components = z.toJSONSchema(z.globalRegistry, { io: 'output', unrepresentable: 'any', override, uri: (id) => `${REF_PREFIX}${id}` });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Repair Bot API',
      version: '1.0.0',
      description:
        'Orders, masters, users and reports of the repair service. JSON under /api/v1; errors as application/problem+json. Money is a decimal string, timestamps RFC 3339, equipment types by code.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (rb_...), from `repair-bot token create`' },
        console_session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'rb_session',
          description: 'Dispatcher console session (__Host-rb_session over https); unsafe methods also need X-CSRF-Token',
        },
      },
      schemas: relink(components.schemas),
    },
  };
}
