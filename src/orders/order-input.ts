import { z } from 'zod';
import { ORDER_STATUSES } from '../db/enums.ts';
import { isAmount, MAX_AMOUNT } from './money.ts';

/**
 * Input shapes for orders, shared by the HTTP API (validation and the
 * OpenAPI document) and the bot (step-by-step validation). Field names are
 * the API's snake_case.
 */

/** Strips formatting; keeps a leading + and the digits. */
export function normalizePhone(raw: string): string {
  const trimmed = raw.trim();
  return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '');
}

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // Control characters other than newline and tab have no place in a field a person reads.
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');

export const phoneSchema = z
  .string()
  .max(40, 'must be at most 40 characters')
  .refine((s) => /^[\d\s()+.-]+$/.test(s.trim()), 'may contain only digits, spaces, +, -, ., ( and )')
  .transform(normalizePhone)
  .refine((s) => /^\+?[0-9]{5,20}$/.test(s), 'must have 5 to 20 digits');

export const equipmentCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be an equipment type code like washing_machine');

// PostgreSQL would refuse year 0 and answer years before 1 AD or after 9999
// in a form that is not RFC 3339; no visit or repair date lies outside these.
const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);
const inRange = (s: string) => {
  const t = Date.parse(s);
  return t >= EARLIEST && t < LATEST;
};

export const timestampSchema = z.iso
  .datetime({ offset: true, message: 'must be an RFC 3339 timestamp with a time zone' })
  .refine(inRange, 'must lie between 1900 and 9999 (UTC)');
export const dateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' }).refine(inRange, 'must lie between 1900 and 9999');

export const amountSchema = z.string().refine(isAmount, `must be a decimal string like "1234.50", from 0 to ${MAX_AMOUNT}`);

export const statusSchema = z.enum(ORDER_STATUSES);

export const createOrderSchema = z.strictObject({
  equipment_type: equipmentCodeSchema,
  description: text(4000),
  client_name: text(200),
  client_address: text(500),
  client_phone: phoneSchema,
  notes: text(2000).nullable().optional(),
  scheduled_at: timestampSchema.nullable().optional(),
  scheduled_note: text(200).nullable().optional(),
});
export type CreateOrderInput = z.output<typeof createOrderSchema>;

export const patchOrderSchema = z
  .strictObject({
    equipment_type: equipmentCodeSchema.optional(),
    description: text(4000).optional(),
    client_name: text(200).optional(),
    client_address: text(500).optional(),
    client_phone: phoneSchema.optional(),
    notes: text(2000).nullable().optional(),
    scheduled_at: timestampSchema.nullable().optional(),
    scheduled_note: text(200).nullable().optional(),
  })
  .refine((o) => Object.keys(o).length > 0, 'must change at least one field');
export type PatchOrderInput = z.output<typeof patchOrderSchema>;

export const reasonSchema = text(1000);

export const transitionBodySchemas = {
  assign: z.strictObject({ master_id: z.int().positive() }),
  unassign: z.strictObject({ note: text(1000).optional() }),
  accept: z.strictObject({}),
  decline: z.strictObject({ reason: reasonSchema }),
  arrive: z.strictObject({}),
  long_repair: z.strictObject({ estimated_completion_date: dateSchema, prepayment_amount: amountSchema.nullable().optional() }),
  resume: z.strictObject({}),
  complete: z.strictObject({
    total_amount: amountSchema,
    materials_cost: amountSchema,
    has_review: z.boolean(),
    out_of_city: z.boolean(),
  }),
  close: z.strictObject({}),
  refuse: z.strictObject({ reason: reasonSchema }),
  reopen: z.strictObject({ note: text(1000).optional() }),
  reschedule: z.strictObject({ scheduled_at: timestampSchema, reason: reasonSchema }),
} as const;
