import { ATTACHMENT_STAGES, type AttachmentStage } from '../attachments/attachments-service.ts';
import { ORDER_STATUSES, USER_ROLES, type OrderStatus, type UserRole } from '../db/enums.ts';
import { decodeCursor, encodeCursor } from '../orders/cursor.ts';
import { STATUS_SETS } from '../orders/order-statuses.ts';

/**
 * Inline button payloads: short `code:arg:arg` strings (Telegram allows 64
 * bytes). Anything a client sends back is parsed strictly; a forged, stale
 * or malformed payload parses to null and is answered politely upstream.
 * Order buttons carry the order version they were drawn for, so a double
 * click or an old button acts at most once.
 */
const MENU_ITEMS = ['home', 'new', 'orders', 'search', 'my', 'stats', 'masters', 'users', 'reports', 'language', 'cancel', 'console'] as const;
export type MenuItem = (typeof MENU_ITEMS)[number];

const ORDER_ACTIONS = {
  ac: 'accept',
  dc: 'decline',
  ar: 'arrive',
  rs: 'resume',
  lr: 'long_repair',
  cp: 'complete',
  cl: 'close',
  rf: 'refuse',
  ro: 'reopen',
  un: 'unassign',
  nd: 'nudge',
  rr: 'refresh',
  rz: 'reschedule',
  ed: 'edit',
  hi: 'history',
  dl: 'delete',
  xa: 'cancel_accepted',
  rt: 'restore',
  os: 'client_refused',
  mc: 'correct',
} as const;
export type OrderAction = (typeof ORDER_ACTIONS)[keyof typeof ORDER_ACTIONS];

/** One letter per status in list buttons, never reused (old buttons stay valid); a new status asks for one here. */
const STATUS_CODES = {
  NEW: 'n',
  ASSIGNED: 'a',
  ACCEPTED: 'c',
  IN_PROGRESS: 'p',
  LONG_REPAIR: 'l',
  COMPLETED: 'd',
  CLOSED: 'x',
  REFUSED: 'r',
} as const satisfies Record<OrderStatus, string>;

/** Order lists: one status, every open order (o), or a master's current work (m). */
export type ListFilterCode = (typeof STATUS_CODES)[OrderStatus] | 'o' | 'm';
export const STATUS_FILTERS: readonly ListFilterCode[] = ORDER_STATUSES.map((s) => STATUS_CODES[s]);

/** The statuses a list filter shows. */
export function filterStatuses(f: ListFilterCode): readonly OrderStatus[] {
  if (f === 'o') return STATUS_SETS.open;
  if (f === 'm') return STATUS_SETS.masterWork;
  return ORDER_STATUSES.filter((s) => STATUS_CODES[s] === f);
}

function isListFilter(f: string | undefined): f is ListFilterCode {
  return f === 'o' || f === 'm' || STATUS_FILTERS.some((code) => code === f);
}

const MASTER_FLAGS = { ap: 'approve', ac: 'activate', de: 'deactivate' } as const;
const MASTER_FIELDS = { n: 'name', p: 'phone', s: 'specialization' } as const;
const PERIODS = { d: 'day', w: 'week', m: 'month', c: 'custom' } as const;
const CATALOG_EDITS = { u: 'up', t: 'toggle', r: 'rename' } as const;
const WORKBOOKS = { s: 'settlement', a: 'active', m: 'masters', o: 'mine' } as const;

