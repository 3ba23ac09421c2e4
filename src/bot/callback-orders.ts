import { ATTACHMENT_STAGES, type AttachmentStage } from '../attachments/attachments-service.ts';
import { ORDER_STATUSES, type OrderStatus } from '../db/enums.ts';
import { decodeCursor, encodeCursor } from '../orders/cursor.ts';
import { STATUS_SETS } from '../orders/order-statuses.ts';
import { all, fromMap, id, keyOf, yesNo, type Encoders, type Parsers } from './callback-codec.ts';

/**
 * Order buttons: lists, cards, actions, assigning, media. Action buttons
 * carry the order version they were drawn for, so a double click or an old
 * button acts at most once.
 */
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

export type OrderCallback =
  | { type: 'list'; filter: ListFilterCode; cursor: string | null }
  | { type: 'card'; orderId: number }
  | { type: 'order'; action: OrderAction; orderId: number; version: number }
  /** The answer to "are you sure?" before a final or destructive order action. */
  | { type: 'sure'; action: 'close' | 'unassign'; orderId: number; version: number; yes: boolean }
  | { type: 'pickMaster'; orderId: number; version: number; afterId: number }
  | { type: 'assign'; orderId: number; version: number; masterId: number }
  | { type: 'media'; orderId: number; stage: AttachmentStage | null }
  /** The order's photos and documents sent back as albums (the card's button). */
  | { type: 'album'; orderId: number };

export const ORDER_ENCODERS: Encoders<OrderCallback> = {
  list: (d) => (d.cursor ? `ls:${d.filter}:${packCursor(d.cursor)}` : `ls:${d.filter}`),
  card: (d) => `oc:${d.orderId}`,
  order: (d) => `oa:${keyOf(ORDER_ACTIONS, d.action)}:${d.orderId}:${d.version}`,
  sure: (d) => `ok:${keyOf(ORDER_ACTIONS, d.action)}:${d.orderId}:${d.version}:${d.yes ? 'y' : 'n'}`,
  pickMaster: (d) => `pm:${d.orderId}:${d.version}:${d.afterId}`,
  assign: (d) => `as:${d.orderId}:${d.version}:${d.masterId}`,
  media: (d) => (d.stage ? `md:${d.orderId}:${d.stage}` : `md:${d.orderId}`),
  album: (d) => `ab:${d.orderId}`,
};

export const ORDER_PARSERS: Parsers<OrderCallback> = {
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
  ok: {
    args: 4,
    parse: ([a, o, v, y]) => {
      const action = fromMap(ORDER_ACTIONS, a);
      if ((action !== 'close' && action !== 'unassign') || !all(id(o), id(v), yesNo(y))) return null;
      return { type: 'sure', action, orderId: id(o)!, version: id(v)!, yes: yesNo(y)! };
    },
  },
  pm: {
    args: 3,
    parse: ([o, v, after]) => (all(id(o), id(v), id(after, 0)) ? { type: 'pickMaster', orderId: id(o)!, version: id(v)!, afterId: id(after, 0)! } : null),
  },
  as: { args: 3, parse: ([o, v, m]) => (all(id(o), id(v), id(m)) ? { type: 'assign', orderId: id(o)!, version: id(v)!, masterId: id(m)! } : null) },
  md: {
    args: [1, 2],
    parse: ([o, stage]) => {
      if (!id(o) || (stage !== undefined && !(ATTACHMENT_STAGES as readonly string[]).includes(stage))) return null;
      return { type: 'media', orderId: id(o)!, stage: (stage as AttachmentStage | undefined) ?? null };
    },
  },
  ab: { args: 1, parse: ([o]) => (id(o) ? { type: 'album', orderId: id(o)! } : null) },
};

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
