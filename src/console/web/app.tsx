import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from './api.ts';
import { BoardColumns } from './board.tsx';
import { addDays, dateLabel, syncClock } from './format.ts';
import { language, setLanguage, t } from './i18n.ts';
import { LiveStream } from './live.ts';
import { NewOrderForm } from './new-order.tsx';
import { OrderCard } from './order-card.tsx';
import { SearchBox } from './search.tsx';
import { forgetLaunch } from './telegram.ts';
import { Timeline } from './timeline.tsx';
import type { Board, EquipmentType, MasterLoad, Order, Session, View } from './types.ts';

/** Applies one live change to the board: upsert where it now belongs, or drop it. */
function applyChange(board: Board, order: Order | null, id: number, onBoard: boolean): Board {
  let known: Order | undefined;
  for (const c of board.columns) known ??= c.items.find((o) => o.id === id);
  if (known && order && known.version > order.version) return board;
  const columns = board.columns.map((c) => {
    const had = c.items.some((o) => o.id === id);
    const here = onBoard && order !== null && order.status === c.status;
    if (!had && !here) return c;
    const items = c.items.filter((o) => o.id !== id);
    if (here) {
      items.push(order);
      items.sort((a, b) => Date.parse(a.scheduled_at ?? a.created_at) - Date.parse(b.scheduled_at ?? b.created_at) || a.id - b.id);
    }
    return { ...c, items, total: c.total + (here ? 1 : 0) - (had ? 1 : 0) };
  });
  return { ...board, columns };
}

