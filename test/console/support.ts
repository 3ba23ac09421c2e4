import type { ConsoleConfig } from '../../src/console/console-services.ts';
import { signInitData } from '../../src/console/init-data.ts';
import type { Api } from '../http/support.ts';

/** A bot token for signing test init data (the stub's format, never a real one). */
export const BOT_TOKEN = '123456789:TEST-token-for-the-console_xyz';

/** The console's services as a deployment at `publicUrl` with a bot would have them. */
export function consoleConfig(publicUrl: string, overrides: { loginLinkTtlSeconds?: number } = {}): ConsoleConfig {
  return {
    telegram: { token: BOT_TOKEN, apiRoot: undefined, webhookUrl: undefined, webhookSecret: undefined },
    console: {
      publicUrl,
      sessionTtlSeconds: 3600,
      loginLinkTtlSeconds: overrides.loginLinkTtlSeconds ?? 600,
      initDataMaxAgeSeconds: 3600,
      heartbeatSeconds: 15,
      assetsDir: undefined,
    },
  };
}

/** Init data as Telegram would sign it for this user, `ageSeconds` old. */
export function initDataFor(user: { id: number; first_name?: string; language_code?: string }, opts: { ageSeconds?: number; token?: string } = {}): string {
  const fields: Record<string, string> = {
    auth_date: String(Math.floor(Date.now() / 1000) - (opts.ageSeconds ?? 5)),
    query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
    user: JSON.stringify({ first_name: 'Test', ...user }),
  };
  fields.hash = signInitData(fields, opts.token ?? BOT_TOKEN);
  return new URLSearchParams(fields).toString();
}

/** name=value of each Set-Cookie, and the raw headers. */
export function cookiesOf(res: { headers: Headers }): { jar: Record<string, string>; raw: string[] } {
  const raw = res.headers.getSetCookie();
  const jar: Record<string, string> = {};
  for (const line of raw) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar[pair!.slice(0, eq)] = pair!.slice(eq + 1);
  }
  return { jar, raw };
}

export interface ConsoleSession {
  cookie: string;
  csrf: string;
}

/** Signs in through the Mini App route; the cookie header and CSRF token to send afterwards. */
export async function signInTelegram(api: Api, telegramId: number, language = 'ru'): Promise<ConsoleSession> {
  const res = await api.request('POST', '/api/v1/console/session/telegram', { body: { init_data: initDataFor({ id: telegramId, language_code: language }) } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
  const { jar } = cookiesOf(res);
  return { cookie: `rb_session=${jar.rb_session}`, csrf: res.body.csrf_token };
}

/** Headers of a request made by the console page. */
export function asConsole(s: ConsoleSession, withCsrf = true): Record<string, string> {
  return { cookie: s.cookie, ...(withCsrf ? { 'x-csrf-token': s.csrf } : {}) };
}
