import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Telegram Mini App init data (the tgWebAppData launch parameter), checked
 * as Telegram documents it: the secret key is HMAC-SHA256 of the bot token
 * keyed with "WebAppData"; the hash is HMAC-SHA256 of the data-check-string
 * (every field but `hash`, sorted by key, `key=value` joined by newlines)
 * under that key, in hex. auth_date bounds how old the data may be.
 */
interface InitDataUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type InitDataCheck = { ok: true; user: InitDataUser; authDate: number } | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'no-user' };

/** Init data above this size is not Telegram's (it is a few hundred bytes). */
const MAX_LENGTH = 8192;
/** Clocks drift: a date this far in the future still counts as now. */
const FUTURE_SKEW_SECONDS = 60;

function secretKey(botToken: string): Buffer {
  return createHmac('sha256', 'WebAppData').update(botToken).digest();
}

/** The hex signature Telegram would put in `hash` for these fields (also how tests sign). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const check = Object.keys(fields)
    .filter((k) => k !== 'hash')
    .sort()
    .map((k) => `${k}=${fields[k]}`)
    .join('\n');
  return createHmac('sha256', secretKey(botToken)).update(check).digest('hex');
}

function parseUser(raw: string | undefined): InitDataUser | null {
  if (raw === undefined) return null;
  try {
    const u = JSON.parse(raw) as Partial<InitDataUser> | null;
    if (!u || typeof u !== 'object' || !Number.isSafeInteger(u.id) || (u.id as number) <= 0) return null;
    return {
      id: u.id as number,
      first_name: typeof u.first_name === 'string' ? u.first_name : '',
      ...(typeof u.last_name === 'string' ? { last_name: u.last_name } : {}),
      ...(typeof u.username === 'string' ? { username: u.username } : {}),
      ...(typeof u.language_code === 'string' ? { language_code: u.language_code } : {}),
    };
  } catch {
    return null;
  }
}

/** Validates init data against the bot token and its age; nothing in it is trusted before the signature holds. */
export function checkInitData(initData: string, botToken: string, maxAgeSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): InitDataCheck {
  if (initData.length === 0 || initData.length > MAX_LENGTH) return { ok: false, reason: 'malformed' };
  const params = new URLSearchParams(initData);
  const fields: Record<string, string> = {};
  for (const [key, value] of params) {
    // A repeated key makes the data-check-string ambiguous: Telegram never sends one.
    if (Object.hasOwn(fields, key)) return { ok: false, reason: 'malformed' };
    fields[key] = value;
  }
  const hash = fields.hash;
  if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signInitData(fields, botToken), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'signature' };
  const authDate = Number(fields.auth_date);
  if (!Number.isSafeInteger(authDate) || authDate <= 0) return { ok: false, reason: 'malformed' };
  if (authDate > nowSeconds + FUTURE_SKEW_SECONDS || nowSeconds - authDate > maxAgeSeconds) return { ok: false, reason: 'expired' };
  const user = parseUser(fields.user);
  if (!user) return { ok: false, reason: 'no-user' };
  return { ok: true, user, authDate };
}
