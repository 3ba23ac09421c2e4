import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { consoleAssets, readConsoleAssets, writeConsoleFiles } from '../../src/console/assets.ts';
import { useApi } from '../http/support.ts';
import { consoleConfig, cookiesOf, initDataFor } from './support.ts';

// Served as if behind TLS at an https address: cookies must be Secure.
const api = useApi({ config: consoleConfig('https://console.example') });

/** Every file the first page load fetches, as the browser would ask for them. */
async function firstLoad(encoding: string): Promise<Array<{ url: string; bytes: number; type: string }>> {
  const get = async (url: string) => {
    const res = await fetch(`${api.base}${url}`, { headers: { 'accept-encoding': encoding } });
    // fetch decodes the body; what travelled is Content-Length.
    await res.arrayBuffer();
    return { url, bytes: Number(res.headers.get('content-length')), type: res.headers.get('content-type') ?? '' };
  };
  const page = await fetch(`${api.base}/console/`);
  const html = await page.text();
  const refs = [...html.matchAll(/(?:src|href)="(\/console\/[^"]+)"/g)].map((m) => m[1]!);
  return [await get('/console/'), ...(await Promise.all(refs.map(get)))];
}

describe('the console pages', () => {
  it('are served with a strict Content-Security-Policy: this origin only, no inline code, no eval', async () => {
    // Action
    const res = await fetch(`${api.base}/console/`);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';

    // Assertions
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(csp.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "frame-ancestors 'self' https://web.telegram.org",
        "require-trusted-types-for 'script'",
      ]),
    );
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    // No inline script or style in the page itself.
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]|<style|style=/);
    expect(html).toMatch(/<script type="module" src="\/console\/assets\/app-[A-Z0-9]+\.js"><\/script>/);
  });

  it('first load stays under 200 kB compressed (brotli and gzip), assets cached for good', async () => {
    // Action
    const brotli = await firstLoad('br');
    const gzip = await firstLoad('gzip');
    const total = (files: typeof brotli) => files.reduce((n, f) => n + f.bytes, 0);
    const asset = await fetch(`${api.base}${brotli[1]!.url}`, { headers: { 'accept-encoding': 'br' } });

    // Assertions
    expect(brotli.map((f) => f.type)).toEqual(expect.arrayContaining(['text/javascript; charset=utf-8', 'text/css; charset=utf-8']));
    expect(total(brotli)).toBeLessThan(200 * 1024);
    expect(total(gzip)).toBeLessThan(200 * 1024);
    expect(total(brotli)).toBe((await consoleAssets()).firstLoad.brotli);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('vary')).toBe('Accept-Encoding');
  });

  it('sends br, gzip or plain bytes that decode to the same file, and 304 for a known ETag', async () => {
    // Setup
    const { index } = await consoleAssets();
    const script = [...(await consoleAssets()).byName.values()].find((a) => a.name.endsWith('.js'))!;
    const get = (encoding: string, extra: Record<string, string> = {}) =>
      fetch(`${api.base}/console/${script.name}`, { headers: { 'accept-encoding': encoding, ...extra } });

    // Action
    const [br, gz, plain, again] = await Promise.all([get('br'), get('gzip'), get('identity'), get('br', { 'if-none-match': script.etag })]);

    // Assertions
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(Number(br.headers.get('content-length'))).toBe(script.brotli.length);
    expect(Number(gz.headers.get('content-length'))).toBe(script.gzip.length);
    expect(brotliDecompressSync(script.brotli).equals(script.body)).toBe(true);
    expect(gunzipSync(script.gzip).equals(script.body)).toBe(true);
    // fetch decodes what it got: each encoding arrives as the same file.
    expect(Buffer.from(await br.arrayBuffer()).equals(script.body)).toBe(true);
    expect(Buffer.from(await gz.arrayBuffer()).equals(script.body)).toBe(true);
    expect(Buffer.from(await plain.arrayBuffer()).equals(script.body)).toBe(true);
    expect(again.status).toBe(304);
    expect(index.immutable).toBe(false);
  });

  it('redirects /console to /console/, answers unknown assets with 404, and serves the app on its own paths', async () => {
    // Action
    const bare = await fetch(`${api.base}/console`, { redirect: 'manual' });
    const missing = await fetch(`${api.base}/console/assets/nothing.js`);
    const deep = await fetch(`${api.base}/console/timeline`);

    // Assertions
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/console/');
    expect(missing.status).toBe(404);
    expect(deep.status).toBe(200);
  });

  it('serves a prebuilt front end from a directory (the Docker image) exactly as the in-memory build', async () => {
    // Setup
    const dir = await mkdtemp(path.join(tmpdir(), 'console-assets-'));
    try {
      // Action
      await writeConsoleFiles(dir);
      const prebuilt = await readConsoleAssets(dir);
      const built = await consoleAssets();

      // Assertions
      expect([...prebuilt.byName.keys()].sort()).toEqual([...built.byName.keys()].sort());
      expect(prebuilt.firstLoad).toEqual(built.firstLoad);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('cookies over https', () => {
  it('are Secure with the __Host- prefix; a Mini App session is partitioned so Telegram Web can frame it', async () => {
    // Action
    const res = await api.request('POST', '/api/v1/console/session/telegram', {
      body: { init_data: initDataFor({ id: api.dispatcher.principal.telegramId! }) },
    });
    const link = await api.services.console.auth.issueLoginLink(api.dispatcher.principal);
    const redirect = await fetch(`${api.base}/console/login${new URL(link.url).search}`, { redirect: 'manual' });

    // Assertions
    expect(res.status).toBe(200);
    expect(cookiesOf(res).raw[0]).toMatch(/^__Host-rb_session=rs_[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=None; Secure; Partitioned$/);
    expect(link.url).toMatch(/^https:\/\/console\.example\/console\/login\?token=rl_/);
    expect(cookiesOf(redirect).raw[0]).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('keep a login-link session Strict, and sign-out clears the partitioned cookie too', async () => {
    // Setup
    const link = await api.services.console.auth.issueLoginLink(api.dispatcher.principal);

    // Action
    const signedIn = await api.request('POST', '/api/v1/console/session/link', { body: { token: new URL(link.url).searchParams.get('token') } });
    const cookie = `__Host-rb_session=${cookiesOf(signedIn).jar['__Host-rb_session']}`;
    const out = await api.request('DELETE', '/api/v1/console/session', { headers: { cookie, 'x-csrf-token': signedIn.body.csrf_token } });

    // Assertions
    expect(signedIn.status).toBe(200);
    expect(cookiesOf(signedIn).raw.find((c) => c.startsWith('__Host-rb_session='))).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    expect(out.status).toBe(204);
    expect(cookiesOf(out).raw).toEqual([
      '__Host-rb_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure',
      '__Host-rb_session=; Path=/; Max-Age=0; HttpOnly; SameSite=None; Secure; Partitioned',
    ]);
  });
});
