import { duration, hhmm, now } from './format.ts';
import { statusName, t } from './i18n.ts';
import type { Board, Order } from './types.ts';

/** How an order stands against its SLA right now: the server gave the moments, the clock decides. */
export function slaState(o: Order): 'ok' | 'warn' | 'late' | 'none' | 'planned' {
  const at = now();
  if (Date.parse(o.waiting_since) > at) return 'planned';
  if (o.sla_due_at === null) return 'none';
  if (at >= Date.parse(o.sla_due_at)) return 'late';
  if (o.sla_warn_at !== null && at >= Date.parse(o.sla_warn_at)) return 'warn';
  return 'ok';
}

export function Waiting(props: { order: Order }) {
  const o = props.order;
  const state = slaState(o);
  const text = state === 'planned' ? t('planned', { time: hhmm(o.waiting_since) }) : t('waiting', { time: duration(now() - Date.parse(o.waiting_since)) });
  return (
    <span class={`sla sla-${state}`} title={state === 'late' ? t('slaBreached') : undefined} data-sla={state}>
      {text}
    </span>
  );
}

export function Tile(props: { order: Order; flash: boolean; equipmentName: (code: string) => string; onOpen: (id: number) => void }) {
  const o = props.order;
  return (
    <button type="button" class={`tile${props.flash ? ' flash' : ''}`} data-order={o.id} onClick={() => props.onOpen(o.id)}>
      <span class="tile-head">
        <b>#{o.id}</b>
        <span class="time">{o.scheduled_at ? hhmm(o.scheduled_at) : (o.scheduled_note ?? t('noTime'))}</span>
      </span>
      <span class="equipment">{props.equipmentName(o.equipment_type)}</span>
      <span class="address">{o.client_address}</span>
      <span class="who">
        {o.client_name} · <span class={o.master_name ? 'master' : 'master none'}>{o.master_name ?? t('nobody')}</span>
      </span>
      <Waiting order={o} />
    </button>
  );
}

/** Six columns by status; on a phone they scroll sideways, one at a time. */
export function BoardColumns(props: { board: Board; flash: Set<number>; equipmentName: (code: string) => string; onOpen: (id: number) => void }) {
  return (
    <div class="board">
      {props.board.columns.map((c) => (
        <section class="column" data-status={c.status} aria-label={statusName(c.status)}>
          <h2>
            {statusName(c.status)} <span class="count">{c.total}</span>
          </h2>
          {c.total > c.items.length && <p class="hint">{t('shownOf', { shown: c.items.length, total: c.total })}</p>}
          {c.items.length === 0 ? (
            <p class="hint empty">{t('empty')}</p>
          ) : (
            c.items.map((o) => <Tile key={o.id} order={o} flash={props.flash.has(o.id)} equipmentName={props.equipmentName} onOpen={props.onOpen} />)
          )}
        </section>
      ))}
    </div>
  );
}
