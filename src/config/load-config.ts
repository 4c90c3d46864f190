/**
 * raw (TAAN_* env, then `taan serve` flags) → merged over DEFAULTS → validated → frozen Config.
 * Pure: it reads only its arguments, so main.ts passes `process.env` / `process.argv` and tests pass literals.
 * Every problem is collected before throwing, so an operator fixes a bad deployment in one round trip
 * (as Fastify's initial-config-validation joins all Ajv messages).
 */
import type { Config } from './config.js';
import { DEFAULTS, SETTINGS, type Setting } from './defaults.js';

/** Thrown by `loadConfig` when any env var or flag is unknown or invalid; `problems` lists each one. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`invalid configuration (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigInput {
  /** Arguments after `taan serve`, e.g. `process.argv.slice(3)`. */
  argv: string[];
  env: Record<string, string | undefined>;
}

interface Raw {
  text: string;
  from: string;
}

type Parsed = { ok: true; value: unknown } | { ok: false; why: string };

const ENV_PREFIX = 'TAAN_';
const byEnv = new Map<string, Setting>(SETTINGS.map((s) => [s.env, s]));
const byFlag = new Map<string, Setting>(SETTINGS.map((s) => [s.flag, s]));

export function loadConfig({ argv, env }: LoadConfigInput): Config {
  const problems: string[] = [];
  const raw = new Map<keyof Config, Raw>();
  readEnv(env, raw, problems);
  // After env, so a flag overwrites the env var of the same setting.
  readFlags(argv, raw, problems);

  const merged: Record<string, unknown> = { ...DEFAULTS };
  const bad = new Set<keyof Config>();
  for (const s of SETTINGS) {
    const r = raw.get(s.key);
    if (r === undefined) continue;
    const parsed = parse(s, r.text);
    if (parsed.ok) {
      merged[s.key] = parsed.value;
    } else {
      bad.add(s.key);
      problems.push(`${names(s)}: ${parsed.why}, got ${JSON.stringify(r.text)} (from ${r.from})`);
    }
  }
  // Only validated keys get here, so the cast holds field by field.
  crossCheck(merged as unknown as Config, bad, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(merged) as unknown as Config;
}

function readEnv(env: LoadConfigInput['env'], raw: Map<keyof Config, Raw>, problems: string[]): void {
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const s = byEnv.get(name);
    if (s === undefined) {
      problems.push(`unknown environment variable ${name}${suggest(name, [...byEnv.keys()])}`);
      continue;
    }
    // Orchestrators often render an unset variable as `NAME=`; treat that as "not given".
    if (value === undefined || value === '') continue;
    raw.set(s.key, { text: value, from: name });
  }
}

function readFlags(argv: readonly string[], raw: Map<keyof Config, Raw>, problems: string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--') || arg === '--') {
      problems.push(`unexpected argument ${JSON.stringify(arg)}: settings are given as --name value or --name=value`);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const next = argv[i + 1];
    const nextIsValue = next !== undefined && !next.startsWith('--');
    const s = byFlag.get(flag);
    if (s === undefined) {
      problems.push(`unknown flag ${flag}${suggest(flag, [...byFlag.keys()])}`);
      // Swallow its value too, so one typo is reported once and not again as a stray argument.
      if (eq === -1 && nextIsValue) i++;
      continue;
    }
    if (eq !== -1) {
      raw.set(s.key, { text: arg.slice(eq + 1), from: flag });
    } else if (s.type === 'bool') {
      // A bare boolean flag never consumes the next argument; `--x=false` turns it off.
      raw.set(s.key, { text: 'true', from: flag });
    } else if (nextIsValue) {
      raw.set(s.key, { text: next, from: flag });
      i++;
    } else {
      problems.push(`${names(s)}: flag ${flag} needs a value (--name value or --name=value)`);
    }
  }
}