export type CallbackData =
  | { type: 'menu'; item: MenuItem }
  | { type: 'lang'; language: 'ru' | 'en' }
  | { type: 'equipment'; code: string }
  | { type: 'skip' }
  | { type: 'back' }
  /** Change one step's answer from a dialogue's confirmation screen (the step's index). */
  | { type: 'editStep'; step: number }
  | { type: 'confirm'; yes: boolean }
  | { type: 'answer'; yes: boolean }
  | { type: 'list'; filter: ListFilterCode; cursor: string | null }
  | { type: 'card'; orderId: number }
  | { type: 'order'; action: OrderAction; orderId: number; version: number }
  /** The answer to "are you sure?" before a final or destructive order action. */
  | { type: 'sure'; action: 'close' | 'unassign'; orderId: number; version: number; yes: boolean }
  | { type: 'pickMaster'; orderId: number; version: number; afterId: number }
  | { type: 'assign'; orderId: number; version: number; masterId: number }
  | { type: 'masters'; afterId: number }
  | { type: 'masterCard'; masterId: number }
  | { type: 'masterFlag'; flag: (typeof MASTER_FLAGS)[keyof typeof MASTER_FLAGS]; masterId: number }
  | { type: 'addMaster' }
  /** Register as a master someone who already has the MASTER role (asks phone and specialization). */
  | { type: 'addMasterFor'; telegramId: number }
  /** Deactivate although the master has open orders (after the warning). */
  | { type: 'masterOff'; masterId: number }
  | { type: 'editMaster'; masterId: number; field: (typeof MASTER_FIELDS)[keyof typeof MASTER_FIELDS] }
  | { type: 'linkGroup'; target: 'dispatchers' | number }
  /** masterId 0: the dispatchers' group. */
  | { type: 'workChat'; masterId: number }
  | { type: 'unlinkGroup'; masterId: number }
  | { type: 'users'; afterId: number }
  | { type: 'userCard'; telegramId: number }
  | { type: 'userRoles'; telegramId: number; roles: UserRole[] }
  /** Taking a role away asks first; the answer is a userRoles button. */
  | { type: 'userRolesAsk'; telegramId: number; roles: UserRole[] }
  | { type: 'report'; period: (typeof PERIODS)[keyof typeof PERIODS] }
  | { type: 'reportFile'; from: string; to: string }
  | { type: 'workbook'; kind: (typeof WORKBOOKS)[keyof typeof WORKBOOKS]; from: string | null; to: string | null }
  | { type: 'rules' }
  | { type: 'ruleEdit'; code: string | null }
  /** The refusal-fee rule (one, no equipment type). */
  | { type: 'ruleFeeEdit' }
  | { type: 'owed' }
  | { type: 'owedMaster'; masterId: number }
  | { type: 'settle'; masterId: number; upToOrderId: number }
  | { type: 'catalog' }
  | { type: 'catalogAdd' }
  | { type: 'catalogType'; code: string }
  | { type: 'catalogEdit'; edit: (typeof CATALOG_EDITS)[keyof typeof CATALOG_EDITS]; code: string }
  /** A choice among a dialogue's options (which field to edit, ...): the dialogue checks the value. */
  | { type: 'pick'; value: string }
  | { type: 'media'; orderId: number; stage: AttachmentStage | null }
  /** The order's photos and documents sent back as albums (the card's button). */
  | { type: 'album'; orderId: number };

const roleMask = (roles: readonly UserRole[]): number => USER_ROLES.reduce((m, r, i) => (roles.includes(r) ? m | (1 << i) : m), 0);
const keyOf = <V extends string>(map: Record<string, V>, value: V): string => Object.entries(map).find(([, v]) => v === value)![0];
const instant = (iso: string): string => Math.floor(Date.parse(iso) / 1000).toString(36);

