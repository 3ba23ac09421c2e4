import { useState } from 'preact/hooks';
import { api, ApiError } from './api.ts';
import { Tile } from './board.tsx';
import { statusOne, t } from './i18n.ts';
import type { Order } from './types.ts';

/** Search by number (#123), phone, address or name; results open as cards. */
export function SearchBox(props: { onOpen: (id: number) => void; equipmentName: (code: string) => string }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Order[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = (e: Event) => {
    e.preventDefault();
    if (!q.trim()) return;
    setError(null);
    api<{ items: Order[] }>('GET', `/api/v1/console/search?${new URLSearchParams({ q: q.trim() })}`).then(
      (r) => setResults(r.items),
      (err: unknown) => setError(err instanceof ApiError ? (err.problem.detail ?? '') : t('offline')),
    );
  };
  return (
    <form class="search" role="search" onSubmit={run}>
      <input type="search" value={q} placeholder={t('search')} aria-label={t('search')} onInput={(e) => setQ(e.currentTarget.value)} />
      {(results || error) && (
        <div class="results" role="dialog" aria-label={t('searchResults')}>
          <button type="button" class="link" onClick={() => (setResults(null), setError(null))}>
            {t('close')}
          </button>
          {error && <p class="error">{error}</p>}
          {results?.length === 0 && <p class="hint">{t('searchNothing')}</p>}
          {results?.map((o) => (
            <div class="result">
              <span class="status-tag" data-status={o.status}>
                {statusOne(o.status)}
              </span>
              <Tile
                order={o}
                flash={false}
                equipmentName={props.equipmentName}
                onOpen={(id) => {
                  setResults(null);
                  props.onOpen(id);
                }}
              />
            </div>
          ))}
        </div>
      )}
    </form>
  );
}