export function App(props: { session: Session; onSignedOut: () => void }) {
  const { session } = props;
  const [tab, setTab] = useState<'board' | 'timeline'>('board');
  const [view, setView] = useState<View>({ date: session.today, masterId: null, equipmentType: null });
  const [board, setBoard] = useState<Board | null>(null);
  const [masters, setMasters] = useState<MasterLoad[]>([]);
  const [equipment, setEquipment] = useState<EquipmentType[]>([]);
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [live, setLive] = useState(false);
  const [flash, setFlash] = useState<Set<number>>(new Set());
  const [revision, setRevision] = useState(0);
  const [, tick] = useState(0);
  const [, relang] = useState(language());
  const cardChange = useRef<(order: Order | null) => void>(() => {});

  const loadBoard = () => {
    const q = new URLSearchParams({ date: view.date });
    if (view.masterId !== null) q.set('master_id', String(view.masterId));
    if (view.equipmentType !== null) q.set('equipment_type', view.equipmentType);
    api<Board>('GET', `/api/v1/console/board?${q}`).then(
      (b) => {
        syncClock(b.now);
        setBoard(b);
      },
      () => undefined,
    );
  };
  const loadMasters = () =>
    api<{ masters: MasterLoad[] }>('GET', `/api/v1/console/masters?date=${session.today}`).then(
      (r) => setMasters(r.masters),
      () => undefined,
    );

  useEffect(() => {
    api<{ items: EquipmentType[] }>('GET', '/api/v1/equipment-types').then(
      (r) => setEquipment(r.items),
      () => undefined,
    );
    // SLA colours move with the clock even when nothing changes.
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    loadBoard();
    void loadMasters();
    let refreshMasters: ReturnType<typeof setTimeout> | undefined;
    const stream = new LiveStream(view, {
      order(order, id, onBoard) {
        setBoard((b) => (b ? applyChange(b, order, id, onBoard) : b));
        cardChange.current(order);
        setRevision((r) => r + 1);
        setFlash((f) => new Set(f).add(id));
        setTimeout(
          () =>
            setFlash((f) => {
              const next = new Set(f);
              next.delete(id);
              return next;
            }),
          1500,
        );
        clearTimeout(refreshMasters);
        refreshMasters = setTimeout(loadMasters, 400);
      },
      resync() {
        loadBoard();
        void loadMasters();
        setRevision((r) => r + 1);
      },
      status: setLive,
      ended: props.onSignedOut,
      verify: () =>
        api('GET', '/api/v1/console/session').then(
          () => true,
          (err: unknown) => {
            if ((err as { status?: number }).status === 401) return false;
            throw err;
          },
        ),
    });
    return () => {
      stream.close();
      clearTimeout(refreshMasters);
    };
  }, [view.date, view.masterId, view.equipmentType]);

  const equipmentName = useMemo(() => {
    const names = new Map(equipment.map((e) => [e.code, language() === 'en' ? e.singular_en : e.singular_ru]));
    return (code: string) => names.get(code) ?? code;
  }, [equipment, language()]);

  const signOut = (everywhere: boolean) => {
    // Signing out means it: the Mini App's init data of this tab is not used again.
    forgetLaunch();
    // Signed out here whatever the server answered (it may be unreachable).
    void api('DELETE', everywhere ? '/api/v1/console/sessions' : '/api/v1/console/session')
      .catch(() => undefined)
      .finally(props.onSignedOut);
  };
  const dateTitle = view.date === session.today ? t('today') : view.date === addDays(session.today, 1) ? t('tomorrow') : dateLabel(view.date);

  return (
    <div class="app">
      <header class="bar">
        <h1>{t('title')}</h1>
        <nav class="tabs" role="tablist">
          {(['board', 'timeline'] as const).map((name) => (
            <button type="button" role="tab" aria-selected={tab === name} class={tab === name ? 'on' : ''} onClick={() => setTab(name)}>
              {t(name)}
            </button>
          ))}
        </nav>
        <button type="button" class="primary" data-action="new-order" onClick={() => setCreating(true)}>
          + {t('newOrder')}
        </button>
        <SearchBox onOpen={setOpenId} equipmentName={equipmentName} />
        <span class={`live ${live ? 'up' : 'down'}`} title={live ? t('live') : t('reconnecting')} data-live={live ? 'up' : 'down'}>
          {live ? t('live') : t('reconnecting')}
        </span>
        <details class="user">
          <summary>{session.user.name}</summary>
          <button type="button" onClick={() => (setLanguage(language() === 'ru' ? 'en' : 'ru'), relang(language()))}>
            {t('language')}
          </button>
          <button type="button" onClick={() => signOut(false)}>
            {t('signOut')}
          </button>
          <button type="button" onClick={() => signOut(true)}>
            {t('signOutAll')}
          </button>
        </details>
      </header>
      {tab === 'board' ? (
        <>
          <div class="filters">
            <button type="button" aria-label={t('prevDay')} onClick={() => setView({ ...view, date: addDays(view.date, -1) })}>
              ‹
            </button>
            <input
              type="date"
              value={view.date}
              aria-label={dateTitle}
              onChange={(e) => e.currentTarget.value && setView({ ...view, date: e.currentTarget.value })}
            />
            <button type="button" aria-label={t('nextDay')} onClick={() => setView({ ...view, date: addDays(view.date, 1) })}>
              ›
            </button>
            <button type="button" class={view.date === session.today ? 'on' : ''} onClick={() => setView({ ...view, date: session.today })}>
              {t('today')}
            </button>
            <select
              aria-label={t('master')}
              value={view.masterId ?? ''}
              onChange={(e) => setView({ ...view, masterId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
            >
              <option value="">{t('allMasters')}</option>
              {masters.map((m) => (
                <option value={m.id}>{m.name}</option>
              ))}
            </select>
            <select
              aria-label={t('equipment')}
              value={view.equipmentType ?? ''}
              onChange={(e) => setView({ ...view, equipmentType: e.currentTarget.value || null })}
            >
              <option value="">{t('allEquipment')}</option>
              {equipment.map((e) => (
                <option value={e.code}>{language() === 'en' ? e.name_en : e.name_ru}</option>
              ))}
            </select>
            <span class="date-title">{dateTitle}</span>
          </div>
          {board ? <BoardColumns board={board} flash={flash} equipmentName={equipmentName} onOpen={setOpenId} /> : <p class="hint">{t('checking')}</p>}
        </>
      ) : (
        <Timeline today={session.today} revision={revision} onOpen={setOpenId} />
      )}
      {creating && (
        <NewOrderForm
          equipment={equipment}
          equipmentName={equipmentName}
          onCancel={() => setCreating(false)}
          onCreated={(o) => {
            setCreating(false);
            setOpenId(o.id);
          }}
        />
      )}
      {openId !== null && (
        <OrderCard
          id={openId}
          masters={masters}
          equipment={equipment}
          equipmentName={equipmentName}
          subscribe={(fn) => (cardChange.current = fn)}
          onClose={() => setOpenId(null)}
          onChanged={() => void loadMasters()}
        />
      )}
    </div>
  );
}
