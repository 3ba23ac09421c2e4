import { USER_ROLES, type UserRole } from '../db/enums.ts';
import { all, fromMap, id, isTypeCode, keyOf, type Encoders, type Parsers } from './callback-codec.ts';

/** The admins' buttons: masters, work groups, users and their roles, the equipment catalog. */
const MASTER_FLAGS = { ap: 'approve', ac: 'activate', de: 'deactivate' } as const;
const MASTER_FIELDS = { n: 'name', p: 'phone', s: 'specialization' } as const;
const CATALOG_EDITS = { u: 'up', t: 'toggle', r: 'rename' } as const;

export type AdminCallback =
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
  | { type: 'catalog' }
  | { type: 'catalogAdd' }
  | { type: 'catalogType'; code: string }
  | { type: 'catalogEdit'; edit: (typeof CATALOG_EDITS)[keyof typeof CATALOG_EDITS]; code: string };

const roleMask = (roles: readonly UserRole[]): number => USER_ROLES.reduce((m, r, i) => (roles.includes(r) ? m | (1 << i) : m), 0);

export const ADMIN_ENCODERS: Encoders<AdminCallback> = {
  masters: (d) => `ml:${d.afterId}`,
  masterCard: (d) => `mc:${d.masterId}`,
  masterFlag: (d) => `mf:${keyOf(MASTER_FLAGS, d.flag)}:${d.masterId}`,
  addMaster: () => 'ma',
  addMasterFor: (d) => `mn:${d.telegramId}`,
  masterOff: (d) => `mo:${d.masterId}`,
  editMaster: (d) => `em:${keyOf(MASTER_FIELDS, d.field)}:${d.masterId}`,
  linkGroup: (d) => `lk:${d.target === 'dispatchers' ? 'd' : d.target}`,
  workChat: (d) => `wc:${d.masterId}`,
  unlinkGroup: (d) => `wu:${d.masterId}`,
  users: (d) => `ul:${d.afterId}`,
  userCard: (d) => `uc:${d.telegramId}`,
  userRoles: (d) => `ur:${d.telegramId}:${roleMask(d.roles)}`,
  userRolesAsk: (d) => `ux:${d.telegramId}:${roleMask(d.roles)}`,
  catalog: () => 'ct',
  catalogAdd: () => 'ca',
  catalogType: (d) => `ck:${d.code}`,
  catalogEdit: (d) => `ce:${keyOf(CATALOG_EDITS, d.edit)}:${d.code}`,
};

function roleButton(type: 'userRoles' | 'userRolesAsk', t: string | undefined, mask: string | undefined): AdminCallback | null {
  const bits = id(mask, 0);
  if (id(t) === null || bits === null || bits >= 1 << USER_ROLES.length) return null;
  return { type, telegramId: id(t)!, roles: USER_ROLES.filter((_r, i) => bits & (1 << i)) };
}

export const ADMIN_PARSERS: Parsers<AdminCallback> = {
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
  ul: { args: 1, parse: ([after]) => (id(after, 0) === null ? null : { type: 'users', afterId: id(after, 0)! }) },
  uc: { args: 1, parse: ([t]) => (id(t) ? { type: 'userCard', telegramId: id(t)! } : null) },
  ur: { args: 2, parse: ([t, mask]) => roleButton('userRoles', t, mask) },
  ux: { args: 2, parse: ([t, mask]) => roleButton('userRolesAsk', t, mask) },
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
