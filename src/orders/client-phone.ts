import { normalizePhone, phoneSchema } from '../input.ts';

/**
 * Client phones in one form, so a returning client is found whatever way
 * the number was typed: Russian numbers as +7XXXXXXXXXX (8 916..., 7 916...,
 * +7 916..., or ten digits of a Russian area code), anything else as its
 * digits with the + it was given. Migration 0042 put the stored rows in
 * this form.
 */
export function canonicalClientPhone(raw: string): string {
  const normalized = normalizePhone(raw);
  const digits = normalized.replace(/^\+/, '');
  const plus = normalized.startsWith('+');
  if (digits.length === 11 && (digits.startsWith('7') || (!plus && digits.startsWith('8')))) return `+7${digits.slice(1)}`;
  if (!plus && digits.length === 10 && /^[3489]/.test(digits)) return `+7${digits}`;
  return normalized;
}

export const clientPhoneSchema = phoneSchema.transform(canonicalClientPhone);
