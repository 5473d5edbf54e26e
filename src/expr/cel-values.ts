import { Optional } from '@marcbachmann/cel-js';
import { UnsignedInt } from '@marcbachmann/cel-js/evaluator';

/**
 * Conversions at the boundary between JavaScript values and CEL values.
 *
 * cel-js represents CEL `int` as `bigint` and refuses a JS `number` where an `int` is declared (`tier <= 1`
 * would fail with "got 'double'"), and `dyn<double> + int` has no overload. So every integral JS number
 * entering CEL becomes a `bigint`; non-integral numbers stay `double`. Coming back out, a `bigint` becomes
 * a `number` when it is a safe integer (the common case: counts, tiers, versions' parts) and a decimal
 * string otherwise, so nothing is silently rounded; CEL maps (JS `Map`) become plain objects.
 */

/** Deeply converts a JS value for use as a CEL variable or field. */
export function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (value instanceof Map) {
    const converted = new Map<unknown, unknown>();
    for (const [key, item] of value) converted.set(key, toCel(item));
    return converted;
  }
  if (isPlainObject(value)) {
    const converted: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) converted[key] = toCel(item);
    return converted;
  }
  return value;
}

/** Deeply converts a CEL result back to plain JSON-like JS values. */
export function fromCel(value: unknown): unknown {
  if (typeof value === 'bigint') {
    const asNumber = Number(value);
    return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
  }
  if (Array.isArray(value)) return value.map(fromCel);
  if (value instanceof Map) {
    const converted: Record<string, unknown> = {};
    for (const [key, item] of value) converted[String(key)] = fromCel(item);
    return converted;
  }
  if (isPlainObject(value)) {
    const converted: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) converted[key] = fromCel(item);
    return converted;
  }
  if (value instanceof UnsignedInt) return fromCel(value.valueOf());
  if (value instanceof Optional) return value.hasValue() ? fromCel(value.value()) : undefined;
  return value;
}

/** A short description of a value's kind for error messages: `string "abc"`, `int 3`, `list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'bigint') return `int ${value}`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'boolean') return `bool ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map || typeof value === 'object') return 'a map';
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
