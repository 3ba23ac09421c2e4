import { Composer } from 'grammy';
import { localParts } from '../../scheduler/periods.ts';
import { requireStaff } from '../../users/principal.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { formatDateTime } from '../format.ts';

/**
 * /team: a read-only list for dispatchers of the approved, active masters
 * with their open orders due today (carried-over ones included), least
 * loaded first: the same figures as the console's "masters' load".
 */
export function mastersTodayFeature(kit: BotKit): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const tz = kit.settings.timeZone;
  c.command('team', async (ctx) => {
    requireStaff(ctx.state.principal);
    const today = localParts(new Date(), tz).date;
    const { masters } = await kit.services.console.board.mastersLoad(ctx.state.principal, today);
    if (masters.length === 0) return ctx.reply(ctx.t('team-none'));
    const lines = masters.map((m) =>
      ctx.t('team-line', {
        name: m.name,
        specialization: m.specialization,
        total: Number(m.total),
        assigned: Number(m.assigned),
        accepted: Number(m.accepted),
        in_progress: Number(m.in_progress),
        long_repair: Number(m.long_repair),
        next: m.next_visit_at ? formatDateTime(m.next_visit_at, tz).slice(11) : '—',
      }),
    );
    await ctx.reply([ctx.t('team-title', { date: today.split('-').reverse().join('.') }), ...lines].join('\n').slice(0, 4000));
  });
  return c;
}
