/** Plain-text building blocks shared by the commands: JSON for scripts, aligned tables and numbers for people. */

interface TimestampLike {
  seconds: number | string;
  nanos: number;
}

function isTimestamp(v: unknown): v is TimestampLike {
  if (v === null || typeof v !== 'object') return false;
  const keys = Object.keys(v);
  return keys.length === 2 && keys.includes('seconds') && keys.includes('nanos');
}

export function timestampToIso(t: TimestampLike | null | undefined): string {
  if (!t) return '';
  const ms = Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6);
  return ms === 0 ? '' : new Date(ms).toISOString();
}

/** Timestamps become RFC 3339 strings, as in protobuf's canonical JSON mapping; everything else is kept. */
export function toJsonValue(v: unknown): unknown {
  if (isTimestamp(v)) return timestampToIso(v) || null;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJsonValue(x)]));
  return v;
}

export function printJson(v: unknown): void {
  process.stdout.write(`${JSON.stringify(toJsonValue(v), null, 2)}\n`);
}

export function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return '-';
  return x.toFixed(digits);
}

export function signed(x: number, digits = 3): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
}

export function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
export const visibleWidth = (s: string): number => s.replace(ANSI, '').length;

export function pad(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - visibleWidth(s)));
  return align === 'left' ? s + fill : fill + s;
}

/** Columns whose header ends in ':>' (or whose cells all look numeric) are right-aligned. */
export function renderTable(headers: string[], rows: string[][]): string {
  const right = headers.map((h, i) => h.endsWith(':>') || (rows.length > 0 && rows.every((r) => /^[-+]?[\d.]+%?$|^-$/.test(r[i] ?? ''))));
  const names = headers.map((h) => h.replace(/:>$/, ''));
  const widths = names.map((h, i) => Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, right[i] ? 'right' : 'left'))
      .join('  ')
      .trimEnd();
  return [line(names), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}

/** "key: value" lines with the keys aligned. */
export function renderFields(fields: Array<[string, string]>): string {
  const w = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${pad(`${k}:`, w + 1)} ${v}`).join('\n') + '\n';
}
