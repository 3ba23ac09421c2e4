import pg from 'pg';

// How the driver reads values, for every connection of the process (database.ts imports this first).

// int8 -> number: ids, counts and Telegram ids all stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// date stays 'YYYY-MM-DD': a calendar date has no time zone to shift it.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);
// Sessions run with TimeZone=UTC and DateStyle=ISO (pool.ts), so the server
// sends '2026-11-24 01:36:01.123456+00'; keep every microsecond as RFC 3339.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => v.replace(' ', 'T').replace(/\+00$/, 'Z'));
