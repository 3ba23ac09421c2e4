import { z } from 'zod';
import type { Queryable } from '../db/database.ts';
import { UniqueViolationError } from '../db/errors.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.ts';
import { text } from '../input.ts';
import { requireAdmin, type Principal } from '../users/principal.ts';
import {
  insertEquipmentType,
  listEquipmentTypes,
  reorderEquipmentTypes,
  updateEquipmentType,
  type EquipmentType,
  type EquipmentTypePatch,
  type NewEquipmentType,
} from './equipment.sql.ts';

export type { EquipmentType } from './equipment.sql.ts';

const name = text(100);

/** An equipment type's stable code (also a path parameter). */
export const equipmentCodeSchema = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2-40 characters of a-z, 0-9 and _, starting with a letter');

/** A new type: a stable code and its names (plural for menus, singular for cards) in each language. */
export const newEquipmentTypeSchema = z.strictObject({
  code: equipmentCodeSchema,
  name_ru: name,
  name_en: name,
  singular_ru: name.nullable().default(null),
  singular_en: name.nullable().default(null),
});

export const equipmentTypePatchSchema = z
  .strictObject({ name_ru: name, name_en: name, singular_ru: name, singular_en: name, is_active: z.boolean() })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'must change at least one field');

export const reorderSchema = z.strictObject({
  codes: z
    .array(z.string().max(40))
    .min(1)
    .max(200)
    .refine((c) => new Set(c).size === c.length, 'must not repeat a code'),
});

/** The managed list of equipment types (codes and names in each language). Admins change it; every change is audited. */
export class EquipmentService {
  private readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }

  /** Every type in display order; inactive ones still name old orders. Readable by anyone with a role. */
  list(): Promise<EquipmentType[]> {
    return listEquipmentTypes(this.db);
  }

  async add(actor: Principal, input: NewEquipmentType): Promise<EquipmentType> {
    requireAdmin(actor);
    try {
      return await insertEquipmentType(this.db, input, actor.userId);
    } catch (err) {
      if (err instanceof UniqueViolationError) throw new ConflictError(`equipment type ${input.code} already exists`, { field: 'code' });
      throw err;
    }
  }

  /** Renames, activates or deactivates a type (deactivated: no longer offered for new orders). */
  async change(actor: Principal, code: string, patch: EquipmentTypePatch): Promise<EquipmentType> {
    requireAdmin(actor);
    const changed = await updateEquipmentType(this.db, code, patch, actor.userId);
    if (!changed) throw new NotFoundError(`equipment type ${code} does not exist`, { field: 'code' });
    return changed;
  }

  /** Puts these codes first in the menus, in this order; the rest keep their order after them. */
  async reorder(actor: Principal, codes: string[]): Promise<EquipmentType[]> {
    requireAdmin(actor);
    const known = new Set((await this.list()).map((t) => t.code));
    const unknown = codes.filter((c) => !known.has(c));
    if (unknown.length) throw new UnprocessableError(`unknown equipment types: ${unknown.join(', ')}`, { field: 'codes' });
    await reorderEquipmentTypes(this.db, codes, actor.userId);
    return this.list();
  }
}
