import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupJobs } from '../../src/backup/backup-job.ts';
import { createLogger } from '../../src/telemetry/logger.ts';
import type { ReminderConfig } from '../../src/config.ts';
import { reminderJobs } from '../../src/scheduler/reminder-jobs.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, orderInput } from '../support/fixtures.ts';
import { buttonsOf, useBotHarness } from './harness.ts';
import { auditOf } from '../support/reads.ts';

const t = useTestDatabase();
const h = useBotHarness(t);

const CONFIG: ReminderConfig = {
  unassigned: { afterMinutes: 15, everyMinutes: 5 },
  accept: { afterMinutes: 15, everyMinutes: 5 },
  visitBeforeMinutes: 120,
  quietHours: { startMinute: 22 * 60, endMinute: 6 * 60 },
};

/** Moscow wall-clock time (UTC+3) as an instant. */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+03:00`);

/** The bot's reminder jobs at a given Moscow time; runs one and returns when its messages are sent. */
async function run(name: string, local: string) {
  const jobs = reminderJobs(t.db, h.telegram.notifier.reminders, { ...CONFIG, timeZone: 'Europe/Moscow', clock: () => at(local) });
  await jobs.find((j) => j.name === name)!.run();
  await h.telegram.idle();
}

/** Setup only: as if the order had entered its status (and got its visit time) then. */
async function backdate(id: number, enteredLocal: string, visitLocal?: string) {
  await t.db.pool.query(`UPDATE orders SET status_changed_at = $2, scheduled_at = COALESCE($3, scheduled_at) WHERE id = $1`, [
    id,
    at(enteredLocal),
    visitLocal ? at(visitLocal) : null,
  ]);
}

describe('reminders through the bot', () => {
  it('tell each dispatcher in their language about orders waiting for a master, or their group once it is set', async () => {
    // Setup: two dispatchers (one reads English), an admin, two orders new since 11:40
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const bob = await makeUser(t.db, ['DISPATCHER'], 'Bob');
    await h.services.users.setLanguage(bob, 'en');
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const first = (await h.services.orders.create(anna, orderInput({ client_address: 'Тверская 1' }))).order;
    const second = (await h.services.orders.create(anna, orderInput({ equipment_type: 'oven', client_address: 'Арбат 5' }))).order;
    await backdate(first.id, '2026-11-23 11:40');
    await backdate(second.id, '2026-11-23 11:42');
    await h.telegram.idle(); // the new orders were announced; the reminders come after
    const bossHeard = h.stub.messagesTo(boss.telegramId!).length;

    // Action: reminded at 12:00; the admin sets the dispatchers' group; reminded again at 12:05
    await run('remind_unassigned', '2026-11-23 12:00');
    const toAnna = h.stub.messagesTo(anna.telegramId!).at(-1)!;
    const toBob = h.stub.messagesTo(bob.telegramId!).at(-1)!;
    await h.services.settings.setDispatcherChat(boss, -1001234567890);
    await run('remind_unassigned', '2026-11-23 12:05');

    // Assertions
    expect(toAnna.payload.text).toBe(
      [
        '⏳ Заказы без мастера: 2',
        `№${first.id} · Стиральная машина · Тверская 1 · ждёт 20 мин`,
        `№${second.id} · Духовой шкаф / варочная панель · Арбат 5 · ждёт 18 мин`,
        '',
        'Назначьте мастера из карточки заказа.',
      ].join('\n'),
    );
    expect(buttonsOf(toAnna)).toEqual([`Открыть №${first.id}`, `Открыть №${second.id}`]);
    expect(toBob.payload.text).toContain(`#${first.id} · Washing machine · Тверская 1 · waiting 20 min`);
    expect(h.stub.messagesTo(boss.telegramId!)).toHaveLength(bossHeard); // the admin is not reminded while dispatchers are
    const toGroup = h.stub.messagesTo(-1001234567890);
    expect(toGroup).toHaveLength(1);
    expect(toGroup[0]!.payload.text).toContain(`№${first.id} · Стиральная машина · Тверская 1 · ждёт 25 мин`);
    expect(h.stub.messagesTo(anna.telegramId!).at(-1)).toBe(toAnna);
    expect(await h.services.settings.dispatcherChatId()).toBe(-1001234567890);
    const audit = await auditOf(t.db, { action: 'setting.change' });
    expect(audit).toMatchObject([{ actor_id: boss.userId, details: { key: 'notifications.dispatcher_chat_id', value: -1001234567890 } }]);
    await expect(h.services.settings.setDispatcherChat(boss, 1.5)).rejects.toThrow(/Telegram chat id/);
    await expect(h.services.settings.setDispatcherChat(anna, -1)).rejects.toThrow(/only admins/);
    await h.services.settings.setDispatcherChat(boss, null);
    expect(await h.services.settings.dispatcherChatId()).toBeNull();
  });

  it('remind the master (and his work group) to accept, with the buttons, and tell the dispatcher', async () => {
    // Setup: Pyotr has a work group; an order assigned to him at 14:00
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    await t.db.pool.query(`UPDATE masters SET work_chat_id = -100777 WHERE id = $1`, [pyotr.masterId]);
    await h.services.settings.set(await makeUser(t.db, ['ADMIN'], 'Boss'), 'mastersPrivateCopy', true); // the group and privately
    const { order } = await h.services.orders.create(anna, orderInput());
    await h.services.workflow.act(anna, order.id, 'assign', { master_id: pyotr.masterId });
    await h.telegram.idle();
    await backdate(order.id, '2026-11-23 14:00');

    // Action
    await run('remind_accept', '2026-11-23 14:20');

    // Assertions
    const toMaster = h.stub.messagesTo(pyotr.telegramId!).at(-1)!;
    expect(toMaster.payload.text).toContain(`⏰ Заказ №${order.id} назначен вам 20 мин назад и ждёт ответа. Примите его или откажитесь.`);
    expect(toMaster.payload.text).not.toContain('+79161234567'); // the phone shows from arrival on
    expect(buttonsOf(toMaster)).toEqual(['✅ Принять', '✖️ Отказаться']);
    const toGroup = h.stub.messagesTo(-100777).slice(1); // after the assignment's card
    expect(toGroup.map((c) => c.payload.text)).toEqual([
      `⏰ Pyotr, заказ №${order.id} (Стиральная машина) ждёт вашего ответа уже 20 мин. Примите его или откажитесь.`,
    ]);
    expect(buttonsOf(toGroup[0])).toEqual(['✅ Принять', '✖️ Отказаться']);
    expect(h.stub.messagesTo(anna.telegramId!).at(-1)!.payload.text).toBe(`⏰ Мастер ещё не принял заказ: 1\n№${order.id} · Pyotr · ждёт 20 мин`);
  });

  it('remind the master of the visit two hours ahead', async () => {
    // Setup: accepted, visit at 18:30 Moscow time
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const pyotr = await makeMaster(t.db, { name: 'Pyotr' });
    const { order } = await h.services.orders.create(anna, orderInput());
    await h.services.workflow.act(anna, order.id, 'assign', { master_id: pyotr.masterId });
    await h.services.workflow.act(pyotr, order.id, 'accept', {});
    await h.telegram.idle();
    await backdate(order.id, '2026-11-23 10:00', '2026-11-23 18:30');

    // Action
    await run('remind_visit', '2026-11-23 16:31');
    await run('remind_visit', '2026-11-23 16:32');

    // Assertions
    const reminders = h.stub.messagesTo(pyotr.telegramId!).filter((c) => String(c.payload.text).startsWith('🚗'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.payload.text).toContain(`🚗 Через 1 ч 59 мин выезд по заказу №${order.id} (23.11.2026 18:30). Подготовьтесь к выезду.`);
    expect(buttonsOf(reminders[0])).toEqual([`Открыть №${order.id}`]);
  });
});

