import { check } from 'k6';
import http, { type RefinedParams, type RefinedResponse } from 'k6/http';

/**
 * Every API call goes through `call`: it sends JSON with the caller's
 * token, tags the request with a route-shaped `name` ("GET /orders/{id}")
 * so URLs with ids never explode the metrics, and checks the status.
 */
export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
const API = `${BASE_URL}/api/v1`;

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  token: string;
  body?: unknown;
  /** Statuses that count as success (default: 200, or 201 for POST /orders). */
  expect?: number[];
  headers?: Record<string, string>;
  /** Extra tags for the request (the `name` tag is always set). */
  tags?: Record<string, string>;
}

let reported = 0;

/** `name` is "METHOD /route/{param}"; `path` is the real path under /api/v1 (with its query). */
export function call(name: string, path: string, opts: CallOptions): RefinedResponse<'text'> {
  const method = name.slice(0, name.indexOf(' ')) as Method;
  const expect = opts.expect ?? [200];
  const params: RefinedParams<'text'> = {
    headers: { Authorization: `Bearer ${opts.token}`, ...(opts.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...opts.headers },
    tags: { name, ...opts.tags },
    responseCallback: http.expectedStatuses(...expect),
  };
  const body = opts.body === undefined ? null : JSON.stringify(opts.body);
  const res = http.request(method, `${API}${path}`, body, params);
  const ok = check(res, { [`${name} answers ${expect.join('|')}`]: (r) => expect.includes(r.status) });
  // A few failures per VU are printed with their problem body: enough to see why, never a flood.
  if (!ok && reported < 3) {
    reported += 1;
    console.warn(`${name} (${path}) -> ${res.status} ${String(res.body ?? res.error).slice(0, 300)}`);
  }
  return res;
}

/** The JSON body of a response, or null when it is not JSON (a failed call). */
export function json<T>(res: RefinedResponse<'text'>): T | null {
  try {
    return res.json() as unknown as T;
  } catch {
    return null;
  }
}

export function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** Picks a key with probability proportional to its weight. */
export function weighted<K extends string>(weights: Record<K, number>): K {
  const entries = Object.entries(weights) as Array<[K, number]>;
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = Math.random() * total;
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

export function int(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/** The local date (YYYY-MM-DD) `daysAgo` back at a fixed UTC offset in minutes. */
function localDate(daysAgo: number, offsetMinutes: number): string {
  return new Date(Date.now() + offsetMinutes * 60_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/** Its midnight as an RFC 3339 instant for a query string ("+" escaped). */
function localMidnight(date: string, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '%2B';
  const abs = Math.abs(offsetMinutes);
  return `${date}T00:00:00${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The start of a report day `daysAgo` back (negative: ahead), as the
 * business and the bot count days: a local midnight at OFFSET_MINUTES
 * (default 180: Europe/Moscow, the default REPORT_TIMEZONE, +3 all year).
 * With DAYS=date the API's date-only form, which the service reads as its
 * REPORT_TIMEZONE's midnight (midnight UTC before the eighth pass of #18).
 */
export function reportDay(daysAgo: number): string {
  const offset = Number(__ENV.OFFSET_MINUTES || 180);
  const date = localDate(daysAgo, offset);
  return __ENV.DAYS === 'date' ? date : localMidnight(date, offset);
}
