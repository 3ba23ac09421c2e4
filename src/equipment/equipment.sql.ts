import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { RowOf } from '../db/types.ts';

const EQUIPMENT_TYPE_COLUMNS = {
  /** Stable code orders refer to, e.g. washing_machine. */
  code: 'text',
  /** Plural names, for menus ("Стиральные машины"). */
  name_ru: 'text',
  name_en: 'text',
  /** One appliance, for an order's card ("Стиральная машина"); null: the plural name serves. */
  singular_ru: 'text?',
  singular_en: 'text?',
  /** The legacy bot's label for this type, used by the importer. */
  legacy_label: 'text?',
  /** Inactive types still name old orders but are not offered for new ones. */
  is_active: 'bool',
  sort_order: 'int4',
} as const;

export type EquipmentType = RowOf<typeof EQUIPMENT_TYPE_COLUMNS>;

const SELECT = `t.code, t.name_ru, t.name_en, t.singular_ru, t.singular_en, t.legacy_label, t.is_active, t.sort_order`;

const listEquipmentTypesQuery = defineQuery({
  name: 'equipment.list_equipment_types',
  params: {},
  columns: EQUIPMENT_TYPE_COLUMNS,
  text: `SELECT ${SELECT} FROM equipment_types t ORDER BY t.sort_order, t.code`,
});

/** The managed list of equipment types, in display order (a few rows). */
export function listEquipmentTypes(db: Queryable): Promise<EquipmentType[]> {
  return db.many(listEquipmentTypesQuery, {});
}

const insertEquipmentTypeQuery = defineQuery({
  name: 'equipment.insert_equipment_type',
  params: { code: 'text', nameRu: 'text', nameEn: 'text', singularRu: 'text?', singularEn: 'text?', actorId: 'int8' },
  columns: EQUIPMENT_TYPE_COLUMNS,
  // A new type goes to the end of the list; its audit row rides on the same statement.
  text: `WITH added AS (
  INSERT INTO equipment_types AS t (code, name_ru, name_en, singular_ru, singular_en, sort_order)
  VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, (SELECT COALESCE(max(x.sort_order), 0) + 10 FROM equipment_types x))
  RETURNING ${SELECT}
), audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $6::int8, 'equipment_type.add', 'equipment_type', NULL, to_jsonb(a) FROM added a
)
SELECT * FROM added`,
});

export interface NewEquipmentType {
  code: string;
  name_ru: string;
  name_en: string;
  singular_ru: string | null;
  singular_en: string | null;
}

export function insertEquipmentType(db: Queryable, t: NewEquipmentType, actorId: number): Promise<EquipmentType> {
  return db.one(insertEquipmentTypeQuery, {
    code: t.code,
    nameRu: t.name_ru,
    nameEn: t.name_en,
    singularRu: t.singular_ru,
    singularEn: t.singular_en,
    actorId,
  });
}

const updateEquipmentTypeQuery = defineQuery({
  name: 'equipment.update_equipment_type',
  params: {
    code: 'text',
    nameRu: 'text?',
    nameEn: 'text?',
    singularRu: 'text?',
    singularEn: 'text?',
    isActive: 'bool?',
    actorId: 'int8',
    details: 'jsonb',
  },
  columns: EQUIPMENT_TYPE_COLUMNS,
  // Null leaves a field as it is (singular names cannot be cleared: a card needs a name).
  text: `WITH changed AS (
  UPDATE equipment_types t SET
    name_ru = COALESCE($2::text, t.name_ru),
    name_en = COALESCE($3::text, t.name_en),
    singular_ru = COALESCE($4::text, t.singular_ru),
    singular_en = COALESCE($5::text, t.singular_en),
    is_active = COALESCE($6::bool, t.is_active)
  WHERE t.code = $1::text
  RETURNING ${SELECT}
), audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  SELECT $7::int8, 'equipment_type.change', 'equipment_type', NULL, jsonb_build_object('code', c.code) || $8::jsonb FROM changed c
)
SELECT * FROM changed`,
});

export interface EquipmentTypePatch {
  name_ru?: string | undefined;
  name_en?: string | undefined;
  singular_ru?: string | undefined;
  singular_en?: string | undefined;
  is_active?: boolean | undefined;
}

/** Renames and (de)activates a type; null when no type has the code. */
export function updateEquipmentType(db: Queryable, code: string, patch: EquipmentTypePatch, actorId: number): Promise<EquipmentType | null> {
  return db.maybeOne(updateEquipmentTypeQuery, {
    code,
    nameRu: patch.name_ru ?? null,
    nameEn: patch.name_en ?? null,
    singularRu: patch.singular_ru ?? null,
    singularEn: patch.singular_en ?? null,
    isActive: patch.is_active ?? null,
    actorId,
    details: JSON.stringify(patch),
  });
}

const reorderEquipmentTypesQuery = defineQuery({
  name: 'equipment.reorder_equipment_types',
  params: { codes: 'text[]', actorId: 'int8' },
  columns: { code: 'text' },
  // The listed codes take positions 10, 20, ... in the given order; the rest follow in their old order.
  text: `WITH wanted AS (
  SELECT t.code, row_number() OVER (ORDER BY COALESCE(array_position($1::text[], t.code), 1000000 + t.sort_order), t.code) * 10 AS pos
  FROM equipment_types t
), moved AS (
  UPDATE equipment_types t SET sort_order = w.pos FROM wanted w WHERE w.code = t.code AND t.sort_order <> w.pos
  RETURNING t.code
), audit AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details)
  VALUES ($2::int8, 'equipment_type.reorder', 'equipment_type', NULL, jsonb_build_object('order', $1::text[]))
)
SELECT code FROM moved`,
});

/** Puts the given codes first, in this order. */
export function reorderEquipmentTypes(db: Queryable, codes: string[], actorId: number): Promise<Array<{ code: string }>> {
  return db.many(reorderEquipmentTypesQuery, { codes, actorId });
}
