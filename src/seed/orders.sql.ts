import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import type { CommissionRules } from '../orders/money.ts';
import type { OrderFieldName } from '../orders/order-fields.ts';
import { CALENDAR_CTES } from './calendar.sql.ts';
import { PLAN_CTE } from './plan.sql.ts';
import { element, pick, uniform } from './random.sql.ts';
import type { SeededStaff } from './people.sql.ts';
import { AUDIT_DETAILS_CTE, HISTORY_ROWS, INSERT_AUDIT, INSERT_HISTORY, REFUSE_REASON, STATUS_CHANGED_AT, UPDATED_AT, VERSION } from './trail.sql.ts';
import * as Addresses from './words/addresses.ts';
import * as Texts from './words/order-texts.ts';
import * as Names from './words/people-names.ts';

/**
 * Orders, their status history and their audit trail, all generated on the
 * server from the plan (plan.sql.ts). Ids are given explicitly (base +
 * ordinal, OVERRIDING SYSTEM VALUE) so history and audit rows reference
 * their order without reading it back; the caller has reserved them.
 *
 * Clients are drawn from a pool of 0.8 N customers, so some call again
 * (same name, address and phone). Money is split as src/orders/money.ts
 * does: net = total - materials, rate by the threshold plus bonuses,
 * master share rounded half up to kopecks, the company gets the rest.
 */
const U = (n: number) => uniform('o.k', n, '$2');
/** Draws on the plan row: per order (K) and per client (P). */
const K = (n: number) => uniform('p.k', n, '$2');
const P = (n: number) => uniform('p.c', n, '$2');
const pickP = (list: string, n: number) => element(list, 'p.c', n, '$2');

/** Active equipment types by index, each with its complaints (generic ones if none) and brands. */
const EQUIPMENT_CTE = `
eqp AS (
  SELECT (e.i - 1)::int4 AS idx, e.code,
         COALESCE((SELECT array_agg(x.t ORDER BY x.n) FROM unnest($23::text[], $24::text[]) WITH ORDINALITY AS x(code, t, n) WHERE x.code = e.code),
                  (SELECT array_agg(x.t ORDER BY x.n) FROM unnest($23::text[], $24::text[]) WITH ORDINALITY AS x(code, t, n) WHERE x.code = '')) AS problems,
         (SELECT array_agg(x.t ORDER BY x.n) FROM unnest($26::text[], $25::text[]) WITH ORDINALITY AS x(code, t, n) WHERE x.code = e.code) AS brands
  FROM unnest((SELECT array_agg(code ORDER BY sort_order, code) FROM equipment_types WHERE is_active)) WITH ORDINALITY AS e(code, i)
)`;

/** The client's name in one of the ways dispatchers write it. */
const CLIENT_NAME = `CASE WHEN o.fmt < 0.4 THEN o.surname || ' ' || o.first || ' ' || o.patronymic
                          WHEN o.fmt < 0.6 THEN o.first || ' ' || o.patronymic
                          WHEN o.fmt < 0.85 THEN o.first
                          ELSE o.surname || ' ' || o.first END`;
const CLIENT_ADDRESS = `CASE WHEN o.away THEN o.town || ', ' || o.street || ', д. ' || o.house || CASE WHEN o.apt_odd THEN '' ELSE ', кв. ' || o.apt END
                             ELSE o.street || ', д. ' || o.house || COALESCE(', корп. ' || o.korpus, '') || ', кв. ' || o.apt END`;
/*
 * Money is worked out in integer kopecks (cheap, exact) and turned into
 * numeric once: total in whole rubles (a multiple of 50), materials none
 * for a third of the jobs, else a share of the total, sometimes with
 * kopecks. The split is money.ts's: master = (net x rate + 50) div 100
 * kopecks, i.e. half up; the company gets the rest.
 */
const MATERIALS_K = `CASE WHEN o.mat_none THEN 0::int8
                          ELSE (round(o.total_rub * o.mat_share / 10) * 1000)::int8 + CASE WHEN o.mat_kop < 0.1 THEN floor(o.mat_kop * 990)::int8 ELSE 0 END END`;
