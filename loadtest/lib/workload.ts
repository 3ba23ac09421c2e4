import { fail } from 'k6';
import exec from 'k6/execution';
import { call, int, json, pick, reportDay, weighted } from './http.ts';
import { resolveFixture, type Fixture, type MasterAccount } from './fixture.ts';

/**
 * The mixed workload of the lifecycle family (lifecycle, stress, spike,
 * soak): `orderFlow` creates an order as a dispatcher and drives it to
 * CLOSED with the right roles' tokens (7 requests); `readMix` is one read
 * as the people using the service would make it, by weight.
 */
interface Order {
  id: number;
  status: string;
  client_name: string;
  client_phone: string | null;
}

export interface WorkloadData {
  fixture: Fixture;
  /** Ids of existing orders for card and history reads. */
  ids: number[];
  /** What dispatchers type into search: phone digits and client names. */
  terms: string[];
}

/** Requests per order flow: create, assign, accept, card, arrive, complete, close. */
export const FLOW_REQUESTS = 7;

const FLOW_ENDPOINTS = [
  'POST /orders',
  'POST /orders/{id}/assign',
  'POST /orders/{id}/accept',
  'GET /orders/{id}',
  'POST /orders/{id}/arrive',
  'POST /orders/{id}/complete',
  'POST /orders/{id}/close',
];
const READ_ENDPOINTS = [
  'GET /orders',
  'GET /orders/{id}',
  'GET /orders/{id}/history',
  'GET /search',
  'GET /masters',
  'GET /reports/summary',
  'GET /reports/masters',
];
export const ENDPOINTS = [...new Set([...FLOW_ENDPOINTS, ...READ_ENDPOINTS])];

/** Share of all requests that belong to order flows; the rest are reads. */
export const FLOW_SHARE = 0.35;

/** Arrival rates (iterations/s) of both scenarios for a total of `rps` requests/s. */
export function split(rps: number): { flows: number; reads: number } {
  return { flows: Math.max(1, Math.round((rps * FLOW_SHARE) / FLOW_REQUESTS)), reads: Math.max(1, Math.round(rps * (1 - FLOW_SHARE))) };
}

/**
 * The mixed load at a constant arrival rate of `rps` requests/s for
 * `duration`: order flows and reads as two scenarios (lifecycle, soak).
 * Enough VUs are kept for latencies far above the thresholds, so a slow
 * service shows as slow requests before it shows as dropped iterations.
 */
export function constantMix(rps: number, duration: string) {
  const { flows, reads } = split(rps);
  const constant = (exec: string, rate: number, preAllocatedVUs: number, maxVUs: number) => ({
    executor: 'constant-arrival-rate' as const,
    exec,
    rate,
    timeUnit: '1s',
    duration,
    preAllocatedVUs,
    maxVUs,
  });
  return {
    // Pre-allocated for a quarter second of latency (an order flow is 7 requests): a VU that k6 has to
    // start mid-run takes long enough to drop iterations, which would hide a slow start as drops.
    orders: constant('orders', flows, flows * 2 + 10 + Math.ceil(flows * 7 * 0.25), flows * 20 + 50),
    reads: constant('reads', reads, Math.ceil(reads * 0.25) + 10, reads + 50),
  };
}

/**
 * The mixed load with a changing arrival rate: from `startRps` requests/s
 * through `stages` (each a total rate reached over a duration), split into
 * order flows and reads as constantMix does (stress, spike).
 */
export function rampingMix(startRps: number, stages: ReadonlyArray<{ rps: number; duration: string }>) {
  const ramping = (exec: string, share: (rps: number) => number, vus: number) => ({
    executor: 'ramping-arrival-rate' as const,
    exec,
    startRate: share(startRps),
    timeUnit: '1s',
    preAllocatedVUs: vus,
    maxVUs: vus * 10,
    stages: stages.map((s) => ({ target: share(s.rps), duration: s.duration })),
  });
  return {
    orders: ramping('orders', (rps) => split(rps).flows, 20),
    reads: ramping('reads', (rps) => split(rps).reads, 40),
  };
}

