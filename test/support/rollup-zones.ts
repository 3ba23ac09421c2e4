import { describe } from 'vitest';
import { useTestDatabase, type TestDatabase } from './db.ts';

/**
 * The zones the report rollups are tested in (migration 0160): UTC, what a
 * database migrates with; one far east of it; and one whose summer time
 * starts on 2026-03-08, inside the rollup tests' March data.
 */
const ROLLUP_ZONES = ['UTC', 'Asia/Vladivostok', 'America/New_York'] as const;

/**
 * Runs `fn`'s setup and tests once per zone of ROLLUP_ZONES, each on its own
 * database whose rollups are kept in that zone from the start.
 */
export function forEachRollupZone(fn: (t: TestDatabase, zone: string) => void): void {
  describe.each(ROLLUP_ZONES)('rollups kept in %s', (zone) => {
    fn(useTestDatabase({ rollupZone: zone }), zone);
  });
}
