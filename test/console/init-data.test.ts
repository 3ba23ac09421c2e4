import { describe, expect, it } from 'vitest';
import { checkInitData, signInitData } from '../../src/console/init-data.ts';
import { BOT_TOKEN, initDataFor } from './support.ts';

const NOW = Math.floor(Date.now() / 1000);

describe('Telegram Mini App init data', () => {
  it('accepts data signed with the bot token and returns its user', () => {
    // Setup
    const data = initDataFor({ id: 4242, first_name: 'Анна', language_code: 'ru' });

    // Action
    const check = checkInitData(data, BOT_TOKEN, 3600, NOW);

    // Assertions
    expect(check).toMatchObject({ ok: true, user: { id: 4242, first_name: 'Анна', language_code: 'ru' } });
  });

  it('matches the signature Telegram documents (HMAC-SHA256 keyed by HMAC("WebAppData", token), sorted key=value lines)', async () => {
    // Setup: the same computation written out independently with WebCrypto.
    const fields = { auth_date: '1700000000', user: '{"id":1}', query_id: 'Q' };
    const enc = new TextEncoder();
    const hmac = async (key: Uint8Array, data: string) =>
      new Uint8Array(
        await crypto.subtle.sign('HMAC', await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']), enc.encode(data)),
      );
    const secret = await hmac(enc.encode('WebAppData'), BOT_TOKEN);
    const expected = Buffer.from(await hmac(secret, 'auth_date=1700000000\nquery_id=Q\nuser={"id":1}')).toString('hex');

    // Action / Assertions
    expect(signInitData(fields, BOT_TOKEN)).toBe(expected);
  });

  it('refuses a tampered field, another bot, a missing hash and a repeated key', () => {
    // Setup
    const good = initDataFor({ id: 4242 });
    const tampered = good.replace(encodeURIComponent('"id":4242'), encodeURIComponent('"id":4243'));
    const otherBot = initDataFor({ id: 4242 }, { token: '987654321:ANOTHER-bot-token-xxxxxxxxx' });
    const noHash = good.replace(/&hash=[0-9a-f]+/, '');
    const repeated = `${good}&auth_date=${NOW}`;

    // Action / Assertions
    expect(tampered).not.toBe(good);
    expect(checkInitData(tampered, BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(checkInitData(otherBot, BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'signature' });
    expect(checkInitData(noHash, BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkInitData(repeated, BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(checkInitData('', BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses data older than the limit, or dated in the future', () => {
    // Setup
    const old = initDataFor({ id: 4242 }, { ageSeconds: 7200 });
    const future = initDataFor({ id: 4242 }, { ageSeconds: -600 });
    const fresh = initDataFor({ id: 4242 }, { ageSeconds: 3000 });

    // Action / Assertions
    expect(checkInitData(old, BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(checkInitData(future, BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'expired' });
    expect(checkInitData(fresh, BOT_TOKEN, 3600, NOW).ok).toBe(true);
  });

  it('refuses signed data that names no user', () => {
    // Setup
    const fields: Record<string, string> = { auth_date: String(NOW), query_id: 'Q' };
    fields.hash = signInitData(fields, BOT_TOKEN);

    // Action / Assertions
    expect(checkInitData(new URLSearchParams(fields).toString(), BOT_TOKEN, 3600, NOW)).toEqual({ ok: false, reason: 'no-user' });
  });
});
