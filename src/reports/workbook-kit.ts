import type ExcelJS from 'exceljs';
import { neutralizeFormula } from './export-columns.ts';
import { word, type Language, type WordKey } from './workbook-words.ts';

/** How a column's cells are written: money as numbers shown in rubles, times as the business's wall clock, an average with two decimals. */
type CellKind = 'int' | 'text' | 'money' | 'time' | 'percent' | 'yesno' | 'decimal';

export interface Column<R> {
  header: WordKey;
  kind: CellKind;
  value: (row: R) => string | number | boolean | null;
}

const MONEY_FORMAT = '#,##0.00 "₽"';
const TIME_FORMAT = 'dd.mm.yyyy hh:mm';
const PERCENT_FORMAT = '0"%"';
const DECIMAL_FORMAT = '0.00';

/** Excel has no time zones: a time is written as the wall clock in `timeZone`, as people there read it. */
function wallClock(iso: string, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)));
}

function cellValue(kind: CellKind, v: string | number | boolean | null, lang: Language, timeZone: string): ExcelJS.CellValue {
  if (v === null) return null;
  switch (kind) {
    case 'money':
    case 'int':
    case 'percent':
    case 'decimal':
      return Number(v);
    case 'time':
      return wallClock(String(v), timeZone);
    case 'yesno':
      return word(v ? 'yes' : 'no', lang);
    case 'text':
      return neutralizeFormula(String(v));
  }
}

/** Roughly how wide a cell reads, in characters, for column widths that fit. */
function shownWidth(kind: CellKind, v: ExcelJS.CellValue): number {
  if (v === null || v === undefined) return 0;
  if (kind === 'money') return Number(v).toFixed(2).length + Math.floor(Math.abs(Math.trunc(Number(v))).toString().length / 3) + 2;
  if (kind === 'time') return 16;
  return (typeof v === 'object' ? JSON.stringify(v) : String(v)).length;
}

/** Sheet names: at most 31 characters, none of []:*?/\, unique in the workbook. */
function sheetName(wb: ExcelJS.Workbook, wanted: string): string {
  const base =
    wanted
      .replace(/[[\]:*?/\\]/g, ' ')
      .trim()
      .slice(0, 28) || '-';
  let name = base;
  for (let n = 2; wb.getWorksheet(name); n++) name = `${base} ${n}`;
  return name;
}

/**
 * A sheet with a bold, frozen header row in the reader's language, one row
 * per item, and columns as wide as their widest cell (capped).
 */
export function addSheet<R>(
  wb: ExcelJS.Workbook,
  name: string,
  columns: ReadonlyArray<Column<R>>,
  rows: readonly R[],
  lang: Language,
  timeZone: string,
): ExcelJS.Worksheet {
  const sheet = wb.addWorksheet(sheetName(wb, name), { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = columns.map((c) => word(c.header, lang));
  sheet.addRow(headers).font = { bold: true };
  const widths = headers.map((h) => h.length);
  for (const row of rows) {
    const values = columns.map((c) => cellValue(c.kind, c.value(row), lang, timeZone));
    sheet.addRow(values);
    values.forEach((v, i) => (widths[i] = Math.max(widths[i]!, shownWidth(columns[i]!.kind, v))));
  }
  columns.forEach((c, i) => {
    const col = sheet.getColumn(i + 1);
    // At least 10: narrower reads cramped (and exceljs leaves its default width 9 unwritten).
    col.width = Math.min(60, Math.max(10, widths[i]! + 2));
    if (c.kind === 'money') col.numFmt = MONEY_FORMAT;
    if (c.kind === 'time') col.numFmt = TIME_FORMAT;
    if (c.kind === 'percent') col.numFmt = PERCENT_FORMAT;
    if (c.kind === 'decimal') col.numFmt = DECIMAL_FORMAT;
  });
  return sheet;
}