export function encode(d: CallbackData): string {
  switch (d.type) {
    case 'menu':
      return `m:${d.item}`;
    case 'lang':
      return `lg:${d.language}`;
    case 'equipment':
      return `eq:${d.code}`;
    case 'skip':
      return 'sk';
    case 'back':
      return 'bk';
    case 'editStep':
      return `es:${d.step}`;
    case 'confirm':
      return `cf:${d.yes ? 'y' : 'n'}`;
    case 'answer':
      return `yn:${d.yes ? 'y' : 'n'}`;
    case 'list':
      return d.cursor ? `ls:${d.filter}:${packCursor(d.cursor)}` : `ls:${d.filter}`;
    case 'card':
      return `oc:${d.orderId}`;
    case 'order':
      return `oa:${keyOf(ORDER_ACTIONS, d.action)}:${d.orderId}:${d.version}`;
    case 'sure':
      return `ok:${keyOf(ORDER_ACTIONS, d.action)}:${d.orderId}:${d.version}:${d.yes ? 'y' : 'n'}`;
    case 'pickMaster':
      return `pm:${d.orderId}:${d.version}:${d.afterId}`;
    case 'assign':
      return `as:${d.orderId}:${d.version}:${d.masterId}`;
    case 'masters':
      return `ml:${d.afterId}`;
    case 'masterCard':
      return `mc:${d.masterId}`;
    case 'masterFlag':
      return `mf:${keyOf(MASTER_FLAGS, d.flag)}:${d.masterId}`;
    case 'addMaster':
      return 'ma';
    case 'addMasterFor':
      return `mn:${d.telegramId}`;
    case 'masterOff':
      return `mo:${d.masterId}`;
    case 'editMaster':
      return `em:${keyOf(MASTER_FIELDS, d.field)}:${d.masterId}`;
    case 'linkGroup':
      return `lk:${d.target === 'dispatchers' ? 'd' : d.target}`;
    case 'workChat':
      return `wc:${d.masterId}`;
    case 'unlinkGroup':
      return `wu:${d.masterId}`;
    case 'users':
      return `ul:${d.afterId}`;
    case 'userCard':
      return `uc:${d.telegramId}`;
    case 'userRoles':
      return `ur:${d.telegramId}:${roleMask(d.roles)}`;
    case 'userRolesAsk':
      return `ux:${d.telegramId}:${roleMask(d.roles)}`;
    case 'report':
      return `rp:${keyOf(PERIODS, d.period)}`;
    case 'reportFile':
      return `rx:${instant(d.from)}:${instant(d.to)}`;
    case 'workbook':
      return d.from && d.to ? `wb:${keyOf(WORKBOOKS, d.kind)}:${instant(d.from)}:${instant(d.to)}` : `wb:${keyOf(WORKBOOKS, d.kind)}`;
    case 'rules':
      return 'rl';
    case 'ruleEdit':
      return d.code ? `re:${d.code}` : 're';
    case 'ruleFeeEdit':
      return 'rq';
    case 'owed':
      return 'ow';
    case 'owedMaster':
      return `om:${d.masterId}`;
    case 'settle':
      return `st:${d.masterId}:${d.upToOrderId}`;
    case 'catalog':
      return 'ct';
    case 'catalogAdd':
      return 'ca';
    case 'catalogType':
      return `ck:${d.code}`;
    case 'catalogEdit':
      return `ce:${keyOf(CATALOG_EDITS, d.edit)}:${d.code}`;
    case 'pick':
      return `pk:${d.value}`;
    case 'media':
      return d.stage ? `md:${d.orderId}:${d.stage}` : `md:${d.orderId}`;
    case 'album':
      return `ab:${d.orderId}`;
  }
}

/** A positive safe integer written plainly, or null. */
function id(s: string | undefined, min = 1): number | null {
  if (s === undefined || !/^\d{1,16}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) && n >= min ? n : null;
}

function fromMap<V>(map: Record<string, V>, key: string | undefined): V | null {
  return key !== undefined && Object.hasOwn(map, key) ? map[key]! : null;
}

function yesNo(s: string | undefined): boolean | null {
  return s === 'y' ? true : s === 'n' ? false : null;
}

function seconds36(s: string | undefined): string | null {
  if (s === undefined || !/^[0-9a-z]{1,8}$/.test(s)) return null;
  const ms = parseInt(s, 36) * 1000;
  return Number.isSafeInteger(ms) ? new Date(ms).toISOString() : null;
}

type Parser = (a: string[]) => CallbackData | null;

function roleButton(type: 'userRoles' | 'userRolesAsk', t: string | undefined, mask: string | undefined): CallbackData | null {
  const bits = id(mask, 0);
  if (id(t) === null || bits === null || bits >= 1 << USER_ROLES.length) return null;
  return { type, telegramId: id(t)!, roles: USER_ROLES.filter((_r, i) => bits & (1 << i)) };
}
const all = (...xs: unknown[]): boolean => xs.every((x) => x !== null && x !== undefined);