describe('the daily backup, told to admins', () => {
  it('gives its size when made, and the reason and the retry when not', async () => {
    // Setup: an admin who reads English, one who reads Russian; the job cannot find pg_dump
    const boss = await makeUser(t.db, ['ADMIN'], 'Boss');
    const ivan = await makeUser(t.db, ['ADMIN'], 'Ivan');
    await h.services.users.setLanguage(boss, 'en');
    const empty = await mkdtemp(path.join(tmpdir(), 'repair-bot-no-tools-'));
    const [job] = backupJobs({
      db: t.db,
      databaseUrl: t.url,
      config: { enabled: true, dir: empty, hour: 3, retentionDays: 30 },
      timeZone: 'Europe/Moscow',
      pgBinDir: empty,
      logger: createLogger('silent'),
      notifier: h.telegram.notifier.backups,
      clock: () => at('2026-11-23 03:05'),
    });

    // Action
    await job!.run();
    await h.telegram.notifier.backups.backupDone({ day: '2026-11-23', file: 'repair-bot-2026-11-23T0305.dump', sizeBytes: 12_900_000, pruned: 1 });

    // Assertions
    const [failed, done] = h.stub.messagesTo(ivan.telegramId!).slice(-2);
    expect(failed!.payload.text).toBe(
      `❌ Резервная копия базы за 23.11.2026 не создана (попытка 1 из 3): no pg_dump of PostgreSQL 18 or newer in PG_BIN_DIR (${empty}); found none. ` +
        `Install the PostgreSQL 18 client tools (Debian/Ubuntu: postgresql-client-18) or set PG_BIN_DIR to their directory.\nПовторю через 30 мин.`,
    );
    expect(done!.payload.text).toBe('💾 Резервная копия базы за 23.11.2026 готова: repair-bot-2026-11-23T0305.dump, 12.3 МБ. Удалено старых копий: 1.');
    expect(h.stub.messagesTo(boss.telegramId!).at(-1)!.payload.text).toBe(
      '💾 Database backup for 23.11.2026 is ready: repair-bot-2026-11-23T0305.dump, 12.3 MB. Old backups deleted: 1.',
    );
  });
});
