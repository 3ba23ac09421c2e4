import path from 'node:path';
import { I18n } from '@grammyjs/i18n';
import type { Logger } from '../telemetry/logger.ts';
import type { BotContext } from './bot-context.ts';

/** Fluent files, one folder per language (locales/ru/*.ftl, locales/en/*.ftl). */
export const LOCALES_DIR = path.resolve(import.meta.dirname, '../../locales');
export type Language = 'ru' | 'en';

/** Translates one message id in one language. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/**
 * Russian by default; each user's language comes from users.language, which
 * /language switches. Placeables are not wrapped in Unicode isolation marks:
 * texts are plain and left-to-right.
 */
export function createI18n(logger: Pick<Logger, 'warn'>): I18n<BotContext> {
  return new I18n<BotContext>({
    defaultLocale: 'ru',
    directory: LOCALES_DIR,
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.state?.principal?.language ?? 'ru',
    fluentOptions: {
      warningHandler: (w) => logger.warn({ locales: w.locales, message_id: 'messageId' in w ? w.messageId : undefined }, 'missing translation'),
    },
  });
}

export function translator(i18n: I18n<BotContext>, language: Language): Translate {
  return (key, vars) => i18n.t(language, key, vars);
}
