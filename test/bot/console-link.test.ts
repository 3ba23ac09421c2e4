import { describe, expect, it } from 'vitest';
import { consoleConfig } from '../console/support.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser } from '../support/fixtures.ts';
import { buttonsOf, keyboardOf, useBotHarness } from './harness.ts';

const t = useTestDatabase();
const local = useBotHarness(t, consoleConfig('http://127.0.0.1:3000'));
const public_ = useBotHarness(t, consoleConfig('https://repair.example.com'));
const bare = useBotHarness(t);

describe('/console in the bot', () => {
  it('gives a dispatcher a one-time login link (previews off) that signs in once', async () => {
    // Setup
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna');
    const me = local.user(anna.telegramId!, 'Anna');

    // Action
    const [reply] = await me.send('/console');
    const url = /http:\/\/127\.0\.0\.1:3000\/console\/login\?token=(rl_[A-Za-z0-9_-]{43})/.exec(String(reply!.payload.text));
    const session = await local.services.console.auth.loginWithLink(url![1]!);
    const again = await local.services.console.auth.loginWithLink(url![1]!).catch((err: Error) => err);

    // Assertions
    expect(reply!.payload.text).toContain('одноразовая ссылка для входа, действует 10 мин.');
    expect(reply!.payload.link_preview_options).toEqual({ is_disabled: true });
    expect(session.principal.userId).toBe(anna.userId);
    expect(again).toBeInstanceOf(Error);
  });

  it('over https offers the Mini App and a browser link as buttons, from the menu too', async () => {
    // Setup
    const admin = await makeUser(t.db, ['ADMIN'], 'Oleg');
    const me = public_.user(admin.telegramId!, 'Oleg', 'en');
    await me.send('/start');

    // Action
    const reply = (await me.press('Пульт')).find((c) => c.method === 'sendMessage');

    // Assertions
    const rows = keyboardOf(reply) as unknown as Array<Array<{ text: string; web_app?: { url: string }; url?: string }>>;
    const app = rows[0]![0];
    const browser = rows[1]![0];
    expect(app).toEqual({ text: '🖥 Открыть в Telegram', web_app: { url: 'https://repair.example.com/console/' } });
    expect(browser!.text).toBe('🌐 Открыть в браузере');
    expect(browser!.url).toMatch(/^https:\/\/repair\.example\.com\/console\/login\?token=rl_[A-Za-z0-9_-]{43}$/);
    expect(String(reply!.payload.text)).not.toContain('token=');
  });

  it('is for staff: a master is told politely and sees no Console button; without a public URL it says so', async () => {
    // Setup
    const master = await makeMaster(t.db, { name: 'Pyotr' });
    const anna = await makeUser(t.db, ['DISPATCHER'], 'Anna B');
    const pyotr = local.user(master.telegramId!, 'Pyotr');

    // Action
    const [menu] = await pyotr.send('/start');
    const [refused] = await pyotr.send('/console');
    const [unset] = await bare.user(anna.telegramId!, 'Anna B').send('/console');

    // Assertions
    expect(buttonsOf(menu)).not.toContain('🖥 Пульт');
    expect(refused!.payload.text).toBe('Пульт доступен диспетчерам и администраторам.');
    expect(unset!.payload.text).toBe('Пульт не настроен: администратору нужно задать CONSOLE_PUBLIC_URL.');
  });
});
