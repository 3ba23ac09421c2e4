import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { EXPORT_COLUMNS, neutralizeFormula } from './export-columns.ts';
import type { ClosedOrderRow } from './reports-service.ts';

async function* records(batches: AsyncIterable<ClosedOrderRow[]>): AsyncGenerator<Array<string | number | null>> {
  for await (const batch of batches) {
    for (const row of batch) {
      yield EXPORT_COLUMNS.map(({ key, kind }) => {
        const value = row[key];
        return kind === 'text' && typeof value === 'string' ? neutralizeFormula(value) : value;
      });
    }
  }
}

/**
 * Streams closed orders as CSV (UTF-8 with BOM so spreadsheet programs read
 * Cyrillic names). Backpressure and a client that goes away both propagate
 * to the batch source through pipeline(): no more batches are fetched.
 */
export async function writeCsv(batches: AsyncIterable<ClosedOrderRow[]>, out: Writable): Promise<void> {
  const csv = stringify({ header: true, bom: true, columns: EXPORT_COLUMNS.map((c) => c.header) });
  await pipeline(Readable.from(records(batches)), csv, out);
}
