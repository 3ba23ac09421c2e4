/**
 * Running inside Telegram as a Mini App, without Telegram's script: the
 * launch parameters come in the URL fragment (tgWebAppData is the signed
 * init data, tgWebAppThemeParams the client's colours), and the few calls
 * we make go through the documented postEvent bridge of each platform.
 */
const KEY = 'rb.tgWebAppData';

export interface Launch {
  initData: string | null;
  language: string | null;
}

function themeFrom(raw: string | null): void {
  if (!raw) return;
  try {
    const theme = JSON.parse(raw) as Record<string, unknown>;
    const vars: Record<string, string> = {
      bg_color: '--bg',
      secondary_bg_color: '--panel',
      text_color: '--text',
      hint_color: '--hint',
      link_color: '--link',
      button_color: '--accent',
      button_text_color: '--accent-text',
    };
    for (const [key, name] of Object.entries(vars)) {
      const value = theme[key];
      if (typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value)) document.documentElement.style.setProperty(name, value);
    }
  } catch {
    // A theme we cannot read leaves ours.
  }
}

/** Reads the launch parameters once, then removes them from the address bar (the init data is a credential). */
export function readLaunch(): Launch {
  const params = new URLSearchParams(location.hash.slice(1));
  let initData = params.get('tgWebAppData');
  if (initData) {
    sessionStorage.setItem(KEY, initData);
    themeFrom(params.get('tgWebAppThemeParams'));
    history.replaceState(null, '', location.pathname + location.search);
  } else {
    initData = sessionStorage.getItem(KEY);
  }
  return { initData, language: languageOf(initData) };
}

function languageOf(initData: string | null): string | null {
  try {
    const user = initData ? (JSON.parse(new URLSearchParams(initData).get('user') ?? 'null') as { language_code?: string } | null) : null;
    return user?.language_code ?? null;
  } catch {
    return null;
  }
}

/** Forgets the init data of this tab (it was refused, or the person signed out). */
export function forgetLaunch(): void {
  sessionStorage.removeItem(KEY);
}

export function postEvent(type: string, data: unknown = null): void {
  const w = window as unknown as { TelegramWebviewProxy?: { postEvent(t: string, d: string): void }; external?: { notify?(s: string): void } };
  try {
    if (w.TelegramWebviewProxy?.postEvent) w.TelegramWebviewProxy.postEvent(type, JSON.stringify(data));
    else if (typeof w.external?.notify === 'function') w.external.notify(JSON.stringify({ eventType: type, eventData: data }));
    else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data }), 'https://web.telegram.org');
  } catch {
    // Outside Telegram there is nobody to tell.
  }
}
