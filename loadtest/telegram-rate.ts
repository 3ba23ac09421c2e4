import { check, fail } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';
import { fixture, type Account, type MasterAccount } from './lib/fixture.ts';
import { BASE_URL, call, int, json, pick } from './lib/http.ts';
import { TREND_STATS } from './lib/report.ts';
import { rateTable, type RateSummary } from './lib/rate-table.ts';

/**
 * How many Telegram updates per second the bot takes through its webhook:
 * one update per iteration at rising arrival rates (RATES, default
 * 20,50,100,150,200, each held HOLD, default 30s, after a 2 s ramp), so a
 * slow bot shows as slow answers, never as a politely slower client.
 * The updates are those of real flows, from many people's private chats:
 * /start, reply-keyboard taps (orders, my orders), inline menu taps, an
 * order card opened from a list, and a master accepting an order assigned
 * to them (each accept a different order, created in setup). Every
 * update_id is new, so the exactly-once record never answers from memory.
 * Replies go out to the stub Bot API as real HTTP calls. URLS (the harness
 * sets it with --instances 2) spreads updates round-robin over instances.
 */
const RATES = (__ENV.RATES || '20,50,100,150,200').split(',').map(Number);
const HOLD = Number((__ENV.HOLD || '30s').replace(/s$/, ''));
const RAMP = 2;
const URLS = (__ENV.URLS || BASE_URL).split(',').map((u) => u.replace(/\/+$/, ''));
const WEBHOOK = 'POST /telegram/webhook';

const tg = fixture.telegram;
if (!tg) fail('this scenario needs the stub Bot API: run it with `npm run loadtest -- telegram-rate`');

// Per offered rate (samples of its hold only) and per instance: sub-metrics k6 keeps only for thresholds.
const rateThresholds = Object.fromEntries(
  [...RATES.map((r) => `rate:${r}`), ...URLS.map((_u, i) => `instance:${i + 1}`)].map((tag) => [`http_req_duration{${tag}}`, ['max>=0']]),
);
const failedThresholds = Object.fromEntries(RATES.map((r) => [`http_req_failed{rate:${r}}`, ['rate>=0']]));

export const options: Options = {
  scenarios: {
    updates: {
      executor: 'ramping-arrival-rate',
      startRate: 1,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: Math.max(...RATES) * 2 + 50,
      stages: RATES.flatMap((r) => [
        { target: r, duration: `${RAMP}s` },
        { target: r, duration: `${HOLD}s` },
      ]),
    },
  },
  // Finding the highest rate within p95 < 100 ms is the summary's job (rateTable); these only keep the sub-metrics.
  thresholds: { http_req_failed: ['rate<0.001'], ...rateThresholds, ...failedThresholds },
  summaryTrendStats: TREND_STATS,
  setupTimeout: '5m',
};

interface Pool {
  /** Orders to open as cards. */
  cards: number[];
  /** Orders assigned to a master, each accepted once: [order id, version, master index]. */
  accepts: Array<[number, number, number]>;
}

/** Orders for the cards, and one assigned order per accept the run will make (a tenth of its updates). */
export function setup(): Pool {
  const token = fixture.dispatchers[0]!.token;
  const masters = fixture.masters;
  if (masters.length === 0 || fixture.dispatchers.length === 0) fail('the fixture needs dispatchers and masters');
  const wanted = Math.ceil((RATES.reduce((s, r) => s + r * (HOLD + RAMP), 0) / 10) * 1.1);
  const accepts: Pool['accepts'] = [];
  // Small batches: a burst far above the pool makes the service shed load (503), and setup is not the measure.
  const batch = 8;
  for (let done = 0; accepts.length < wanted && done < wanted * 2; done += batch) {
    const n = batch;
    const created = http.batch(
      Array.from({ length: n }, () => ({
        method: 'POST',
        url: `${BASE_URL}/api/v1/orders`,
        body: JSON.stringify(newOrder()),
        params: { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, tags: { name: 'setup: POST /orders' } },
      })),
    );
    const ids = created.map((r) => (r.status === 201 ? (r.json('id') as number) : 0)).filter((id) => id > 0);
    const assigned = http.batch(
      ids.map((id, i) => ({
        method: 'POST',
        url: `${BASE_URL}/api/v1/orders/${id}/assign`,
        body: JSON.stringify({ master_id: masters[(done + i) % masters.length]!.id }),
        params: { headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, tags: { name: 'setup: assign' } },
      })),
    );
    assigned.forEach((r, i) => {
      if (r.status === 200) accepts.push([ids[i]!, r.json('version') as number, (done + i) % masters.length]);
    });
  }
  if (accepts.length < wanted * 0.9) fail(`setup assigned only ${accepts.length} of ${wanted} orders`);
  const page = json<{ items: Array<{ id: number }> }>(call('GET /orders', '/orders?limit=100', { token, tags: { name: 'setup: GET /orders' } }));
  return { cards: [...(page?.items.map((o) => o.id) ?? []), ...accepts.slice(0, 100).map(([id]) => id)], accepts };
}

