import { uniform } from './random.sql.ts';

/**
 * CTEs `cfg`, `days` and `base`: when the seeded orders were created.
 *
 * Three years of local calendar days (the business time zone, $3) up to
 * today, as of the seed's "now" ($35, one value for every loader). Each
 * day gets a weight: growth (x3 over the period), weekday (busy Mondays,
 * quiet Sundays), a mild winter peak, the New Year lull, and day
 * noise; today only counts the part of its working hours already gone. The
 * N orders ($1) are shared out by cumulative weight in exact integers, so
 * the counts add up to N. Within a day the j-th order sits at a stratified
 * point of the working day (07:30-22:00, peaking mid-afternoon), so orders
 * come out already sorted by time: order ids grow with created_at, as in
 * production, without a sort.
 *
 * `base` carries, per order ordinal k (order id = $32 + k) of the days that
 * fall to this loader (day number mod $34 = $33; the loaders advance through
 * time together, so rows land on disk roughly in time order): created_s (epoch seconds), its
 * local day and that day's local midnight (day_s), and the indexes (into the
 * $4.. masters arrays) of masters who could take orders that day. Times stay
 * float8 epoch seconds until the plan's last step: arithmetic on them is far
 * cheaper than on timestamptz and intervals.
 */
const DAYS = 1095;

export const CALENDAR_CTES = `
cfg AS (
  SELECT $35::timestamptz AS t_now, extract(epoch FROM $35::timestamptz)::float8 AS now_s,
         date_trunc('day', $35::timestamptz AT TIME ZONE $3::text) AS today,
         extract(epoch FROM ($35::timestamptz AT TIME ZONE $3::text) - date_trunc('day', $35::timestamptz AT TIME ZONE $3::text)) / 3600 AS now_hour,
         $32::int8 AS base_id,
         greatest(1, floor($1::int4 * 0.8))::int8 AS customers,
         (SELECT count(*) FROM equipment_types WHERE is_active)::int4 AS equipment
),
cal AS (
  SELECT g.d, x.local_day, x.local_day AT TIME ZONE $3::text AS day_start, x.share,
         round(1000000 * x.share * exp(ln(3) * g.d / ${DAYS}.0)
           * (ARRAY[1.15, 1.1, 1.05, 1.05, 1.0, 0.75, 0.6])[extract(isodow FROM x.local_day)::int4]
           * (1 + 0.08 * cos(2 * pi() * extract(doy FROM x.local_day) / 365.25))
           * CASE WHEN extract(month FROM x.local_day) = 1 AND extract(day FROM x.local_day) <= 8 THEN 0.45 ELSE 1 END
           * (0.85 + 0.3 * ${uniform('g.d', 0, '$2')}))::int8 AS w
  FROM cfg CROSS JOIN generate_series(0, ${DAYS}) AS g(d)
  CROSS JOIN LATERAL (
    SELECT cfg.today - (${DAYS} - g.d) * interval '1 day' AS local_day,
           CASE WHEN g.d = ${DAYS} THEN least(1, greatest(0, (cfg.now_hour - 7.5) / 14.5)) ELSE 1 END AS share
  ) AS x
),
days AS MATERIALIZED (
  SELECT c.d, c.local_day, extract(epoch FROM c.day_start)::float8 AS day_s, c.share, c.d = ${DAYS} AS is_today,
         div($1::int8 * (c.cw - c.w), c.total)::int8 AS first_k,
         (div($1::int8 * c.cw, c.total) - div($1::int8 * (c.cw - c.w), c.total))::int8 AS cnt,
         e.elig
  FROM (SELECT cal.*, sum(w) OVER (ORDER BY d) AS cw, sum(w) OVER () AS total FROM cal) AS c
  CROSS JOIN LATERAL (
    SELECT COALESCE(array_agg(i ORDER BY i) FILTER (WHERE ($6::timestamptz[])[i] <= c.day_start
                                                     AND ($7::timestamptz[])[i] > c.day_start + interval '1 day'),
                    array_agg(i ORDER BY i)) AS elig
    FROM generate_subscripts($4::int8[], 1) AS i
  ) AS e
),
base AS (
  SELECT b.k, b.elig, b.local_day, b.day_s,
         CASE WHEN b.is_today THEN least(b.s, b.now_s - (b.cnt - b.j)) ELSE b.s END AS created_s
  FROM (
    SELECT a.*, a.day_s + 3600 * (7.5 + 14.5 * (a.us + 0.12 * sin(2 * pi() * a.us))) AS s
    FROM (
      SELECT dd.first_k + g.j AS k, g.j, dd.cnt, dd.elig, dd.local_day, dd.day_s, dd.is_today, cfg.now_s,
             (g.j - 1 + ${uniform('dd.first_k + g.j', 1, '$2')}) / dd.cnt * dd.share AS us
      FROM days dd CROSS JOIN cfg
      CROSS JOIN LATERAL generate_series(1, dd.cnt) AS g(j)
      WHERE dd.d % $34::int4 = $33::int4
      OFFSET 0
    ) AS a
    OFFSET 0
  ) AS b
)`;
