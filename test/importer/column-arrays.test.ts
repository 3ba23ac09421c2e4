import { describe, expect, it } from 'vitest';
import { columnBatch, columnValues } from '../../src/importer/column-arrays.ts';
import { useTestDatabase } from '../support/db.ts';
import { rows } from './support.ts';

/** A batch sent as one array per column reads back, row by row, exactly as it was. */
const t = useTestDatabase();

const AWKWARD_TEXT = [
  '',
  'NULL',
  'null',
  ' padded ',
  'a,b',
  '{braces}',
  'say "hi"',
  'back\\slash',
  '\\"',
  'line\nbreak\ttab',
  'Холодильник №5',
  '😀',
  'trailing\\',
];

describe('column arrays', () => {
  it('numbers the parameters from the first one given and names the columns in order', () => {
    const batch = columnBatch({ legacy_id: 'int8', note: 'text?', status: 'order_status' }, 2);
    expect(batch.unnestArgs).toBe('$2::int8[], $3::text[], $4::order_status[]');
    expect(batch.names).toBe('legacy_id, note, status');
    expect(batch.rowsFromArgs).toBe('unnest($2::int8[]), unnest($3::text[]), unnest($4::order_status[])');
    expect(batch.nextParam).toBe(5);
    expect(batch.params).toEqual({ legacy_id: 'int8[]', note: 'text[]', status: 'order_status[]' });
  });

  it('round-trips awkward text, nulls, numbers, booleans, timestamps and JSON objects through unnest', async () => {
    // Setup
    const batch = columnBatch({ n: 'int8?', label: 'text?', flag: 'bool?', at: 'timestamptz?', details: 'jsonb?' }, 1);
    const sent = [
      ...AWKWARD_TEXT.map((label, i) => ({ n: i, label, flag: i % 2 === 0, at: null, details: null })),
      { n: 9_007_199_254_740_991, label: null, flag: null, at: '2024-03-02T07:00:00.123456Z', details: { note: 'a "quoted" \\ word', n: [1, 2] } },
      { n: null, label: 'last', flag: false, at: null, details: {} },
    ];
    const values = columnValues(batch, sent);
    // Action
    const back = await rows<{ n: string | null; label: string | null; flag: boolean | null; at: string | null; details: unknown }>(
      t.db,
      `SELECT n::text AS n, label, flag, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, details
       FROM unnest(${batch.unnestArgs}) AS s(${batch.names})`,
      [values.n, values.label, values.flag, values.at, values.details],
    );
    // Assertions
    expect(back).toEqual(sent.map((r) => ({ ...r, n: r.n === null ? null : String(r.n) })));
  });
});
