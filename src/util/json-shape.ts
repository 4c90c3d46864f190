/**
 * Checks that JSON read back from the server's own files (model.json, checkpoint headers, labels.json) has the shape
 * the code relies on, instead of casting it: a file that is damaged, or was written by another version, is refused
 * with the path of its first bad field rather than half used. Hand-written (a few combinators) so the main thread
 * pulls in no schema library for three small documents.
 */
import { CorruptDataError } from '../errors/errors.js';

/** Returns the value typed, or throws ShapeMismatch naming `at` (a JSON path such as `config.tasks[2].name`). */
export type Shape<T> = (value: unknown, at: string) => T;

class ShapeMismatch extends Error {}

function fail(at: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new ShapeMismatch(`${at || 'the document'} must be ${expected}, not ${got}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const string: Shape<string> = (v, at) => (typeof v === 'string' ? v : fail(at, 'a string', v));

export const number: Shape<number> = (v, at) => (typeof v === 'number' ? v : fail(at, 'a number', v));

export const integer: Shape<number> = (v, at) => (Number.isInteger(v) ? (v as number) : fail(at, 'an integer', v));

/** A number that may have been NaN or infinite when written: JSON.stringify wrote it as null, read back as NaN. */
export const measurement: Shape<number> = (v, at) => (v === null ? Number.NaN : number(v, at));

export function oneOf<T extends string>(values: readonly T[]): Shape<T> {
  return (v, at) => (values.includes(v as T) ? (v as T) : fail(at, `one of ${values.join(', ')}`, v));
}

export function arrayOf<T>(item: Shape<T>): Shape<T[]> {
  return (v, at) => (Array.isArray(v) ? v.map((x, i) => item(x, `${at}[${i}]`)) : fail(at, 'an array', v));
}

export function recordOf<T>(item: Shape<T>): Shape<Record<string, T>> {
  return (v, at) => {
    if (!isObject(v)) fail(at, 'an object', v);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, item(x, `${at}.${k}`)]));
  };
}

export function nullable<T>(item: Shape<T>): Shape<T | null> {
  return (v, at) => (v === null ? null : item(v, at));
}

type Fields = Record<string, Shape<unknown>>;
type Parsed<F extends Fields> = { [K in keyof F]: F[K] extends Shape<infer T> ? T : never };

/**
 * An object with the `required` fields and, when present, the `optional` ones; other keys are dropped, so what comes
 * out is exactly what the type says.
 */
export function object<R extends Fields, O extends Fields = Record<never, Shape<unknown>>>(
  required: R,
  optional?: O,
): Shape<Parsed<R> & Partial<Parsed<O>>> {
  return (v, at) => {
    if (!isObject(v)) fail(at, 'an object', v);
    const out: Record<string, unknown> = {};
    const path = (k: string): string => (at ? `${at}.${k}` : k);
    for (const [k, shape] of Object.entries(required)) out[k] = shape(v[k], path(k));
    for (const [k, shape] of Object.entries(optional ?? {})) if (v[k] !== undefined) out[k] = shape(v[k], path(k));
    return out as Parsed<R> & Partial<Parsed<O>>;
  };
}

/** Checks `value` against `shape`; a mismatch becomes a CorruptDataError that names `what` (the file). */
export function parseShape<T>(shape: Shape<T>, value: unknown, what: string): T {
  try {
    return shape(value, '');
  } catch (err) {
    if (err instanceof ShapeMismatch) throw new CorruptDataError(`${what}: ${err.message}`);
    throw err;
  }
}

/** JSON.parse for the same documents: text that is not JSON is a CorruptDataError naming `what` too. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CorruptDataError(`${what}: not valid JSON`);
  }
}
