import type { Queryable } from '../db/database.ts';
import { ForbiddenError, ValidationError } from '../errors.ts';
import type { EquipmentService } from '../equipment/equipment-service.ts';
import { masterQuality } from '../masters/master-quality.ts';
import type { Principal } from '../users/principal.ts';
import { validatePeriod, type Period, type ReportReaders } from './reports-service.ts';
import type { Language } from './workbook-words.ts';
import { activeOrdersWorkbook, masterWorkbook, mastersStatsWorkbook, settlementWorkbook, type WorkbookContext } from './workbooks.ts';
import { listActiveOrders, listRefusals, listSettlementOrders } from './workbooks.sql.ts';
import { periodChartData } from './chart-data.ts';
import { periodChartPng } from './charts.ts';

export const WORKBOOK_KINDS = ['settlement', 'active', 'masters', 'mine'] as const;
export type WorkbookKind = (typeof WORKBOOK_KINDS)[number];

/**
 * The workbooks people collect money and plan work with: settlement,
 * active orders, masters' statistics (staff who may read reports) and a
 * master's own. Headers in the reader's language, times on the business's
 * clock (REPORT_TIMEZONE), money as numbers shown in rubles.
 */
export class WorkbooksService {
  /** Reads only: a streaming replica when REPORTS_DATABASE_URL is set (src/db/replica-reads.ts). */
  private readonly db: Queryable;
  private readonly readers: ReportReaders;
  private readonly equipment: Pick<EquipmentService, 'list'>;
  private readonly timeZone: string;
  constructor(db: Queryable, readers: ReportReaders, equipment: Pick<EquipmentService, 'list'>, timeZone: string) {
    this.db = db;
    this.readers = readers;
    this.equipment = equipment;
    this.timeZone = timeZone;
  }

  /** The workbook as an .xlsx file; `period` for all but the active orders. */
  async build(actor: Principal, kind: WorkbookKind, period: Period | null, lang: Language = actor.language): Promise<Buffer> {
    if (kind === 'mine') {
      if (actor.masterId === null) throw new ForbiddenError('only masters have a workbook of their own');
    } else if (!(await this.readers.mayReadReports(actor))) {
      throw new ForbiddenError('only admins (and dispatchers, when allowed) may read reports');
    }
    const needsPeriod = kind !== 'active';
    if (needsPeriod && !period) throw new ValidationError('is required for this workbook', { field: 'from' });
    const p = needsPeriod ? validatePeriod(period!) : null;
    const types = await this.equipment.list();
    const ctx: WorkbookContext = {
      lang,
      timeZone: this.timeZone,
      equipmentName: (code) => {
        const t = types.find((x) => x.code === code);
        if (!t) return code;
        return lang === 'en' ? (t.singular_en ?? t.name_en) : (t.singular_ru ?? t.name_ru);
      },
    };
    const wb = await this.workbook(actor, kind, p, ctx);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** The period's chart as a PNG: orders and revenue by local day, masters' shares (null: no renderer here). Report readers. */
  async chart(actor: Principal, period: Period, lang: Language = actor.language): Promise<Buffer | null> {
    if (!(await this.readers.mayReadReports(actor))) throw new ForbiddenError('only admins (and dispatchers, when allowed) may read reports');
    return periodChartPng(await periodChartData(this.db, validatePeriod(period), this.timeZone), lang);
  }

  private async workbook(actor: Principal, kind: WorkbookKind, p: Period | null, ctx: WorkbookContext) {
    switch (kind) {
      case 'settlement':
        return settlementWorkbook(
          await listSettlementOrders(this.db, p!.from, p!.to, null),
          await listRefusals(this.db, p!.from, p!.to),
          ctx,
          (await periodChartPng(await periodChartData(this.db, p!, this.timeZone), ctx.lang)) ?? undefined,
        );
      case 'active':
        return activeOrdersWorkbook(await listActiveOrders(this.db, null), ctx);
      case 'masters': {
        const [orders, refusals] = [await listSettlementOrders(this.db, p!.from, p!.to, null), await listRefusals(this.db, p!.from, p!.to)];
        const ids = [...new Set([...orders, ...refusals].map((row) => row.master_id))];
        return mastersStatsWorkbook(orders, refusals, await masterQuality(this.db, ids, p), ctx);
      }
      case 'mine':
        return masterWorkbook(await listActiveOrders(this.db, actor.masterId), await listSettlementOrders(this.db, p!.from, p!.to, actor.masterId), ctx);
    }
  }
}
