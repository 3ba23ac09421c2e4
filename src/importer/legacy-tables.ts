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

/** Tables of one kind, each with why it is not imported. */
function ofKind(kind: OtherTableKind, reasons: Record<string, string>): Record<string, { kind: OtherTableKind; reason: string }> {
  return Object.fromEntries(Object.entries(reasons).map(([table, reason]) => [table, { kind, reason }]));
}

const NO_PARSER = 'this product has no lead parser';
const COMPUTED = 'reports are computed from the imported orders';

const KNOWN = {
  ...ofKind('configuration', {
    specialization_rates:
      'commission rates per equipment type: imported as commission rules (the report lists each row), their values kept in the import audit entry',
    parser_config: `the lead parser's settings: ${NO_PARSER}`,
  }),
  ...ofKind('derived', {
    parser_analytics: `the lead parser's counters: ${NO_PARSER}`,
    financial_reports: `stored report snapshots: ${COMPUTED}`,
    master_financial_reports: `stored report snapshots per master: ${COMPUTED}`,
    order_reports: `one snapshot row per closed order: ${COMPUTED}`,
    master_report_archives: 'paths of report files the old bot wrote to its disk',
  }),
  ...ofKind('history', {
    entity_history: 'field-level change log: not imported; the orders carry their final values and the status history, and the file keeps the rest',
  }),
  ...ofKind('bookkeeping', {
    order_group_messages: "which Telegram group message showed which order: the old bot's messages, not ours",
    alembic_version: "the old bot's schema version",
    _alembic_tmp_audit_log: "a leftover of an interrupted migration of the old bot's audit_log",
    sqlite_sequence: "SQLite's id counters",
    sqlite_stat1: "SQLite's planner statistics",
  }),
};

export function describeOtherTable(table: string, rows: number): OtherTable {
  const known = KNOWN[table];
  return known ? { table, rows, ...known } : { table, rows, kind: 'bookkeeping', reason: 'not a table of the legacy bot this importer knows: not imported' };
}
