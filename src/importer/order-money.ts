import { fromKopecks, splitMoney, type CommissionRules } from '../orders/money.ts';
import type { NoteReason } from './clean-text.ts';
import { parseAmount } from './legacy-money.ts';

export interface LegacyMoney {
  total: unknown;
  materials: unknown;
  master: unknown;
  company: unknown;
  prepayment: unknown;
  hasReview: boolean;
  outOfCity: boolean;
}

export interface OrderMoney {
  total: string | null;
  materials: string | null;
  masterProfit: string | null;
  companyProfit: string | null;
  prepayment: string | null;
}

function kopecks(raw: unknown, field: string, note: NoteReason): bigint | null {
  const amount = parseAmount(raw);
  if (amount === null) return null;
  if ('invalid' in amount) {
    note(`${field}: not a usable amount, treated as missing`);
    return null;
  }
  return amount.kopecks;
}

/** Both shares by the commission rules, as the product would have split them. */
function computedShares(net: bigint, raw: LegacyMoney, rules: CommissionRules): [bigint, bigint] {
  const split = splitMoney({ total: fromKopecks(net), materials: '0.00', hasReview: raw.hasReview, outOfCity: raw.outOfCity }, rules);
  const master = BigInt(split.masterShare.replace('.', ''));
  return [master, net - master];
}

/**
 * The order's amounts as the schema accepts them: all four or none, none
 * unless the order is completed or closed, materials within total, shares
 * adding up to total - materials. Every repair is noted.
 */
export function reconcileMoney(raw: LegacyMoney, carriesMoney: boolean, rules: CommissionRules, note: NoteReason): OrderMoney {
  const prepayment = kopecks(raw.prepayment, 'prepayment_amount', note);
  const none = { total: null, materials: null, masterProfit: null, companyProfit: null, prepayment: prepayment === null ? null : fromKopecks(prepayment) };
  let total = kopecks(raw.total, 'total_amount', note);
  let materials = kopecks(raw.materials, 'materials_cost', note);
  let master = kopecks(raw.master, 'master_profit', note);
  let company = kopecks(raw.company, 'company_profit', note);
  if (!carriesMoney) {
    if ([total, materials, master, company].some((v) => v !== null)) note('amounts dropped: the order is not completed');
    return none;
  }
  if (total === null && master !== null && company !== null) {
    total = (materials ?? 0n) + master + company;
    note('total_amount missing: rebuilt from materials and shares');
  } else if (total === null) {
    note('closed without amounts: recorded as 0.00');
    [total, materials, master, company] = [0n, 0n, 0n, 0n];
  }
  if (materials === null) {
    note('materials_cost missing: 0.00');
    materials = 0n;
  }
  if (materials > total) {
    note('materials_cost above total_amount: capped at the total');
    materials = total;
  }
  const net = total - materials;
  if (master !== null && company !== null && master + company !== net) {
    const diff = net - master - company;
    if ((diff === 1n || diff === -1n) && company + diff >= 0n) {
      note('shares off by a kopeck: company share corrected');
      company += diff;
    } else {
      note('shares do not add up to total - materials: company share recomputed');
      company = null;
    }
  }
  if (master !== null && master > net) {
    note('master share above total - materials: shares recomputed by the commission rules');
    master = null;
    company = null;
  }
  if (master === null && company !== null && company <= net) {
    note('master_profit missing: total - materials - company share');
    master = net - company;
  } else if (master === null) {
    if (company !== null) note('company share above total - materials: shares recomputed by the commission rules');
    else note('shares missing: computed by the commission rules');
    [master, company] = computedShares(net, raw, rules);
  } else if (company === null) {
    if (raw.company === null || raw.company === undefined) note('company_profit missing: total - materials - master share');
    company = net - master;
  }
  return {
    total: fromKopecks(total),
    materials: fromKopecks(materials),
    masterProfit: fromKopecks(master),
    companyProfit: fromKopecks(company),
    prepayment: none.prepayment,
  };
}
