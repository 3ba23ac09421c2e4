import { z } from 'zod';
import { ORDER_STATUSES, USER_ROLES } from '../db/enums.ts';
import type { ColumnDecls, PgBaseType } from '../db/types.ts';

/**
 * Response schemas derived from the SQL column declarations that
 * test/db/query-types.test.ts checks against the schema, so what the
 * OpenAPI document promises is what the queries return.
 */
const BASE: Record<PgBaseType, () => z.ZodType> = {
  int2: () => z.int(),
  int4: () => z.int(),
  int8: () => z.int(),
  float8: () => z.number(),
  numeric: () =>
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .meta({ description: 'decimal string, e.g. "1234.50"' }),
  text: () => z.string(),
  bool: () => z.boolean(),
  timestamptz: () => z.iso.datetime({ offset: true }),
  date: () => z.iso.date(),
  jsonb: () => z.unknown(),
  bytea: () => z.string(),
  order_status: () => z.enum(ORDER_STATUSES),
  user_role: () => z.enum(USER_ROLES),
};

/** The response schema of one declared column type. */
export function columnSchema(decl: string): z.ZodType {
  const nullable = decl.endsWith('?');
  const type = nullable ? decl.slice(0, -1) : decl;
  const isArray = type.endsWith('[]');
  const base = BASE[(isArray ? type.slice(0, -2) : type) as PgBaseType]();
  const schema = isArray ? z.array(base) : base;
  return nullable ? schema.nullable() : schema;
}

/** A strict object schema with one property per declared column. */
export function rowSchema<C extends ColumnDecls>(columns: C, overrides: Partial<Record<keyof C, z.ZodType>> = {}): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, decl] of Object.entries(columns)) shape[name] = overrides[name as keyof C] ?? columnSchema(decl);
  return z.strictObject(shape);
}

/** Extension members (e.g. current_version, allowed_from) may follow. */
export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.string(),
  field: z.string().optional(),
  errors: z.array(z.strictObject({ field: z.string(), message: z.string() })).optional(),
  request_id: z.string().optional(),
});

/** A keyset page: pass next_cursor back as ?cursor= until it is null. */
export function pageSchema(item: z.ZodType) {
  return z.strictObject({ items: z.array(item), next_cursor: z.string().nullable() });
}

export function itemsSchema(item: z.ZodType) {
  return z.strictObject({ items: z.array(item) });
}
