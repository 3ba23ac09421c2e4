import pg from 'pg';

/**
 * Typed database errors mapped from SQLSTATE, carrying the constraint or
 * column PostgreSQL named, so services can turn them into domain answers
 * without parsing messages.
 */
export class DbError extends Error {
  readonly code: string | undefined;
  readonly queryName: string | undefined;
  readonly constraint: string | undefined;
  readonly column: string | undefined;
  readonly table: string | undefined;
  constructor(message: string, opts: { code?: string; queryName?: string; cause?: unknown; constraint?: string; column?: string; table?: string }) {
    super(message, { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.queryName = opts.queryName;
    this.constraint = opts.constraint;
    this.column = opts.column;
    this.table = opts.table;
  }
}

/** A row broke an integrity rule (unique, foreign key, check, not null, exclusion). */
export class IntegrityError extends DbError {}
export class UniqueViolationError extends IntegrityError {}
export class ForeignKeyViolationError extends IntegrityError {}
export class CheckViolationError extends IntegrityError {}
export class NotNullViolationError extends IntegrityError {}
/** A value PostgreSQL could not accept (bad number, date, enum label, overflow). */
export class InvalidValueError extends DbError {}
/** Concurrent transactions collided; retrying the whole transaction may succeed. */
export class SerializationError extends DbError {}
export class QueryTimeoutError extends DbError {}
/** A statement waited longer than lock_timeout for a row or table lock another transaction holds. */
export class LockNotAvailableError extends DbError {}
/** Every connection is busy and the wait queue is full, or the wait (PG_POOL_WAIT_MS) ran out. */
export class PoolSaturatedError extends DbError {}
/** The caller (an HTTP client that hung up, a shutdown past its grace) no longer wants the work: nothing more runs or commits. */
export class WorkCancelledError extends DbError {}
/** Cancelled by a shutdown past its grace: the caller may still be there, and may retry on another instance. */
export class ShuttingDownError extends WorkCancelledError {}
/** The database is unreachable or went away mid-query. */
export class ConnectionError extends DbError {}
/** one() found no row (a domain "not found" is errors.ts NotFoundError). */
export class RowNotFoundError extends DbError {}
/** one() or maybeOne() found more than one row. */
export class TooManyRowsError extends DbError {}

const BY_CODE: Record<string, typeof DbError> = {
  '23505': UniqueViolationError,
  '23503': ForeignKeyViolationError,
  '23001': ForeignKeyViolationError, // restrict_violation: ON DELETE RESTRICT
  '23514': CheckViolationError,
  '23502': NotNullViolationError,
  '23P01': IntegrityError,
  '40001': SerializationError,
  '40P01': SerializationError,
  '57014': QueryTimeoutError,
  '55P03': LockNotAvailableError,
  '57P01': ConnectionError,
  '57P02': ConnectionError,
  '57P03': ConnectionError,
};

function classFor(code: string): typeof DbError {
  const exact = BY_CODE[code];
  if (exact) return exact;
  if (code.startsWith('22')) return InvalidValueError; // data exception class
  if (code.startsWith('08')) return ConnectionError;
  return DbError;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

/** Wraps anything a query threw into a DbError subclass. */
export function toDbError(err: unknown, queryName?: string): DbError {
  if (err instanceof DbError) return err;
  if (err instanceof pg.DatabaseError) {
    const Cls = classFor(err.code ?? '');
    return new Cls(err.message, {
      code: err.code,
      queryName,
      cause: err,
      constraint: err.constraint,
      column: err.column,
      table: err.table,
    });
  }
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (
    (typeof code === 'string' && NETWORK_CODES.has(code)) ||
    /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i.test(message)
  ) {
    return new ConnectionError(message, { code: typeof code === 'string' ? code : undefined, queryName, cause: err });
  }
  return new DbError(message, { queryName, cause: err });
}
