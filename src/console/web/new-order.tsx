import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api.ts';
import { timeZone, wallToInstant } from './format.ts';
import { t } from './i18n.ts';
import type { EquipmentType, Order } from './types.ts';

/**
 * A new order as a dispatcher takes it on the phone. One Idempotency-Key per
 * form: a submit repeated after a lost answer returns the order the first
 * one created instead of a duplicate. The visit time is typed in the
 * business time zone; left empty, the order waits for one.
 */
type TextField = 'description' | 'client_name' | 'client_phone' | 'client_address' | 'notes';

const LABEL: Record<TextField, Parameters<typeof t>[0]> = {
  description: 'description',
  client_name: 'client',
  client_phone: 'phone',
  client_address: 'address',
  notes: 'notes',
};

const newKey = () => `console-${crypto.randomUUID()}`;

export function NewOrderForm(props: {
  equipment: EquipmentType[];
  equipmentName: (code: string) => string;
  onCreated: (o: Order) => void;
  onCancel: () => void;
}) {
  const active = props.equipment.filter((e) => e.is_active);
  const [equipmentType, setEquipmentType] = useState(active[0]?.code ?? '');
  const [values, setValues] = useState<Record<TextField, string>>({ description: '', client_name: '', client_phone: '', client_address: '', notes: '' });
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
      const body = { equipment_type: equipmentType, ...values, notes: values.notes.trim() || null, scheduled_at: scheduledAt };
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
      required: f !== 'notes',
      'aria-invalid': error?.field === f,
      onInput: (e: Event) => setValues({ ...values, [f]: (e.currentTarget as HTMLInputElement).value }),
    };
    return (
      <label>
        {t(LABEL[f])}
        {f === 'description' || f === 'notes' ? (
          <textarea rows={3} {...attrs} />
        ) : (
          <input type="text" inputMode={f === 'client_phone' ? 'tel' : 'text'} {...attrs} />
        )}
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
        <form class="edit new-order" onSubmit={submit}>
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
          {input('description')}
          {input('client_name')}
          {input('client_phone')}
          {input('client_address')}
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
          {input('notes')}
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
