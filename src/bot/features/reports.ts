import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { requireAdmin } from '../../users/principal.ts';
import { localParts } from '../../scheduler/periods.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, startConversation } from '../conversation.ts';
import { detached } from '../outbox.ts';
import { parseReportDates } from '../report-dates.ts';
import { currentPeriod, datesPeriod, masterLine, reportFile, reportFileName, reportText, type LabelledPeriod } from '../report-text.ts';
import { onAnswer, onButton, onMenu } from '../routing.ts';

/** Admins: period reports (today, this week, this month, or dates) with an XLSX file; masters: their own figures. */
export function reportsFeature(kit: BotKit, clock: () => Date = () => new Date()): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { reports } = kit.services;
  const tz = kit.settings.timeZone;

  const show = async (ctx: BotContext, period: LabelledPeriod) => {
    const p = ctx.state.principal;
    // Read-only and possibly long: on pool connections, not the update's transaction.
    const [summary, masters] = await detached(() => Promise.all([reports.summary(p, period), reports.masters(p, period)]));
    const kb = new InlineKeyboard().text(ctx.t('button-xlsx'), encode({ type: 'reportFile', from: period.from, to: period.to }));
    await ctx.reply(reportText(ctx.t, period, summary, masters), { reply_markup: kb });
  };

  onMenu(c, 'reports', 'reports.menu', async (ctx) => {
    requireAdmin(ctx.state.principal);
    const kb = new InlineKeyboard()
      .text(ctx.t('period-day'), encode({ type: 'report', period: 'day' }))
      .text(ctx.t('period-week'), encode({ type: 'report', period: 'week' }))
      .row()
      .text(ctx.t('period-month'), encode({ type: 'report', period: 'month' }))
      .text(ctx.t('period-custom'), encode({ type: 'report', period: 'custom' }));
    await ctx.reply(ctx.t('report-choose'), { reply_markup: kb });
  });

  onButton(c, 'report', 'reports.period', async (ctx, d) => {
    requireAdmin(ctx.state.principal);
    await ctx.answerCallbackQuery();
    if (d.period !== 'custom') return show(ctx, currentPeriod(d.period, clock(), tz));
    await startConversation(store, ctx, 'report_period', 'dates', ctx.t('report-ask-dates'));
  });

  onAnswer(c, 'report_period', 'reports.custom', async (ctx, text) => {
    const dates = parseReportDates(text, localParts(clock(), tz).date);
    if ('refused' in dates) return ctx.reply(ctx.t(`report-dates-${dates.refused}`, { first: dates.first ?? '', last: dates.last ?? '' }));
    await endConversation(store, ctx);
    await show(ctx, datesPeriod(dates.first, dates.last, tz));
  });

  onButton(c, 'reportFile', 'reports.file', async (ctx, d) => {
    await ctx.answerCallbackQuery();
    const label = { first: localParts(new Date(d.from), tz).date, last: localParts(new Date(Date.parse(d.to) - 1), tz).date };
    const file = await detached(() => reportFile(reports, ctx.state.principal, d));
    await ctx.replyWithDocument(new InputFile(file, reportFileName(label)), { caption: ctx.t('report-file-caption') });
  });

  onMenu(c, 'stats', 'master.stats', async (ctx) => {
    const p = ctx.state.principal;
    const periods = [currentPeriod('day', clock(), tz), currentPeriod('month', clock(), tz)];
    const [today, month] = await detached(() => Promise.all(periods.map((period) => reports.masters(p, period, p.masterId ?? undefined))));
    const line = (rows: typeof today) => (rows?.[0] ? masterLine(ctx.t, rows[0]) : ctx.t('stats-nothing'));
    await ctx.reply(ctx.t('stats', { today: line(today), month: line(month) }));
  });

  return c;
}
