/**
 * Numbers for one-line reasons and tables: short enough to read, exact enough to check by hand.
 * Four significant digits; integers as they are; NaN and null as "n/a".
 */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e9)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** `[lo, hi]` with {@link formatNumber}. */
export function formatInterval(interval: readonly [number, number] | null): string {
  if (!interval) return 'n/a';
  return `[${formatNumber(interval[0])}, ${formatNumber(interval[1])}]`;
}
