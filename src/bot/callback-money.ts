import { all, fromMap, id, instant, isTypeCode, keyOf, seconds36, type Encoders, type Parsers } from './callback-codec.ts';

/** Reports and money buttons: periods, report files and workbooks, commission rules, what masters owe and its settlement. */
const PERIODS = { d: 'day', w: 'week', m: 'month', c: 'custom' } as const;
const WORKBOOKS = { s: 'settlement', a: 'active', m: 'masters', o: 'mine' } as const;

export type MoneyCallback =
  | { type: 'report'; period: (typeof PERIODS)[keyof typeof PERIODS] }
  | { type: 'reportFile'; from: string; to: string }
  | { type: 'workbook'; kind: (typeof WORKBOOKS)[keyof typeof WORKBOOKS]; from: string | null; to: string | null }
  | { type: 'rules' }
  | { type: 'ruleEdit'; code: string | null }
  /** The refusal-fee rule (one, no equipment type). */
  | { type: 'ruleFeeEdit' }
  | { type: 'owed' }
  | { type: 'owedMaster'; masterId: number }
  | { type: 'settle'; masterId: number; upToOrderId: number };

export const MONEY_ENCODERS: Encoders<MoneyCallback> = {
  report: (d) => `rp:${keyOf(PERIODS, d.period)}`,
  reportFile: (d) => `rx:${instant(d.from)}:${instant(d.to)}`,
  workbook: (d) => (d.from && d.to ? `wb:${keyOf(WORKBOOKS, d.kind)}:${instant(d.from)}:${instant(d.to)}` : `wb:${keyOf(WORKBOOKS, d.kind)}`),
  rules: () => 'rl',
  ruleEdit: (d) => (d.code ? `re:${d.code}` : 're'),
  ruleFeeEdit: () => 'rq',
  owed: () => 'ow',
  owedMaster: (d) => `om:${d.masterId}`,
  settle: (d) => `st:${d.masterId}:${d.upToOrderId}`,
};

export const MONEY_PARSERS: Parsers<MoneyCallback> = {
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
};
