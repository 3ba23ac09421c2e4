import { fail } from 'k6';
import type { Options } from 'k6/options';
import { resolveFixture, type Fixture } from './lib/fixture.ts';
import { call, int, json, pick } from './lib/http.ts';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';

/**
 * GET /search alone at RATE requests/s (default 500) for DURATION (default
 * 1m), every kind of term in equal shares, each its own row and threshold
 * (-e P95_MS=10 -e P99_MS=25 for issue #18's target):
 * - phone fragment: six random digits (an ending, else anywhere in a number);
 * - common word: a first name or a street everyone lives on;
 * - rare word: a made-up word no order holds (the longest path: the window
 *   of newest orders, then the trigram index);
 * - surname: the first word of an old order's client (frequent in all,
 *   rarer among the newest);
 * - whole address / whole name: an old order's address or full name as
 *   typed (rare multi-word terms);
 * - order number: "#id" of an old order.
 * -e KINDS=phone fragment,rare word,common word,order number: only those.
 * Old orders come from deep in the CLOSED list (the harness's cursor).
 */
const RATE = Number(__ENV.RATE || 500);
const DURATION = __ENV.DURATION || '1m';
const ALL_KINDS = ['phone fragment', 'common word', 'rare word', 'surname', 'whole address', 'whole name', 'order number'] as const;
type Kind = (typeof ALL_KINDS)[number];
// -e KINDS=... (comma-separated) offers only those kinds, e.g. the four issue #18 names.
const KINDS: readonly Kind[] = __ENV.KINDS ? __ENV.KINDS.split(',').map((k) => k.trim() as Kind) : ALL_KINDS;
for (const k of KINDS) if (!ALL_KINDS.includes(k)) throw new Error(`unknown kind "${k}" in KINDS (${ALL_KINDS.join(', ')})`);
const name = (kind: string) => `GET /search (${kind})`;

export const options: Options = {
  scenarios: {
    // VUs for a quarter second of latency, as in the lifecycle's mix (lib/workload.ts): k6 drops
    // iterations while it starts a VU mid-run, which would count a slow moment as drops.
    search: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.ceil(RATE * 0.25) + 10,
      maxVUs: RATE + 50,
    },
  },
  thresholds: thresholds(KINDS.map(name)),
  summaryTrendStats: TREND_STATS,
};

interface Order {
  id: number;
  client_name: string;
  client_address: string;
}
interface Data {
  fixture: Fixture;
  old: Order[];
}

export function setup(): Data {
  const fixture = resolveFixture();
  const token = fixture.dispatchers[0]!.token;
  const old: Order[] = [];
  let cursor = fixture.deepCursor ?? '';
  for (let page = 0; page < 5; page++) {
    const got = json<{ items: Order[]; next_cursor: string | null }>(
      call('GET /orders', `/orders?status=CLOSED&limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token, tags: { name: 'setup: GET /orders' } }),
    );
    old.push(...(got?.items ?? []));
    if (!got?.next_cursor) break;
    cursor = got.next_cursor;
  }
  if (old.length === 0) fail('no CLOSED orders to take terms from: run it with --seed');
  return { fixture, old };
}

const COMMON = ['иван', 'анна', 'ольга', 'сергей', 'ленина', 'садовая', 'мира'];
const LETTERS = 'бвгджзклмнпрстфхцчшщ';

function term(kind: Kind, old: Order[]): string {
  const o = pick(old);
  switch (kind) {
    case 'phone fragment':
      return String(int(0, 999_999)).padStart(6, '0');
    case 'common word':
      return pick(COMMON);
    case 'rare word':
      return Array.from({ length: 7 }, () => LETTERS[int(0, LETTERS.length - 1)]).join('');
    case 'surname':
      return o.client_name.split(' ')[0]!;
    case 'whole address':
      return o.client_address;
    case 'whole name':
      return o.client_name;
    case 'order number':
      return `#${o.id}`;
  }
}

export default function (data: Data): void {
  const kind = pick(KINDS);
  call(name(kind), `/search?q=${encodeURIComponent(term(kind, data.old))}&limit=20`, { token: pick(data.fixture.dispatchers).token });
}

export const handleSummary = summaryFor(`search, ${__ENV.KINDS ? KINDS.join(', ') : 'every kind of term'}, at ${RATE} requests/s for ${DURATION}`);