const INT = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function parse(s: Setting, text: string): Parsed {
  switch (s.type) {
    case 'int':
    case 'number': {
      const t = text.trim();
      const n = Number(t);
      const isInt = s.type === 'int';
      const okSyntax = isInt ? INT.test(t) && Number.isSafeInteger(n) : NUMBER.test(t) && Number.isFinite(n);
      const inRange = n >= (s.min ?? -Infinity) && n <= (s.max ?? Infinity);
      if (okSyntax && inRange) return { ok: true, value: n };
      return { ok: false, why: `must be ${isInt ? 'an integer' : 'a number'}${rangeText(s)}` };
    }
    case 'string':
      if (text === '' && s.emptyAllowed !== true) return { ok: false, why: 'must not be empty' };
      return { ok: true, value: text };
    case 'bool': {
      const t = text.trim().toLowerCase();
      if (TRUE.has(t)) return { ok: true, value: true };
      if (FALSE.has(t)) return { ok: true, value: false };
      return { ok: false, why: 'must be true or false' };
    }
    case 'list': {
      // ':' as in PATH; empty segments ("a::b", a trailing ':') are dropped rather than meaning ".".
      const items = text
        .split(':')
        .map((x) => x.trim())
        .filter((x) => x !== '');
      return { ok: true, value: Object.freeze([...new Set(items)]) };
    }
    case 'enum': {
      const t = text.trim().toLowerCase();
      if (s.values?.includes(t) === true) return { ok: true, value: t };
      return { ok: false, why: `must be one of ${(s.values ?? []).join(', ')}` };
    }
  }
}

function rangeText(s: Setting): string {
  if (s.min === undefined || s.max === undefined) return '';
  const portHint = s.max === 65_535 && s.min === 0 ? ' (0 picks a free port)' : '';
  return ` in ${s.min}..${s.max}${portHint}`;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

/** Rules that span two settings; skipped for a setting already reported as unparseable. */
function crossCheck(c: Config, bad: ReadonlySet<keyof Config>, problems: string[]): void {
  const n = (key: keyof Config): string => names(setting(key));
  const ok = (...keys: (keyof Config)[]): boolean => keys.every((k) => !bad.has(k));

  if (ok('tlsCert', 'tlsKey') && (c.tlsCert === '') !== (c.tlsKey === '')) {
    problems.push(`${n('tlsCert')} and ${n('tlsKey')} must be set together`);
  }
  if (ok('tlsCa', 'tlsCert') && c.tlsCa !== '' && c.tlsCert === '') {
    problems.push(`${n('tlsCa')} needs ${n('tlsCert')} and ${n('tlsKey')}: client certificates are checked over TLS`);
  }
  if (ok('databaseUrl') && c.databaseUrl !== '' && !/^postgres(ql)?:\/\//.test(c.databaseUrl)) {
    problems.push(`${n('databaseUrl')}: must be a postgres:// or postgresql:// URL, or empty for embedded SQLite`);
  }
  if (ok('maxUploadBytes', 'maxUploadTotalBytes') && c.maxUploadBytes > c.maxUploadTotalBytes) {
    const sizes = `(${c.maxUploadBytes}) exceeds ${n('maxUploadTotalBytes')} (${c.maxUploadTotalBytes})`;
    problems.push(`${n('maxUploadBytes')} ${sizes}`);
  }
  const servers = [
    ['grpcHost', 'grpcPort'],
    ['metricsHost', 'metricsPort'],
    ['httpHost', 'httpPort'],
  ] as const;
  servers.forEach(([hostA, portA], i) => {
    for (const [hostB, portB] of servers.slice(i + 1)) {
      const hostsOverlap = c[hostA] === c[hostB] || WILDCARD_HOSTS.has(c[hostA]) || WILDCARD_HOSTS.has(c[hostB]);
      if (ok(portA, portB) && c[portA] !== 0 && c[portA] === c[portB] && hostsOverlap) {
        const why = `are both ${c[portA]}; the two servers need different ports`;
        problems.push(`${n(portA)} and ${n(portB)} ${why}`);
      }
    }
  });
}

function setting(key: keyof Config): Setting {
  const s = SETTINGS.find((x) => x.key === key);
  if (s === undefined) throw new Error(`no setting for ${key}`);
  return s;
}

function names(s: Setting): string {
  return `${s.env} / ${s.flag}`;
}

/** ", did you mean X?" for a near miss (edit distance ≤ 3), else "". */
function suggest(name: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === undefined ? '' : `, did you mean ${best}?`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The README's configuration table, generated so it cannot drift from SETTINGS. */
export function configTable(): string {
  const cell = (x: string): string => x.replace(/\|/g, '\\|');
  const rows = SETTINGS.map((s) => {
    const meaning = s.values === undefined ? s.doc : `${s.doc} One of: ${s.values.join(', ')}.`;
    return `| \`${s.env}\` | \`${s.flag}\` | ${cell(defaultText(s))} | ${cell(meaning)} |`;
  });
  return ['| env var | flag | default | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}

function defaultText(s: Setting): string {
  if (s.defaultText !== undefined) return s.defaultText;
  const v: unknown = DEFAULTS[s.key];
  if (Array.isArray(v)) return v.length === 0 ? '(none)' : `\`${v.join(':')}\``;
  if (v === '') return '(empty)';
  return `\`${String(v)}\``;
}
