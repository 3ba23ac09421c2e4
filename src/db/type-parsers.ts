import pg from 'pg';

// How the driver reads values, for every connection of the process (database.ts imports this first).

// int8 -> number: ids, counts and Telegram ids all stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// int8[] likewise (the driver's own parser gives strings, which a column declared int8[] would hide).
// 1016 is _int8, which the driver's TypeId enum does not name.
const INT8_ARRAY_OID = 1016 as Parameters<typeof pg.types.getTypeParser>[0];
const parseTextArray = pg.types.getTypeParser(INT8_ARRAY_OID) as (v: string) => Array<string | null>;
pg.types.setTypeParser(INT8_ARRAY_OID, (v) => parseTextArray(v).map((x) => (x === null ? null : Number(x))));
// date stays 'YYYY-MM-DD': a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// Sessions run with TimeZone=UTC and DateStyle=ISO (pool.ts), so the server
// sends '2026-11-24 01:36:01.12+00', trimming the fraction's trailing zeros
// (and the whole fraction on a whole second). Every microsecond is kept as
// RFC 3339 with the fraction always six digits: then text order is time order
// for anyone who sorts or compares the strings, and one instant has one text.
const SERVER_STAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;
function toRfc3339(v: string): string {
  const m = SERVER_STAMP.exec(v);
  return m ? `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z` : v;
}
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, toRfc3339);