const PARSERS: Record<string, { args: number | [number, number]; parse: Parser }> = {
  m: { args: 1, parse: ([item]) => ((MENU_ITEMS as readonly string[]).includes(item!) ? { type: 'menu', item: item as MenuItem } : null) },
  lg: { args: 1, parse: ([l]) => (l === 'ru' || l === 'en' ? { type: 'lang', language: l } : null) },
  eq: { args: 1, parse: ([code]) => (isTypeCode(code) ? { type: 'equipment', code: code! } : null) },
  sk: { args: 0, parse: () => ({ type: 'skip' }) },
  bk: { args: 0, parse: () => ({ type: 'back' }) },
  es: { args: 1, parse: ([n]) => (id(n, 0) !== null && id(n, 0)! < 20 ? { type: 'editStep', step: id(n, 0)! } : null) },
  cf: { args: 1, parse: ([y]) => (yesNo(y) === null ? null : { type: 'confirm', yes: yesNo(y)! }) },
  yn: { args: 1, parse: ([y]) => (yesNo(y) === null ? null : { type: 'answer', yes: yesNo(y)! }) },
  ls: {
    args: [1, 2],
    parse: ([f, c]) => {
      const cursor = c === undefined ? null : unpackCursor(c);
      if (!isListFilter(f) || (c !== undefined && cursor === null)) return null;
      return { type: 'list', filter: f, cursor };
    },
  },
  oc: { args: 1, parse: ([o]) => (id(o) ? { type: 'card', orderId: id(o)! } : null) },
  oa: {
    args: 3,
    parse: ([a, o, v]) => {
      const action = fromMap(ORDER_ACTIONS, a);
      return all(action, id(o), id(v)) ? { type: 'order', action: action!, orderId: id(o)!, version: id(v)! } : null;
    },
  },
  pm: {
    args: 3,
    parse: ([o, v, after]) => (all(id(o), id(v), id(after, 0)) ? { type: 'pickMaster', orderId: id(o)!, version: id(v)!, afterId: id(after, 0)! } : null),
  },
  as: { args: 3, parse: ([o, v, m]) => (all(id(o), id(v), id(m)) ? { type: 'assign', orderId: id(o)!, version: id(v)!, masterId: id(m)! } : null) },
  ml: { args: 1, parse: ([after]) => (id(after, 0) === null ? null : { type: 'masters', afterId: id(after, 0)! }) },
  mc: { args: 1, parse: ([m]) => (id(m) ? { type: 'masterCard', masterId: id(m)! } : null) },
  mf: {
    args: 2,
    parse: ([f, m]) => {
      const flag = fromMap(MASTER_FLAGS, f);
      return all(flag, id(m)) ? { type: 'masterFlag', flag: flag!, masterId: id(m)! } : null;
    },
  },
  ma: { args: 0, parse: () => ({ type: 'addMaster' }) },
  mn: { args: 1, parse: ([t]) => (id(t) ? { type: 'addMasterFor', telegramId: id(t)! } : null) },
  mo: { args: 1, parse: ([m]) => (id(m) ? { type: 'masterOff', masterId: id(m)! } : null) },
  em: {
    args: 2,
    parse: ([f, m]) => {
      const field = fromMap(MASTER_FIELDS, f);
      return all(field, id(m)) ? { type: 'editMaster', field: field!, masterId: id(m)! } : null;
    },
  },
  lk: { args: 1, parse: ([t]) => (t === 'd' ? { type: 'linkGroup', target: 'dispatchers' } : id(t) ? { type: 'linkGroup', target: id(t)! } : null) },
  // Master 0 is the dispatchers' group.
  wc: { args: 1, parse: ([m]) => (id(m, 0) === null ? null : { type: 'workChat', masterId: id(m, 0)! }) },
  wu: { args: 1, parse: ([m]) => (id(m, 0) === null ? null : { type: 'unlinkGroup', masterId: id(m, 0)! }) },
  md: {
    args: [1, 2],
    parse: ([o, stage]) => {
      if (!id(o) || (stage !== undefined && !(ATTACHMENT_STAGES as readonly string[]).includes(stage))) return null;
      return { type: 'media', orderId: id(o)!, stage: (stage as AttachmentStage | undefined) ?? null };
    },
  },
  ab: { args: 1, parse: ([o]) => (id(o) ? { type: 'album', orderId: id(o)! } : null) },
  ul: { args: 1, parse: ([after]) => (id(after, 0) === null ? null : { type: 'users', afterId: id(after, 0)! }) },
  uc: { args: 1, parse: ([t]) => (id(t) ? { type: 'userCard', telegramId: id(t)! } : null) },
  ur: { args: 2, parse: ([t, mask]) => roleButton('userRoles', t, mask) },
  ux: { args: 2, parse: ([t, mask]) => roleButton('userRolesAsk', t, mask) },
  ok: {
    args: 4,
    parse: ([a, o, v, y]) => {
      const action = fromMap(ORDER_ACTIONS, a);
      if ((action !== 'close' && action !== 'unassign') || !all(id(o), id(v), yesNo(y))) return null;
      return { type: 'sure', action, orderId: id(o)!, version: id(v)!, yes: yesNo(y)! };
    },
  },
  pk: { args: 1, parse: ([v]) => (/^[a-z][a-z0-9_]{0,39}$/.test(v!) ? { type: 'pick', value: v! } : null) },
  rp: { args: 1, parse: ([p]) => (fromMap(PERIODS, p) ? { type: 'report', period: fromMap(PERIODS, p)! } : null) },
  rx: {
    args: 2,
    parse: ([f, t]) => (all(seconds36(f), seconds36(t)) ? { type: 'reportFile', from: seconds36(f)!, to: seconds36(t)! } : null),
  },
  wb: {
    args: [1, 3],
    parse: ([k, f, t]) => {
      const kind = fromMap(WORKBOOKS, k);
      if (!kind) return null;
      if (f === undefined) return { type: 'workbook', kind, from: null, to: null };
      return all(seconds36(f), seconds36(t)) ? { type: 'workbook', kind, from: seconds36(f)!, to: seconds36(t)! } : null;
    },
  },
  rl: { args: 0, parse: () => ({ type: 'rules' }) },
  re: {
    args: [0, 1],
    parse: ([code]) => (code === undefined ? { type: 'ruleEdit', code: null } : isTypeCode(code) ? { type: 'ruleEdit', code } : null),
  },
  rq: { args: 0, parse: () => ({ type: 'ruleFeeEdit' }) },
  ow: { args: 0, parse: () => ({ type: 'owed' }) },
  om: { args: 1, parse: ([m]) => (id(m) ? { type: 'owedMaster', masterId: id(m)! } : null) },
  st: { args: 2, parse: ([m, o]) => (all(id(m), id(o)) ? { type: 'settle', masterId: id(m)!, upToOrderId: id(o)! } : null) },
  ct: { args: 0, parse: () => ({ type: 'catalog' }) },
  ca: { args: 0, parse: () => ({ type: 'catalogAdd' }) },
  ck: { args: 1, parse: ([code]) => (isTypeCode(code) ? { type: 'catalogType', code: code! } : null) },
  ce: {
    args: 2,
    parse: ([e, code]) => {
      const edit = fromMap(CATALOG_EDITS, e);
      return edit && isTypeCode(code) ? { type: 'catalogEdit', edit, code: code! } : null;
    },
  },
};

