import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { describeOtherTable, type OtherTable } from './legacy-tables.ts';
import type { ImportedTable } from './report.ts';

/**
 * The legacy bot's SQLite file, of any of its schema versions (audited, the
 * early one without the later columns, the middle one with soft deletes, the
 * latest), read with Node's built-in node:sqlite and never written. Checked
 * before anything is written anywhere: it must exist, be an undamaged SQLite
 * database and have the legacy tables with their core columns.
 */
export class LegacyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LegacyFileError';
  }
}

/** Columns every version has (app/database/db.py's first schema); the rest are optional, read when present. */
const CORE_COLUMNS: Record<ImportedTable, readonly string[]> = {
  users: ['id', 'telegram_id', 'username', 'first_name', 'last_name', 'role', 'created_at'],
  masters: ['id', 'telegram_id', 'phone', 'specialization', 'is_active', 'is_approved', 'created_at'],
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
    'created_at',
    'updated_at',
  ],
  order_status_history: ['id', 'order_id', 'old_status', 'new_status', 'changed_by', 'changed_at'],
  audit_log: ['id', 'user_id', 'action', 'details', 'timestamp'],
};

export type LegacyRow = Record<string, unknown>;

// SQLite statements over constant identifiers only. Every column is read (SELECT *),
// so the legacy row is kept whole, columns this importer does not know included.
const SELECT_ALL = Object.fromEntries(Object.keys(CORE_COLUMNS).map((table) => [table, `SELECT * FROM "${table}" ORDER BY "id"`])) as Record<
  ImportedTable,
  string
>;
const COUNT_ALL = Object.fromEntries(Object.keys(CORE_COLUMNS).map((table) => [table, `SELECT count(*) AS value FROM "${table}"`])) as Record<
  ImportedTable,
  string
>;

// By order, so the history can be read alongside the orders (both by id) in one pass and bounded memory.
const HISTORY_BY_ORDER = 'SELECT order_id, new_status, changed_at, notes FROM order_status_history ORDER BY CAST(order_id AS INTEGER), id';
const DISTINCT_EQUIPMENT = 'SELECT DISTINCT equipment_type AS value FROM orders';
// 0 stands for "no master": closed orders without one get a placeholder master too.
const CLOSED_MASTER_IDS = `SELECT DISTINCT COALESCE(assigned_master_id, 0) AS value FROM orders
  WHERE upper(trim(status)) IN ('CLOSED', 'COMPLETED')`;
const REFERENCED_TELEGRAM_IDS = `SELECT dispatcher_id AS value FROM orders WHERE dispatcher_id IS NOT NULL
  UNION SELECT changed_by FROM order_status_history WHERE changed_by IS NOT NULL
  UNION SELECT user_id FROM audit_log WHERE user_id IS NOT NULL`;

/** A WAL-mode database says so in its header (bytes 18 and 19 are 2). */
function isWalMode(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(20);
    return readSync(fd, header, 0, 20, 0) === 20 && header[18] === 2 && header[19] === 2;
  } finally {
    closeSync(fd);
  }
}

/**
 * The file to open. A WAL-mode file cannot be opened read-only in place where
 * the directory is not ours (SQLite needs to create its -shm there), and its
 * newest rows may live only in the -wal sidecar: such a file is copied with
 * its sidecar into a private directory, where SQLite replays the WAL. The
 * original and its directory are never touched.
 */
function privateCopy(file: string): { path: string; dir: string } | null {
  if (!isWalMode(file) && !existsSync(`${file}-wal`)) return null;
  const dir = mkdtempSync(path.join(tmpdir(), 'repair-bot-import-'));
  const copy = path.join(dir, 'legacy.db');
  // The sidecar first: a checkpoint between the two copies then only repeats pages the main file already has.
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
  copyFileSync(file, copy);
  return { path: copy, dir };
}

export class LegacyFile {
  readonly path: string;
  /** Tables in the file the importer does not import, with their rows and why. */
  readonly otherTables: OtherTable[];
  /** Optional columns (soft deletes, versions, refuse_reason...) this file lacks, per table. */
  readonly missingColumns: Partial<Record<ImportedTable, string[]>>;
  private readonly db: DatabaseSync;
  private readonly tempDir: string | null;

  private constructor(
    file: string,
    db: DatabaseSync,
    tempDir: string | null,
    otherTables: OtherTable[],
    missingColumns: Partial<Record<ImportedTable, string[]>>,
  ) {
    this.path = file;
    this.db = db;
    this.tempDir = tempDir;
    this.otherTables = otherTables;
    this.missingColumns = missingColumns;
  }

