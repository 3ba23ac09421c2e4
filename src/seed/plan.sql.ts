import { pick, uniform } from './random.sql.ts';
import { STEP_ARRAYS } from './trail.sql.ts';

/**
 * CTE `plan`: each order's life, simulated. Every order gets a planned path
 * through the state machine (src/orders/transitions.ts) with a time for
 * each step; what has happened by now() is its history, and the last step
 * that happened is its status. So old orders are CLOSED or REFUSED, recent
 * ones are still open, and history, audit and the order row agree.
 *
 * Steps, in time order (NULL = not on this order's path, or not yet):
 *   created NEW; refuse0 -> REFUSED, reopen -> NEW (a few reopened orders);
 *   assign -> ASSIGNED; decline -> NEW (master said no); assign2 -> ASSIGNED
 *   (another master, after a decline or as a reassignment); accept ->
 *   ACCEPTED; resched (visit moved, no status change); arrive -> IN_PROGRESS;
 *   long -> LONG_REPAIR; resume -> IN_PROGRESS; complete -> COMPLETED;
 *   close -> CLOSED; refuse -> REFUSED (cuts the path at a stage);
 *   delete (soft, a few duplicates).
 *
 * Each level is a subquery kept apart with OFFSET 0 so the planner cannot
 * inline it and evaluate its expressions once per reference; levels stream,
 * nothing is rescanned. Parameters: see orders.sql.ts.
 */
const U = (n: number) => uniform('b.k', n, '$2');
/** A log-uniform delay between lo and hi minutes, in seconds. */
const D = (n: number, lo: number, hi: number) => `exp(${Math.log(lo * 60)} + ${U(n)} * ${Math.log(hi / lo)})`;
/** Time of a step that is on the path (`on`) and has happened by now. */
const happened = (on: string, at: string) => `CASE WHEN ${on} AND ${at} <= l.now_s THEN ${at} END`;
const TS = (s: string) => `to_timestamp(p.${s}) AS t_${s.slice(2)}`;

const DRAWS = `
  SELECT b.*, cfg.now_s, cfg.base_id + b.k AS id, ${pick('b.k', 53, '$2', 'cfg.customers')}::int8 AS c,
         floor(cfg.equipment * power(${U(2)}, 1.6))::int4 AS eq_choice,
         ${U(11)} < 0.12 AS refused,
         CASE WHEN ${U(12)} < 0.35 THEN 0 WHEN ${U(12)} < 0.6 THEN 1 WHEN ${U(12)} < 0.8 THEN 2 WHEN ${U(12)} < 0.95 THEN 3 ELSE 4 END AS stage,
         ${U(13)} < 0.015 AS reopened,
         ${U(14)} < 0.09 AND cardinality(b.elig) > 1 AS reassigned,
         ${U(14)} < 0.04 AND cardinality(b.elig) > 1 AS declined,
         ${U(16)} < 0.08 AS rescheduled,
         ${U(17)} < 0.07 AS long_raw, ${U(18)} < 0.7 AS resumed, ${U(19)} < 0.03 AS duplicate,
         ${pick('b.k', 7, '$2', 'cardinality(b.elig)')} AS pm,
         ${pick('b.k', 8, '$2', 'greatest(cardinality(b.elig) - 1, 1)')} AS pm1,
         CASE WHEN ${U(20)} < 0.85 THEN b.day_s + 86400 * (1 + floor(${U(29)} * 3)) + 3600 * (10 + floor(${U(30)} * 20) / 2) END AS sched0_s,
         ${D(23, 10, 180)} AS d_refuse0, ${D(24, 10, 2880)} AS d_reopen, ${D(25, 3, 240)} AS d_assign,
         ${D(26, 5, 180)} AS d_decline, ${D(27, 5, 240)} AS d_assign2, ${D(28, 1, 120)} AS d_accept,
         ${D(31, 10, 600)} AS d_resched, 86400 * (1 + floor(${U(32)} * 3)) AS d_moved, ${D(34, 60, 2880)} AS d_visit,
         60 * (${U(33)} * 50 - 15) AS d_late, ${D(35, 20, 120)} AS d_long, 3 + floor(${U(36)} * 18) AS eta_days,
         3600 * (10 + 8 * ${U(37)}) AS resume_at, ${D(38, 30, 240)} AS d_work, ${D(39, 10, 8640)} AS d_close,
         ${D(40, 5, 1440)} AS d_refuse, ${D(41, 5, 120)} AS d_delete
  FROM base b CROSS JOIN cfg
  OFFSET 0`;