const RATE = `least(100, CASE WHEN o.total_rub * 100 - o.materials_k >= ($10::numeric * 100)::int8 THEN $12::int4 ELSE $11::int4 END
                          + CASE WHEN o.review THEN $13::int4 ELSE 0 END + CASE WHEN o.away THEN $14::int4 ELSE 0 END)`;

/**
 * What the seed writes to each declared order field (src/orders/order-fields.ts):
 * a field added there is a compile error here until it has a value.
 */
const FIELD_VALUES: Record<OrderFieldName, string> = {
  equipment_type: 'o.code',
  description: `CASE WHEN o.brands IS NOT NULL AND ${U(4)} < 0.55 THEN ${element('o.brands', 'o.k', 5, '$2')} || ', ' || lower(left(o.problem, 1)) || substr(o.problem, 2)
              ELSE o.problem END`,
  client_name: CLIENT_NAME,
  client_address: CLIENT_ADDRESS,
  client_phone: 'o.phone',
  notes: `CASE WHEN ${U(9)} < 0.2 THEN ${element('$27::text[]', 'o.k', 10, '$2')} END`,
  scheduled_at: 'o.scheduled_at',
  // Seeded visits are points in time; windows come from people typing "с 10 до 16".
  scheduled_until: 'NULL::timestamptz',
  scheduled_note: `CASE WHEN o.scheduled_at IS NULL AND ${U(21)} < 0.4 THEN ${element('$28::text[]', 'o.k', 22, '$2')} END`,
};

/** Every column the seed writes, with its value: the INSERT's column list and its SELECT list come from this one map. */
const ORDER_VALUES: Record<string, string> = {
  id: 'o.id',
  status: 'o.status',
  ...FIELD_VALUES,
  dispatcher_id: 'o.disp',
  master_id: 'o.master_id',
  total_amount: 'CASE WHEN o.done THEN o.total_rub::numeric END',
  materials_cost: 'CASE WHEN o.done THEN o.materials_k * 0.01 END',
  master_profit: 'CASE WHEN o.done THEN o.master_k * 0.01 END',
  company_profit: 'CASE WHEN o.done THEN (o.total_rub * 100 - o.materials_k - o.master_k) * 0.01 END',
  prepayment_amount: `CASE WHEN o.t_long IS NOT NULL AND ${U(47)} < 0.4 THEN (round(o.total_rub * (0.2 + 0.3 * ${U(48)}) / 100) * 100)::int4::numeric END`,
  has_review: 'o.done AND o.review',
  out_of_city: 'o.done AND o.away',
  estimated_completion_date: 'CASE WHEN o.t_long IS NOT NULL THEN o.eta END',
  reschedule_count: '(o.t_resched IS NOT NULL)::int4',
  reschedule_reason: `CASE WHEN o.t_resched IS NOT NULL THEN ${element('$31::text[]', 'o.k', 52, '$2')} END`,
  last_rescheduled_at: 'o.t_resched',
  refuse_reason: `CASE WHEN o.status = 'REFUSED' THEN ${REFUSE_REASON.replaceAll('p.k', 'o.k')} END`,
  created_at: 'o.t_created',
  updated_at: UPDATED_AT.replaceAll('p.', 'o.'),
  status_changed_at: STATUS_CHANGED_AT.replaceAll('p.', 'o.'),
  completed_at: 'o.t_complete',
  closed_at: 'o.t_close',
  // The first check-in: the plan's arrival (a resume comes later). The load
  // skips the history trigger that keeps it live, so it is written here.
  arrived_at: 'o.t_arrive',
  deleted_at: 'o.t_delete',
  version: VERSION.replaceAll('p.', 'o.'),
};