  static open(file: string): LegacyFile {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      throw new LegacyFileError(`${file}: no such file`);
    }
    if (!stat.isFile()) throw new LegacyFileError(`${file}: not a file`);
    let db: DatabaseSync | undefined;
    let copy: { path: string; dir: string } | null = null;
    try {
      copy = privateCopy(file);
      // The private copy is opened read-write so SQLite can replay its WAL; the original only ever read-only.
      db = copy ? new DatabaseSync(copy.path) : new DatabaseSync(file, { readOnly: true });
      const check = db
        .prepare('PRAGMA quick_check')
        .all()
        .map((r) => String(Object.values(r)[0]));
      if (check.join() !== 'ok') throw new LegacyFileError(`${file}: the SQLite file is damaged (${check.slice(0, 3).join('; ')})`);
      const tables = db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
        .all()
        .map((r) => String(r.name));
      const problems: string[] = [];
      const missingColumns: Partial<Record<ImportedTable, string[]>> = {};
      const columnsOf = db.prepare('SELECT name FROM pragma_table_info(?)');
      for (const [table, wanted] of Object.entries(CORE_COLUMNS) as Array<[ImportedTable, readonly string[]]>) {
        if (!tables.includes(table)) {
          problems.push(`table ${table} is missing`);
          continue;
        }
        const have = new Set(columnsOf.all(table).map((r) => String(r.name)));
        const missing = wanted.filter((c) => !have.has(c));
        if (missing.length) problems.push(`${table} lacks ${missing.join(', ')}`);
        const optional = OPTIONAL_COLUMNS[table].filter((c) => !have.has(c));
        if (optional.length) missingColumns[table] = optional;
      }
      if (problems.length) throw new LegacyFileError(`${file}: not the legacy bot's database: ${problems.join('; ')}`);
      const known: string[] = Object.keys(CORE_COLUMNS);
      // Tables the importer does not know, named by the file itself: an identifier cannot be a parameter, so it is quoted.
      const count = (table: string) => Number((db!.prepare(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`).get() as { n: number }).n);
      const others = tables.filter((t) => !known.includes(t)).map((t) => describeOtherTable(t, count(t)));
      return new LegacyFile(file, db, copy?.dir ?? null, others, missingColumns);
    } catch (err) {
      db?.close();
      if (copy) rmSync(copy.dir, { recursive: true, force: true });
      if (err instanceof LegacyFileError) throw err;
      throw new LegacyFileError(`${file}: not a readable SQLite database (${(err as Error).message})`);
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

  /** Status history rows by order id, then id (only what an order's own row needs from it). */
  historyByOrder(): Iterable<LegacyRow> {
    return this.prepare(HISTORY_BY_ORDER).iterate() as Iterable<LegacyRow>;
  }

  /** How many rows a legacy table has (for the progress bar). */
  count(table: ImportedTable): number {
    return Number(this.values(COUNT_ALL[table])[0]);
  }

  /** Rows of a table the importer does not import (configuration kept in the report). */
  otherRows(table: string): LegacyRow[] {
    if (!this.otherTables.some((t) => t.table === table)) return [];
    return this.db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY rowid`).all();
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

  /** Master ids closed orders point at (they need a master even when it was deleted); 0 for none. */
  closedOrderMasterIds(): unknown[] {
    return this.values(CLOSED_MASTER_IDS);
  }

  /** Telegram ids orders, history and audit rows refer to. */
  referencedTelegramIds(): unknown[] {
    return this.values(REFERENCED_TELEGRAM_IDS);
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }
}

/** Columns later versions added; a file without them imports with their defaults. */
const OPTIONAL_COLUMNS: Record<ImportedTable, readonly string[]> = {
  users: ['deleted_at', 'version'],
  masters: ['work_chat_id', 'deleted_at', 'version'],
  orders: [
    'has_review',
    'out_of_city',
    'estimated_completion_date',
    'prepayment_amount',
    'rescheduled_count',
    'last_rescheduled_at',
    'reschedule_reason',
    'refuse_reason',
    'master_lead_name',
    'deleted_at',
    'version',
  ],
  order_status_history: ['notes'],
  audit_log: ['deleted_at'],
};

/** An integer id from a dynamically typed column, or null when it is not one. */
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export function asInteger(raw: unknown): number | null {
  if (typeof raw === 'bigint') return raw >= MIN_SAFE && raw <= MAX_SAFE ? Number(raw) : null;
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
