/**
 * Money as exact kopecks (bigint): no float ever touches an amount.
 * Amounts travel as decimal strings ("1234.50") like NUMERIC(12,2).
 */
const AMOUNT = /^(\d{1,10})(?:\.(\d{1,2}))?$/;
export const MAX_AMOUNT = '9999999999.99';

export function isAmount(text: string): boolean {
  return AMOUNT.test(text);
}

/** Any decimal with at most 2 places (sums from SQL may exceed one amount's range). */
const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

export function toKopecks(amount: string): bigint {
  const m = DECIMAL.exec(amount);
  if (!m) throw new RangeError(`not a money amount: ${amount}`);
  const k = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -k : k;
}

export function fromKopecks(k: bigint): string {
  const sign = k < 0n ? '-' : '';
  const abs = k < 0n ? -k : k;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

export interface CommissionRules {
  /** Net amount from which the high rate applies. */
  threshold: string;
  /** Percent below the threshold. */
  rateLow: number;
  /** Percent at or above the threshold. */
  rateHigh: number;
  /** Points added when the client left a review. */
  reviewBonus: number;
  /** Points added for a job out of the city. */
  outOfCityBonus: number;
  /** The lowest base rate (before bonuses): a senior master's floor, 0 for others. */
  floor?: number;
}

export const DEFAULT_COMMISSION: CommissionRules = { threshold: '7000', rateLow: 40, rateHigh: 50, reviewBonus: 10, outOfCityBonus: 10 };

export interface SplitInput {
  total: string;
  materials: string;
  hasReview: boolean;
  outOfCity: boolean;
}

export interface Split {
  total: string;
  materials: string;
  net: string;
  /** Master's rate in percent. */
  ratePercent: number;
  masterShare: string;
  companyShare: string;
}

export class MoneyError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'MoneyError';
    this.field = field;
  }
}

/**
 * net = total - materials; master share = net x rate, rounded half up to a
 * kopeck; company share = net - master share, so the parts always add up.
 */
export function splitMoney(input: SplitInput, rules: CommissionRules = DEFAULT_COMMISSION): Split {
  if (!isAmount(input.total)) throw new MoneyError('total_amount', 'must be a non-negative amount with at most 2 decimals');
  if (!isAmount(input.materials)) throw new MoneyError('materials_cost', 'must be a non-negative amount with at most 2 decimals');
  const total = toKopecks(input.total);
  const materials = toKopecks(input.materials);
  if (materials > total) throw new MoneyError('materials_cost', 'must not exceed total_amount');
  const net = total - materials;
  const base = Math.max(net >= toKopecks(rules.threshold) ? rules.rateHigh : rules.rateLow, rules.floor ?? 0);
  const rate = Math.min(100, base + (input.hasReview ? rules.reviewBonus : 0) + (input.outOfCity ? rules.outOfCityBonus : 0));
  // Half up: add half of the divisor before the integer division (all values are >= 0).
  const master = (net * BigInt(rate) + 50n) / 100n;
  return {
    total: fromKopecks(total),
    materials: fromKopecks(materials),
    net: fromKopecks(net),
    ratePercent: rate,
    masterShare: fromKopecks(master),
    companyShare: fromKopecks(net - master),
  };
}
