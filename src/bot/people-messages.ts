import type { ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Services } from '../services.ts';
import type { PersonChange } from '../users/people-changes.ts';
import type { Principal } from '../users/principal.ts';
import { publishCommands } from './command-menu.ts';
import type { Translate } from './i18n.ts';
import type { NotifierDeps, Recipient } from './notifier.ts';
import { replyMenu } from './reply-menu.ts';

type Message = { text: string; reply_markup?: ReplyKeyboardMarkup | ReplyKeyboardRemove };

/** What the Notifier lends: a private message in the person's language. */
export interface PeopleParts {
  send(telegramId: number | null, build: (r: Recipient) => Promise<Message>): Promise<void>;
}

/**
 * What people hear about themselves: a role given or taken, a master
 * registered (awaiting approval), approved, activated or deactivated. The
 * services publish these (services.people) whichever edge made the
 * change, so a change from the bot or the HTTP API tells the person once
 * (the CLI runs without the bot: its changes are told to nobody); the one
 * who made the change knows and is not told. The command menu and
 * the reply-keyboard menu follow, read after the commit: an approved
 * master sees his menu, a deactivated one loses it.
 */
export class PeopleMessages {
  private readonly d: Pick<NotifierDeps, 'api' | 'services'>;
  private readonly n: PeopleParts;
  constructor(deps: Pick<NotifierDeps, 'api' | 'services'>, parts: PeopleParts) {
    this.d = deps;
    this.n = parts;
  }

  async tell(change: PersonChange): Promise<void> {
    const telegramId = change.kind === 'roles' ? change.telegramId : change.master.telegram_id;
    if (telegramId === null || telegramId === change.actorTelegramId) return;
    await this.n.send(telegramId, async (r) => {
      const { api, services } = this.d;
      await publishCommands(api, await working(services, r.principal), r.t, { readsReports: await services.settings.mayReadReports(r.principal) });
      return { text: news(change, r), reply_markup: await replyMenu(services, r.principal, r.t) };
    });
  }

  /** A word to every admin, each in their language (a group link lost, ...). */
  async tellAdmins(text: (t: Translate) => string): Promise<void> {
    for (const id of await this.d.services.users.telegramIdsWithRole('ADMIN')) await this.n.send(id, async (r) => ({ text: text(r.t) }));
  }
}

/** A master still waiting for approval is offered no master commands (as /start and the reply menu show him none). */
async function working(services: Services, p: Principal): Promise<Principal> {
  if (p.masterId === null) return p;
  return (await services.masters.byId(p.masterId))?.is_approved ? p : { ...p, masterId: null };
}

function news(change: PersonChange, r: Recipient): string {
  const { t } = r;
  if (change.kind === 'master') {
    return change.event === 'register' ? t('master-awaiting-approval', { name: r.principal.name }) : t(`notify-master-${change.event}`);
  }
  const roles = change.roles.map((role) => t(`role-${role}`)).join(', ');
  return roles ? t('notify-roles', { roles }) : t('notify-roles-none');
}
