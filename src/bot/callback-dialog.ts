import { id, isTypeCode, yesNo, type Encoders, type Parsers } from './callback-codec.ts';

/** Buttons every dialogue uses: the menu, language, Skip/Back, yes/no, a pick among options. */
const MENU_ITEMS = ['home', 'new', 'orders', 'search', 'my', 'stats', 'masters', 'users', 'reports', 'language', 'cancel', 'console'] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

export type DialogCallback =
  | { type: 'menu'; item: MenuItem }
  | { type: 'lang'; language: 'ru' | 'en' }
  | { type: 'equipment'; code: string }
  | { type: 'skip' }
  | { type: 'back' }
  /** Change one step's answer from a dialogue's confirmation screen (the step's index). */
  | { type: 'editStep'; step: number }
  | { type: 'confirm'; yes: boolean }
  | { type: 'answer'; yes: boolean }
  /** A choice among a dialogue's options (which field to edit, ...): the dialogue checks the value. */
  | { type: 'pick'; value: string };

export const DIALOG_ENCODERS: Encoders<DialogCallback> = {
  menu: (d) => `m:${d.item}`,
  lang: (d) => `lg:${d.language}`,
  equipment: (d) => `eq:${d.code}`,
  skip: () => 'sk',
  back: () => 'bk',
  editStep: (d) => `es:${d.step}`,
  confirm: (d) => `cf:${d.yes ? 'y' : 'n'}`,
  answer: (d) => `yn:${d.yes ? 'y' : 'n'}`,
  pick: (d) => `pk:${d.value}`,
};

export const DIALOG_PARSERS: Parsers<DialogCallback> = {
  m: { args: 1, parse: ([item]) => ((MENU_ITEMS as readonly string[]).includes(item!) ? { type: 'menu', item: item as MenuItem } : null) },
  lg: { args: 1, parse: ([l]) => (l === 'ru' || l === 'en' ? { type: 'lang', language: l } : null) },
  eq: { args: 1, parse: ([code]) => (isTypeCode(code) ? { type: 'equipment', code: code! } : null) },
  sk: { args: 0, parse: () => ({ type: 'skip' }) },
  bk: { args: 0, parse: () => ({ type: 'back' }) },
  es: { args: 1, parse: ([n]) => (id(n, 0) !== null && id(n, 0)! < 20 ? { type: 'editStep', step: id(n, 0)! } : null) },
  cf: { args: 1, parse: ([y]) => (yesNo(y) === null ? null : { type: 'confirm', yes: yesNo(y)! }) },
  yn: { args: 1, parse: ([y]) => (yesNo(y) === null ? null : { type: 'answer', yes: yesNo(y)! }) },
  pk: { args: 1, parse: ([v]) => (/^[a-z][a-z0-9_]{0,39}$/.test(v!) ? { type: 'pick', value: v! } : null) },
};