const EQUIPMENT = ['washing_machine', 'oven', 'dishwasher', 'coffee_machine', 'plumbing', 'electrical', 'water_heater', 'tv'];
const FIRST = ['Анна', 'Иван', 'Ольга', 'Сергей', 'Мария', 'Дмитрий', 'Елена', 'Алексей', 'Наталья', 'Павел'];
const LAST = ['Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Новиков', 'Морозов', 'Волков', 'Зайцев', 'Орлов'];
const STREETS = ['ул. Ленина', 'пр. Мира', 'ул. Гагарина', 'ул. Садовая', 'Невский пр.', 'ул. Победы', 'ул. Школьная'];
const TROUBLES = ['не включается', 'течёт вода', 'не греет', 'шумит при отжиме', 'выбивает автомат', 'ошибка E21 на дисплее'];

function newOrderBody(): Record<string, unknown> {
  const body: Record<string, unknown> = {
    equipment_type: pick(EQUIPMENT),
    description: `${pick(TROUBLES)}, клиент просит приехать утром`,
    client_name: `${pick(LAST)} ${pick(FIRST)}`,
    client_address: `${pick(STREETS)}, д. ${int(1, 150)}, кв. ${int(1, 300)}`,
    client_phone: `+7 9${int(10, 99)} ${int(100, 999)}-${int(10, 99)}-${int(10, 99)}`,
  };
  if (Math.random() < 0.4) body.notes = 'домофон не работает, позвонить';
  if (Math.random() < 0.5) body.scheduled_at = new Date(Date.now() + int(1, 72) * 3_600_000).toISOString();
  return body;
}

/** Setup: the fixture, plus ids and search terms from the newest orders (a few are created on an empty database). */
export function prepareWorkload(): WorkloadData {
  const fixture = resolveFixture();
  const token = fixture.dispatchers[0]!.token;
  let orders: Order[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    const page = json<{ items: Order[] }>(call('GET /orders', '/orders?limit=100', { token }));
    if (!page) fail('cannot list orders: is the service up and the token valid?');
    orders = page.items;
    if (orders.length >= 20) break;
    for (let i = 0; i < 20; i++) call('POST /orders', '/orders', { token, body: newOrderBody(), expect: [201] });
  }
  // Cards are mostly of recent orders; some are old ones, from deep in the CLOSED list.
  if (fixture.deepCursor) {
    const old = json<{ items: Order[] }>(call('GET /orders', `/orders?status=CLOSED&limit=100&cursor=${fixture.deepCursor}`, { token }));
    orders = [...orders, ...(old?.items ?? [])];
  }
  const terms = orders.flatMap((o) => [o.client_name.split(' ')[0] ?? o.client_name, ...(o.client_phone ? [o.client_phone.slice(-7)] : [])]);
  return { fixture, ids: orders.map((o) => o.id), terms };
}

function masterToken(data: WorkloadData, master: MasterAccount): string {
  return master.token || data.fixture.admin.token;
}

/** One order from creation to CLOSED; stops at the first step that fails. */
export function orderFlow(data: WorkloadData): void {
  const dispatcher = pick(data.fixture.dispatchers).token;
  const master = pick(data.fixture.masters);
  const mt = masterToken(data, master);
  const key = `lt-${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Date.now()}`;
  const res = call('POST /orders', '/orders', { token: dispatcher, body: newOrderBody(), expect: [201], headers: { 'Idempotency-Key': key } });
  const created = res.status === 201 ? json<Order>(res) : null;
  if (!created) return;
  const id = created.id;
  const steps: Array<[string, string, string, unknown]> = [
    ['POST /orders/{id}/assign', `/orders/${id}/assign`, dispatcher, { master_id: master.id }],
    ['POST /orders/{id}/accept', `/orders/${id}/accept`, mt, {}],
    ['GET /orders/{id}', `/orders/${id}`, mt, undefined],
    ['POST /orders/{id}/arrive', `/orders/${id}/arrive`, mt, {}],
    ['POST /orders/{id}/complete', `/orders/${id}/complete`, mt, completion()],
    ['POST /orders/{id}/close', `/orders/${id}/close`, dispatcher, {}],
  ];
  for (const [name, path, token, body] of steps) {
    if (call(name, path, { token, body }).status !== 200) return;
  }
}

