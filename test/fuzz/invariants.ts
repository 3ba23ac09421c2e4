import type { Database } from '../../src/db/database.ts';

/**
 * What must hold of the data whatever was thrown at the service. Each
 * query returns the ids of orders that break one rule (none, normally).
 */
const RULES: Record<string, string> = {
  // Every order's latest history row names its current status.
  'latest history status equals status': `
    SELECT o.id::int AS id FROM orders o
    LEFT JOIN LATERAL (
      SELECT h.new_status FROM order_status_history h WHERE h.order_id = o.id ORDER BY h.changed_at DESC, h.id DESC LIMIT 1
    ) last ON true
    WHERE last.new_status IS DISTINCT FROM o.status`,
  // Money is all there or not at all, and the shares add up to the total less materials.
  'money parts add up': `
    SELECT id::int AS id FROM orders
    WHERE num_nulls(total_amount, materials_cost, master_profit, company_profit) NOT IN (0, 4)
       OR master_profit + company_profit <> total_amount - materials_cost
       OR materials_cost > total_amount`,
  // Past NEW (refused aside) an order always has its master.
  'no assigned-or-later order without a master': `
    SELECT id::int AS id FROM orders WHERE status NOT IN ('NEW', 'REFUSED') AND master_id IS NULL`,
  // Each version of an order was made by one audited change. Its audit row
  // records the version it made; side facts about an order (a client link,
  // a photo, a rating, a place) are audited too but make no version.
  'version equals its audit rows': `
    SELECT o.id::int AS id FROM orders o
    WHERE o.version <> (SELECT count(*) FROM audit_log a WHERE a.entity_type = 'order' AND a.entity_id = o.id AND a.details ? 'version')`,
};

/** Rule -> offending order ids, for the rules that are broken (an empty object when all hold). */
export async function brokenInvariants(db: Database): Promise<Record<string, number[]>> {
  const broken: Record<string, number[]> = {};
  for (const [rule, sql] of Object.entries(RULES)) {
    const { rows } = await db.pool.query<{ id: number }>(sql);
    if (rows.length > 0) broken[rule] = rows.map((r) => r.id);
  }
  return broken;
}

/**
 * Everything a request could write, summed up: equal fingerprints before
 * and after a refused request mean it wrote nothing (no partial write).
 * Token use times are left out: recording use is bookkeeping, not a write
 * the request asked for.
 */
export async function fingerprint(db: Database): Promise<string> {
  const { rows } = await db.pool.query<{ f: string }>(`
    SELECT concat_ws('|',
      (SELECT count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(updated_at)::text, '') FROM orders),
      (SELECT count(*) FROM order_status_history),
      (SELECT count(*) FROM audit_log),
      (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM masters),
      (SELECT count(*) FROM users),
      (SELECT count(*) FROM user_roles),
      (SELECT count(*) || ':' || count(revoked_at) FROM api_tokens)
    ) AS f`);
  return rows[0]!.f;
}

/** Generated cases per property: modest in `npm test`, FUZZ_RUNS for a long run (`npm run test:fuzz`). */
export function fuzzRuns(modest: number): number {
  const asked = Number(process.env.FUZZ_RUNS);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : modest;
}
