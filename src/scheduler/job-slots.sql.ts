import type { Queryable } from '../db/database.ts';
import { defineQuery } from '../db/query.ts';

const claimJobSlotQuery = defineQuery({
  name: 'scheduler.claim_job_slot',
  params: { job: 'text', slot: 'int8', claim: 'text', leaseMs: 'int4', anySlot: 'bool' },
  columns: { slot: 'int8', taken_over_from: 'text?', outcome: 'text' },
  // One statement, so two instances can never both win: a finished slot is
  // followed by a later one, and an unfinished one whose lease ran out is
  // taken over (its claimant died or lost the database), keeping the later
  // slot number of the two so the run that catches up counts for both.
  // Lost, it says why from the row as it was: claimed and running ('busy'),
  // or this slot done ('done'); a row inserted meanwhile by another instance
  // is not seen at all (no row: busy).
  text: `
WITH claimed AS (
INSERT INTO scheduler_ticks (job, slot, claimed_by, lease_until)
VALUES ($1::text, $2::int8, $3::text, now() + $4::int4 * interval '1 millisecond')
ON CONFLICT (job) DO UPDATE SET
  slot = GREATEST(scheduler_ticks.slot, EXCLUDED.slot),
  claimed_by = EXCLUDED.claimed_by,
  lease_until = EXCLUDED.lease_until,
  ran_at = now(),
  finished_at = NULL,
  taken_over_from = CASE WHEN scheduler_ticks.finished_at IS NULL THEN scheduler_ticks.claimed_by END
WHERE CASE WHEN scheduler_ticks.finished_at IS NULL THEN scheduler_ticks.lease_until < now()
           ELSE scheduler_ticks.slot < EXCLUDED.slot OR $5::bool END
RETURNING slot, taken_over_from
)
SELECT slot, taken_over_from, 'claimed'::text AS outcome FROM claimed
UNION ALL
SELECT t.slot, NULL::text, CASE WHEN t.finished_at IS NULL THEN 'busy' ELSE 'done' END::text
FROM scheduler_ticks t
WHERE t.job = $1::text AND NOT EXISTS (SELECT 1 FROM claimed)`,
});

export interface SlotClaim {
  /** The slot this run counts for. */
  slot: number;
  /** The claim whose lease ran out before its run finished, when this run takes it over. */
  taken_over_from: string | null;
}

/**
 * Claims a job's interval slot for one run (`claim` names it) until the
 * lease ends; or says why not: 'busy' (a live claim holds the job) or
 * 'done' (the slot ran already). `anySlot` runs again a slot that has
 * finished (a run asked for by hand).
 */
export async function claimJobSlot(
  db: Queryable,
  claim: { job: string; slot: number; claim: string; leaseMs: number; anySlot: boolean },
): Promise<SlotClaim | 'busy' | 'done'> {
  const row = await db.maybeOne(claimJobSlotQuery, claim);
  if (!row || row.outcome === 'busy') return 'busy';
  if (row.outcome === 'done') return 'done';
  return { slot: row.slot, taken_over_from: row.taken_over_from };
}

const renewJobLeaseQuery = defineQuery({
  name: 'scheduler.renew_job_lease',
  params: { job: 'text', claim: 'text', leaseMs: 'int4' },
  columns: { job: 'text' },
  text: `
UPDATE scheduler_ticks SET lease_until = now() + $3::int4 * interval '1 millisecond'
WHERE job = $1::text AND claimed_by = $2::text AND finished_at IS NULL
RETURNING job`,
});

/** Extends a running claim's lease; false when the claim is no longer this run's (taken over, or finished). */
export async function renewJobLease(db: Queryable, job: string, claim: string, leaseMs: number): Promise<boolean> {
  return (await db.maybeOne(renewJobLeaseQuery, { job, claim, leaseMs })) !== null;
}

const finishJobSlotQuery = defineQuery({
  name: 'scheduler.finish_job_slot',
  params: { job: 'text', claim: 'text' },
  columns: { job: 'text' },
  text: `
UPDATE scheduler_ticks SET finished_at = now(), lease_until = NULL
WHERE job = $1::text AND claimed_by = $2::text AND finished_at IS NULL
RETURNING job`,
});

/** Marks a claimed slot done (run or failed: either way the next slot comes next); false when the claim was taken over meanwhile. */
export async function finishJobSlot(db: Queryable, job: string, claim: string): Promise<boolean> {
  return (await db.maybeOne(finishJobSlotQuery, { job, claim })) !== null;
}