function isTypeCode(code: string | undefined): boolean {
  return code !== undefined && /^[a-z][a-z0-9_]{1,39}$/.test(code);
}

/** Parses button data; null for anything this bot did not draw. */
export function parseCallbackData(raw: string | undefined): CallbackData | null {
  if (typeof raw !== 'string' || raw.length > 64) return null;
  const [code, ...args] = raw.split(':');
  const p = code !== undefined && Object.hasOwn(PARSERS, code) ? PARSERS[code]! : null;
  if (!p) return null;
  const [min, max] = typeof p.args === 'number' ? [p.args, p.args] : p.args;
  if (args.length < min || args.length > max) return null;
  return p.parse(args);
}

/**
 * List cursors are the API's opaque cursors, repacked to fit a button:
 * created_at in microseconds and the id, both base 36.
 */
export function packCursor(cursor: string): string {
  const key = decodeCursor(cursor);
  const [whole, frac = ''] = key.createdAt.replace('Z', '').split('.');
  const micros = BigInt(Date.parse(`${whole}Z`)) * 1000n + BigInt(frac.padEnd(6, '0'));
  return `${micros.toString(36)}.${key.id.toString(36)}`;
}

export function unpackCursor(packed: string): string | null {
  const m = /^([0-9a-z]{1,13})\.([0-9a-z]{1,11})$/.exec(packed);
  if (!m) return null;
  const micros = [...m[1]!].reduce((acc, ch) => acc * 36n + BigInt(parseInt(ch, 36)), 0n);
  const id = parseInt(m[2]!, 36);
  const ms = Number(micros / 1000000n) * 1000;
  if (!Number.isSafeInteger(id) || id < 1 || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return null;
  const createdAt = `${new Date(ms).toISOString().slice(0, 19)}.${(micros % 1000000n).toString().padStart(6, '0')}Z`;
  return encodeCursor({ createdAt, id });
}
