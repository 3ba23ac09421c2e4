/**
 * Writes a large legacy SQLite file for measuring the import:
 *   node test/importer/make-legacy-file.ts OUT.db [ORDERS=100000]
 * Three years of orders with the legacy status mix, ~4 history rows and ~2
 * audit rows per order, both timestamp shapes, float money and a sprinkle of
 * every quirk (deleted masters and orders, gaps, odd text).
 */
import { rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { LEGACY_DDL } from './legacy-fixture.ts';

const LABELS = ['Стиральные машины', 'Духовой шкаф', 'Посудомоечная машина', 'Кофе машина', 'Сантехника', 'Электрика', 'Водонагреватели', 'Телевизоры'];
const STATUSES = ['CLOSED', 'CLOSED', 'CLOSED', 'CLOSED', 'CLOSED', 'CLOSED', 'REFUSED', 'NEW', 'ASSIGNED', 'ACCEPTED', 'ONSITE', 'DR'];
const START = Date.UTC(2022, 0, 1);
const SPAN = 3 * 365 * 86_400_000;

let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** Alternates the legacy shapes: SQLite UTC, naive Moscow ISO with microseconds, ISO with +03:00. */
function stamp(ms: number, i: number): string {
  const shape = i % 3;
  if (shape === 0) return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const moscow = new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19);
  return shape === 1 ? `${moscow}.${String(i % 1_000_000).padStart(6, '0')}` : `${moscow}+03:00`;
}

export function makeLegacyFile(out: string, orders: number): void {
  rmSync(out, { force: true });
  const db = new DatabaseSync(out, { enableForeignKeyConstraints: false });
  db.exec(LEGACY_DDL);
  db.exec('BEGIN');
  const user = db.prepare('INSERT INTO users (id, telegram_id, username, first_name, last_name, role, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (let i = 1; i <= 200; i++) {
    const role = i <= 5 ? 'ADMIN,DISPATCHER' : i <= 40 ? 'DISPATCHER' : i <= 100 ? 'MASTER' : 'UNKNOWN';
    user.run(i, 100_000 + i, `user_${i}`, `Имя ${i}`, i % 7 === 0 ? null : `Фамилия ${i}`, role, stamp(START, i));
  }
  const master = db.prepare(
    'INSERT INTO masters (id, telegram_id, phone, specialization, is_active, is_approved, work_chat_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // Masters 41..100; 45 and 77 were deleted.
  for (let i = 41; i <= 100; i++) {
    if (i === 45 || i === 77) continue;
    master.run(i, 100_000 + i, `+7 (9${i % 10}6) ${100 + i}-45-67`, pick(LABELS), i % 11 ? 1 : 0, 1, -1_000_000_000_000 - i, stamp(START, i));
  }
  const order = db.prepare(`INSERT INTO orders (id, equipment_type, description, client_name, client_address, client_phone, status,
    assigned_master_id, dispatcher_id, notes, scheduled_time, total_amount, materials_cost, master_profit, company_profit,
    has_review, out_of_city, estimated_completion_date, prepayment_amount, rescheduled_count, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const history = db.prepare('INSERT INTO order_status_history (order_id, old_status, new_status, changed_by, changed_at, notes) VALUES (?, ?, ?, ?, ?, ?)');
  const audit = db.prepare('INSERT INTO audit_log (user_id, action, details, timestamp) VALUES (?, ?, ?, ?)');
  let id = 0;
  for (let n = 0; n < orders; n++) {
    id += random() < 0.02 ? 2 : 1; // gaps: hard-deleted orders
    const created = START + Math.floor(random() * SPAN);
    const status = pick(STATUSES);
    const masterId = status === 'NEW' ? null : 41 + Math.floor(random() * 60);
    const dispatcher = 100_006 + Math.floor(random() * 36);
    const closed = status === 'CLOSED';
    const total = closed ? Math.round(random() * 2_000_000) / 100 + 500 : null;
    const materials = total === null ? null : Math.round(random() * total * 30) / 100;
    const masterShare = total === null ? null : (total - materials!) * 0.4;
    const updated = created + Math.floor(random() * 5 * 86_400_000);
    order.run(
      id,
      pick(LABELS),
      `Не работает ${n % 97 === 0 ? '🔥 "срочно"\u0007' : 'как надо'}`,
      `Клиент ${n}`,
      `Москва, ул. Ленина, ${n % 300}, кв. ${n % 90}`,
      `8 (9${n % 10}${n % 7}) ${String(n % 1000).padStart(3, '0')}-${String(n % 100).padStart(2, '0')}-00`,
      status,
      masterId,
      dispatcher,
      n % 5 ? null : 'Домофон не работает',
      n % 4 ? null : n % 8 ? 'завтра 14:00' : '15.10.2024 14:30',
      total,
      materials,
      masterShare,
      total === null ? null : total - materials! - masterShare!,
      n % 3 ? 0 : 1,
      n % 10 ? 0 : 1,
      status === 'DR' ? '20.12.2024' : null,
      status === 'DR' ? 1000.0 : null,
      0,
      stamp(created, n),
      stamp(updated, n + 1),
    );
    const steps = closed ? ['NEW', 'ASSIGNED', 'ACCEPTED', 'ONSITE', 'CLOSED'] : ['NEW', status === 'NEW' ? null : status].filter((s) => s !== null);
    let previous: string | null = null;
    steps.forEach((s, k) => {
      history.run(
        id,
        previous,
        s,
        100_000 + (masterId ?? dispatcher - 100_000),
        stamp(created + k * 3_600_000, n + k),
        k === steps.length - 1 && status === 'REFUSED' ? 'Клиент передумал' : null,
      );
      previous = s;
    });
    audit.run(dispatcher, 'create_order', JSON.stringify({ order_id: id }), stamp(created, n));
    if (closed) audit.run(100_000 + masterId!, 'close_order', JSON.stringify({ order_id: id, total }), stamp(updated, n));
  }
  db.exec('COMMIT');
  db.close();
}

if (import.meta.main) {
  const [out, count] = process.argv.slice(2);
  if (!out) throw new Error('usage: node test/importer/make-legacy-file.ts OUT.db [ORDERS]');
  const started = performance.now();
  makeLegacyFile(out, Number(count ?? 100_000));
  process.stdout.write(`${out}: ${count ?? 100_000} orders in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}
