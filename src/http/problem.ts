import type { Response } from 'express';
import {
  CheckViolationError,
  ConnectionError,
  DbError,
  ForeignKeyViolationError,
  IntegrityError,
  InvalidValueError,
  LockNotAvailableError,
  NotNullViolationError,
  PoolSaturatedError,
  QueryTimeoutError,
  SerializationError,
  ShuttingDownError,
  UniqueViolationError,
  WorkCancelledError,
} from '../db/errors.ts';
import { AppError } from '../errors.ts';

/**
 * RFC 9457 problem details: every error the API answers is one of these,
 * as application/problem+json with the offending field named.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  field?: string;
  errors?: Array<{ field: string; message: string }>;
  [extension: string]: unknown;
}

/** An error the HTTP layer itself raises with a fixed status (413, 415, 428, 405, ...). */
export class HttpProblem extends Error {
  readonly status: number;
  readonly slug: string;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;
  readonly extra: Record<string, unknown>;
  constructor(status: number, slug: string, detail: string, opts: { field?: string; headers?: Record<string, string>; extra?: Record<string, unknown> } = {}) {
    super(detail);
    this.name = 'HttpProblem';
    this.status = status;
    this.slug = slug;
    this.field = opts.field;
    this.headers = opts.headers ?? {};
    this.extra = opts.extra ?? {};
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const APP_STATUS: Record<AppError['kind'], [number, string]> = {
  validation: [400, 'validation'],
  unauthenticated: [401, 'unauthenticated'],
  forbidden: [403, 'forbidden'],
  not_found: [404, 'not-found'],
  conflict: [409, 'conflict'],
  precondition: [412, 'stale-version'],
  unprocessable: [422, 'unprocessable'],
  unavailable: [503, 'unavailable'],
};

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'field', 'errors', 'instance', 'request_id']);

/** Extension members never shadow the standard ones: a domain `status` becomes `current_status`. */
function extensions(extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(extra)) out[RESERVED.has(key) && key !== 'errors' ? `current_${key}` : key] = value;
  return out;
}

export function problem(status: number, slug: string, detail: string, field?: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `urn:repair-bot:problem:${slug}`, title: TITLES[status] ?? 'Error', status, detail, ...(field ? { field } : {}), ...extensions(extra) };
}

/** The column a constraint guards, from its name (`orders_client_name_length` -> client_name). */
function fieldOfConstraint(err: DbError): string | undefined {
  if (err.column) return err.column;
  const { constraint, table } = err;
  if (!constraint) return undefined;
  const rest = table && constraint.startsWith(`${table}_`) ? constraint.slice(table.length + 1) : constraint;
  return rest.replace(/_(key|fkey|pkey|check|length|format|positive|nonnegative|known)$/, '') || undefined;
}

export interface Mapped {
  body: Problem;
  headers: Record<string, string>;
  /** True for the unexpected: logged with the stack. */
  internal: boolean;
}

function fromDbError(err: DbError): Mapped {
  const field = fieldOfConstraint(err);
  const headers: Record<string, string> = {};
  if (err instanceof InvalidValueError) return { body: problem(400, 'invalid-value', 'a value is out of range or malformed', field), headers, internal: false };
  // Transient: the same request may well succeed in a moment, so say when to retry.
  if (err instanceof PoolSaturatedError) {
    return { body: problem(503, 'busy', 'every database connection is busy; retry shortly'), headers: { 'Retry-After': '1' }, internal: false };
  }
  if (err instanceof LockNotAvailableError) {
    return { body: problem(503, 'locked', 'another change holds this record; retry shortly'), headers: { 'Retry-After': '1' }, internal: false };
  }
  if (err instanceof ShuttingDownError) {
    return { body: problem(503, 'unavailable', 'the service is restarting; retry shortly'), headers: { 'Retry-After': '1' }, internal: false };
  }
  // Nobody reads this answer (the client left, or the service is stopping); it only must not count as a 500.
  if (err instanceof WorkCancelledError) {
    return { body: problem(499, 'cancelled', 'the request was cancelled before it completed'), headers: {}, internal: false };
  }
  if (err instanceof QueryTimeoutError || err instanceof ConnectionError) {
    return { body: problem(503, 'unavailable', 'the database is unavailable or too slow; retry shortly'), headers: { 'Retry-After': '1' }, internal: false };
  }
  if (err instanceof SerializationError) return { body: problem(409, 'conflict', 'a concurrent change won; retry the request'), headers, internal: false };
  if (err instanceof UniqueViolationError) return { body: problem(409, 'conflict', `${field ?? 'value'} is already taken`, field), headers, internal: false };
  if (err instanceof ForeignKeyViolationError)
    return { body: problem(422, 'unprocessable', `${field ?? 'a value'} refers to something that does not exist`, field), headers, internal: false };
  if (err instanceof CheckViolationError || err instanceof NotNullViolationError || err instanceof IntegrityError) {
    return { body: problem(422, 'unprocessable', `${field ?? 'a value'} breaks a data rule`, field), headers, internal: false };
  }
  return { body: problem(500, 'internal', 'internal error'), headers, internal: true };
}

/** Body-parser and router errors carry a status and a `type`. */
function fromHttpError(err: { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown }): Mapped | null {
  const status = typeof err.status === 'number' ? err.status : typeof err.statusCode === 'number' ? err.statusCode : 0;
  if (status < 400 || status > 499) return null;
  switch (err.type) {
    case 'entity.too.large':
      return { body: problem(413, 'too-large', 'the request body is larger than allowed', 'body'), headers: {}, internal: false };
    case 'entity.parse.failed':
      return { body: problem(400, 'malformed-json', 'the request body is not valid JSON (an object was expected)', 'body'), headers: {}, internal: false };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { body: problem(415, 'unsupported-media-type', 'the body must be UTF-8 JSON', 'Content-Type'), headers: {}, internal: false };
    default:
      return {
        body: problem(status, 'bad-request', err.expose === false ? (TITLES[status] ?? 'bad request') : String((err as Error).message ?? 'bad request')),
        headers: {},
        internal: false,
      };
  }
}

/** Any thrown value as a problem; never leaks internals. A domain field is reported by the name the route gives it (`fieldNames`). */
export function toProblem(err: unknown, fieldNames: Record<string, string> = {}): Mapped {
  if (err instanceof HttpProblem) return { body: problem(err.status, err.slug, err.message, err.field, err.extra), headers: err.headers, internal: false };
  if (err instanceof AppError) {
    const [status, slug] = APP_STATUS[err.kind];
    const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer realm="repair-bot"' } : status === 503 ? { 'Retry-After': '1' } : {};
    const field = err.field !== undefined && Object.hasOwn(fieldNames, err.field) ? fieldNames[err.field] : err.field;
    return { body: problem(status, slug, err.message, field, err.details ?? {}), headers, internal: false };
  }
  if (err instanceof DbError) return fromDbError(err);
  if (err && typeof err === 'object') {
    const mapped = fromHttpError(err);
    if (mapped) return mapped;
  }
  return { body: problem(500, 'internal', 'internal error'), headers: {}, internal: true };
}

export function sendProblem(res: Response, body: Problem, headers: Record<string, string> = {}): void {
  const requestId = res.locals.requestId as string | undefined;
  res.status(body.status).set(headers).type('application/problem+json');
  res.send(JSON.stringify(requestId ? { ...body, request_id: requestId } : body));
}
