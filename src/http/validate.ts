import { z } from 'zod';
import { NotFoundError, ValidationError } from '../errors.ts';
import { refuseUncleanText } from '../input.ts';

/**
 * Shared input schemas for paths and query strings, and zod issues turned
 * into one 400 naming the first offending field (all of them in `errors`).
 */
const INT8_MAX = 9_223_372_036_854_775_807n;

/**
 * A path id: a positive integer within int8. Ids PostgreSQL allows but no
 * sequence here will reach (above 2^53) cannot exist: they answer 404.
 */
export const idParam = z
  .string()
  .max(40, 'must be a positive integer within int8')
  .regex(/^[1-9][0-9]*$/, 'must be a positive integer')
  // Documented on the input side: that is what a client sends.
  .meta({ type: 'integer', format: 'int64', minimum: 1, description: 'positive integer id (int8)' })
  .transform((s, ctx) => {
    const n = BigInt(s);
    if (n > INT8_MAX) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${INT8_MAX}` });
      return z.NEVER;
    }
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
      ctx.addIssue({ code: 'custom', message: 'no such id', params: { status: 404 } });
      return z.NEVER;
    }
    return Number(n);
  });

/** An integer query parameter within [min, max], written in plain digits. */
export function intQuery(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^-?[0-9]{1,19}$/, 'must be an integer')
    .meta({ type: 'integer', minimum: min, maximum: max, description })
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
}

export const limitQuery = intQuery(1, 100, 'page size, 1..100 (default 20)');

export const cursorQuery = z
  .string()
  .max(200, 'is not a cursor this API returned')
  .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor this API returned')
  .meta({ description: 'opaque next_cursor of the previous page' });

/** A positive entity id in a query string (e.g. master_id). */
export const idQuery = intQuery(1, Number.MAX_SAFE_INTEGER, 'positive integer id');

/** Free text in a query string: no control characters, no broken or disguising characters (textFault). */
export function textQuery(min: number, max: number, description: string) {
  return z
    .string()
    .min(min, `must have at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001F]/.test(s), 'must not contain control characters')
    .superRefine(refuseUncleanText)
    .meta({ description });
}

function fieldOf(issue: z.core.$ZodIssue, root: string): string {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? root;
    return [...issue.path.map(String), key].join('.');
  }
  return issue.path.length ? issue.path.map(String).join('.') : root;
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `is not a known field${issue.keys.length > 1 ? ` (nor ${issue.keys.slice(1).join(', ')})` : ''}`;
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return 'is required';
  return issue.message;
}

/** Parses `input` or throws: 404 for an id that cannot exist, else 400 naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, root: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const gone = issues.find((i) => i.code === 'custom' && (i.params as { status?: number } | undefined)?.status === 404);
  if (gone) throw new NotFoundError('no such id', { field: fieldOf(gone, root) });
  const errors = issues.map((i) => ({ field: fieldOf(i, root), message: messageOf(i) }));
  const first = errors[0]!;
  throw new ValidationError(`${first.field}: ${first.message}`, { field: first.field, details: { errors } });
}
