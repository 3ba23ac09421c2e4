import { listEquipmentTypes } from '../equipment/equipment.sql.ts';
import { endCurrentRule, insertRule, listCurrentRules, type CommissionRuleRow } from '../money/commission.sql.ts';
import { asText } from './clean-text.ts';
import type { ImportState } from './import-state.ts';
import { asInteger, type LegacyRow } from './legacy-file.ts';

/**
 * The latest bot's specialization_rates as commission rules. The bot applied
 * a rate to an order whose equipment label contains one of four words, and
 * then split the net flat (no threshold), bonuses on top: so a rate becomes,
 * for each catalog type whose legacy label has the word, a new version of
 * that type's rule with one flat rate, the bonuses and senior floor of the
 * rule it replaces. Rules are shared by every source (city): a rate equal to
 * the rule in force changes nothing, and a rule a person set in the new
 * system (created_by) is left as it is, a conflict.
 */

/** The words the legacy bot looked for, in its order: the rate named after the word, the labels it applied to. */
const KEYWORDS: ReadonlyArray<{ rate: string; labels: readonly string[] }> = [
  { rate: 'электрик', labels: ['электрик'] },
  { rate: 'сантехник', labels: ['сантехник'] },
  { rate: 'холодильник', labels: ['холодильник'] },
  // The bot looked for 'водонагреватель' in the label, which its own label 'Водонагреватели' does not contain: the stem, as meant.
  { rate: 'водонагреватель', labels: ['водонагревател', 'бойлер'] },
];

export interface RateOutcome {
  legacy_id: number | null;
  specialization: string;
  master_percentage: number | null;
  company_percentage: number | null;
  /** The catalog types the rate became a rule for (none when not mapped). */
  equipment_types: string[];
  result: 'created' | 'already' | 'conflict' | 'skipped';
  reason: string;
}

function percentage(raw: unknown): number | null {
  const value = Number(asText(raw));
  return asText(raw)?.trim() && Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}

/** What one legacy rate row says, or why it cannot be mapped. */
function readRate(raw: LegacyRow, live: LegacyRow[]): { keyword: (typeof KEYWORDS)[number]; rate: number; note: string | null } | string {
  const name = (asText(raw.specialization_name) ?? '').toLowerCase();
  if (asText(raw.deleted_at)?.trim()) return 'deleted in the legacy data';
  const keyword = KEYWORDS.find((k) => name.includes(k.rate));
  if (!keyword) return `the legacy bot applied only rates named after ${KEYWORDS.map((k) => k.rate).join(', ')}: this one never split any money`;
  // The bot looked one row up per word and failed when several matched.
  if (live.filter((r) => (asText(r.specialization_name) ?? '').toLowerCase().includes(keyword.rate)).length > 1)
    return `several live rates are named after ${keyword.rate}: the legacy bot could use none of them`;
  const master = percentage(raw.master_percentage);
  if (master === null) return 'master_percentage is not a percentage';
  const rate = Math.round(master);
  const company = percentage(raw.company_percentage);
  const notes = [
    rate !== master ? `master share ${master}% rounded to ${rate}%` : null,
    company !== null && company + master !== 100 ? `company_percentage ${company} ignored: the company keeps the rest` : null,
  ];
  return { keyword, rate, note: notes.filter(Boolean).join('; ') || null };
}

function sameRule(rule: CommissionRuleRow | undefined, rate: number): boolean {
  return rule !== undefined && Number(rule.threshold) === 0 && rule.rate_below === rate && rule.rate_above === rate;
}

/** Maps the file's rates (if it has the table) and says in the summary what became of each row. */
export async function importRates(state: ImportState): Promise<RateOutcome[]> {
  const rows = state.legacy.otherRows('specialization_rates');
  if (rows.length === 0) return [];
  const live = rows.filter((r) => !asText(r.deleted_at)?.trim());
  const types = await listEquipmentTypes(state.db);
  const outcomes: RateOutcome[] = [];
  for (const raw of rows) {
    const base = {
      legacy_id: asInteger(raw.id),
      specialization: asText(raw.specialization_name) ?? '',
      master_percentage: percentage(raw.master_percentage),
      company_percentage: percentage(raw.company_percentage),
    };
    const read = readRate(raw, live);
    if (typeof read === 'string') {
      outcomes.push({ ...base, equipment_types: [], result: 'skipped', reason: read });
      continue;
    }
    const codes = types.filter((t) => read.keyword.labels.some((w) => (t.legacy_label ?? t.name_ru).toLowerCase().includes(w))).map((t) => t.code);
    if (codes.length === 0) {
      outcomes.push({ ...base, equipment_types: [], result: 'skipped', reason: `no catalog type has a label with ${read.keyword.labels.join(' or ')}` });
      continue;
    }
    for (const code of codes) {
      const current = await listCurrentRules(state.db, 'completion');
      const own = current.find((r) => r.equipment_type === code);
      const template = own ?? current.find((r) => r.equipment_type === null);
      const suffix = read.note ? ` (${read.note})` : '';
      let result: RateOutcome['result'];
      let reason: string;
      if (sameRule(own, read.rate)) [result, reason] = ['already', `the rule in force already pays ${read.rate}% flat`];
      else if (own?.created_by != null) [result, reason] = ['conflict', `the rule in force was set by a person in the new system: kept as it is`];
      else {
        if (own) await endCurrentRule(state.db, code, 'completion');
        const rule = await insertRule(
          state.db,
          {
            equipment_type: code,
            threshold: '0',
            rate_below: read.rate,
            rate_above: read.rate,
            review_bonus: template?.review_bonus ?? 0,
            review_bonus_enabled: template?.review_bonus_enabled ?? false,
            out_of_city_bonus: template?.out_of_city_bonus ?? 0,
            out_of_city_bonus_enabled: template?.out_of_city_bonus_enabled ?? false,
            senior_floor: template?.senior_floor ?? 0,
          },
          null,
          'completion',
        );
        [result, reason] = ['created', `rule version ${rule.version}: ${read.rate}% flat, bonuses and senior floor as before`];
      }
      outcomes.push({ ...base, equipment_types: [code], result, reason: reason + suffix });
    }
  }
  return outcomes;
}
