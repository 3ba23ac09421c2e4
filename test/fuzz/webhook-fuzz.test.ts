import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/users/principal.ts';
import { useBotHarness, workOrder } from '../bot/harness.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput, telegramId } from '../support/fixtures.ts';
import { brokenInvariants, fuzzRuns } from './invariants.ts';

/**
 * Generated Telegram updates posted to the running bot's webhook, as staff,
 * masters and strangers: commands, free text, button presses with data
 * that is valid, near-valid or garbage, and update shapes Telegram never
 * sends. Never a 5xx, no handler failure (the bot's 500), and the order
 * invariants hold after each update.
 */
const t = useTestDatabase();
const h = useBotHarness(t);
const RUNS = fuzzRuns(60);
const stats = { updates: 0, fiveXx: 0, handlerFailures: 0 };

const people: Array<{ id: number; name: string }> = [];
const orderIds: number[] = [];

beforeAll(async () => {
  const admin = await makeUser(t.db, ['ADMIN'], 'Fuzz Admin');
  const staff = await makeUser(t.db, ['DISPATCHER'], 'Fuzz Dispatcher');
  const master = await makeMaster(t.db, { name: 'Fuzz Master' });
  for (const p of [admin, staff, master] as Principal[]) people.push({ id: p.telegramId!, name: p.name });
  people.push({ id: telegramId(), name: 'Stranger' });
  for (const until of [null, 'assigned', 'in_progress', 'completed'] as const) {
    const { order } = await h.services.orders.create(staff, orderInput());
    if (until) await workOrder(h, { staff, master }, order.id, until);
    orderIds.push(order.id);
  }
  await h.telegram.idle();
}, 120_000);

const PREFIXES = ['m', 'lg', 'eq', 'sk', 'cf', 'yn', 'ls', 'oc', 'oa', 'pm', 'as', 'ml', 'mc', 'mf', 'ma', 'ul', 'uc', 'ur', 'rp', 'rx'];
const COMMANDS = ['/start', '/new', '/orders', '/search', '/masters', '/users', '/report', '/console', '/cancel', '/help', '/lang'];
const arg = fc.oneof(
  fc.nat({ max: 5 }).map(String),
  fc.constantFrom('ru', 'en', 'y', 'n', 'new', 'all', 'washing_machine', '0', '-1', '99999999999999999'),
  fc.nat({ max: 3 }).map((i) => `order:${i}`),
  fc.string({ maxLength: 10 }),
);
const callbackData = fc.oneof(
  fc.tuple(fc.constantFrom(...PREFIXES), fc.array(arg, { maxLength: 3 })).map(([p, args]) => [p, ...args].join(':')),
  fc.string({ maxLength: 70 }),
);
const messageText = fc.oneof(
  fc.constantFrom(...COMMANDS),
  fc.tuple(fc.constantFrom(...COMMANDS), fc.string({ maxLength: 30 })).map(([c, s]) => `${c} ${s}`),
  fc.constantFrom('+79161234567', 'Иван', '2030-01-01 10:00', '9999-12-31T23:59:59.9999995Z', 'Ivan\u202Evon', '1000.00', 'x'.repeat(4096)),
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

let nextUpdateId = 900_000;
const updateArb = fc.record({
  who: fc.nat(),
  kind: fc.constantFrom('message', 'message', 'callback', 'callback', 'odd'),
  text: messageText,
  data: callbackData,
  messageId: fc.nat({ max: 50 }),
  odd: fc.jsonValue({ maxDepth: 3 }),
});

function updateOf(u: typeof updateArb extends fc.Arbitrary<infer T> ? T : never): object {
  const person = people[u.who % people.length]!;
  const user = h.user(person.id, person.name);
  const id = ++nextUpdateId;
  if (u.kind === 'message') return user.messageUpdate(u.text, id);
  if (u.kind === 'callback') return user.callbackUpdate(u.data, u.messageId + orderIds[u.who % orderIds.length]!, id);
  // Shapes Telegram never sends: an update id with anything beside it.
  return { update_id: id, ...(typeof u.odd === 'object' && u.odd !== null && !Array.isArray(u.odd) ? u.odd : { odd: u.odd }) };
}

describe('generated Telegram updates', () => {
  it(
    'never get a 5xx nor a handler failure, and leave every invariant intact',
    async () => {
      const failuresBefore = h.telegram.failures;
      await fc.assert(
        fc.asyncProperty(updateArb, async (u) => {
          // Action
          const res = await h.post(updateOf(u));
          await res.arrayBuffer();
          await h.telegram.idle();

          // Assertions
          stats.updates++;
          if (res.status >= 500) stats.fiveXx++;
          stats.handlerFailures = h.telegram.failures - failuresBefore;
          expect(res.status).toBeLessThan(500);
          expect(stats.handlerFailures).toBe(0);
          expect(await brokenInvariants(t.db)).toEqual({});
        }),
        { numRuns: RUNS },
      );
      console.log(`Webhook fuzz: ${stats.updates} updates, ${stats.fiveXx} 5xx, ${stats.handlerFailures} handler failures`);
      expect(stats.updates).toBe(RUNS);
    },
    Math.max(60_000, RUNS * 1000),
  );
});