/*
 * Step times that depend on earlier ones are written out in full (float
 * sums are cheap) so one level computes several; only what needs an
 * earlier level's result waits for the next.
 */
const A0 = `(l.created_s + CASE WHEN l.reopened THEN l.d_refuse0 + l.d_reopen ELSE 0 END)`;
const ASSIGN = `(${A0} + l.d_assign)`;
const ASSIGN2 = `(${ASSIGN} + CASE WHEN l.declined THEN l.d_decline ELSE 0 END + l.d_assign2)`;
const ACCEPT = `(CASE WHEN l.reassigned THEN ${ASSIGN2} ELSE ${ASSIGN} END + l.d_accept)`;
const ETA_OFF = `(floor((l.p_arrive + l.d_long - l.day_s) / 86400) + l.eta_days)`;
const RESUME = `(l.day_s + 86400 * ${ETA_OFF} + l.resume_at)`;

export const PLAN_CTE = `
plan AS MATERIALIZED (
 SELECT q.*, ${STEP_ARRAYS}
 FROM (
  SELECT p.k, p.id, p.c, p.eq_choice, to_timestamp(p.sched_s) AS scheduled_at, p.eta, p.pre_status,
         CASE WHEN p.s_refuse IS NOT NULL THEN 'REFUSED'::order_status ELSE p.pre_status END AS status,
         CASE WHEN p.pre_status IN ('NEW', 'REFUSED') THEN NULL
              WHEN p.s_assign2 IS NOT NULL OR NOT p.reassigned THEN ($4::int8[])[p.mi]
              ELSE ($4::int8[])[p.m1i] END AS master_id,
         ($5::int8[])[p.mi] AS mu, ($5::int8[])[CASE WHEN p.reassigned THEN p.m1i ELSE p.mi END] AS a1u,
         ($8::int8[])[1 + ${pick('p.k', 6, '$2', 'cardinality($8::int8[])')}] AS disp,
         ($9::int8[])[1 + ${pick('p.k', 55, '$2', 'cardinality($9::int8[])')}] AS admin,
         ${['s_created', 's_refuse0', 's_reopen', 's_assign', 's_decline', 's_assign2', 's_accept', 's_resched', 's_arrive']
           .concat(['s_long', 's_resume', 's_complete', 's_close', 's_refuse', 's_delete'])
           .map(TS)
           .join(', ')}
  FROM (
    SELECT l.*,
           CASE WHEN l.s_close IS NOT NULL THEN 'CLOSED' WHEN l.s_complete IS NOT NULL THEN 'COMPLETED'
                WHEN l.s_resume IS NOT NULL THEN 'IN_PROGRESS' WHEN l.s_long IS NOT NULL THEN 'LONG_REPAIR'
                WHEN l.s_arrive IS NOT NULL THEN 'IN_PROGRESS' WHEN l.s_accept IS NOT NULL THEN 'ACCEPTED'
                WHEN l.s_assign2 IS NOT NULL THEN 'ASSIGNED' WHEN l.s_decline IS NOT NULL THEN 'NEW'
                WHEN l.s_assign IS NOT NULL THEN 'ASSIGNED' WHEN l.s_reopen IS NOT NULL THEN 'NEW'
                WHEN l.s_refuse0 IS NOT NULL THEN 'REFUSED' ELSE 'NEW' END::order_status AS pre_status,
           ${happened('l.refused', 'l.p_refuse')} AS s_refuse,
           ${happened('l.refused AND l.duplicate AND l.stage = 0', 'l.p_refuse + l.d_delete')} AS s_delete
    FROM (
      SELECT l.k, l.id, l.c, l.eq_choice, l.mi, l.m1i, l.reassigned, l.refused, l.duplicate, l.stage, l.d_delete, l.now_s,
             l.eta, l.created_s AS s_created,
             ${happened('l.reopened', 'l.p_refuse0')} AS s_refuse0, ${happened('l.reopened', 'l.p_reopen')} AS s_reopen,
             ${happened('l.cut >= 4', 'l.p_assign')} AS s_assign, ${happened('l.declined AND l.cut >= 5', 'l.p_decline')} AS s_decline,
             ${happened('l.reassigned AND l.cut >= 6', 'l.p_assign2')} AS s_assign2, ${happened('l.cut >= 7', 'l.p_accept')} AS s_accept,
             ${happened('l.rescheduled AND l.cut >= 8', 'l.p_resched')} AS s_resched, ${happened('l.cut >= 9', 'l.p_arrive')} AS s_arrive,
             ${happened('l.long AND l.cut >= 10', 'l.p_long')} AS s_long, ${happened('l.long AND l.resumed AND l.cut >= 11', 'l.p_resume')} AS s_resume,
             ${happened('l.cut >= 12', 'l.p_complete')} AS s_complete, ${happened('l.cut >= 13', 'l.p_complete + l.d_close')} AS s_close,
             greatest(l.created_s, CASE WHEN l.reopened THEN l.p_reopen END, CASE WHEN l.cut >= 4 THEN l.p_assign END,
                      CASE WHEN l.reassigned AND l.cut >= 6 THEN l.p_assign2 END, CASE WHEN l.cut >= 7 THEN l.p_accept END,
                      CASE WHEN l.rescheduled AND l.cut >= 8 THEN l.p_resched END, CASE WHEN l.cut >= 9 THEN l.p_arrive END,
                      CASE WHEN l.long AND l.cut >= 10 THEN l.p_long END) + l.d_refuse AS p_refuse,
             CASE WHEN l.rescheduled AND l.p_resched <= l.now_s THEN l.sched_moved_s ELSE l.sched0_s END AS sched_s
      FROM (
        SELECT l.*, l.p_arrive + l.d_long AS p_long, (l.local_day + ${ETA_OFF} * interval '1 day')::date AS eta,
               ${RESUME} AS p_resume,
               CASE WHEN NOT l.long THEN l.p_arrive + l.d_work
                    WHEN l.resumed THEN ${RESUME} + l.d_work
                    ELSE ${RESUME} + 3600 END AS p_complete
        FROM (
          SELECT l.*, greatest(COALESCE(l.sched_moved_s, l.sched0_s, l.p_accept + l.d_visit) + l.d_late,
                               CASE WHEN l.rescheduled THEN l.p_resched ELSE l.p_accept END + 600) AS p_arrive
          FROM (
            SELECT l.*, l.created_s + l.d_refuse0 AS p_refuse0, l.created_s + l.d_refuse0 + l.d_reopen AS p_reopen,
                   ${ASSIGN} AS p_assign, ${ASSIGN} + l.d_decline AS p_decline, ${ASSIGN2} AS p_assign2,
                   ${ACCEPT} AS p_accept, ${ACCEPT} + l.d_resched AS p_resched,
                   CASE WHEN l.rescheduled THEN greatest(COALESCE(l.sched0_s, l.day_s + 86400 + 36000) + l.d_moved,
                                                         ${ACCEPT} + l.d_resched + 7200) END AS sched_moved_s,
                   l.elig[1 + l.pm] AS mi, l.elig[1 + (l.pm + 1 + l.pm1) % cardinality(l.elig)] AS m1i,
                   CASE WHEN l.refused THEN (ARRAY[3, 6, 8, 9, 10])[l.stage + 1] ELSE 13 END AS cut,
                   l.long_raw OR (l.refused AND l.stage = 4) AS long
            FROM (${DRAWS}) AS l OFFSET 0
          ) AS l OFFSET 0
        ) AS l OFFSET 0
      ) AS l OFFSET 0
    ) AS l OFFSET 0
  ) AS p
  OFFSET 0
 ) AS q
)`;
