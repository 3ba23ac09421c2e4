/**
 * The legacy file's tables beyond the five the importer brings over, each
 * with what it is and why it is not imported. The report prints every one
 * with its row count, so nothing leaves the file without a line saying so;
 * configuration is never called derived.
 */
type OtherTableKind = 'configuration' | 'derived' | 'bookkeeping' | 'history';

export interface OtherTable {
  table: string;
  rows: number;
  kind: OtherTableKind;
  reason: string;
}

const KNOWN: Record<string, { kind: OtherTableKind; reason: string }> = {
  specialization_rates: {
    kind: 'configuration',
    reason: 'commission rates per equipment type: imported as commission rules (the report lists each row), their values kept in the import audit entry',
  },
  parser_config: { kind: 'configuration', reason: "the lead parser's settings: this product has no lead parser" },
  parser_analytics: { kind: 'derived', reason: "the lead parser's counters: this product has no lead parser" },
  financial_reports: { kind: 'derived', reason: 'stored report snapshots: reports are computed from the imported orders' },
  master_financial_reports: { kind: 'derived', reason: 'stored report snapshots per master: reports are computed from the imported orders' },
  order_reports: { kind: 'derived', reason: 'one snapshot row per closed order: reports are computed from the imported orders' },
  master_report_archives: { kind: 'derived', reason: 'paths of report files the old bot wrote to its disk' },
  entity_history: {
    kind: 'history',
    reason: 'field-level change log: not imported; the orders carry their final values and the status history, and the file keeps the rest',
  },
  order_group_messages: { kind: 'bookkeeping', reason: "which Telegram group message showed which order: the old bot's messages, not ours" },
  alembic_version: { kind: 'bookkeeping', reason: "the old bot's schema version" },
  _alembic_tmp_audit_log: { kind: 'bookkeeping', reason: "a leftover of an interrupted migration of the old bot's audit_log" },
  sqlite_sequence: { kind: 'bookkeeping', reason: "SQLite's id counters" },
  sqlite_stat1: { kind: 'bookkeeping', reason: "SQLite's planner statistics" },
};

export function describeOtherTable(table: string, rows: number): OtherTable {
  const known = KNOWN[table];
  return known ? { table, rows, ...known } : { table, rows, kind: 'bookkeeping', reason: 'not a table of the legacy bot this importer knows: not imported' };
}
