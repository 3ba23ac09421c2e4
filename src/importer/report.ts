import type { OtherTable } from './legacy-tables.ts';
import type { RateOutcome } from './rates-step.ts';

/**
 * What an import did, table by table: rows read, imported (of them, imported
 * as deleted), already there from an earlier run, updated from a later
 * snapshot, left alone as conflicts, skipped and adjusted, each decision
 * counted under its reason with a few legacy ids to look at. A row can be
 * adjusted for several reasons; it counts once in `adjusted` and once under
 * each reason. Every row read lands in exactly one of imported,
 * already_imported, updated, conflicts and skipped.
 */
export const IMPORTED_TABLES = ['users', 'masters', 'orders', 'order_status_history', 'audit_log'] as const;
export type ImportedTable = (typeof IMPORTED_TABLES)[number];

const EXAMPLES = 5;

interface ReasonCount {
  count: number;
  /** Legacy ids of the first rows concerned. */
  legacy_ids: number[];
}

interface TableReport {
  read: number;
  imported: number;
  /** Of the imported rows, those the legacy file had soft-deleted: imported as deleted. */
  deleted: number;
  already_imported: number;
  /** Rows a later snapshot changed, written again. */
  updated: number;
  /** Rows changed on both sides since the last import: left as the new system has them. */
  conflicts: number;
  skipped: number;
  adjusted: number;
  skipped_reasons: Record<string, ReasonCount>;
  adjusted_reasons: Record<string, ReasonCount>;
  /** Legacy columns a later snapshot changed, per column. */
  updated_fields: Record<string, ReasonCount>;
  conflict_ids: number[];
}

export interface ImportSummary {
  file: string;
  /** The source legacy ids are matched within (one per bot, e.g. a city). */
  source: string;
  /** False when this source was imported before: this run brought a later snapshot. */
  first_import: boolean;
  dry_run: boolean;
  /** True when the tables were loaded without their secondary indexes and keys, built again before the commit (bulk-load.ts). */
  bulk_load: boolean;
  committed: boolean;
  duration_ms: number;
  tables: Record<ImportedTable, TableReport>;
  /** Rows the import had to create beyond the legacy rows themselves. */
  created: { equipment_types: string[]; placeholder_masters: number; users_for_masters: number; status_history_for_adjustments: number };
  /** Each specialization_rates row (the latest bot's) and the commission rule it became, or why none. */
  commission_rules: RateOutcome[];
  /** Tables in the file that are not imported, each with its rows and why. */
  not_imported: OtherTable[];
  /** What else a reader must know: values not imported and why, columns the file lacked. */
  notes: string[];
}

function emptyTable(): TableReport {
  return {
    read: 0,
    imported: 0,
    deleted: 0,
    already_imported: 0,
    updated: 0,
    conflicts: 0,
    skipped: 0,
    adjusted: 0,
    skipped_reasons: {},
    adjusted_reasons: {},
    updated_fields: {},
    conflict_ids: [],
  };
}

function countReason(into: Record<string, ReasonCount>, reason: string, legacyId: number | null): void {
  const entry = (into[reason] ??= { count: 0, legacy_ids: [] });
  entry.count++;
  if (legacyId !== null && entry.legacy_ids.length < EXAMPLES) entry.legacy_ids.push(legacyId);
}

export class ImportReport {
  readonly summary: ImportSummary;
  private readonly started = performance.now();

  constructor(file: string, source: string, dryRun: boolean) {
    this.summary = {
      file,
      source,
      first_import: true,
      dry_run: dryRun,
      bulk_load: false,
      committed: false,
      duration_ms: 0,
      tables: Object.fromEntries(IMPORTED_TABLES.map((t) => [t, emptyTable()])) as Record<ImportedTable, TableReport>,
      created: { equipment_types: [], placeholder_masters: 0, users_for_masters: 0, status_history_for_adjustments: 0 },
      commission_rules: [],
      not_imported: [],
      notes: [],
    };
  }

  read(table: ImportedTable, n = 1): void {
    this.summary.tables[table].read += n;
  }

  already(table: ImportedTable, n = 1): void {
    this.summary.tables[table].already_imported += n;
  }

  skip(table: ImportedTable, legacyId: number | null, reason: string): void {
    const t = this.summary.tables[table];
    t.skipped++;
    countReason(t.skipped_reasons, reason, legacyId);
  }

  /** One imported row, with what had to change to make it fit (nothing, usually). */
  imported(table: ImportedTable, legacyId: number | null, reasons: readonly string[], deleted = false): void {
    const t = this.summary.tables[table];
    t.imported++;
    if (deleted) t.deleted++;
    this.adjusted(t, legacyId, reasons);
  }

