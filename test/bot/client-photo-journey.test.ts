import { afterAll, describe, expect, it } from 'vitest';
import { useBotMetrics } from '../../src/telemetry/bot-telemetry.ts';
import { createMetrics } from '../../src/telemetry/metrics.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser, telegramId } from '../support/fixtures.ts';
import { statusOf } from '../support/reads.ts';
import { buttonsOf, updateId, useBotHarness } from './harness.ts';

/**
 * One order from creation to rating, every step pressed or sent in Telegram:
 * the dispatcher creates it with a photo of the appliance, the client opens
 * the link, the master accepts, checks in with a live location, completes
 * with photos before and after, the client rates. The transcript
 * (BOT_TRANSCRIPT_FILE) is the client's whole story; this checks that the
 * client hears each step, and never sees a photo, a phone or a full name.
 */
const t = useTestDatabase();
const h = useBotHarness(t);

// The bot counts into whatever metrics the service hands it; here a registry of this file's own.
const metrics = createMetrics(() => null);
useBotMetrics(metrics);
afterAll(() => useBotMetrics(null));

const photo = (unique: string) => ({ photo: [{ file_id: `big-${unique}`, file_unique_id: unique, width: 1280, height: 960 }] });

describe('one order, from creation to the rating, through the bot', () => {
  it('carries the photos and the live check-in while the client hears every step and rates the work', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const petr = await makeMaster(t.db, { name: 'Пётр Мастеров' });
    const dispatcher = h.user(anna.telegramId!, 'Anna');
    const master = h.user(petr.telegramId!, 'Пётр');
    const olga = h.user(telegramId(), 'Ольга');

    // Action: the dispatcher takes the call, with a photo the client sent her.
    await dispatcher.send('/new');
    await dispatcher.press('Стиральные машины');
    for (const answer of ['Не сливает воду', 'Ольга Клиентова', 'Тверская 1, кв. 5', '+7 916 555-44-33']) await dispatcher.send(answer);
    await dispatcher.press('Пропустить');
    await dispatcher.send('завтра в 10');
    await dispatcher.act('Anna sends the photo of the washing machine', dispatcher.messageWith(photo('appliance-1')));
    await dispatcher.press('Дальше');
    const created = await dispatcher.press('Подтвердить');
    const orderId = Number(/Заказ №(\d+) создан/.exec(String(created.find((c) => c.method === 'sendMessage')!.payload.text))![1]);
    const link = /\?start=(c[A-Za-z0-9_-]{43})/.exec(String(created.find((c) => c.method === 'sendPhoto')!.payload.caption))![1]!;

    // The client opens the link; the dispatcher assigns the master, who accepts and arrives.
    await olga.send(`/start ${link}`);
    await dispatcher.press('Назначить');
    await dispatcher.press('Пётр Мастеров');
    await master.press('Принять');
    await master.press('На месте');
    await master.act('Пётр shares his live location', {
      update_id: updateId(),
      message: {
        message_id: 9001,
        date: Math.floor(Date.now() / 1000),
        chat: { id: master.id, type: 'private', first_name: 'Пётр' },
        from: { id: master.id, is_bot: false, first_name: 'Пётр' },
        location: { latitude: 55.7567, longitude: 37.6173, live_period: 3600 },
      },
    });

    // He completes with photos before and after, and the amounts.
    await master.press('Завершить');
    await master.act('Пётр sends a photo before the work', master.messageWith(photo('before-1')));
    await master.press('Дальше');
    await master.act('Пётр sends a photo after the work', master.messageWith(photo('after-1')));
    await master.press('Дальше');
    await master.send('10000');
    await master.send('2000');
    await master.press('Нет');
    await master.press('Нет');
    await master.press('Подтвердить');

    // The client rates, with a word.
    await olga.press('★★★★★');
    await olga.send('Всё чисто, спасибо');
    const album = await dispatcher.press('Фото и документы');
    const card = (await dispatcher.send(`/order ${orderId}`)).at(-1)!;

    // Assertions
    const heard = olga.inbox.map((c) => (c.payload.text as string | undefined) ?? '');
    expect(heard).toEqual([
      `Здравствуйте! Это ваш заказ №${orderId}. Здесь мы будем сообщать, как идут дела.`,
      expect.stringContaining(`Заказ №${orderId}: Стиральн`),
      expect.stringMatching(new RegExp(`^👷 По заказу №${orderId} назначен мастер Пётр\\. Визит: `)),
      expect.stringMatching(new RegExp(`^✅ Мастер Пётр подтвердил визит по заказу №${orderId}`)),
      `📍 Мастер Пётр на месте (заказ №${orderId}).`,
      `🏁 Работа по заказу №${orderId} выполнена. К оплате: 10 000,00 ₽.\nОцените, пожалуйста, работу мастера:`,
      'Спасибо за оценку 5 из 5! Если хотите, напишите комментарий одним сообщением.',
      'Спасибо, комментарий сохранён.',
    ]);
    expect(olga.inbox.map((c) => c.method)).not.toContain('sendMediaGroup');
    expect(heard.join('\n')).not.toMatch(/Мастеров|Клиентова|916|55\.75/);
    expect(buttonsOf(olga.inbox[5])).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★']);
    expect(await statusOf(t.db, orderId)).toBe('COMPLETED');
    expect((await t.db.pool.query('SELECT score, comment FROM order_ratings WHERE order_id = $1', [orderId])).rows).toEqual([
      { score: 5, comment: 'Всё чисто, спасибо' },
    ]);
    expect(album.filter((c) => c.method === 'sendMediaGroup').map((c) => (c.payload.media as Array<{ media: string }>).map((m) => m.media))).toEqual([
      ['big-appliance-1', 'big-before-1', 'big-after-1'],
    ]);
    // Metrics: the client's news by kind and the score, with no name or phone in any label.
    const sent = (await metrics.clientMessages.get()).values.map((v) => [v.labels.kind, v.value]);
    const scores = (await metrics.ratings.get()).values.map((v) => [v.labels.score, v.value]);
    expect(sent).toEqual([
      ['assigned', 1],
      ['accepted', 1],
      ['on-site', 1],
      ['done', 1],
    ]);
    expect(scores).toEqual([
      ['1', 0],
      ['2', 0],
      ['3', 0],
      ['4', 0],
      ['5', 1],
    ]);
    // Label sets only: a duration's digits may well read 916.
    const labelSets = (await metrics.registry.metrics()).match(/\{[^}]*\}/g) ?? [];
    expect(labelSets.length).toBeGreaterThan(0);
    expect(labelSets.join('\n')).not.toMatch(/Ольга|Клиентова|Мастеров|916|555/);
    expect((await h.services.places.of(anna, orderId)).checkIn).toMatchObject({ live: true, latitude: 55.7567 });
    // Completed: the live location is no longer followed, and the card says where he checked in instead.
    expect(String(card.payload.text)).toMatch(/📎 Фото: 3, документы: 0\n📍 Мастер отметился на месте: .+\.$/);
  });
});
