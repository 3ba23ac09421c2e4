import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { hhmm, instantToWall, now, timeZone, wallToInstant } from './format.ts';
import { t } from './i18n.ts';
import type { MasterLoad } from './types.ts';

/** A modal step inside a card: what is asked, and Confirm / Cancel. */
export function Dialog(props: { title: string; children?: ComponentChildren; busy?: boolean; confirm?: string; onConfirm?: () => void; onCancel: () => void }) {
  return (
    <div class="dialog" role="dialog" aria-modal="true" aria-label={props.title}>
      <h3>{props.title}</h3>
      {props.children}
      <div class="buttons">
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        {props.onConfirm && (
          <button type="button" class="primary" disabled={props.busy} onClick={props.onConfirm}>
            {props.confirm ?? t('confirm')}
          </button>
        )}
      </div>
    </div>
  );
}

/** Refusal (and anything else needing a reason): the reason is required, as in the bot. */
export function ReasonDialog(props: { title: string; text: string; busy: boolean; onConfirm: (reason: string) => void; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState(false);
  const submit = () => (reason.trim() ? props.onConfirm(reason.trim()) : setError(true));
  return (
    <Dialog title={props.title} busy={props.busy} onConfirm={submit} onCancel={props.onCancel}>
      <p>{props.text}</p>
      <label>
        {t('reason')}
        <textarea name="reason" maxLength={1000} rows={3} value={reason} onInput={(e) => (setReason(e.currentTarget.value), setError(false))} />
      </label>
      {error && <p class="error">{t('reasonRequired')}</p>}
    </Dialog>
  );
}

export function RescheduleDialog(props: {
  id: number;
  current: string | null;
  busy: boolean;
  onConfirm: (at: string, reason: string) => void;
  onCancel: () => void;
}) {
  const [wall, setWall] = useState(instantToWall(props.current ?? new Date(now() + 3_600_000).toISOString()));
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = () => {
    const at = wallToInstant(wall);
    if (!at) return setError(t('timeRequired'));
    if (!reason.trim()) return setError(t('reasonRequired'));
    props.onConfirm(at, reason.trim());
  };
  return (
    <Dialog title={t('reschedule')} busy={props.busy} onConfirm={submit} onCancel={props.onCancel}>
      <label>
        {t('newTime', { tz: timeZone() })}
        <input type="datetime-local" name="scheduled_at" value={wall} onInput={(e) => setWall(e.currentTarget.value)} />
      </label>
      <label>
        {t('reason')}
        <input type="text" name="reason" maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </label>
      {error && <p class="error">{error}</p>}
    </Dialog>
  );
}

/** Choosing a master: least loaded first, each with today's load and next visit. */
export function MasterPicker(props: {
  id: number;
  masters: MasterLoad[];
  current: number | null;
  busy: boolean;
  onPick: (m: MasterLoad) => void;
  onCancel: () => void;
}) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = props.masters.filter((m) => !needle || `${m.name} ${m.specialization}`.toLowerCase().includes(needle));
  return (
    <Dialog title={t('chooseMaster', { id: props.id })} onCancel={props.onCancel}>
      <input type="search" placeholder={t('filterMasters')} aria-label={t('filterMasters')} value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      {props.masters.length === 0 && <p class="hint">{t('noMasters')}</p>}
      <ul class="masters">
        {shown.map((m) => (
          <li>
            <button type="button" class="master-choice" disabled={props.busy || m.id === props.current} data-master={m.id} onClick={() => props.onPick(m)}>
              <b>{m.name}</b>
              <span class="hint">{m.specialization}</span>
              <span class={`load load-${Math.min(m.total, 5)}`}>{t('loadToday', { n: m.total })}</span>
              {m.next_visit_at && <span class="hint">{t('nextVisit', { time: hhmm(m.next_visit_at) })}</span>}
              {m.id === props.current && <span class="hint">{t('current')}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
