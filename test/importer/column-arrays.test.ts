import { describe, expect, it } from 'vitest';
import { arrayLiteral, columnBatch, columnLiterals } from '../../src/importer/column-arrays.ts';
import { useTestDatabase } from '../support/db.ts';
import { rows } from './support.ts';

/** The literals the importer sends are read back by the server exactly as they were. */
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
  it('round-trips awkward text, nulls and numbers through unnest', async () => {
    // Setup
    const numbers = [0, -1, 9_007_199_254_740_991, null];
    // Action
    const [back] = await rows<{ texts: Array<string | null>; numbers: Array<string | null> }>(
      t.db,
      'SELECT $1::text[] AS texts, $2::int8[]::text[] AS numbers',
      [arrayLiteral([...AWKWARD_TEXT, null]), arrayLiteral(numbers)],
    );
    // Assertions
    expect(back!.texts).toEqual([...AWKWARD_TEXT, null]);
    expect(back!.numbers).toEqual(['0', '-1', '9007199254740991', null]);
  });

  it('sends booleans, timestamps and JSON objects as their columns read them', async () => {
    // Setup
    const batch = columnBatch({ flag: 'bool?', at: 'timestamptz?', details: 'jsonb' }, 1);
    const literals = columnLiterals(batch, [
      { flag: true, at: '2024-03-02T07:00:00.123456Z', details: { note: 'a "quoted" \\ word', n: [1, 2] } },
      { flag: null, at: null, details: {} },
    ]);
    // Action
    const back = await rows<{ flag: boolean | null; at: string | null; details: unknown }>(
      t.db,
      `SELECT flag, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') AS at, details FROM unnest(${batch.unnestArgs}) AS s(${batch.names})`,
      [literals.flag, literals.at, literals.details],
    );
    // Assertions
    expect(batch.unnestArgs).toBe('$1::text::bool[], $2::text::timestamptz[], $3::text::jsonb[]');
    expect(back).toEqual([
      { flag: true, at: '2024-03-02 07:00:00.123456', details: { note: 'a "quoted" \\ word', n: [1, 2] } },
      { flag: null, at: null, details: {} },
    ]);
  });

  it('refuses a number PostgreSQL could not read back', () => {
    expect(() => arrayLiteral([Number.NaN])).toThrow(/not a finite number/);
  });
});
