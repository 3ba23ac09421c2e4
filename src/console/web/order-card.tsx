import { useEffect, useRef, useState } from 'preact/hooks';
// The same links as the bot's card and the API's places (no geocoding: the address as a search).
import { mapLinks } from '../../places/map-links.ts';
import { act, api, ApiError } from './api.ts';
import { Waiting } from './board.tsx';
import { Dialog, MasterPicker, ReasonDialog, RescheduleDialog } from './dialogs.tsx';
import { EditForm } from './edit-form.tsx';
import { dateTime, money } from './format.ts';
import { statusOne, t } from './i18n.ts';
import type { Action, EquipmentType, HistoryEntry, MasterLoad, Order } from './types.ts';

/**
 * An order's card: everything about it, its history, and what staff may do
 * now (the server lists the actions). Every move carries the version the
 * person saw (If-Match); when the order moved on meanwhile, nothing happens
 * and the card says what it is now. Changes from elsewhere arrive live.
 */
type Step = Action | null;

const ACTION_LABEL: Record<Action, Parameters<typeof t>[0]> = {
  assign: 'assign',
  unassign: 'unassign',
  refuse: 'refuse',
  close: 'closeOrder',
  reopen: 'reopen',
  reschedule: 'reschedule',
  edit: 'edit',
};

