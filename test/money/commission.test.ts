import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, UnprocessableError, ValidationError } from '../../src/errors.ts';
import { CommissionService, type RuleInput } from '../../src/money/commission-service.ts';
import type { Principal } from '../../src/users/principal.ts';
import { replaceUserRoles } from '../../src/users/users.sql.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser } from '../support/fixtures.ts';
import { orderDriver, type Completion } from '../support/money.ts';

const t = useTestDatabase();
let admin: Principal;
let master: Principal & { masterId: number };
let senior: Principal & { masterId: number };
let rules: CommissionService;
let drive: ReturnType<typeof orderDriver>;

async function money(id: number) {
  const { rows } = await t.db.pool.query(
    `SELECT master_profit::text, company_profit::text, master_rate, commission_rule_id::int AS rule_id FROM orders WHERE id = $1`,
    [id],
  );
  return rows[0] as { master_profit: string; company_profit: string; master_rate: number; rule_id: number };
}

async function ruleIdInForce(type: string | null): Promise<number> {
  const { rows } = await t.db.pool.query(
    `SELECT id::int FROM commission_rules WHERE kind = 'completion' AND equipment_type IS NOT DISTINCT FROM $1 AND valid_to IS NULL`,
    [type],
  );
  return (rows[0] as { id: number }).id;
}

const DEFAULT_TERMS: RuleInput = {
  threshold: '7000.00',
  rate_below: 40,
  rate_above: 50,
  review_bonus: 10,
  review_bonus_enabled: true,
  out_of_city_bonus: 10,
  out_of_city_bonus_enabled: true,
  senior_floor: 50,
};

beforeAll(async () => {
  admin = await makeUser(t.db, ['ADMIN']);
  master = await makeMaster(t.db, { name: 'Ordinary master' });
  senior = await makeMaster(t.db, { name: 'Senior master' });
  await replaceUserRoles(t.db, senior.userId, ['MASTER', 'SENIOR_MASTER'], null);
  rules = new CommissionService(t.db);
  drive = orderDriver(t.db, admin);
});

/**
 * The legacy bot's rates (app/utils/helpers.py, v2.10), worked out by hand:
 * 40% of net under 7,000 and 50% from it; electrical, plumbing and water
 * heaters 50% at any net; refrigerators 50% under 20,000 net and 60% from
 * it; +10 points out of the city and +10 for a review; a senior master's
 * base rate never under 50%. Shares rounded half up to a kopeck.
 */
const LEGACY_CASES: Array<Completion & { senior?: boolean; rate: number; master: string; company: string; rule: string | null }> = [
  { equipment: 'washing_machine', total: '7999.99', materials: '1000.00', rate: 40, master: '2800.00', company: '4199.99', rule: null },
  { equipment: 'washing_machine', total: '8000.00', materials: '1000.00', rate: 50, master: '3500.00', company: '3500.00', rule: null },
  { equipment: 'dryer', total: '5000.00', materials: '0.00', away: true, rate: 50, master: '2500.00', company: '2500.00', rule: null },
  { equipment: 'oven', total: '5000.00', materials: '0.00', away: true, review: true, rate: 60, master: '3000.00', company: '2000.00', rule: null },
  { equipment: 'electrical', total: '3000.00', materials: '0.00', rate: 50, master: '1500.00', company: '1500.00', rule: 'electrical' },
  { equipment: 'electrical', total: '12000.00', materials: '2000.00', away: true, rate: 60, master: '6000.00', company: '4000.00', rule: 'electrical' },
  { equipment: 'plumbing', total: '4500.00', materials: '500.00', rate: 50, master: '2000.00', company: '2000.00', rule: 'plumbing' },
  { equipment: 'water_heater', total: '6000.50', materials: '0.50', rate: 50, master: '3000.00', company: '3000.00', rule: 'water_heater' },
  { equipment: 'refrigerator', total: '21000.00', materials: '1000.01', rate: 50, master: '10000.00', company: '9999.99', rule: 'refrigerator' },
  { equipment: 'refrigerator', total: '25000.00', materials: '5000.00', rate: 60, master: '12000.00', company: '8000.00', rule: 'refrigerator' },
  { equipment: 'refrigerator', total: '30000.00', materials: '0.00', away: true, rate: 70, master: '21000.00', company: '9000.00', rule: 'refrigerator' },
  { equipment: 'washing_machine', total: '5000.00', materials: '0.00', senior: true, rate: 50, master: '2500.00', company: '2500.00', rule: null },
  { equipment: 'washing_machine', total: '5000.00', materials: '0.00', senior: true, away: true, rate: 60, master: '3000.00', company: '2000.00', rule: null },
  { equipment: 'refrigerator', total: '25000.00', materials: '5000.00', senior: true, rate: 60, master: '12000.00', company: '8000.00', rule: 'refrigerator' },
  { equipment: 'tv', total: '10000.00', materials: '0.00', senior: true, rate: 50, master: '5000.00', company: '5000.00', rule: null },
];