  /** A row a later snapshot changed, written again; `fields` are the legacy columns that changed. */
  updated(table: ImportedTable, legacyId: number, fields: readonly string[], reasons: readonly string[]): void {
    const t = this.summary.tables[table];
    t.updated++;
    for (const field of fields) countReason(t.updated_fields, field, legacyId);
    this.adjusted(t, legacyId, reasons);
  }

  /** A row changed in the legacy file and in the new system since the last import: left as the new system has it. */
  conflict(table: ImportedTable, legacyId: number): void {
    const t = this.summary.tables[table];
    t.conflicts++;
    if (t.conflict_ids.length < 50) t.conflict_ids.push(legacyId);
  }

  note(line: string): void {
    if (!this.summary.notes.includes(line)) this.summary.notes.push(line);
  }

  private adjusted(t: TableReport, legacyId: number | null, reasons: readonly string[]): void {
    if (reasons.length === 0) return;
    t.adjusted++;
    for (const reason of new Set(reasons)) countReason(t.adjusted_reasons, reason, legacyId);
  }

  finish(committed: boolean): ImportSummary {
    this.summary.committed = committed;
    this.summary.duration_ms = Math.round(performance.now() - this.started);
    return this.summary;
  }
}

const COLUMNS = ['read', 'imported', 'deleted', 'already_imported', 'updated', 'conflicts', 'skipped', 'adjusted'] as const;
const HEADERS = ['read', 'imported', 'of them deleted', 'already imported', 'updated', 'conflicts', 'skipped', 'adjusted'];

function reasonLines(title: string, table: string, reasons: Record<string, ReasonCount>): string[] {
  return Object.entries(reasons)
    .sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))
    .map(([reason, r]) => `  ${title} ${table}: ${r.count} x ${reason} (legacy ids ${r.legacy_ids.join(', ')}${r.count > r.legacy_ids.length ? ', ...' : ''})`);
}

/** The report for a person reading a terminal. */
export function renderReport(s: ImportSummary): string {
  const mode = s.dry_run ? 'DRY RUN: everything was rolled back' : s.committed ? 'committed' : 'not committed';
  const lines = [
    `Legacy import of ${s.file} as source ${s.source}${s.first_import ? '' : ' (a later snapshot)'} (${mode}) in ${(s.duration_ms / 1000).toFixed(1)} s`,
    '',
  ];
  const width = Math.max(...IMPORTED_TABLES.map((t) => t.length));
  lines.push(`${'table'.padEnd(width)}${HEADERS.map((h) => h.padStart(18)).join('')}`);
  for (const t of IMPORTED_TABLES) {
    lines.push(`${t.padEnd(width)}${COLUMNS.map((c) => String(s.tables[t][c]).padStart(18)).join('')}`);
  }
  const details = IMPORTED_TABLES.flatMap((t) => [
    ...reasonLines('skipped', t, s.tables[t].skipped_reasons),
    ...reasonLines('adjusted', t, s.tables[t].adjusted_reasons),
    ...reasonLines('updated', t, Object.fromEntries(Object.entries(s.tables[t].updated_fields).map(([f, r]) => [`${f} changed`, r]))),
    ...(s.tables[t].conflicts
      ? [
          `  conflict ${t}: ${s.tables[t].conflicts} x changed in the legacy file and in the new system since the last import, kept as the new system has it (legacy ids ${s.tables[t].conflict_ids.join(', ')})`,
        ]
      : []),
  ]);
  if (details.length) lines.push('', 'Decisions:', ...details);
  const c = s.created;
  lines.push(
    '',
    `Created: ${c.equipment_types.length} equipment type(s)${c.equipment_types.length ? ` (${c.equipment_types.join(', ')})` : ''}, ` +
      `${c.placeholder_masters} placeholder master(s) for deleted legacy masters, ${c.users_for_masters} user(s) for masters without a user row, ` +
      `${c.status_history_for_adjustments} status history row(s) recording status adjustments`,
  );
  if (s.commission_rules.length) {
    lines.push('', 'specialization_rates -> commission rules:');
    for (const r of s.commission_rules) {
      const to = r.equipment_types.length ? ` -> ${r.equipment_types.join(', ')}` : '';
      lines.push(`  #${r.legacy_id ?? '?'} ${r.specialization} ${r.master_percentage ?? '?'}/${r.company_percentage ?? '?'}${to}: ${r.result}, ${r.reason}`);
    }
  }
  if (s.not_imported.length) {
    lines.push('', 'Not imported:');
    for (const t of s.not_imported) lines.push(`  ${t.table} (${t.kind}, ${t.rows} row(s)): ${t.reason}`);
  }
  if (s.notes.length) lines.push('', 'Notes:', ...s.notes.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}
