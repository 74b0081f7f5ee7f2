/** Number formats for every table: thousands separators, 2 decimals for money, a sign on P&L and on percentages. */

const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signedMoneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** 1234.5 -> "1,234.50"; null -> "–". */
export const money = (v: number | null | undefined): string => (v == null ? '–' : moneyFormat.format(v));
/** -12.3 -> "-12.30", 5 -> "+5.00". */
export const signedMoney = (v: number): string => signedMoneyFormat.format(v);
/** 12000 -> "12,000". */
export const count = (v: number): string => countFormat.format(v);
/** An ISO time -> the local time of day (and date when not today). */
export function when(iso: string): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

const pctFormat = new Intl.NumberFormat('en-US', {
  style: 'percent',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
});
/** A fraction as a signed percentage: 0.0123 -> "+1.23%", -0.5 -> "-50.00%"; null -> "–". */
export const pct = (v: number | null | undefined): string => (v == null ? '–' : pctFormat.format(v));
