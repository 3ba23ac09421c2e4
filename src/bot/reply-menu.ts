import type { I18n } from '@grammyjs/i18n';
import type { MiddlewareFn } from 'grammy';
import type { KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import type { Services } from '../services.ts';
import { hasRole, isStaff, type Principal } from '../users/principal.ts';
import type { BotContext } from './bot-context.ts';
import type { MenuItem } from './callback-data.ts';
import { translator, type Language, type Translate } from './i18n.ts';

/**
 * The persistent main menu under the input field (a reply keyboard), per
 * role. A tap sends the button's label as a message; `menuTaps` turns that
 * label back into the menu item, so a tap runs exactly what the matching
 * command or inline menu button runs (routing.ts `onMenu`), and ends an
 * open dialogue out loud as they do (dialogue-guard.ts).
 *
 * Only people who can work get one: a client, a master still waiting for
 * approval (or deactivated) and a stranger get the keyboard removed, so a
 * staff keyboard left from earlier never lingers. Group chats never get
 * one (it would cover the input field of everybody in the group).
 */
type Shown = { staff: boolean; admin: boolean; reports: boolean; master: boolean };

const LAYOUT: ReadonlyArray<ReadonlyArray<{ item: MenuItem; when: (s: Shown) => boolean }>> = [
  [
    { item: 'new', when: (s) => s.staff },
    { item: 'orders', when: (s) => s.staff },
  ],
  [
    { item: 'my', when: (s) => s.master },
    { item: 'stats', when: (s) => s.master },
  ],
  [
    { item: 'search', when: (s) => s.staff },
    { item: 'reports', when: (s) => s.reports },
  ],
  [
    { item: 'masters', when: (s) => s.admin },
    { item: 'users', when: (s) => s.admin },
  ],
  [
    { item: 'console', when: (s) => s.staff },
    { item: 'language', when: () => true },
  ],
];

/** Every item a reply keyboard may carry (the labels recognised as taps). */
const ITEMS = LAYOUT.flat().map((b) => b.item);

const REMOVE: ReplyKeyboardRemove = { remove_keyboard: true };

/** What this person's keyboard shows; null when they get none. */
async function shownFor(services: Services, p: Principal): Promise<Shown | null> {
  const m = hasRole(p, 'MASTER') && p.masterId !== null ? await services.masters.byId(p.masterId) : null;
  const shown: Shown = {
    staff: isStaff(p),
    admin: hasRole(p, 'ADMIN'),
    reports: await services.settings.mayReadReports(p),
    master: m !== null && m.is_approved && m.is_active,
  };
  return shown.staff || shown.master ? shown : null;
}

/** The reply keyboard for a person's private chat, in their language (or its removal when they get none). */
export async function replyMenu(services: Services, p: Principal, t: Translate): Promise<ReplyKeyboardMarkup | ReplyKeyboardRemove> {
  const shown = await shownFor(services, p);
  if (!shown) return REMOVE;
  const keyboard: KeyboardButton[][] = LAYOUT.map((row) => row.filter((b) => b.when(shown)).map((b) => ({ text: t(`menu-${b.item}`) }))).filter(
    (row) => row.length > 0,
  );
  return { keyboard, is_persistent: true, resize_keyboard: true };
}

/**
 * In front of the features: in a private chat, a message whose text is a
 * reply-keyboard label (in either language: the keyboard may predate a
 * language switch) becomes a menu tap.
 */
export function menuTaps(i18n: I18n<BotContext>): MiddlewareFn<BotContext> {
  const labels = new Map<string, MenuItem>();
  for (const language of ['ru', 'en'] as Language[]) {
    const t = translator(i18n, language);
    for (const item of ITEMS) labels.set(t(`menu-${item}`), item);
  }
  return async (ctx, next) => {
    const text = ctx.message?.text;
    if (!ctx.state.inGroup && text !== undefined) ctx.state.menuTap = labels.get(text.trim()) ?? null;
    await next();
  };
}
