/**
 * Exact decimals for money and rates (decimal.js, never floats), with the SAT's half-up rounding.
 */
import Decimal from 'decimal.js';

/** A private Decimal with enough precision and the SAT's half-up rounding (global config untouched). */
export const Dec = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export function dec(value: string | number | Decimal): Decimal {
  return new Dec(typeof value === 'number' ? String(value) : value);
}

/**
 * Whether an amount the input schema already checked (an unsigned decimal string without exponent, or a
 * non-negative number) is above zero: it is iff it has a non-zero digit, so no Decimal need be built.
 */
export const positivo = (v: string | number): boolean => (typeof v === 'number' ? v > 0 : /[1-9]/.test(v));

/** Half-up rounding to `decimales` places. */
export function redondear(value: Decimal, decimales: number): Decimal {
  return value.toDecimalPlaces(decimales, Decimal.ROUND_HALF_UP);
}

/** Prints with exactly `decimales` places (the value is rounded half-up first if it has more). */
export function formatear(value: Decimal, decimales: number): string {
  return value.toFixed(decimales, Decimal.ROUND_HALF_UP);
}

/** TasaOCuota is always printed with 6 decimals. */
export function formatearTasa(value: string | number | Decimal): string {
  return formatear(dec(value), 6);
}
