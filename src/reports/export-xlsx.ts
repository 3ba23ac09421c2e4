import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { EXPORT_COLUMNS } from './export-columns.ts';
import type { ClosedOrderRow } from './reports-service.ts';

function cell(kind: string, value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (kind === 'money') return Number(value);
  if (kind === 'timestamp') return new Date(value as string | Date);
  return value as ExcelJS.CellValue;
}

/** Waits while the client is slower than the export; false when it went away. */
async function drained(out: Writable): Promise<boolean> {
  if (out.destroyed) return false;
  if (!out.writableNeedDrain) return true;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
  return !out.destroyed;
}

/**
 * Streams closed orders as an XLSX workbook with exceljs's streaming
 * writer: each row is committed (written out) as it comes, so memory stays
 * flat however long the period. Text cells are stored as strings, never
 * formulas. Stops fetching when the client disconnects.
 */
export async function writeXlsx(batches: AsyncIterable<ClosedOrderRow[]>, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('closed orders');
  sheet.columns = EXPORT_COLUMNS.map((c) => ({
    header: c.header,
    key: c.header,
    width: c.width,
    style: c.kind === 'money' ? { numFmt: '#,##0.00' } : c.kind === 'timestamp' ? { numFmt: 'yyyy-mm-dd hh:mm:ss' } : {},
  }));
  for await (const batch of batches) {
    for (const row of batch) sheet.addRow(EXPORT_COLUMNS.map((c) => cell(c.kind, row[c.key]))).commit();
    if (!(await drained(out))) return;
  }
  sheet.commit();
  await workbook.commit();
}
