import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { ForbiddenError } from '../../errors.ts';
import { localParts } from '../../scheduler/periods.ts';
import type { BotContext, BotKit } from '../bot-context.ts';
import { encode } from '../callback-data.ts';
import { endConversation, startConversation } from '../conversation.ts';
import { detached } from '../outbox.ts';
import { parseReportDates } from '../report-dates.ts';
import { currentPeriod, datesPeriod, masterLine, reportFile, reportFileName, reportText, type LabelledPeriod } from '../report-text.ts';
import { rubles } from '../money-text.ts';
import { onAnswer, onButton, onMenu } from '../routing.ts';

/** Admins: period reports (today, this week, this month, or dates) with an XLSX file; masters: their own figures. */
export function reportsFeature(kit: BotKit, clock: () => Date = () => new Date()): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const store = kit.store;
  const { reports, ledger } = kit.services;
  const tz = kit.settings.timeZone;

  const show = async (ctx: BotContext, period: LabelledPeriod) => {
    const p = ctx.state.principal;
    // Read-only and possibly long: on pool connections, not the update's transaction.
    const [summary, masters] = await detached(() => Promise.all([reports.summary(p, period), reports.masters(p, period)]));
    const kb = new InlineKeyboard()
      .text(ctx.t('button-xlsx'), encode({ type: 'reportFile', from: period.from, to: period.to }))
      .text(ctx.t('button-workbook-settlement'), encode({ type: 'workbook', kind: 'settlement', from: period.from, to: period.to }))
      .row()
      .text(ctx.t('button-workbook-masters'), encode({ type: 'workbook', kind: 'masters', from: period.from, to: period.to }))
      .text(ctx.t('button-workbook-active'), encode({ type: 'workbook', kind: 'active', from: null, to: null }));
    await ctx.reply(reportText(ctx.t, period, summary, masters), { reply_markup: kb });
    // Longer periods come with a picture: orders and revenue by day, masters' shares.
    if (period.first !== period.last) {
      const chart = await detached(() => kit.services.workbooks.chart(p, period));
      if (chart) await ctx.replyWithPhoto(new InputFile(chart, 'chart.png'), { caption: ctx.t('report-chart-caption') });
    }
  };

  /** Admins, and dispatchers while the setting allows it (as in the legacy bot). */
  const requireReader = async (ctx: BotContext) => {
    if (!(await kit.services.settings.mayReadReports(ctx.state.principal)))
      throw new ForbiddenError('only admins (and dispatchers, when allowed) may read reports');
  };

  onMenu(c, 'reports', 'reports.menu', async (ctx) => {
    await requireReader(ctx);
    const kb = new InlineKeyboard()
      .text(ctx.t('period-day'), encode({ type: 'report', period: 'day' }))
      .text(ctx.t('period-week'), encode({ type: 'report', period: 'week' }))
      .row()
      .text(ctx.t('period-month'), encode({ type: 'report', period: 'month' }))
      .text(ctx.t('period-custom'), encode({ type: 'report', period: 'custom' }))
      .row()
      .text(ctx.t('button-owed'), encode({ type: 'owed' }))
      .text(ctx.t('button-rules'), encode({ type: 'rules' }));
    await ctx.reply(ctx.t('report-choose'), { reply_markup: kb });
  });

  onButton(c, 'report', 'reports.period', async (ctx, d) => {
    await requireReader(ctx);
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
    const now = clock();
    const periods = [currentPeriod('day', now, tz), currentPeriod('month', now, tz)];
    const [today, month] = await detached(() => Promise.all(periods.map((period) => reports.masters(p, period, p.masterId ?? undefined))));
    const line = (rows: typeof today) => (rows?.[0] ? masterLine(ctx.t, rows[0]) : ctx.t('stats-nothing'));
    const lines = [ctx.t('stats', { today: line(today), month: line(month) })];
    if (p.masterId !== null) {
      const masterId = p.masterId;
      const own = await detached(() =>
        ledger.stats(p, masterId, { today: currentPeriod('day', now, tz), week: currentPeriod('week', now, tz), month: currentPeriod('month', now, tz) }),
      );
      const money = (amount: string) => rubles(amount, p.language);
      lines.push(ctx.t('stats-earned', { today: money(own.today.earned), week: money(own.week.earned), month: money(own.month.earned) }));
      lines.push(own.owed.orders > 0 ? ctx.t('stats-owed', { amount: money(own.owed.amount), count: own.owed.orders }) : ctx.t('stats-owed-none'));
    }
    const thisMonth = currentPeriod('month', now, tz);
    const kb =
      p.masterId === null
        ? undefined
        : new InlineKeyboard().text(ctx.t('button-workbook-mine'), encode({ type: 'workbook', kind: 'mine', from: thisMonth.from, to: thisMonth.to }));
    await ctx.reply(lines.join('\n'), kb ? { reply_markup: kb } : {});
  });

  onButton(c, 'workbook', 'reports.workbook', async (ctx, d) => {
    await ctx.answerCallbackQuery();
    const period = d.from && d.to ? { from: d.from, to: d.to } : null;
    const file = await detached(() => kit.services.workbooks.build(ctx.state.principal, d.kind, period));
    const dates = period ? `-${localParts(new Date(period.from), tz).date}-${localParts(new Date(Date.parse(period.to) - 1), tz).date}` : '';
    await ctx.replyWithDocument(new InputFile(file, `${d.kind}${dates}.xlsx`), { caption: ctx.t(`workbook-caption-${d.kind}`) });
  });

  return c;
}