describe('commission rules reproduce the legacy rates', () => {
  it('splits each legacy case by the rule of its type (or the default) and records the rule', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const c of LEGACY_CASES) {
      // Setup + Action
      const id = await drive.completed(c.senior ? senior : master, c);
      // Assertions (collected: one run shows every mismatch)
      const m = await money(id);
      const label = `${c.equipment} ${c.total}-${c.materials}${c.away ? ' away' : ''}${c.review ? ' review' : ''}${c.senior ? ' senior' : ''}`;
      got.push(`${label}: ${m.master_rate}% ${m.master_profit}/${m.company_profit} rule ${m.rule_id}`);
      want.push(`${label}: ${c.rate}% ${c.master}/${c.company} rule ${await ruleIdInForce(c.rule)}`);
    }
    expect(got).toEqual(want);
  });

  it('leaves the review bonus out when the rule switches it off (the legacy default)', async () => {
    // Setup
    await rules.change(admin, null, { ...DEFAULT_TERMS, review_bonus_enabled: false });
    // Action
    const id = await drive.completed(master, { equipment: 'washing_machine', total: '5000.00', materials: '0.00', review: true });
    // Assertions
    expect(await money(id)).toMatchObject({ master_rate: 40, master_profit: '2000.00', company_profit: '3000.00' });
    await rules.change(admin, null, DEFAULT_TERMS);
  });
});

describe('rule versions', () => {
  it('splits new completions by the new version and never moves past money', async () => {
    // Setup
    const before = await drive.completed(master, { equipment: 'coffee_machine', total: '5000.00', materials: '0.00' });
    const oldRule = await ruleIdInForce(null);
    // Action
    const next = await rules.change(admin, null, { ...DEFAULT_TERMS, rate_below: 45 });
    const after = await drive.completed(master, { equipment: 'coffee_machine', total: '5000.00', materials: '0.00' });
    // Assertions
    expect(await money(before)).toEqual({ master_profit: '2000.00', company_profit: '3000.00', master_rate: 40, rule_id: oldRule });
    expect(await money(after)).toEqual({ master_profit: '2250.00', company_profit: '2750.00', master_rate: 45, rule_id: next.id });
    const versions = await rules.versions(admin, null);
    expect(versions[0]).toMatchObject({ id: next.id, version: versions[1]!.version + 1, valid_to: null, rate_below: 45 });
    expect(versions.find((v) => v.id === oldRule)?.valid_to).not.toBeNull();
    const { rows } = await t.db.pool.query(`SELECT actor_id::int, details FROM audit_log WHERE action = 'commission_rule.change' AND entity_id = $1`, [
      next.id,
    ]);
    expect(rows).toEqual([{ actor_id: admin.userId, details: expect.objectContaining({ equipment_type: null, version: next.version, previous_id: oldRule }) }]);
    await rules.change(admin, null, DEFAULT_TERMS);
  });

  it('gives a type its own rule, and back to the default when it is removed', async () => {
    // Setup
    await rules.change(admin, 'tv', { ...DEFAULT_TERMS, threshold: '0.00', rate_below: 55, rate_above: 55 });
    const own = await drive.completed(master, { equipment: 'tv', total: '1000.00', materials: '0.00' });
    // Action
    await rules.remove(admin, 'tv');
    const fallback = await drive.completed(master, { equipment: 'tv', total: '1000.00', materials: '0.00' });
    // Assertions
    expect(await money(own)).toMatchObject({ master_rate: 55, master_profit: '550.00' });
    expect(await money(fallback)).toMatchObject({ master_rate: 40, master_profit: '400.00', rule_id: await ruleIdInForce(null) });
  });

  it('refuses bad rules and non-admins, naming the field, and writes nothing', async () => {
    // Setup
    const dispatcher = await makeUser(t.db, ['DISPATCHER']);
    const count = async () => Number((await t.db.pool.query(`SELECT count(*) FROM commission_rules`)).rows[0].count);
    const before = await count();
    // Action + Assertions
    await expect(rules.change(dispatcher, null, DEFAULT_TERMS)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(rules.change(admin, null, { ...DEFAULT_TERMS, rate_above: 85 })).rejects.toMatchObject({ constructor: ValidationError, field: 'rate_above' });
    await expect(rules.change(admin, null, { ...DEFAULT_TERMS, threshold: '-1' })).rejects.toMatchObject({ field: 'threshold' });
    await expect(rules.change(admin, 'no_such_type', DEFAULT_TERMS)).rejects.toMatchObject({ constructor: UnprocessableError, field: 'equipment_type' });
    expect(await count()).toBe(before);
  });
});
