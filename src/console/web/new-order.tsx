import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.ts';
import { timeZone, wallToInstant } from './format.ts';
import { t } from './i18n.ts';
import type { OrderFieldName } from '../../orders/order-fields.ts';
import type { TextFieldOf, TextInputs } from './form-fields.ts';
import type { EquipmentType, Order } from './types.ts';

/**
 * A new order as a dispatcher takes it on the phone. One Idempotency-Key per
 * form: a submit repeated after a lost answer returns the order the first
 * one created instead of a duplicate. The visit time is typed in the
 * business time zone; left empty, the order waits for one.
 */
/** The declared text fields typed here: the equipment is picked from a list, and the time as a time, not a note. */
type TextField = TextFieldOf<Exclude<OrderFieldName, 'equipment_type' | 'scheduled_note'>>;

/** Required fields (not clearable) come before the visit time, optional ones after it. */
const FORM: TextInputs<TextField> = {
  description: { label: 'description', clearable: false, long: true },
  client_name: { label: 'client', clearable: false },
  client_phone: { label: 'phone', clearable: false },
  client_address: { label: 'address', clearable: false },
  notes: { label: 'notes', clearable: true, long: true },
};
const FIELDS = Object.keys(FORM) as TextField[];
const empty = () => Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<TextField, string>;

const newKey = () => `console-${crypto.randomUUID()}`;

export function NewOrderForm(props: {
  equipment: EquipmentType[];
  equipmentName: (code: string) => string;
  onCreated: (o: Order) => void;
  onCancel: () => void;
}) {
  const active = props.equipment.filter((e) => e.is_active);
  const [equipmentType, setEquipmentType] = useState(active[0]?.code ?? '');
  const [values, setValues] = useState<Record<TextField, string>>(empty);
  const [wall, setWall] = useState('');
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  useEffect(() => {
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && props.onCancel();
    document.addEventListener('keydown', esc);
    return () => document.removeEventListener('keydown', esc);
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const scheduledAt = wall ? wallToInstant(wall) : null;
    if (wall && !scheduledAt) return setError({ text: t('timeRequired'), field: 'scheduled_at' });
    setBusy(true);
    setError(null);
    try {
      const typed = Object.fromEntries(FIELDS.map((f) => [f, FORM[f].clearable ? values[f].trim() || null : values[f]]));
      const body = { equipment_type: equipmentType, ...typed, scheduled_at: scheduledAt };
      props.onCreated(await api<Order>('POST', '/api/v1/orders', body, { 'Idempotency-Key': key }));
    } catch (err) {
      setError(err instanceof ApiError ? { text: err.problem.detail ?? String(err.status), field: err.problem.field } : { text: t('offline') });
    } finally {
      setBusy(false);
    }
  };
  const input = (f: TextField) => {
    const attrs = {
      name: f,
      value: values[f],
      required: !FORM[f].clearable,
      'aria-invalid': error?.field === f,
      onInput: (e: Event) => setValues({ ...values, [f]: (e.currentTarget as HTMLInputElement).value }),
    };
    return (
      <label key={f}>
        {t(FORM[f].label)}
        {FORM[f].long ? <textarea rows={3} {...attrs} /> : <input type="text" inputMode={f === 'client_phone' ? 'tel' : 'text'} {...attrs} />}
      </label>
    );
  };
  return (
    <div class="overlay" onClick={(e) => e.target === e.currentTarget && props.onCancel()}>
      <section class="card" role="dialog" aria-modal="true" aria-label={t('newOrder')}>
        <header>
          <h2>{t('newOrder')}</h2>
          <button type="button" class="link" aria-label={t('close')} onClick={props.onCancel}>
            ✕
          </button>
        </header>
        <form class="edit new-order" onSubmit={(e) => void submit(e)}>
          <label>
            {t('equipment')}
            <select
              name="equipment_type"
              value={equipmentType}
              aria-invalid={error?.field === 'equipment_type'}
              onChange={(e) => setEquipmentType(e.currentTarget.value)}
            >
              {active.map((e) => (
                <option value={e.code}>{props.equipmentName(e.code)}</option>
              ))}
            </select>
          </label>
          {FIELDS.filter((f) => !FORM[f].clearable).map(input)}
          <label>
            {t('visitTime', { tz: timeZone() })}
            <input
              type="datetime-local"
              name="scheduled_at"
              value={wall}
              aria-invalid={error?.field === 'scheduled_at'}
              onInput={(e) => setWall(e.currentTarget.value)}
            />
          </label>
          {FIELDS.filter((f) => FORM[f].clearable).map(input)}
          {error && (
            <p class="error" role="alert">
              {error.text}
            </p>
          )}
          <div class="buttons">
            <button type="button" onClick={props.onCancel}>
              {t('cancel')}
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {t('create')}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
