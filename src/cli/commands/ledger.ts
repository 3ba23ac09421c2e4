import { addDays, localMidnight } from '../../scheduler/periods.ts';
import { parseOptions, positiveInteger, requireOption } from '../args.ts';
import { UsageError, withCliContext } from '../context.ts';

export const usage = `ledger --master ID --from DATE --to DATE
      a master's ledger over local calendar days FROM..TO (both included, YYYY-MM-DD, REPORT_TIMEZONE):
      opening balance, each line (time, order, kind, amount, running balance), closing balance`;

function date(value: string | boolean | undefined, name: string): string {
  const v = requireOption(value, name);
  const d = new Date(`${v}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
    throw new UsageError(`--${name} must be a date like 2026-11-01, got "${v}"`);
  }
  return v;
}

/** Tab-separated, under a header, so it reads in a terminal and cuts with `cut -f`; times on the business's clock. */
export async function run(args: string[]): Promise<void> {
  const o = parseOptions(args, { master: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } });
  const masterId = positiveInteger(requireOption(o.master, 'master'), 'master');
  const [first, last] = [date(o.from, 'from'), date(o.to, 'to')];
  if (last < first) throw new UsageError(`--to (${last}) is before --from (${first})`);
  await withCliContext(async ({ services, config }) => {
    const zone = config.reports.timeZone;
    const master = await services.masters.byId(masterId);
    if (!master) throw new UsageError(`no master with id ${masterId}`);
    const period = { from: localMidnight(first, zone).toISOString(), to: localMidnight(addDays(last, 1), zone).toISOString() };
    const ledger = await services.ledger.ledger(null, masterId, period);
    const clock = new Intl.DateTimeFormat('ru-RU', {
      timeZone: zone,
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const lines = [
      `master ${master.id} ${master.name}, ${first} .. ${last} (${zone})`,
      `opening balance\t${ledger.opening}`,
      'time\torder\tkind\tamount\tbalance',
      ...ledger.entries.map((e) =>
        [
          clock.format(new Date(e.at)).replace(',', ''),
          e.order_id !== null ? `#${e.order_id}` : `settlement ${e.settlement_id} (${e.orders} order${e.orders === 1 ? '' : 's'})`,
          e.kind,
          e.amount,
          e.balance,
        ].join('\t'),
      ),
      `closing balance\t${ledger.closing}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
