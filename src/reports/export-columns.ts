import type { ClosedOrderRow } from './reports-service.ts';

/** The columns of a closed-orders export, shared by the CSV and XLSX writers. */
export type ExportKind = 'int' | 'text' | 'money' | 'timestamp';

export const EXPORT_COLUMNS: ReadonlyArray<{ key: keyof ClosedOrderRow; header: string; kind: ExportKind; width: number }> = [
  { key: 'id', header: 'order_id', kind: 'int', width: 10 },
  { key: 'closed_at', header: 'closed_at', kind: 'timestamp', width: 22 },
  { key: 'equipment_type', header: 'equipment_type', kind: 'text', width: 18 },
  { key: 'master_id', header: 'master_id', kind: 'int', width: 10 },
  { key: 'master_name', header: 'master_name', kind: 'text', width: 28 },
  { key: 'total_amount', header: 'total_amount', kind: 'money', width: 14 },
  { key: 'materials_cost', header: 'materials_cost', kind: 'money', width: 14 },
  { key: 'master_profit', header: 'master_share', kind: 'money', width: 14 },
  { key: 'company_profit', header: 'company_share', kind: 'money', width: 14 },
];

/**
 * Spreadsheet programs run a cell starting with = + - @ (or a tab or CR)
 * as a formula; names come from Telegram, so such text is quoted.
 */
export function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
