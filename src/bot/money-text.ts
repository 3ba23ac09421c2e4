/**
 * Money as people read it in a message: "12 400,00 ₽" in Russian,
 * "12,400.00 ₽" in English. Amounts arrive as decimal strings; no float.
 */
export function rubles(amount: string, language: 'ru' | 'en'): string {
  const negative = amount.startsWith('-');
  const [whole = '0', frac = '00'] = (negative ? amount.slice(1) : amount).split('.');
  const groups = whole.replace(/\B(?=(\d{3})+(?!\d))/g, language === 'ru' ? ' ' : ',');
  return `${negative ? '−' : ''}${groups}${language === 'ru' ? ',' : '.'}${frac.padEnd(2, '0')} ₽`;
}
