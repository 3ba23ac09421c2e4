import { masterRatings } from '../clients/clients.sql.ts';
import type { Queryable } from '../db/database.ts';
import { sumMasterArrivals } from './master-quality.sql.ts';

/**
 * How a master's work is received: the clients' ratings and arrival on
 * time. Figures only (counts and an average): no client's name or phone
 * ever comes along.
 */
export interface MasterQuality {
  /** Average client rating, 1 to 5 with two decimals; null when nobody rated. */
  rating_average: string | null;
  rating_count: number;
  /** Visits with a scheduled time where the master checked in ("on site"). */
  visits: number;
  /** Of those, check-ins by the end of the visit window (or the scheduled time). */
  visits_on_time: number;
}

const NONE: MasterQuality = { rating_average: null, rating_count: 0, visits: 0, visits_on_time: 0 };

/** Quality per master over [from, to) (ratings given and check-ins made in it), or all time; every asked master has an entry. */
export async function masterQuality(db: Queryable, masterIds: number[], period: { from: string; to: string } | null): Promise<Map<number, MasterQuality>> {
  const out = new Map<number, MasterQuality>(masterIds.map((id) => [id, { ...NONE }]));
  if (masterIds.length === 0) return out;
  const range = { from: period?.from ?? null, to: period?.to ?? null };
  const [ratings, arrivals] = await Promise.all([masterRatings(db, { masterIds, ...range }), sumMasterArrivals(db, { masterIds, ...range })]);
  for (const r of ratings) Object.assign(out.get(r.master_id)!, { rating_average: r.average, rating_count: r.ratings });
  // master_id is never null here (the query keeps assigned orders only); the column is nullable in its table.
  for (const a of arrivals) if (a.master_id !== null) Object.assign(out.get(a.master_id)!, { visits: a.visits, visits_on_time: a.on_time });
  return out;
}

/** The on-time share as a whole percent (half up); null with no visits. */
export function onTimePercent(q: Pick<MasterQuality, 'visits' | 'visits_on_time'>): number | null {
  return q.visits === 0 ? null : Math.floor((q.visits_on_time * 200 + q.visits) / (q.visits * 2));
}
