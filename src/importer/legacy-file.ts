import { statSync } from 'node:fs';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { ImportedTable } from './report.ts';

/**
 * The legacy bot's SQLite file, opened read-only with Node's built-in
 * node:sqlite. Checked before anything is written anywhere: it must exist,
 * be an undamaged SQLite database and have the legacy tables and columns.
 */
export class LegacyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LegacyFileError';
  }
}

/** Every column the importer reads, per legacy table (the schema after its 5 migrations). */
const LEGACY_COLUMNS: Record<ImportedTable, readonly string[]> = {
  users: ['id', 'telegram_id', 'username', 'first_name', 'last_name', 'role', 'created_at'],
  masters: ['id', 'telegram_id', 'phone', 'specialization', 'is_active', 'is_approved', 'work_chat_id', 'created_at'],
  orders: [
    'id',
    'equipment_type',
    'description',
    'client_name',
    'client_address',
    'client_phone',
    'status',
    'assigned_master_id',
    'dispatcher_id',
    'notes',
    'scheduled_time',
    'total_amount',
    'materials_cost',
    'master_profit',
    'company_profit',
    'has_review',
    'out_of_city',
    'estimated_completion_date',
    'prepayment_amount',
    'rescheduled_count',
    'last_rescheduled_at',
    'reschedule_reason',
    'created_at',
    'updated_at',
  ],
  order_status_history: ['id', 'order_id', 'old_status', 'new_status', 'changed_by', 'changed_at', 'notes'],
  audit_log: ['id', 'user_id', 'action', 'details', 'timestamp'],
};

export type LegacyRow = Record<string, unknown>;

// SQLite statements over constant identifiers only; the file is read, never written.
const SELECT_ALL = Object.fromEntries(
  Object.entries(LEGACY_COLUMNS).map(([table, cols]) => [table, `SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY "id"`]),
) as Record<ImportedTable, string>;

const DISTINCT_EQUIPMENT = 'SELECT DISTINCT equipment_type AS value FROM orders';
const CLOSED_MASTER_IDS = `SELECT DISTINCT assigned_master_id AS value FROM orders
  WHERE upper(trim(status)) IN ('CLOSED', 'COMPLETED') AND assigned_master_id IS NOT NULL`;
const REFERENCED_TELEGRAM_IDS = `SELECT dispatcher_id AS value FROM orders WHERE dispatcher_id IS NOT NULL
  UNION SELECT changed_by FROM order_status_history WHERE changed_by IS NOT NULL
  UNION SELECT user_id FROM audit_log WHERE user_id IS NOT NULL`;

export class LegacyFile {
  readonly path: string;
  /** Tables in the file the importer does not read. */
  readonly otherTables: string[];
  private readonly db: DatabaseSync;

  private constructor(path: string, db: DatabaseSync, otherTables: string[]) {
    this.path = path;
    this.db = db;
    this.otherTables = otherTables;
  }

  static open(path: string): LegacyFile {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new LegacyFileError(`${path}: no such file`);
    }
    if (!stat.isFile()) throw new LegacyFileError(`${path}: not a file`);
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path, { readOnly: true });
      const check = db
        .prepare('PRAGMA quick_check')
        .all()
        .map((r) => String(Object.values(r)[0]));
      if (check.join() !== 'ok') throw new LegacyFileError(`${path}: the SQLite file is damaged (${check.slice(0, 3).join('; ')})`);
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all()
        .map((r) => String(r.name));
      const problems: string[] = [];
      const columnsOf = db.prepare('SELECT name FROM pragma_table_info(?)');
      for (const [table, wanted] of Object.entries(LEGACY_COLUMNS)) {
        if (!tables.includes(table)) {
          problems.push(`table ${table} is missing`);
          continue;
        }
        const have = new Set(columnsOf.all(table).map((r) => String(r.name)));
        const missing = wanted.filter((c) => !have.has(c));
        if (missing.length) problems.push(`${table} lacks ${missing.join(', ')}`);
      }
      if (problems.length) throw new LegacyFileError(`${path}: not the legacy bot's database: ${problems.join('; ')}`);
      const known = Object.keys(LEGACY_COLUMNS);
      return new LegacyFile(
        path,
        db,
        tables.filter((t) => !known.includes(t)),
      );
    } catch (err) {
      db?.close();
      if (err instanceof LegacyFileError) throw err;
      throw new LegacyFileError(`${path}: not a readable SQLite database (${(err as Error).message})`);
    }
  }

  private prepare(sql: string): StatementSync {
    const statement = this.db.prepare(sql);
    // Integers arrive as bigint: a value past 2^53 must not turn into a wrong number silently.
    statement.setReadBigInts(true);
    return statement;
  }

  /** Rows of a legacy table by id, lazily. */
  rows(table: ImportedTable): Iterable<LegacyRow> {
    return this.prepare(SELECT_ALL[table]).iterate() as Iterable<LegacyRow>;
  }

  private values(sql: string): unknown[] {
    return this.prepare(sql)
      .all()
      .map((r) => r.value);
  }

  /** Distinct equipment labels orders use. */
  equipmentLabels(): unknown[] {
    return this.values(DISTINCT_EQUIPMENT);
  }

  /** Master ids closed orders point at (they need a master even when it was deleted). */
  closedOrderMasterIds(): unknown[] {
    return this.values(CLOSED_MASTER_IDS);
  }

  /** Telegram ids orders, history and audit rows refer to. */
  referencedTelegramIds(): unknown[] {
    return this.values(REFERENCED_TELEGRAM_IDS);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}

/** An integer id from a dynamically typed column, or null when it is not one. */
export function asInteger(raw: unknown): number | null {
  if (typeof raw === 'bigint') return raw >= BigInt(Number.MIN_SAFE_INTEGER) && raw <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(raw) : null;
  if (typeof raw === 'number') return Number.isSafeInteger(raw) ? raw : null;
  if (typeof raw === 'string' && /^\s*-?\d{1,15}\s*$/.test(raw)) return Number(raw);
  return null;
}

/** 0/1, 'true'/'false' and friends; null for empty, undefined for anything else. */
export function asBoolean(raw: unknown): boolean | null | undefined {
  if (raw === null || raw === undefined) return null;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a SQLite cell: number, bigint or text, never an object
  const text = String(raw).trim().toLowerCase();
  if (['1', 'true', 't', 'yes', 'y'].includes(text)) return true;
  if (['0', 'false', 'f', 'no', 'n', ''].includes(text)) return text === '' ? null : false;
  return undefined;
}

export function* chunks<T>(rows: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
