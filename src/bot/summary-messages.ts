import type { DailySummary } from '../reports/daily-summary-job.ts';
import type { Services } from '../services.ts';
import type { Equipment } from './equipment.ts';
import { formatDate } from './format.ts';
import type { NotifierParts } from './reminder-messages.ts';

/**
 * The evening summary, to every admin and (while they may read reports)
 * every dispatcher, each in their language.
 */
export class SummaryMessages {
  private readonly services: Services;
  private readonly equipment: Equipment;
  private readonly n: NotifierParts;
  constructor(services: Services, equipment: Equipment, parts: NotifierParts) {
    this.services = services;
    this.equipment = equipment;
    this.n = parts;
  }

  /** Resolves with how many people it was for. */
  readonly sendDailySummary = async (s: DailySummary): Promise<number> => {
    const roles = (await this.services.settings.get('dispatchersReadReports')) ? (['ADMIN', 'DISPATCHER'] as const) : (['ADMIN'] as const);
    const people = new Set(await this.services.users.telegramIdsWithRole(...roles));
    const types = await this.equipment.all();
    for (const chat of people) {
      await this.n.send(chat, async (r) => {
        const en = r.principal.language === 'en';
        const name = (code: string) => types.find((t) => t.code === code)?.[en ? 'name_en' : 'name_ru'] ?? code;
        const counts = (by: Record<string, number>, label: (k: string) => string) =>
          Object.entries(by)
            .filter(([, n]) => n > 0)
            .sort(([, a], [, b]) => b - a)
            .map(([k, n]) => `  ${label(k)}: ${n}`);
        const lines = [
          r.t('summary-title', { date: formatDate(s.date) }),
          r.t('summary-created', { count: String(s.created) }),
          ...counts(s.createdByEquipment, name),
          r.t('summary-active', { count: String(s.active) }),
          ...counts(s.activeByStatus, (status) => r.t(`status-${status}`)),
          r.t('summary-by-equipment'),
          ...counts(s.activeByEquipment, name),
        ];
        return { text: lines.join('\n') };
      });
    }
    return people.size;
  };
}
