import type { Queryable } from '../db/database.ts';
import { listEquipmentTypes, type EquipmentType } from './equipment.sql.ts';

/** The managed list of equipment types (codes and names in each language). */
export class EquipmentService {
  private readonly db: Queryable;
  constructor(db: Queryable) {
    this.db = db;
  }

  /** Every type in display order; inactive ones still name old orders. Readable by anyone with a role. */
  list(): Promise<EquipmentType[]> {
    return listEquipmentTypes(this.db);
  }
}
