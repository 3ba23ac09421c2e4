import type { Options } from 'k6/options';
import { fixture } from './lib/fixture.ts';
import { call, int, pick } from './lib/http.ts';
import { summaryFor, thresholds, TREND_STATS } from './lib/report.ts';

/**
 * The open-model mix of issue #18, one request per iteration at a constant
 * arrival rate RATE (default 400/s) for DURATION (default 30s): 25% list
 * NEW, 15% list CLOSED, 35% an order by id, 15% create, 10% search for a
 * random 6-digit phone fragment. Requests start on time whatever the
 * latency, so a saturated target shows as slow requests (and, past maxVUs,
 * dropped iterations), never as a politely slower client. The same script
 * runs against the service and the bare floor (TARGET names which, for the
 * summary); the floor ignores the token. IDS is a JSON file of order ids
 * sampled from the whole table by the harness.
 */
const RATE = Number(__ENV.RATE || 400);
const DURATION = __ENV.DURATION || '30s';
const ids = JSON.parse(open(__ENV.IDS!)) as number[];
const ENDPOINTS = ['GET /orders', 'GET /orders/{id}', 'POST /orders', 'GET /search'];

export const options: Options = {
  scenarios: {
    mix: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: DURATION,
      preAllocatedVUs: Math.ceil(RATE * 0.05) + 20,
      maxVUs: RATE + 100,
    },
  },
  thresholds: thresholds(ENDPOINTS),
  summaryTrendStats: TREND_STATS,
};

const EQUIPMENT = ['washing_machine', 'oven', 'dishwasher', 'coffee_machine', 'plumbing', 'electrical', 'water_heater', 'tv'];
const NAMES = ['Смирнов Иван', 'Кузнецова Анна', 'Попов Сергей', 'Соколова Мария', 'Лебедев Павел', 'Новикова Елена'];

function newOrder(): Record<string, unknown> {
  return {
    equipment_type: pick(EQUIPMENT),
    description: 'не включается, клиент просит приехать утром',
    client_name: pick(NAMES),
    client_address: `ул. Садовая, д. ${int(1, 150)}, кв. ${int(1, 300)}`,
    client_phone: `+7 9${int(10, 99)} ${int(100, 999)}-${int(10, 99)}-${int(10, 99)}`,
  };
}

export default function mix(): void {
  const token = pick(fixture.dispatchers).token;
  const r = Math.random() * 100;
  if (r < 25) call('GET /orders', '/orders?status=NEW&limit=20', { token, tags: { kind: 'list_new' } });
  else if (r < 40) call('GET /orders', '/orders?status=CLOSED&limit=20', { token, tags: { kind: 'list_closed' } });
  else if (r < 75) call('GET /orders/{id}', `/orders/${pick(ids)}`, { token });
  else if (r < 90) call('POST /orders', '/orders', { token, body: newOrder(), expect: [201] });
  else call('GET /search', `/search?q=${String(int(0, 999_999)).padStart(6, '0')}`, { token });
}

export const handleSummary = summaryFor(`mix against the ${__ENV.TARGET || 'service'} at ${RATE} requests/s for ${DURATION}`);
