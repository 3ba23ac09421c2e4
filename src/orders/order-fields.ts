import { z } from 'zod';
import type { ParamOf, ParamsOf, PgBaseType } from '../db/types.ts';
import { text, timestampSchema } from '../input.ts';
import { canonicalClientPhone, clientPhoneSchema } from './client-phone.ts';

/**
 * The fields a person gives an order, declared once: PostgreSQL type
 * (a trailing ? is nullable), input schema, whether it may be edited, and
 * what it means. The create and patch schemas, the insert and update
 * statements (orders.sql.ts, order-actions.sql.ts), the view's columns and
 * the TS input types all derive from this table. The compiler checks that
 * each input schema produces what its column takes.
 */
type FieldDecl = PgBaseType | `${PgBaseType}?`;
type Base<D> = D extends `${infer B}?` ? B : D;

export interface OrderField<D extends FieldDecl = FieldDecl, S extends z.ZodType = z.ZodType, E extends boolean = boolean> {
  pg: D;
  input: S;
  editable: E;
  doc: string | undefined;
  /** The stored form of a value (the schema produces it too; this covers callers that skip the schema). */
  normalize: ((value: string) => string) | undefined;
}

function field<const D extends FieldDecl, S extends z.ZodType<ParamOf<Base<D>>>, const E extends boolean>(
  pg: D,
  input: S,
  opts: { editable: E; doc?: string; normalize?: (value: string) => string },
): OrderField<D, S, E> {
  return { pg, input, editable: opts.editable, doc: opts.doc, normalize: opts.normalize };
}

export const equipmentCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be an equipment type code like washing_machine');

export const ORDER_FIELDS = {
  equipment_type: field('text', equipmentCodeSchema, { editable: true, doc: 'equipment_types.code, e.g. washing_machine' }),
  description: field('text', text(4000), { editable: true }),
  client_name: field('text', text(200), { editable: true }),
  client_address: field('text', text(500), { editable: true }),
  client_phone: field('text', clientPhoneSchema, {
    editable: true,
    doc: 'canonical: +7XXXXXXXXXX for Russian numbers however typed (8 916..., +7 (916)...), otherwise the digits with an optional leading +',
    normalize: canonicalClientPhone,
  }),
  notes: field('text?', text(2000), { editable: true }),
  scheduled_at: field('timestamptz?', timestampSchema, { editable: true, doc: 'agreed visit time (the start of a window), when known' }),
  scheduled_until: field('timestamptz?', timestampSchema, { editable: true, doc: 'end of the agreed visit window ("с 10 до 16"); after scheduled_at' }),
  scheduled_note: field('text?', text(200), { editable: true, doc: 'visit time as typed by a person when it could not be parsed' }),
};

type Fields = typeof ORDER_FIELDS;
export type OrderFieldName = keyof Fields;
export type EditableField = { [K in OrderFieldName]: Fields[K]['editable'] extends true ? K : never }[OrderFieldName];

export const ORDER_FIELD_NAMES = Object.keys(ORDER_FIELDS) as OrderFieldName[];
const EDITABLE_FIELDS = ORDER_FIELD_NAMES.filter((k): k is EditableField => ORDER_FIELDS[k].editable);

const isNullable = (k: OrderFieldName) => ORDER_FIELDS[k].pg.endsWith('?');

/**
 * Object.fromEntries over the fields. TypeScript cannot type a computed
 * object per key, so the derived shapes below are stated as mapped types and
 * this is the one place that asserts the runtime object matches them.
 */
function byField<T>(names: readonly OrderFieldName[], fn: (k: OrderFieldName) => unknown): T {
  return Object.fromEntries(names.map((k) => [k, fn(k)])) as T;
}

/** Column type of each field, as the view and the statements declare it. */
export type FieldDecls = { [K in OrderFieldName]: Fields[K]['pg'] };
export const FIELD_DECLS = byField<FieldDecls>(ORDER_FIELD_NAMES, (k) => ORDER_FIELDS[k].pg);

