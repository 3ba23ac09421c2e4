import { describe, expect, it } from 'vitest';
import { fromKopecks, splitMoney, toKopecks, MoneyError } from '../../src/orders/money.ts';

const split = (total: string, materials: string, hasReview = false, outOfCity = false) => splitMoney({ total, materials, hasReview, outOfCity });

function addsUp(s: ReturnType<typeof split>): boolean {
  return toKopecks(s.masterShare) + toKopecks(s.companyShare) === toKopecks(s.net) && toKopecks(s.net) === toKopecks(s.total) - toKopecks(s.materials);
}

describe('money split', () => {
  it('uses 40% just below the 7000 threshold and 50% at it', () => {
    // Action
    const below = split('7999.99', '1000.00'); // net 6999.99
    const at = split('8000.00', '1000.00'); // net 7000.00
    // Assertions
    expect(below).toMatchObject({ net: '6999.99', ratePercent: 40, masterShare: '2800.00', companyShare: '4199.99' });
    expect(at).toMatchObject({ net: '7000.00', ratePercent: 50, masterShare: '3500.00', companyShare: '3500.00' });
    expect(addsUp(below) && addsUp(at)).toBe(true);
  });

  it('adds 10 points for a review and 10 for out of city', () => {
    expect(split('1000', '0', true, false)).toMatchObject({ ratePercent: 50, masterShare: '500.00', companyShare: '500.00' });
    expect(split('1000', '0', false, true)).toMatchObject({ ratePercent: 50, masterShare: '500.00' });
    expect(split('1000', '0', true, true)).toMatchObject({ ratePercent: 60, masterShare: '600.00', companyShare: '400.00' });
    expect(split('7000', '0', true, true)).toMatchObject({ ratePercent: 70, masterShare: '4900.00', companyShare: '2100.00' });
  });

  it('rounds the master share half up to a kopeck and the parts still add up', () => {
    // 0.05 x 50% = 0.025 -> 0.03 (half up); company gets the rest.
    const s = split('7000.05', '0');
    expect(s).toMatchObject({ net: '7000.05', masterShare: '3500.03', companyShare: '3500.02' });
    // 0.01 x 40% = 0.004 -> 0.00
    expect(split('0.01', '0')).toMatchObject({ masterShare: '0.00', companyShare: '0.01' });
    for (const total of ['0.01', '0.03', '1.11', '999.99', '6999.99', '7000.01', '12345.67', '9999999999.99']) {
      for (const review of [false, true]) {
        for (const away of [false, true]) expect(addsUp(split(total, '0.00', review, away))).toBe(true);
      }
    }
  });

  it('handles zero and equal amounts', () => {
    expect(split('0', '0')).toMatchObject({ net: '0.00', masterShare: '0.00', companyShare: '0.00' });
    expect(split('500.50', '500.50')).toMatchObject({ net: '0.00', masterShare: '0.00', companyShare: '0.00' });
  });

  it('rejects materials above the total, naming the field', () => {
    expect(() => split('100.00', '100.01')).toThrow(MoneyError);
    try {
      split('100.00', '100.01');
    } catch (err) {
      expect((err as MoneyError).field).toBe('materials_cost');
    }
  });

  it('rejects malformed amounts', () => {
    for (const bad of ['-1', '1.234', '1e3', 'abc', '', ' 1', '12345678901', 'NaN', '1,5']) {
      expect(() => split(bad, '0'), bad).toThrow(MoneyError);
    }
  });

  it('converts kopecks both ways exactly', () => {
    expect(toKopecks('1234.5')).toBe(123450n);
    expect(toKopecks('0.07')).toBe(7n);
    expect(fromKopecks(123456789012n)).toBe('1234567890.12');
    expect(fromKopecks(-5n)).toBe('-0.05');
  });
});
