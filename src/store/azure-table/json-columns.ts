/**
 * JSON values in table entities. A string property holds at most 64 KiB (32K UTF-16 code units), so a long value is
 * split over `json0..jsonN` with `jsonParts` = N+1. An entity holds at most 1 MiB in all, which bounds a value at
 * about 450K characters; larger values are refused with a clear error instead of a service 400.
 */
const PART = 30_000;
export const MAX_JSON_CHARS = 450_000;

export class ValueTooLargeError extends Error {
  readonly code = 'ValueTooLarge';
}

export function toJsonColumns(value: unknown, what: string, prefix = 'json'): Record<string, string | number> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what}: the value is not JSON-serialisable`);
  if (text.length > MAX_JSON_CHARS) {
    throw new ValueTooLargeError(
      `${what} is ${text.length} characters of JSON; Azure Table Storage holds at most ${MAX_JSON_CHARS} per value`,
    );
  }
  const cols: Record<string, string | number> = {};
  let n = 0;
  for (let i = 0; i < text.length || n === 0; i += PART) cols[`${prefix}${n++}`] = text.slice(i, i + PART);
  cols[`${prefix}Parts`] = n;
  return cols;
}

export function fromJsonColumns<T>(entity: Record<string, unknown>, prefix = 'json'): T | undefined {
  const n = Number(entity[`${prefix}Parts`]);
  if (!Number.isInteger(n) || n < 1) return undefined;
  let text = '';
  for (let i = 0; i < n; i++) text += String(entity[`${prefix}${i}`] ?? '');
  return JSON.parse(text) as T;
}
