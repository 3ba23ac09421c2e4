/**
 * Domain errors the services throw. The HTTP layer maps each to a status and
 * an application/problem+json body; the bot maps each to a polite reply.
 * `field` names the offending input where there is one.
 */
export abstract class AppError extends Error {
  abstract readonly kind: 'validation' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'precondition' | 'unprocessable' | 'unavailable';
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  constructor(message: string, opts: { field?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = new.target.name;
    this.field = opts.field;
    this.details = opts.details;
  }
}

/** Input is malformed (400). */
export class ValidationError extends AppError {
  readonly kind = 'validation';
}
export class UnauthenticatedError extends AppError {
  readonly kind = 'unauthenticated';
}
/** The caller's roles do not allow this (403). */
export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
}
/** No such thing, or not visible to this caller (404). */
export class NotFoundError extends AppError {
  readonly kind = 'not_found';
}
/** Not allowed from the current state, or lost a race (409). */
export class ConflictError extends AppError {
  readonly kind = 'conflict';
}
/** The expected version is stale (412). */
export class PreconditionFailedError extends AppError {
  readonly kind = 'precondition';
}
/** Well-formed but semantically impossible (422), e.g. an inactive master. */
export class UnprocessableError extends AppError {
  readonly kind = 'unprocessable';
}
/** A dependency (database) is down (503). */
export class UnavailableError extends AppError {
  readonly kind = 'unavailable';
}
