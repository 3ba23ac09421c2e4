import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { UserRole } from '../db/enums.ts';
import { ForbiddenError } from '../errors.ts';
import type { Principal } from '../users/principal.ts';
import { authenticateRequest, type FallbackAuth, type PrincipalCache } from './auth.ts';
import { HttpProblem } from './problem.ts';
import { parseInput } from './validate.ts';

/**
 * One declaration per API operation: path, roles, input schemas, documented
 * responses and the handler. The same list mounts the express routes and
 * writes the OpenAPI document, so the two cannot drift.
 */
type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface ResponseDoc {
  description: string;
  /** JSON body schema; omit for an empty body. */
  schema?: z.ZodType;
  /** Non-JSON bodies (file downloads). */
  contentTypes?: string[];
  headers?: Record<string, string>;
}

export interface HeaderDoc {
  name: string;
  required: boolean;
  description: string;
  schema: z.ZodType;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

interface RouteContext<P, Q, B> {
  principal: Principal;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  req: Request;
  res: Response;
  /** Forget cached principals (after roles or master records change). */
  invalidateAuth(): void;
}

export interface RouteDef<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
> {
  method: HttpMethod;
  /** OpenAPI form, e.g. /api/v1/orders/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Roles that may call it at all (403 for the rest); finer rules live in the services. */
  roles: readonly UserRole[];
  /** No authentication at all (signing in); the handler gets an anonymous principal with no role. */
  public?: boolean;
  /** How the services narrow access further, for the document (e.g. a master's own orders). */
  rolesNote?: string;
  params?: P;
  query?: Q;
  body?: B;
  headers?: HeaderDoc[];
  responses: Record<number, ResponseDoc>;
  /** Error statuses this operation can answer beyond 400/401/403/429/503. */
  errors?: number[];
  /** What this route calls domain fields its errors name, e.g. { expected_version: 'If-Match' }. */
  fieldNames?: Record<string, string>;
  handle(ctx: RouteContext<P, Q, B>): Promise<void>;
}

// A heterogeneous list of routes: handle() is declared as a method, whose
// parameter is bivariant, so every RouteDef is one of these.
export type AnyRoute = RouteDef<z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined>;

export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(def: RouteDef<P, Q, B>): AnyRoute {
  return def;
}

function expressPath(openApiPath: string): string {
  return openApiPath.replace(/\{([a-z_]+)\}/g, ':$1');
}

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The charset the Content-Type names, lower-cased, or null. The JSON parser
 * would decode any utf-* (UTF-16 then fails as malformed JSON, a 400); the
 * API speaks UTF-8 only, so another charset is the media type's fault: 415.
 */
function charsetOf(req: Request): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '');
  return m ? m[1]!.toLowerCase() : null;
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export interface MountOptions {
  cache: PrincipalCache;
  /** How a request without a bearer token may still authenticate (the console's session cookie). */
  fallbackAuth?: FallbackAuth;
  /** Largest JSON body accepted (bytes or a string like '64kb'); larger ones get 413. */
  bodyLimit: string | number;
}

/** Who calls a public route: nobody in particular, with no role any service accepts. */
const ANONYMOUS: Principal = { userId: 0, telegramId: null, name: 'anonymous', roles: [], masterId: null, language: 'ru' };

function handlerFor(route: AnyRoute, json: RequestHandler, opts: MountOptions): RequestHandler {
  const { cache } = opts;
  const allowed = route.roles;
  const invalidateAuth = () => cache.clear();
  return async (req: Request, res: Response) => {
    res.locals.fieldNames = route.fieldNames;
    const principal = route.public ? ANONYMOUS : await authenticateRequest(cache, req, res, opts.fallbackAuth);
    if (!route.public && !principal.roles.some((r) => allowed.includes(r))) {
      throw new ForbiddenError(`this needs one of the roles ${allowed.join(', ')}`);
    }
    let body: unknown;
    if (route.body) {
      if (hasBody(req)) {
        if (!req.is(JSON_TYPES)) throw new HttpProblem(415, 'unsupported-media-type', 'send the body as application/json', { field: 'Content-Type' });
        const charset = charsetOf(req);
        if (charset !== null && charset !== 'utf-8' && charset !== 'utf8') {
          throw new HttpProblem(415, 'unsupported-media-type', 'the body must be UTF-8 JSON (charset=utf-8 or none)', { field: 'Content-Type' });
        }
        await new Promise<void>((resolve, reject) =>
          json(req, res, (err?: Error | string) => (err ? reject(err instanceof Error ? err : new Error(err)) : resolve())),
        );
      }
      body = req.body ?? {};
    }
    await route.handle({
      principal,
      params: route.params ? parseInput(route.params, req.params, 'path') : undefined,
      query: route.query ? parseInput(route.query, req.query, 'query') : void parseInput(NO_QUERY, req.query, 'query'),
      body: route.body ? parseInput(route.body, body, 'body') : undefined,
      req,
      res,
      invalidateAuth,
    });
  };
}

// No query parameters at all: anything sent is an unknown field.
const NO_QUERY = z.strictObject({});

function methodNotAllowed(methods: Set<string>): RequestHandler {
  const allow = [...methods, ...(methods.has('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  return (req: Request, res: Response, _next: NextFunction) => {
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow).status(204).end();
      return;
    }
    throw new HttpProblem(405, 'method-not-allowed', `${req.method} is not allowed here; use ${allow}`, { headers: { Allow: allow } });
  };
}

/** Registers each route (auth, roles, body, validation, handler) and a 405 with Allow for other methods. */
export function mountRoutes(router: Router, routes: readonly AnyRoute[], opts: MountOptions): void {
  const json = express.json({ limit: opts.bodyLimit, strict: true, type: JSON_TYPES });
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of routes) {
    const path = expressPath(route.path);
    router[route.method](path, handlerFor(route, json, opts));
    const methods = methodsByPath.get(path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    methodsByPath.set(path, methods);
  }
  for (const [path, methods] of methodsByPath) router.all(path, methodNotAllowed(methods));
}
