import { beforeAll, describe, expect, it } from 'vitest';
import { renderReport, type ImportSummary } from '../../src/importer/report.ts';
import { useTestDatabase } from '../support/db.ts';
import { writeLegacyFile, type Row } from './legacy-fixture.ts';
import { LATEST } from './latest-data.ts';
import { importData, rows } from './support.ts';

/** The latest bot's specialization_rates become versioned commission rules per equipment type. */
const t = useTestDatabase();

// Beside the file's own 'электрик' 50/50 and 'сантехник' 50/50 (which the seeded rules already pay).
const RATES: Row[] = [
  { id: 3, specialization_name: 'холодильник', master_percentage: 55.0, company_percentage: 45.0 },
  { id: 4, specialization_name: 'Водонагреватель (бойлер)', master_percentage: 45.5, company_percentage: 54.5 },
  { id: 5, specialization_name: 'кофемашины', master_percentage: 60.0, company_percentage: 40.0 },
  { id: 6, specialization_name: 'холодильник (старый)', master_percentage: 70.0, company_percentage: 30.0, deleted_at: '2025-05-01 10:00:00' },
];

interface Rule {
  equipment_type: string | null;
  version: number;
  threshold: string;
  rate_below: number;
  rate_above: number;
  review_bonus: number;
  out_of_city_bonus: number;
  senior_floor: number;
  valid_to: string | null;
}

const rules = (): Promise<Rule[]> =>
  rows<Rule>(
    t.db,
    `SELECT equipment_type, version, threshold, rate_below, rate_above, review_bonus, out_of_city_bonus, senior_floor, valid_to
     FROM commission_rules ORDER BY equipment_type NULLS FIRST, version`,
  );
const current = async (type: string) => (await rules()).find((r) => r.equipment_type === type && r.valid_to === null);

let file: string;
let before: Rule[];
let summary: ImportSummary;

beforeAll(async () => {
  file = writeLegacyFile({ ...LATEST, specialization_rates: RATES }, undefined, 'latest');
  before = await rules();
});

describe('import-sqlite: specialization_rates as commission rules', () => {
  it('a dry run reports the rules it would create and creates none', async () => {
    const dry = await importData(t.db, file, { source: 'msk', dryRun: true });
    expect(dry.commission_rules.filter((r) => r.result === 'created').map((r) => r.equipment_types)).toEqual([['refrigerator'], ['water_heater']]);
    expect(await rules()).toEqual(before);
  });

  it('maps each rate to a flat rule for the types whose label has its word, keeping bonuses and the senior floor', async () => {
    summary = await importData(t.db, file, { source: 'msk' });
    expect(await current('refrigerator')).toMatchObject({
      version: 2,
      threshold: '0.00',
      rate_below: 55,
      rate_above: 55,
      review_bonus: 10,
      out_of_city_bonus: 10,
      senior_floor: 50,
    });
    expect(await current('water_heater')).toMatchObject({ version: 2, threshold: '0.00', rate_below: 46, rate_above: 46 });
    // The versions they replace are ended, not changed: orders split by them keep pointing at them.
    expect((await rules()).filter((r) => r.equipment_type === 'refrigerator' && r.version === 1)).toMatchObject([{ rate_below: 50, rate_above: 60 }]);
    expect(await current('electrical')).toMatchObject({ version: 1, rate_below: 50, rate_above: 50 });
  });

  it('reports every row: created, already in force, or skipped with why', () => {
    const byId = Object.fromEntries(summary.commission_rules.map((r) => [`${r.legacy_id}`, r]));
    expect(byId['1']).toMatchObject({ specialization: 'электрик', equipment_types: ['electrical'], result: 'already' });
    expect(byId['2']).toMatchObject({ equipment_types: ['plumbing'], result: 'already' });
    expect(byId['3']).toMatchObject({ equipment_types: ['refrigerator'], result: 'created' });
    expect(byId['4']).toMatchObject({
      equipment_types: ['water_heater'],
      result: 'created',
      reason: expect.stringContaining('45.5% rounded to 46%') as string,
    });
    expect(byId['5']).toMatchObject({ result: 'skipped', reason: expect.stringContaining('never split any money') as string });
    expect(byId['6']).toMatchObject({ result: 'skipped', reason: 'deleted in the legacy data' });
    expect(summary.commission_rules).toHaveLength(6);
    expect(summary.not_imported.map((n) => n.table)).not.toContain('specialization_rates');
    expect(renderReport(summary)).toMatch(/#3 холодильник 55\/45 -> refrigerator: created, rule version 2: 55% flat/);
  });

  it('a second import creates no version; a rule a person set since is a conflict, left as it is', async () => {
    const again = await importData(t.db, file, { source: 'msk' });
    expect(again.commission_rules.filter((r) => r.result !== 'skipped').map((r) => r.result)).toEqual(['already', 'already', 'already', 'already']);
    await rows(t.db, `INSERT INTO users (telegram_id, name) VALUES (999001, 'Админ')`);
    await rows(
      t.db,
      `UPDATE commission_rules SET created_by = (SELECT id FROM users WHERE telegram_id = 999001)
       WHERE equipment_type = 'refrigerator' AND valid_to IS NULL`,
    );
    const later = writeLegacyFile(
      { ...LATEST, specialization_rates: [{ ...RATES[0]!, master_percentage: 65.0, company_percentage: 35.0 }] },
      undefined,
      'latest',
    );
    const next = await importData(t.db, later, { source: 'msk' });
    expect(next.commission_rules.find((r) => r.legacy_id === 3)).toMatchObject({ result: 'conflict' });
    expect(await current('refrigerator')).toMatchObject({ version: 2, rate_below: 55 });
  });
});
