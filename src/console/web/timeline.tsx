import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.ts';
import { slaState } from './board.tsx';
import { addDays, dateLabel, hhmm, localDate, now, syncClock, timeZone } from './format.ts';
import { statusOne, t } from './i18n.ts';
import type { Lane, Order, Timeline as Data } from './types.ts';

/**
 * Masters' day: for today and tomorrow, one lane per master with each visit
 * placed by its time (an hour wide: visits have no length of their own),
 * and the master's open orders that have no time yet beside the lane. Any
 * live change reloads it (a moment later, once for a burst).
 */
const VISIT_MINUTES = 60;

/** Minutes since local midnight of the business zone. */
function minuteOfDay(iso: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone(), hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

function span(lanes: Lane[], date: string): [number, number] {
  let from = 8 * 60;
  let to = 20 * 60;
  for (const l of lanes) {
    for (const o of l.orders) {
      if (localDate(Date.parse(o.scheduled_at!)) !== date) continue;
      const m = minuteOfDay(o.scheduled_at!);
      from = Math.min(from, Math.floor(m / 60) * 60);
      to = Math.max(to, Math.ceil((m + VISIT_MINUTES) / 60) * 60);
    }
  }
  return [from, Math.min(to, 24 * 60)];
}

function Visit(props: { o: Order; from: number; width: number; onOpen: (id: number) => void }) {
  const { o } = props;
  const ref = useRef<HTMLButtonElement>(null);
  const left = ((minuteOfDay(o.scheduled_at!) - props.from) / props.width) * 100;
  useEffect(() => {
    // Placed through the CSSOM: the CSP allows no inline style attributes.
    ref.current?.style.setProperty('left', `${left}%`);
    ref.current?.style.setProperty('width', `${(VISIT_MINUTES / props.width) * 100}%`);
  });
  return (
    <button
      ref={ref}
      type="button"
      class={`visit sla-${slaState(o)}`}
      data-status={o.status}
      data-order={o.id}
      title={`#${o.id} ${statusOne(o.status)} · ${o.client_address}`}
      onClick={() => props.onOpen(o.id)}
    >
      <b>{hhmm(o.scheduled_at!)}</b> #{o.id} {o.client_address}
    </button>
  );
}

/** The present moment across a lane of today. */
function NowLine(props: { left: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.style.setProperty('left', `${props.left}%`));
  return <div class="now" ref={ref} />;
}

function Day(props: { date: string; today: string; lanes: Lane[]; onOpen: (id: number) => void }) {
  const [from, to] = span(props.lanes, props.date);
  const width = to - from;
  const nowMinute = minuteOfDay(new Date(now()).toISOString());
  const hours = Array.from({ length: width / 60 }, (_, i) => from / 60 + i);
  const label = props.date === props.today ? t('today') : props.date === addDays(props.today, 1) ? t('tomorrow') : '';
  return (
    <section class="day" data-date={props.date}>
      <h2>
        {label} <span class="hint">{dateLabel(props.date)}</span>
      </h2>
      <div class="lanes">
        <div class="lane head">
          <span class="who" />
          <div class="track hours">
            {hours.map((h) => (
              <span>{String(h).padStart(2, '0')}</span>
            ))}
          </div>
        </div>
        {props.lanes.map((l) => {
          const visits = l.orders.filter((o) => localDate(Date.parse(o.scheduled_at!)) === props.date);
          return (
            <div class="lane" data-master={l.id}>
              <span class="who">
                <b>{l.name}</b>
                <span class="hint">{l.specialization}</span>
                {props.date === props.today && l.untimed.length > 0 && (
                  <span class="untimed">
                    {t('untimed')}:{' '}
                    {l.untimed.map((o) => (
                      <button type="button" class="link" onClick={() => props.onOpen(o.id)}>
                        #{o.id}
                      </button>
                    ))}
                  </span>
                )}
              </span>
              <div class="track">
                {props.date === props.today && nowMinute >= from && nowMinute <= to && <NowLine left={((nowMinute - from) / width) * 100} />}
                {visits.length === 0 && <span class="hint">{t('noVisits')}</span>}
                {visits.map((o) => (
                  <Visit o={o} from={from} width={width} onOpen={props.onOpen} />
                ))}
              </div>
            </div>
          );
        })}
      </div>
    </section>
  );
}

export function Timeline(props: { today: string; revision: number; onOpen: (id: number) => void }) {
  const [data, setData] = useState<Data | null>(null);
  useEffect(() => {
    const timer = setTimeout(
      () =>
        api<Data>('GET', `/api/v1/console/timeline?date=${props.today}&days=2`).then(
          (d) => {
            syncClock(d.now);
            setData(d);
          },
          () => undefined,
        ),
      data ? 300 : 0,
    );
    return () => clearTimeout(timer);
  }, [props.revision, props.today]);
  if (!data) return <p class="hint">{t('checking')}</p>;
  return (
    <div class="timeline">
      {data.dates.map((d) => (
        <Day date={d} today={props.today} lanes={data.masters} onOpen={props.onOpen} />
      ))}
    </div>
  );
}
