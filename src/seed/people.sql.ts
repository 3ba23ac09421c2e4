import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';
import { element, pick, uniform } from './random.sql.ts';
import { FEMALE_FIRST, MALE_FIRST, SURNAMES_FEMALE, SURNAMES_MALE } from './words/people-names.ts';

/**
 * The staff a seeded history needs: admins, dispatchers and masters with
 * their roles and audit trail. Masters join over the three years (half were
 * there from the start), a few were deactivated along the way and the
 * newest ones still wait for approval, so orders can only go to a master
 * who was approved and active on the order's day (see orders-plan.ts).
 */
const u = (n: number) => uniform('s.i', n, '$4');
/**
 * Seeded people get Telegram ids above this, one after another: far above
 * real ones (Telegram's are below 10^10 today), and never one in use.
 */
const FAKE_TELEGRAM_IDS = 9_000_000_000_000;

const insertStaffQuery = defineQuery({
  name: 'seed.insert_staff',
  params: {
    admins: 'int4',
    dispatchers: 'int4',
    masters: 'int4',
    seed: 'int8',
    maleFirst: 'text[]',
    femaleFirst: 'text[]',
    surnamesMale: 'text[]',
    surnamesFemale: 'text[]',
  },
  columns: { role: 'text', user_id: 'int8', master_id: 'int8?', assignable_from: 'timestamptz?', assignable_until: 'timestamptz?' },
  text: `
WITH span AS (
  SELECT date_trunc('day', now()) - interval '1095 days' AS start,
         ceil($3::int4 * 0.5)::int4 AS early, floor($3::int4 / 20.0)::int4 AS pending
),
eq AS (SELECT array_agg(code ORDER BY sort_order, code) AS codes FROM equipment_types WHERE is_active),
s AS (
  SELECT g.i,
         CASE WHEN g.i <= $1::int4 THEN 'ADMIN' WHEN g.i <= $1::int4 + $2::int4 THEN 'DISPATCHER' ELSE 'MASTER' END AS role,
         g.i - $1::int4 - $2::int4 AS j,
         t.base + g.i AS telegram_id
  FROM generate_series(1, $1::int4 + $2::int4 + $3::int4) AS g(i)
  CROSS JOIN (SELECT COALESCE(max(telegram_id), ${FAKE_TELEGRAM_IDS}) AS base FROM users WHERE telegram_id > ${FAKE_TELEGRAM_IDS}) AS t
),
people AS (
  SELECT s.*, male,
         CASE WHEN male THEN ${element('$5::text[]', 's.i', 3, '$4')} ELSE ${element('$6::text[]', 's.i', 3, '$4')} END
           || ' ' || CASE WHEN male THEN ($7::text[])[1 + sn] ELSE ($8::text[])[1 + sn] END AS name,
         CASE
           WHEN s.role <> 'MASTER' THEN span.start - interval '60 days'
           WHEN s.j > $3::int4 - span.pending THEN now() - (1 + 13 * ${u(4)}) * interval '1 day'
           WHEN s.j <= span.early THEN span.start - (30 + 300 * ${u(4)}) * interval '1 day'
           ELSE span.start + (s.j - span.early)::float8 / ($3::int4 - span.pending - span.early + 1) * interval '1095 days'
         END AS joined_at,
         s.role = 'MASTER' AND s.j <= $3::int4 - span.pending AS approved,
         CASE WHEN s.role = 'MASTER' AND s.j <= span.early AND s.j % 8 = 3
              THEN span.start + (200 + 800 * ${u(5)}) * interval '1 day' END AS deactivated_at
  FROM s CROSS JOIN span
  CROSS JOIN LATERAL (SELECT CASE s.role WHEN 'MASTER' THEN ${u(2)} < 0.9 WHEN 'DISPATCHER' THEN ${u(2)} < 0.2 ELSE ${u(2)} < 0.5 END AS male,
                             ${pick('s.i', 6, '$4', 'cardinality($7::text[])')} AS sn) AS x
),
users_in AS (
  INSERT INTO users (telegram_id, name, language, created_at, updated_at)
  SELECT telegram_id, name, 'ru', joined_at - interval '2 days', joined_at - interval '2 days' FROM people ORDER BY i
  RETURNING id, telegram_id
),
linked AS (
  SELECT p.*, ui.id AS user_id, first_value(ui.id) OVER (ORDER BY p.i) AS admin_id
  FROM people p JOIN users_in ui ON ui.telegram_id = p.telegram_id
),
roles_in AS (
  INSERT INTO user_roles (user_id, role, granted_at, granted_by)
  SELECT user_id, r.role::user_role, joined_at - interval '2 days', NULLIF(admin_id, user_id)
  FROM linked CROSS JOIN LATERAL (VALUES (linked.role), (CASE WHEN linked.i = 1 THEN 'DISPATCHER' END)) AS r(role)
  WHERE r.role IS NOT NULL
),
masters_in AS (
  INSERT INTO masters (user_id, phone, specialization, is_active, is_approved, approved_at, approved_by, created_at, updated_at)
  SELECT l.user_id, '+79' || lpad(${pick('l.i', 7, '$4', '1000000000')}::text, 9, '0'),
         (SELECT string_agg(e.name_ru, ', ' ORDER BY e.sort_order, e.code) FROM equipment_types e
          WHERE e.is_active AND (${uniform('l.i * 1000 + e.sort_order', 8, '$4')} < 0.25
                OR e.code = (SELECT codes[1 + l.j % cardinality(codes)] FROM eq))),
         l.deactivated_at IS NULL, l.approved, CASE WHEN l.approved THEN l.joined_at END,
         CASE WHEN l.approved THEN l.admin_id END, l.joined_at - interval '1 day', COALESCE(l.deactivated_at, l.joined_at)
  FROM linked l WHERE l.role = 'MASTER' ORDER BY l.i
  RETURNING id, user_id, specialization
),
audit_in AS (
  INSERT INTO audit_log (actor_id, action, entity_type, entity_id, details, created_at)
  SELECT NULLIF(l.admin_id, l.user_id), a.action, a.entity, a.entity_id, a.details, a.at
  FROM linked l LEFT JOIN masters_in m ON m.user_id = l.user_id
  CROSS JOIN LATERAL (VALUES
    ('user.roles_set', 'user', l.user_id,
     jsonb_build_object('roles', CASE WHEN l.i = 1 THEN '["ADMIN", "DISPATCHER"]'::jsonb ELSE jsonb_build_array(l.role) END),
     l.joined_at - interval '2 days'),
    ('master.create', 'master', m.id, jsonb_build_object('user_id', l.user_id, 'specialization', m.specialization), l.joined_at - interval '1 day'),
    ('master.approve', 'master', CASE WHEN l.approved THEN m.id END,
     '{"is_approved": true, "was_approved": false, "is_active": true, "was_active": true}'::jsonb, l.joined_at),
    ('master.deactivate', 'master', CASE WHEN l.deactivated_at IS NOT NULL THEN m.id END,
     '{"is_approved": true, "was_approved": true, "is_active": false, "was_active": true}'::jsonb, l.deactivated_at)
  ) AS a(action, entity, entity_id, details, at)
  WHERE a.entity_id IS NOT NULL
)
SELECT l.role, l.user_id, m.id AS master_id,
       CASE WHEN l.approved THEN l.joined_at END AS assignable_from, l.deactivated_at AS assignable_until
FROM linked l LEFT JOIN masters_in m ON m.user_id = l.user_id
ORDER BY l.i`,
});

export interface SeededStaff {
  adminIds: number[];
  dispatcherIds: number[];
  /** Approved masters in joining order, with the period they could take orders in. */
  masters: { id: number; userId: number; from: string; until: string | null }[];
}

export async function insertStaff(db: Queryable, counts: { admins: number; dispatchers: number; masters: number }, seed: number): Promise<SeededStaff> {
  const rows = await db.many(insertStaffQuery, {
    ...counts,
    seed,
    maleFirst: MALE_FIRST,
    femaleFirst: FEMALE_FIRST,
    surnamesMale: SURNAMES_MALE,
    surnamesFemale: SURNAMES_FEMALE,
  });
  const masters = rows
    .filter((r) => r.master_id !== null && r.assignable_from !== null)
    .map((r) => ({ id: r.master_id!, userId: r.user_id, from: r.assignable_from!, until: r.assignable_until }))
    .sort((a, b) => a.from.localeCompare(b.from));
  return {
    adminIds: rows.filter((r) => r.role === 'ADMIN').map((r) => r.user_id),
    dispatcherIds: rows.filter((r) => r.role === 'DISPATCHER').map((r) => r.user_id),
    masters,
  };
}