/** Every field, null where absent: what an insert takes. */
export type NewOrder = ParamsOf<FieldDecls>;
/** Editable fields; an absent key is left alone, null clears a nullable one. */
export type OrderFieldsPatch = Partial<Pick<NewOrder, EditableField>>;

const described = <S extends z.ZodType>(s: S, k: OrderFieldName): S => {
  const doc = ORDER_FIELDS[k].doc;
  return doc ? s.meta({ description: doc }) : s;
};

type CreateShape = {
  [K in OrderFieldName]: Fields[K]['pg'] extends `${string}?` ? z.ZodDefault<z.ZodNullable<Fields[K]['input']>> : Fields[K]['input'];
};
/** POST /orders and the bot's new-order dialogue: nullable fields may be left out (null). */
export const createOrderSchema = z.strictObject(
  byField<CreateShape>(ORDER_FIELD_NAMES, (k) => described(isNullable(k) ? ORDER_FIELDS[k].input.nullable().default(null) : ORDER_FIELDS[k].input, k)),
);
export type CreateOrderInput = z.output<typeof createOrderSchema>;

type PatchShape = {
  [K in EditableField]: Fields[K]['pg'] extends `${string}?` ? z.ZodOptional<z.ZodNullable<Fields[K]['input']>> : z.ZodOptional<Fields[K]['input']>;
};
/** PATCH /orders/{id}: any editable fields, at least one. */
export const patchOrderSchema = z
  .strictObject(
    byField<PatchShape>(EDITABLE_FIELDS, (k) => described(isNullable(k) ? ORDER_FIELDS[k].input.nullable().optional() : ORDER_FIELDS[k].input.optional(), k)),
  )
  .refine((o) => Object.keys(o).length > 0, 'must change at least one field');
type PatchOrderInput = z.output<typeof patchOrderSchema>;

// The schemas produce exactly what the statements take: a drift is a compile error here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const createMatchesInsert: Same<CreateOrderInput, NewOrder> = true;
const patchMatchesUpdate: Same<PatchOrderInput, OrderFieldsPatch> = true;
void createMatchesInsert;
void patchMatchesUpdate;

/**
 * An edit's statement: per editable field a "set it" flag and the value, so
 * a patch can clear a nullable field (null) or leave it (absent).
 */
export type PatchDecls = { [K in EditableField as `set_${K}`]: 'bool' } & { [K in EditableField]: `${Base<Fields[K]['pg']>}?` };
export const PATCH_DECLS = Object.fromEntries(
  EDITABLE_FIELDS.flatMap((k) => [
    [`set_${k}`, 'bool'],
    [k, `${ORDER_FIELDS[k].pg.replace('?', '')}?`],
  ]),
) as PatchDecls;

/** The SET lines of an edit, given the statement's placeholders. */
export function patchSetSql(p: Record<string, string>): string {
  return EDITABLE_FIELDS.map((k) => `${k} = CASE WHEN ${p[`set_${k}`]} THEN ${p[k]} ELSE o.${k} END,`).join('\n    ');
}

export function patchParams(patch: OrderFieldsPatch): ParamsOf<PatchDecls> {
  const params: Record<string, unknown> = {};
  for (const k of EDITABLE_FIELDS) {
    params[`set_${k}`] = patch[k] !== undefined;
    params[k] = patch[k] ?? null;
  }
  return params as ParamsOf<PatchDecls>;
}

/** Fields in their stored form (phone digits), whatever form the caller gave them in. */
export function normalized<T extends Partial<Record<OrderFieldName, unknown>>>(fields: T): T {
  const out: Record<string, unknown> = { ...fields };
  for (const k of ORDER_FIELD_NAMES) {
    const norm = ORDER_FIELDS[k].normalize;
    const value = out[k];
    if (norm && typeof value === 'string') out[k] = norm(value);
  }
  return out as T;
}

/** The field a CHECK or foreign key on orders guards (orders_<field>_<rule>), if a person supplies it. */
export function fieldOfOrderConstraint(constraint: string | undefined): OrderFieldName | undefined {
  return ORDER_FIELD_NAMES.find((k) => constraint?.startsWith(`orders_${k}_`));
}
