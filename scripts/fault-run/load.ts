import { randomUUID } from 'node:crypto';

/** One create the load generator got acknowledged (201), by the key it sent. */
interface Acked {
  key: string;
  id: number;
}

export interface CreateLoad {
  acked: Acked[];
  /** Answers other than 201 and requests that got no answer, with when they ended (ms since epoch). */
  failures: number[];
  successes: number[];
  /** Stops the workers and waits for the requests in flight. */
  stop(): Promise<void>;
}

const body = (key: string) =>
  JSON.stringify({
    equipment_type: 'washing_machine',
    description: `fault-run ${key}`,
    client_name: 'Fault Run',
    client_address: 'Moscow, Tverskaya 1',
    client_phone: '+79161234567',
  });

/**
 * `workers` clients creating orders as fast as the service answers, each
 * create with an Idempotency-Key and retried with the same key until it is
 * acknowledged, as the README asks clients to: a retried create must never
 * become a second order, and an acknowledged one must never be lost.
 */
export function createLoad(bases: string[], token: string, workers: number): CreateLoad {
  const load: CreateLoad = { acked: [], failures: [], successes: [], stop: async () => {} };
  let stopping = false;
  const worker = async (n: number) => {
    const base = bases[n % bases.length]!;
    while (!stopping) {
      const key = randomUUID();
      for (;;) {
        const res = await fetch(`${base}/api/v1/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: body(key),
          signal: AbortSignal.timeout(10_000),
        }).catch(() => null);
        if (res?.status === 201) {
          load.acked.push({ key, id: ((await res.json()) as { id: number }).id });
          load.successes.push(Date.now());
          break;
        }
        await res?.body?.cancel();
        load.failures.push(Date.now());
        // Retry the same key, a little later; at the end, a key never acknowledged may be dropped.
        if (stopping) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  const running = Array.from({ length: workers }, (_, n) => worker(n));
  load.stop = async () => {
    stopping = true;
    await Promise.all(running);
  };
  return load;
}

/** Lifecycles (create, refuse, reopen, refuse: four writes) completed per second by `workers` clients over `seconds`. */
export async function lifecycleThroughput(bases: string[], token: string, workers: number, seconds: number): Promise<{ perSecond: number; failed: number }> {
  let done = 0;
  let failed = 0;
  const until = Date.now() + seconds * 1000;
  const call = async (base: string, path: string, payload: unknown, key?: string) => {
    const res = await fetch(`${base}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(payload),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path}: ${res.status}`);
    return JSON.parse(text) as { id: number };
  };
  const worker = async (n: number) => {
    const base = bases[n % bases.length]!;
    while (Date.now() < until) {
      try {
        const key = randomUUID();
        const { id } = await call(base, '/orders', JSON.parse(body(key)), key);
        await call(base, `/orders/${id}/refuse`, { reason: 'Throughput' });
        await call(base, `/orders/${id}/reopen`, { note: 'Again' });
        await call(base, `/orders/${id}/refuse`, { reason: 'Throughput' });
        done++;
      } catch {
        failed++;
      }
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: workers }, (_, n) => worker(n)));
  return { perSecond: done / ((Date.now() - started) / 1000), failed };
}
