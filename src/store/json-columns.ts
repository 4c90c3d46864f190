/**
 * JSON has no NaN or Infinity, and a diverged run reports a NaN loss: `numeric` documents (progress, metrics: numbers
 * only, strings only as keys) spell them as strings, and the readers turn them back. Shared by the SQLite and
 * PostgreSQL stores so both keep the same documents.
 */
const NON_FINITE = new Map<unknown, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
]);

export function toJson(value: unknown, numeric = false): string | null {
  if (value === null || value === undefined) return null;
  if (!numeric) return JSON.stringify(value);
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** Parses text written by toJson. */
export function parseJson<T>(text: string | null, numeric = false): T | null {
  if (text === null) return null;
  if (!numeric) return JSON.parse(text) as T;
  return JSON.parse(text, (_k, v: unknown) => (NON_FINITE.has(v) ? NON_FINITE.get(v) : v)) as T;
}

/** The same for a document the database already parsed (jsonb). */
export function reviveNumbers<T>(value: unknown): T {
  if (typeof value === 'string') return (NON_FINITE.has(value) ? NON_FINITE.get(value) : value) as T;
  if (Array.isArray(value)) return value.map((v) => reviveNumbers(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveNumbers(v)])) as T;
  }
  return value as T;
}
