import { fail } from 'k6';
import { call, json } from './http.ts';

/**
 * Who the load runs as. `npm run loadtest` writes a fixture file (tokens of
 * an admin, dispatchers and approved masters, a deep cursor) and passes its
 * path in FIXTURE. Without one (the compose profile) API_TOKEN, an admin
 * token, is enough: the admin then acts for dispatchers and masters, which
 * the state machine allows, and setup registers a master if none is assignable.
 */
export interface Account {
  token: string;
  telegramId: number;
}
export interface MasterAccount extends Account {
  /** masters.id, what orders point at. */
  id: number;
}
export interface Fixture {
  admin: Account;
  dispatchers: Account[];
  masters: MasterAccount[];
  /** A cursor deep in the CLOSED list, computed by the harness from the database. */
  deepCursor?: string;
  telegram?: { secret: string; stubUrl: string };
}

const file = __ENV.FIXTURE ? open(__ENV.FIXTURE) : null;

function fromEnv(): Fixture {
  const token = __ENV.API_TOKEN;
  if (!token) fail('set FIXTURE (written by `npm run loadtest`) or API_TOKEN (an admin API token)');
  return { admin: { token, telegramId: 0 }, dispatchers: [{ token, telegramId: 0 }], masters: [] };
}

export const fixture: Fixture = file ? (JSON.parse(file) as Fixture) : fromEnv();

interface MasterRow {
  id: number;
  telegram_id: number;
}

/** Setup-time: make sure there are masters to assign (only without a fixture file). */
export function resolveFixture(): Fixture {
  if (fixture.masters.length > 0) return fixture;
  const admin = fixture.admin.token;
  const page = json<{ items: MasterRow[] }>(call('GET /masters', '/masters?assignable=true&limit=20', { token: admin }));
  let masters = page?.items ?? [];
  if (masters.length === 0) {
    const created = call('POST /masters', '/masters', {
      token: admin,
      expect: [201],
      body: { telegram_id: 9_100_000_001, phone: '+79990000001', specialization: 'load test', name: 'Мастер Нагрузочный' },
    });
    const master = json<MasterRow>(created);
    if (!master) fail(`could not register a master: ${created.status} ${String(created.body)}`);
    call('POST /masters/{id}/approve', `/masters/${master.id}/approve`, { token: admin, expect: [200] });
    masters = [master];
  }
  return { ...fixture, masters: masters.map((m) => ({ id: m.id, telegramId: m.telegram_id, token: admin })) };
}
