import { describe, expect, it } from 'vitest';
import { LedgerService } from '../../src/money/ledger-service.ts';
import { localParts } from '../../src/scheduler/periods.ts';
import { runCli } from '../support/cli.ts';
import { useTestDatabase } from '../support/db.ts';
import { makeMaster, makeUser } from '../support/fixtures.ts';
import { orderDriver } from '../support/money.ts';

const t = useTestDatabase();
const cli = (args: string[]) => runCli(['ledger', ...args], { DATABASE_URL: t.url, REPORT_TIMEZONE: 'Europe/Moscow' });
const TIME = /^\d\d\.\d\d\.\d{4} \d\d:\d\d$/;

describe('repair-bot ledger', () => {
  it("prints a master's ledger: opening balance, each line with the running balance, closing balance", async () => {
    // Setup: three completions (company shares 5 000, 3 600, 4 000), one closed alone, two settled at once, then a fee of 1 000 (600 to the company)
    const admin = await makeUser(t.db, ['ADMIN'], 'Boss');
    const fedor = await makeMaster(t.db, { name: 'Фёдор' });
    const drive = orderDriver(t.db, admin);
    const a = await drive.completed(fedor, { equipment: 'washing_machine', total: '10000.00', materials: '0.00' });
    const b = await drive.completed(fedor, { equipment: 'washing_machine', total: '6000.00', materials: '0.00' });
    const c = await drive.completed(fedor, { equipment: 'washing_machine', total: '8000.00', materials: '0.00' });
    await drive.workflow.act(admin, c, 'close', {});
    const settlement = await new LedgerService(t.db).settle(admin, fedor.masterId, [a, b]);
    const refused = await drive.started(fedor, 'washing_machine');
    await drive.workflow.act(fedor, refused, 'client_refused', { reason: 'Дорого', fee: '1000.00' });
    const today = localParts(new Date(), 'Europe/Moscow').date;
    const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

    // Action
    const r = await cli(['--master', String(fedor.masterId), '--from', yesterday, '--to', today]);

    // Assertions
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `master ${fedor.masterId} Фёдор, ${yesterday} .. ${today} (Europe/Moscow)`,
      'opening balance\t0.00',
      'time\torder\tkind\tamount\tbalance',
    ]);
    const rows = lines.slice(3, -1).map((l) => l.split('\t'));
    for (const row of rows) expect(row[0]).toMatch(TIME);
    expect(rows.map((row) => row.slice(1))).toEqual([
      [`#${a}`, 'completed', '5000.00', '5000.00'],
      [`#${b}`, 'completed', '3600.00', '8600.00'],
      [`#${c}`, 'completed', '4000.00', '12600.00'],
      [`#${c}`, 'handed_over', '-4000.00', '8600.00'],
      [`settlement ${settlement.id} (2 orders)`, 'handed_over', '-8600.00', '0.00'],
      [`#${refused}`, 'refusal_fee', '600.00', '600.00'],
    ]);
    expect(lines.at(-1)).toBe('closing balance\t600.00');
  });

  it('answers bad arguments with exit code 2 naming the option', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--master', 'abc', '--from', '2026-11-01', '--to', '2026-11-30'], /--master must be a positive integer/],
      [['--master', '1', '--from', '2026-02-30', '--to', '2026-11-30'], /--from must be a date like 2026-11-01/],
      [['--master', '1', '--from', '2026-11-30', '--to', '2026-11-01'], /--to \(2026-11-01\) is before --from/],
      [['--master', '1', '--from', '2026-11-01'], /--to is required/],
      [['--master', '999999', '--from', '2026-11-01', '--to', '2026-11-30'], /no master with id 999999/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    // Five CLI processes one after another: room for a loaded machine.
  }, 90_000);
});