const INSERT_ORDERS = `
  INSERT INTO orders (${Object.keys(ORDER_VALUES).join(', ')})
  OVERRIDING SYSTEM VALUE
  SELECT ${Object.values(ORDER_VALUES).join(',\n         ')}
  FROM (
   SELECT o.*, ((o.total_rub * 100 - o.materials_k) * ${RATE} + 50) / 100 AS master_k
   FROM (
    SELECT o.*, ${MATERIALS_K} AS materials_k
    FROM (
      SELECT p.*, e.code, e.brands, e.problems[1 + ${pick('p.k', 3, '$2', 'cardinality(e.problems)')}] AS problem,
             p.t_complete IS NOT NULL AS done,
             ${P(102)} AS fmt, ${P(106)} < 0.1 AS away, ${pickP('$22::text[]', 107)} AS town, ${pickP('$21::text[]', 108)} AS street,
             (1 + floor(power(${P(109)}, 2) * 150))::int4 AS house, (1 + floor(${P(111)} * 350))::int4 AS apt, ${P(111)} < 0.5 AS apt_odd,
             CASE WHEN ${P(110)} < 0.15 THEN (1 + floor(${P(110)} * 20))::int4 END AS korpus,
             CASE WHEN ${P(101)} < 0.5 THEN ${pickP('$15::text[]', 103)} ELSE ${pickP('$16::text[]', 103)} END AS first,
             CASE WHEN ${P(101)} < 0.5 THEN ${pickP('$17::text[]', 104)} ELSE ${pickP('$18::text[]', 104)} END AS patronymic,
             CASE WHEN ${P(101)} < 0.5 THEN ($19::text[])[1 + ${pick('p.c', 105, '$2', 'cardinality($19::text[])')}]
                  ELSE ($20::text[])[1 + ${pick('p.c', 105, '$2', 'cardinality($19::text[])')}] END AS surname,
             CASE WHEN ${P(113)} < 0.05 THEN '+7495' || lpad(floor(${P(112)} * 10000000)::int4::text, 7, '0')
                  ELSE '+79' || lpad(floor(${P(112)} * 1000000000)::int4::text, 9, '0') END AS phone,
             (round(exp(${Math.log(1200)} + ${K(42)} * ${Math.log(25)}) / 50) * 50)::int8 AS total_rub,
             ${K(46)} < 0.3 AS review, ${K(43)} < 0.35 AS mat_none, 0.05 + 0.5 * ${K(44)} AS mat_share, ${K(45)} AS mat_kop
      FROM plan p LEFT JOIN eqp e ON e.idx = p.eq_choice
      OFFSET 0
    ) AS o
    OFFSET 0
   ) AS o
   OFFSET 0
  ) AS o`;

const PARAMS = {
  orders: 'int4',
  seed: 'int8',
  timeZone: 'text',
  masterIds: 'int8[]',
  masterUserIds: 'int8[]',
  masterFrom: 'timestamptz[]',
  masterUntil: 'timestamptz[]',
  dispatcherIds: 'int8[]',
  adminIds: 'int8[]',
  threshold: 'numeric',
  rateLow: 'int4',
  rateHigh: 'int4',
  reviewBonus: 'int4',
  outOfCityBonus: 'int4',
  maleFirst: 'text[]',
  femaleFirst: 'text[]',
  malePatronymic: 'text[]',
  femalePatronymic: 'text[]',
  surnamesMale: 'text[]',
  surnamesFemale: 'text[]',
  streets: 'text[]',
  towns: 'text[]',
  problemCodes: 'text[]',
  problemTexts: 'text[]',
  brands: 'text[]',
  brandCodes: 'text[]',
  notes: 'text[]',
  scheduledNotes: 'text[]',
  refuseReasons: 'text[]',
  declineReasons: 'text[]',
  rescheduleReasons: 'text[]',
  baseId: 'int8',
  shard: 'int4',
  shards: 'int4',
  asOf: 'timestamptz',
} as const;

