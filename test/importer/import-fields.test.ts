import { describe, expect, it } from 'vitest';
import { ORDER_COLUMNS } from '../../src/importer/import-orders.sql.ts';
import { ORDER_FIELD_NAMES } from '../../src/orders/order-fields.ts';
import { useTestDatabase } from '../support/db.ts';
import { rows } from './support.ts';

/**
 * The import writes every column of orders or says why it leaves one to its
 * default. A field declared in ORDER_FIELDS is written by construction (the
 * column lists derive from it, and the mapper must supply it: OrderRow
 * extends NewOrder); a column added to orders some other way fails here,
 * pointing at src/importer/import-orders.sql.ts and map-order.ts.
 */
const t = useTestDatabase();

/** Columns a legacy order has no value for, with why. */
const LEFT_TO_DEFAULT: Record<string, string> = {
  id: 'drawn from the sequence in the statement',
  version: 'a new row starts at its default; the import keeps its own synced_version',
  search_text: 'generated',
  commission_rule_id: 'legacy money was split by the old bot, by no rule version',
  master_rate: 'legacy money was split by the old bot, by no rule version',
  settlement_id: 'the old bot recorded no hand-overs',
  refusal_rule_id: 'a legacy refusal fee was split by the old bot, by no rule version',
  parts_needed: 'the old bot asked no parts for a long repair',
  estimated_cost: 'the old bot asked no estimated cost for a long repair',
  arrived_at: 'the first check-in of the imported history, set once after the trails (arrivals-step.ts)',
};

describe('import-sqlite: the columns it writes', () => {
  it('writes every declared order field', () => {
    expect(ORDER_FIELD_NAMES.filter((f) => !ORDER_COLUMNS.includes(f))).toEqual([]);
  });

  it('writes every column of orders, or says why it leaves it to its default', async () => {
    const columns = await rows<{ column_name: string }>(
      t.db,
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'orders' ORDER BY ordinal_position`,
    );
    const unmapped = columns.map((c) => c.column_name).filter((c) => !ORDER_COLUMNS.includes(c) && !(c in LEFT_TO_DEFAULT));
    expect(unmapped, 'orders columns the importer neither writes nor explains: map them in src/importer/map-order.ts').toEqual([]);
    expect(Object.keys(LEFT_TO_DEFAULT).filter((c) => !columns.some((x) => x.column_name === c))).toEqual([]);
  });
});
