import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setCsrf, whenSignedOut } from './api.ts';
import { App } from './app.tsx';
import { setZone } from './format.ts';
import { setLanguage, t } from './i18n.ts';
import './styles.css';
import { forgetLaunch, postEvent, readLaunch } from './telegram.ts';
import type { Session } from './types.ts';

/**
 * Signing in, in this order: a session this browser already has; Telegram
 * init data when opened as a Mini App; a login link's token that the
 * /console/login redirect left in a cookie. Then the app.
 */
type Gate = { state: 'checking' } | { state: 'in'; session: Session } | { state: 'out'; message: string };

const launch = readLaunch();
setLanguage(launch.language?.startsWith('en') ? 'en' : 'ru');
if (launch.initData) {
  postEvent('web_app_ready');
  postEvent('web_app_expand');
}

async function signIn(): Promise<Session> {
  try {
    return await api<Session>('GET', '/api/v1/console/session');
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
  }
  if (launch.initData) {
    const session = await api<Session>('POST', '/api/v1/console/session/telegram', { init_data: launch.initData });
    // Signed in, yet the cookie did not stick: a client that frames the app and drops its cookies.
    await api<Session>('GET', '/api/v1/console/session').catch((err: unknown) => {
      throw err instanceof ApiError && err.status === 401 ? new ApiError(499, { status: 499, detail: 'cookies' }) : err;
    });
    return session;
  }
  return api<Session>('POST', '/api/v1/console/session/link', {});
}

function why(err: unknown): string {
  if (!(err instanceof ApiError)) return t('offline');
  const reason = (err.problem as { reason?: string }).reason;
  if (err.status === 499) return t('cookiesBlocked');
  if (err.status === 403) return t('noRole');
  if (err.status === 401 && err.problem.field === 'init_data') return reason === 'expired' ? t('expired') : t('forged');
  if (err.status === 401 && err.problem.field === 'token') return reason === 'invalid' ? t('linkUsed') : t('openFromBot');
  return t('failed', { detail: err.problem.detail ?? String(err.status) });
}

function Root() {
  const [gate, setGate] = useState<Gate>({ state: 'checking' });
  const start = () => {
    setGate({ state: 'checking' });
    signIn().then(
      (session) => {
        setCsrf(session.csrf_token);
        setZone(session.time_zone);
        setLanguage(session.language);
        setGate({ state: 'in', session });
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 401) forgetLaunch();
        setGate({ state: 'out', message: why(err) });
      },
    );
  };
  useEffect(() => {
    whenSignedOut(() => setGate({ state: 'out', message: t('sessionEnded') }));
    start();
  }, []);
  if (gate.state === 'in') return <App session={gate.session} onSignedOut={() => setGate({ state: 'out', message: t('sessionEnded') })} />;
  return (
    <div class="gate">
      <h1>{t('title')}</h1>
      {gate.state === 'checking' ? (
        <p class="hint">{t('checking')}</p>
      ) : (
        <div class="denied" role="alert">
          <h2>{t('deniedTitle')}</h2>
          <p>{gate.message}</p>
          <button type="button" onClick={start}>
            {t('retry')}
          </button>
        </div>
      )}
    </div>
  );
}

render(<Root />, document.getElementById('app')!);