function newOrder(): Record<string, unknown> {
  return {
    equipment_type: pick(['washing_machine', 'oven', 'dishwasher', 'water_heater']),
    description: 'не сливает воду',
    client_name: `${pick(['Смирнова', 'Кузнецов', 'Попова', 'Орлов'])} ${pick(['Анна', 'Иван', 'Ольга', 'Сергей'])}`,
    client_address: `ул. Ленина, д. ${int(1, 150)}, кв. ${int(1, 300)}`,
    client_phone: `+7 9${int(10, 99)} ${int(100, 999)}-${int(10, 99)}-${int(10, 99)}`,
  };
}

/** The offered rate whose hold this moment falls in, or null during a ramp. */
function currentRate(): number | null {
  let t = (Date.now() - exec.scenario.startTime) / 1000;
  for (const r of RATES) {
    if (t < RAMP) return null;
    t -= RAMP;
    if (t < HOLD) return r;
    t -= HOLD;
  }
  return null;
}

// Unique across VUs and runs: seconds since a recent epoch, then the iteration.
const RUN = Math.floor(Date.now() / 1000) % 1_000_000;
const BOT = { id: 1000001, is_bot: true, first_name: 'Repair Bot', username: 'repair_test_bot' };

function from(a: Account) {
  return { id: a.telegramId, is_bot: false, first_name: 'Нагрузка', language_code: 'ru' };
}

function message(a: Account, text: string): Record<string, unknown> {
  const command = text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {};
  return {
    message: { message_id: int(1, 1e9), date: Math.floor(Date.now() / 1000), chat: { id: a.telegramId, type: 'private' }, from: from(a), text, ...command },
  };
}

function tap(a: Account, data: string): Record<string, unknown> {
  const chat = { id: a.telegramId, type: 'private' };
  const shown = { message_id: int(1, 1e9), date: Math.floor(Date.now() / 1000), chat, from: BOT, text: '…' };
  return { callback_query: { id: String(int(1, 1e15)), from: from(a), chat_instance: String(a.telegramId), data, message: shown } };
}

/** What one iteration sends, by its place in a cycle of 20: the shares of the flows above. */
function update(pool: Pool, n: number): { kind: string; body: Record<string, unknown> } {
  const d = pick(fixture.dispatchers);
  const m: MasterAccount = pick(fixture.masters);
  const slot = n % 20;
  if (slot < 3) return { kind: 'start', body: message(slot === 0 ? m : d, '/start') };
  if (slot < 7) return { kind: 'menu-orders', body: message(d, '📋 Заказы') };
  if (slot < 9) return { kind: 'menu-my', body: message(m, '🧰 Мои заказы') };
  if (slot < 12) return { kind: 'inline-menu', body: slot === 9 ? tap(m, 'm:my') : tap(d, 'm:orders') };
  const accept = slot >= 18 ? pool.accepts[Math.floor(n / 20) * 2 + slot - 18] : undefined;
  if (accept) return { kind: 'accept', body: tap(fixture.masters[accept[2]]!, `oa:ac:${accept[0]}:${accept[1]}`) };
  return { kind: 'card', body: tap(d, `oc:${pick(pool.cards)}`) };
}

export default function (pool: Pool): void {
  const n = exec.scenario.iterationInTest;
  const { kind, body } = update(pool, n);
  const instance = (n % URLS.length) + 1;
  const rate = currentRate();
  const res = http.post(`${URLS[instance - 1]}/api/v1/telegram/webhook`, JSON.stringify({ update_id: RUN * 1_000_000_000 + n, ...body }), {
    headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': tg!.secret },
    tags: { name: WEBHOOK, kind, instance: String(instance), rate: rate === null ? 'ramp' : String(rate) },
  });
  check(res, { [`${WEBHOOK} answers 200`]: (r) => r.status === 200 });
}

export function handleSummary(data: RateSummary): Record<string, string> {
  const text = rateTable(data, RATES, HOLD, URLS.length);
  const out: Record<string, string> = { stdout: `\n== telegram-rate: updates through the webhook, ${URLS.length} instance(s)\n${text}` };
  if (__ENV.RESULTS_DIR) {
    out[`${__ENV.RESULTS_DIR}/summary.json`] = JSON.stringify(data, null, 2);
    out[`${__ENV.RESULTS_DIR}/rates.txt`] = text;
  }
  return out;
}