const insertOrdersQuery = defineQuery({
  name: 'seed.insert_orders',
  params: PARAMS,
  columns: { orders: 'int8', history: 'int8', audit: 'int8', last_id: 'int8', statuses: 'jsonb' },
  text: `
WITH ${CALENDAR_CTES},
${EQUIPMENT_CTE},
${PLAN_CTE},
${AUDIT_DETAILS_CTE},
ins_orders AS (${INSERT_ORDERS}),
ins_history AS (${INSERT_HISTORY}),
ins_audit AS (${INSERT_AUDIT})
SELECT COALESCE(sum(n), 0)::int8 AS orders, COALESCE(sum(history), 0)::int8 AS history, COALESCE(sum(audit), 0)::int8 AS audit,
       COALESCE(max(last_id), 0)::int8 AS last_id, COALESCE(jsonb_object_agg(status, n), '{}') AS statuses
FROM (SELECT p.status, count(*) AS n, sum(${HISTORY_ROWS}) AS history, sum(${VERSION}) AS audit, max(p.id) AS last_id
      FROM plan p GROUP BY p.status) AS s`,
});

export interface OrdersSeedOptions {
  /** All orders of the seed (N); this call writes those of the days that fall to `shard` of `shards`. */
  orders: number;
  shard: number;
  shards: number;
  /** Order id = baseId + ordinal. */
  baseId: number;
  /**
   * The seed's "now", the same for every loader: today's share of orders
   * depends on the time of day, and loaders reading their own clocks
   * milliseconds apart would share out the ids differently and overlap.
   */
  asOf: string;
  seed: number;
  timeZone: string;
  commission: CommissionRules;
}

export interface SeededOrders {
  orders: number;
  history: number;
  audit: number;
  lastId: number;
  /** Orders by status. */
  statuses: Record<string, number>;
}

/** Writes orders with their status history and audit rows; returns what it wrote and the last id used. */
export async function insertSeedOrders(db: Queryable, staff: SeededStaff, opts: OrdersSeedOptions): Promise<SeededOrders> {
  const pairs = (byCode: [string, readonly string[]][]) => byCode.flatMap(([code, list]) => list.map((t) => [code, t] as const));
  const problems = pairs([...Object.entries(Texts.PROBLEMS), ['', Texts.GENERIC_PROBLEMS]]);
  const brands = pairs(Object.entries(Texts.BRANDS));
  const row = await db.one(insertOrdersQuery, {
    orders: opts.orders,
    seed: opts.seed,
    timeZone: opts.timeZone,
    masterIds: staff.masters.map((m) => m.id),
    masterUserIds: staff.masters.map((m) => m.userId),
    masterFrom: staff.masters.map((m) => m.from),
    masterUntil: staff.masters.map((m) => m.until ?? 'infinity'),
    dispatcherIds: staff.dispatcherIds,
    adminIds: staff.adminIds,
    threshold: opts.commission.threshold,
    rateLow: opts.commission.rateLow,
    rateHigh: opts.commission.rateHigh,
    reviewBonus: opts.commission.reviewBonus,
    outOfCityBonus: opts.commission.outOfCityBonus,
    maleFirst: Names.MALE_FIRST,
    femaleFirst: Names.FEMALE_FIRST,
    malePatronymic: Names.MALE_PATRONYMIC,
    femalePatronymic: Names.FEMALE_PATRONYMIC,
    surnamesMale: Names.SURNAMES_MALE,
    surnamesFemale: Names.SURNAMES_FEMALE,
    streets: Addresses.STREETS,
    towns: Addresses.TOWNS,
    problemCodes: problems.map(([c]) => c),
    problemTexts: problems.map(([, t]) => t),
    brands: brands.map(([, t]) => t),
    brandCodes: brands.map(([c]) => c),
    notes: Texts.NOTES,
    scheduledNotes: Texts.SCHEDULED_NOTES,
    refuseReasons: Texts.REFUSE_REASONS,
    declineReasons: Texts.DECLINE_REASONS,
    rescheduleReasons: Texts.RESCHEDULE_REASONS,
    baseId: opts.baseId,
    shard: opts.shard,
    shards: opts.shards,
    asOf: opts.asOf,
  });
  return { orders: row.orders, history: row.history, audit: row.audit, lastId: row.last_id, statuses: row.statuses as Record<string, number> };
}
