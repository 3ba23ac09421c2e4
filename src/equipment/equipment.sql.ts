import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { RowOf } from '../db/types.ts';

const EQUIPMENT_TYPE_COLUMNS = {
  /** Stable code orders refer to, e.g. washing_machine. */
  code: 'text',
  name_ru: 'text',
  name_en: 'text',
  /** The legacy bot's label for this type, used by the importer. */
  legacy_label: 'text?',
  /** Inactive types still name old orders but are not offered for new ones. */
  is_active: 'bool',
  sort_order: 'int4',
} as const;

export type EquipmentType = RowOf<typeof EQUIPMENT_TYPE_COLUMNS>;

const listEquipmentTypesQuery = defineQuery({
  name: 'equipment.list_equipment_types',
  params: {},
  columns: EQUIPMENT_TYPE_COLUMNS,
  text: `SELECT code, name_ru, name_en, legacy_label, is_active, sort_order FROM equipment_types ORDER BY sort_order, code`,
});

/** The managed list of equipment types, in display order (a few rows). */
export function listEquipmentTypes(db: Queryable): Promise<EquipmentType[]> {
  return db.many(listEquipmentTypesQuery, {});
}