function completion(): Record<string, unknown> {
  const total = int(15, 250) * 100;
  return {
    total_amount: `${total}.00`,
    materials_cost: `${Math.floor(total * Math.random() * 0.3)}.00`,
    has_review: Math.random() < 0.3,
    out_of_city: Math.random() < 0.1,
  };
}

const OPEN = 'NEW,ASSIGNED,ACCEPTED,IN_PROGRESS,LONG_REPAIR';
const MASTER_OPEN = 'ASSIGNED,ACCEPTED,IN_PROGRESS,LONG_REPAIR';
let nextCursor: string | null = null;

function list(token: string, query: string): void {
  nextCursor = json<{ next_cursor: string | null }>(call('GET /orders', `/orders?${query}`, { token }))?.next_cursor ?? null;
}

/** Each kind of read, with how often people make it (per 100 reads). */
const READS: Record<string, { weight: number; run(data: WorkloadData, dispatcher: string): void }> = {
  list: { weight: 22, run: (_d, t) => list(t, `status=${pick([OPEN, 'NEW', 'NEW,ASSIGNED', 'COMPLETED'])}&limit=20`) },
  nextPage: { weight: 8, run: (_d, t) => list(t, nextCursor ? `status=${OPEN}&limit=20&cursor=${nextCursor}` : `status=${OPEN}&limit=20`) },
  masterList: {
    weight: 15,
    run: (d) => void call('GET /orders', `/orders?status=${MASTER_OPEN}&limit=20`, { token: masterToken(d, pick(d.fixture.masters)) }),
  },
  card: { weight: 25, run: (d, t) => void call('GET /orders/{id}', `/orders/${pick(d.ids)}`, { token: t }) },
  history: { weight: 5, run: (d, t) => void call('GET /orders/{id}/history', `/orders/${pick(d.ids)}/history`, { token: t }) },
  search: { weight: 10, run: (d, t) => void call('GET /search', `/search?q=${encodeURIComponent(pick(d.terms))}`, { token: t }) },
  masters: { weight: 5, run: (_d, t) => void call('GET /masters', '/masters?assignable=true&limit=50', { token: t }) },
  // A master's own figures for the last days of the month; an admin's summary of today or the week (local days).
  masterReport: {
    weight: 5,
    run: (d) =>
      void call('GET /reports/masters', `/reports/masters?from=${reportDay(int(0, 29))}&to=${reportDay(-1)}`, {
        token: masterToken(d, pick(d.fixture.masters)),
      }),
  },
  summary: {
    weight: 5,
    run: (d) => void call('GET /reports/summary', `/reports/summary?from=${reportDay(pick([0, 6]))}&to=${reportDay(-1)}`, { token: d.fixture.admin.token }),
  },
};
const WEIGHTS = Object.fromEntries(Object.entries(READS).map(([k, r]) => [k, r.weight]));

/** One read, chosen by weight (dispatcher lists and cards dominate, reports are rare). */
export function readMix(data: WorkloadData): void {
  READS[weighted(WEIGHTS)]!.run(data, pick(data.fixture.dispatchers).token);
}

/** Every kind of read once (smoke). */
export function readEach(data: WorkloadData): void {
  for (const read of Object.values(READS)) read.run(data, pick(data.fixture.dispatchers).token);
}
