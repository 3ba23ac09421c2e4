import { useState } from 'preact/hooks';
import type { EditableField } from '../../orders/order-fields.ts';
import type { TextFieldOf, TextInputs } from './form-fields.ts';
import { act, api, ApiError } from './api.ts';
import { t } from './i18n.ts';
import type { EquipmentType, Order } from './types.ts';

/**
 * Editing an order's descriptive fields with If-Match. Only the fields the
 * person changed are sent. When someone else saved first (412), the form
 * takes the order as it is now, keeps this person's own edits on top, and
 * names the fields that changed meanwhile, so nothing is silently lost.
 */
/** The editable fields typed as text; the visit time moves by reschedule, not here. */
type Field = TextFieldOf<EditableField>;
type Values = Record<Field, string>;

/** In the form's order. */
const FORM: TextInputs<Field> = {
  equipment_type: { label: 'equipment', clearable: false },
  description: { label: 'description', clearable: false, long: true },
  client_name: { label: 'client', clearable: false },
  client_phone: { label: 'phone', clearable: false },
  client_address: { label: 'address', clearable: false },
  notes: { label: 'notes', clearable: true, long: true },
  scheduled_note: { label: 'timeNote', clearable: true },
};
const FIELDS = Object.keys(FORM) as Field[];

const valuesOf = (o: Order): Values => Object.fromEntries(FIELDS.map((f) => [f, o[f] ?? ''])) as Values;

export function EditForm(props: {
  order: Order;
  equipment: EquipmentType[];
  equipmentName: (code: string) => string;
  onSaved: (o: Order) => void;
  onCancel: () => void;
}) {
  const [base, setBase] = useState<Order>(props.order);
  const [values, setValues] = useState<Values>(valuesOf(props.order));
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const changed = FIELDS.filter((f) => values[f] !== valuesOf(base)[f]);
  const save = async (e: Event) => {
    e.preventDefault();
    if (changed.length === 0) return props.onCancel();
    const patch = Object.fromEntries(changed.map((f) => [f, values[f] === '' && FORM[f].clearable ? null : values[f]]));
    setBusy(true);
    setError(null);
    try {
      props.onSaved(await act<Order>(`/api/v1/orders/${base.id}`, base.version, patch, 'PATCH'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        const now = await api<Order>('GET', `/api/v1/console/orders/${base.id}`);
        const theirs = FIELDS.filter((f) => valuesOf(now)[f] !== valuesOf(base)[f]);
        const merged = valuesOf(now);
        for (const f of changed) merged[f] = values[f];
        setBase(now);
        setValues(merged);
        setNotice(t('staleFields', { fields: theirs.map((f) => t(FORM[f].label)).join(', ') || '—' }));
      } else if (err instanceof ApiError) {
        setError({ text: err.problem.detail ?? String(err.status), field: err.problem.field });
      } else {
        setError({ text: t('offline') });
      }
    } finally {
      setBusy(false);
    }
  };
  const input = (f: Field) => {
    const attrs = {
      name: f,
      value: values[f],
      'aria-invalid': error?.field === f,
      onInput: (e: Event) => setValues({ ...values, [f]: (e.currentTarget as HTMLInputElement).value }),
    };
    return (
      <label key={f} class={changed.includes(f) ? 'changed' : ''}>
        {t(FORM[f].label)}
        {FORM[f].long ? <textarea rows={3} {...attrs} /> : <input type="text" {...attrs} />}
      </label>
    );
  };
  return (
    <form class="edit" onSubmit={(e) => void save(e)}>
      {notice && (
        <div class="notice" role="alert">
          <b>{t('staleTitle')}</b>
          <p>{notice}</p>
        </div>
      )}
      <label>
        {t('equipment')}
        <select name="equipment_type" value={values.equipment_type} onChange={(e) => setValues({ ...values, equipment_type: e.currentTarget.value })}>
          {props.equipment
            .filter((e) => e.is_active || e.code === values.equipment_type)
            .map((e) => (
              <option value={e.code}>{props.equipmentName(e.code)}</option>
            ))}
        </select>
      </label>
      {FIELDS.filter((f) => f !== 'equipment_type').map(input)}
      {error && <p class="error">{error.text}</p>}
      <div class="buttons">
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
      </div>
    </form>
  );
}