export function OrderCard(props: {
  id: number;
  masters: MasterLoad[];
  equipment: EquipmentType[];
  equipmentName: (code: string) => string;
  subscribe: (fn: (o: Order | null) => void) => void;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { id } = props;
  const [order, setOrder] = useState<Order | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [step, setStep] = useState<Step>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; kind: 'ok' | 'warn' } | null>(null);

  const load = () =>
    Promise.all([api<Order>('GET', `/api/v1/console/orders/${id}`), api<{ items: HistoryEntry[] }>('GET', `/api/v1/orders/${id}/history`)]).then(
      ([o, h]) => {
        known.current = Math.max(known.current, o.version);
        setOrder(o);
        setHistory(h.items);
      },
      (err: unknown) => setNote({ text: err instanceof ApiError && err.status === 404 ? t('notFound') : t('offline'), kind: 'warn' }),
    );

  // The card's order now, and whether this person's own action is on its way (its echo is no news).
  const known = useRef(0);
  const acting = useRef(false);

  useEffect(() => {
    void load();
    props.subscribe((changed) => {
      if (!changed || changed.id !== id || changed.version <= known.current) return;
      known.current = changed.version;
      setOrder(changed);
      if (acting.current) return;
      setNote({ text: t('changedMeanwhile'), kind: 'warn' });
      api<{ items: HistoryEntry[] }>('GET', `/api/v1/orders/${id}/history`).then(
        (h) => setHistory(h.items),
        () => undefined,
      );
    });
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose();
    document.addEventListener('keydown', esc);
    return () => (props.subscribe(() => {}), document.removeEventListener('keydown', esc));
  }, [id]);

  const run = async (path: string, body: unknown, done: string) => {
    if (!order) return;
    setBusy(true);
    acting.current = true;
    try {
      const moved = await act<{ version: number }>(`/api/v1/orders/${id}/${path}`, order.version, body);
      known.current = Math.max(known.current, moved.version);
      setStep(null);
      setNote({ text: done, kind: 'ok' });
      props.onChanged();
    } catch (err) {
      setStep(null);
      if (err instanceof ApiError && (err.status === 409 || err.status === 412)) {
        const now = await api<Order>('GET', `/api/v1/console/orders/${id}`).catch(() => null);
        setNote({ text: now ? t('staleStatus', { id, status: statusOne(now.status) }) : t('notFound'), kind: 'warn' });
      } else {
        setNote({ text: err instanceof ApiError ? t('failed', { detail: err.problem.detail ?? String(err.status) }) : t('offline'), kind: 'warn' });
      }
    } finally {
      await load();
      acting.current = false;
      setBusy(false);
    }
  };

  const o = order;
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <section class="card" role="dialog" aria-modal="true" aria-label={t('card', { id })} data-card={id}>
        <header>
          <h2>{t('card', { id })}</h2>
          {o && (
            <span class="status-tag" data-status={o.status}>
              {statusOne(o.status)}
            </span>
          )}
          <button type="button" class="link" aria-label={t('close')} onClick={props.onClose}>
            ✕
          </button>
        </header>
        {note && (
          <p class={`note note-${note.kind}`} role="status">
            {note.text}
          </p>
        )}
        {o && step === 'edit' && (
          <EditForm
            order={o}
            equipment={props.equipment}
            equipmentName={props.equipmentName}
            onCancel={() => setStep(null)}
            onSaved={(saved) => {
              known.current = Math.max(known.current, saved.version);
              setStep(null);
              setNote({ text: t('done'), kind: 'ok' });
              void load();
            }}
          />
        )}
        {o && step !== 'edit' && (
          <>
            <dl class="facts">
              <dt>{t('equipment')}</dt>
              <dd>{props.equipmentName(o.equipment_type)}</dd>
              <dt>{t('description')}</dt>
              <dd class="pre">{o.description}</dd>
              <dt>{t('client')}</dt>
              <dd>{o.client_name}</dd>
              <dt>{t('phone')}</dt>
              <dd>{o.client_phone ? <a href={`tel:${o.client_phone}`}>{o.client_phone}</a> : '—'}</dd>
              <dt>{t('address')}</dt>
              <dd>
                {o.client_address}{' '}
                <span class="maps">
                  <a href={mapLinks(o.client_address).yandex} target="_blank" rel="noopener noreferrer" data-map="yandex">
                    {t('mapYandex')}
                  </a>{' '}
                  <a href={mapLinks(o.client_address).google} target="_blank" rel="noopener noreferrer" data-map="google">
                    {t('mapGoogle')}
                  </a>
                </span>
              </dd>
              {o.notes && (
                <>
                  <dt>{t('notes')}</dt>
                  <dd class="pre">{o.notes}</dd>
                </>
              )}
              <dt>{t('time')}</dt>
              <dd>
                {o.scheduled_at ? dateTime(o.scheduled_at) : (o.scheduled_note ?? t('noTime'))} <Waiting order={o} />
              </dd>
              <dt>{t('master')}</dt>
              <dd>{o.master_name ?? t('nobody')}</dd>
              <dt>{t('dispatcher')}</dt>
              <dd>{o.dispatcher_name ?? '—'}</dd>
              <dt>{t('created')}</dt>
              <dd>{dateTime(o.created_at)}</dd>
            </dl>
            {o.reschedule_count > 0 && <p class="hint">{t('rescheduled', { n: o.reschedule_count, reason: o.reschedule_reason ?? '—' })}</p>}
            {o.estimated_completion_date && <p class="hint">{t('eta', { date: o.estimated_completion_date })}</p>}
            {o.refuse_reason && o.status === 'REFUSED' && (
              <p class="hint">
                {t('refused')}: {o.refuse_reason}
              </p>
            )}
            {o.total_amount !== null && (
              <p class="hint">
                {t('money', {
                  total: money(o.total_amount),
                  materials: money(o.materials_cost),
                  master: money(o.master_profit),
                  company: money(o.company_profit),
                })}
              </p>
            )}
            <div class="actions">
              {o.actions.map((a) => (
                <button type="button" class={a === 'refuse' ? 'danger' : ''} data-action={a} disabled={busy} onClick={() => (setNote(null), setStep(a))}>
                  {a === 'assign' && o.master_id !== null ? t('reassign') : t(ACTION_LABEL[a])}
                </button>
              ))}
            </div>
            <h3>{t('history')}</h3>
            <ol class="history">
              {history.map((h) => (
                <li>
                  <time>{dateTime(h.changed_at)}</time> {h.old_status ? `${statusOne(h.old_status)} → ` : ''}
                  {statusOne(h.new_status)}
                  {h.actor_name ? ` · ${h.actor_name}` : ''}
                  {h.note ? ` · ${h.note}` : ''}
                </li>
              ))}
            </ol>
          </>
        )}
        {o && step === 'assign' && (
          <MasterPicker
            id={id}
            masters={props.masters}
            current={o.master_id}
            busy={busy}
            onCancel={() => setStep(null)}
            onPick={(m) => void run('assign', { master_id: m.id }, t('assigned', { name: m.name }))}
          />
        )}
        {o && step === 'refuse' && (
          <ReasonDialog
            title={t('refuse')}
            text={t('confirmRefuse', { id })}
            busy={busy}
            onCancel={() => setStep(null)}
            onConfirm={(reason) => void run('refuse', { reason }, t('done'))}
          />
        )}
        {o && step === 'reschedule' && (
          <RescheduleDialog
            id={id}
            current={o.scheduled_at}
            busy={busy}
            onCancel={() => setStep(null)}
            onConfirm={(at, reason) => void run('reschedule', { scheduled_at: at, reason }, t('done'))}
          />
        )}
        {o && (step === 'unassign' || step === 'close' || step === 'reopen') && (
          <Dialog title={t(ACTION_LABEL[step])} busy={busy} onCancel={() => setStep(null)} onConfirm={() => void run(step, {}, t('done'))}>
            <p>
              {step === 'unassign'
                ? t('confirmUnassign', { id, name: o.master_name ?? '' })
                : step === 'close'
                  ? t('confirmClose', { id, company: money(o.company_profit) })
                  : t('confirmReopen', { id })}
            </p>
          </Dialog>
        )}
      </section>
    </div>
  );
}
