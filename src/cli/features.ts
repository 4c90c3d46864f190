/**
 * Feature rows for Predict from a JSON, CSV or TFRecord file, or from stdin (JSON or CSV). Every problem is
 * reported as one line naming the source and the row, before anything is sent to the server.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeExample } from '../data/tfrecord/example.js';
import { readTfRecords } from '../data/tfrecord/reader.js';
import { CliError } from './errors.js';

export const FEATURE_FORMATS = ['auto', 'json', 'csv', 'tfrecord'] as const;
export type FeatureFormat = (typeof FEATURE_FORMATS)[number];

export interface FeatureRows {
  ids: string[];
  rows: number[][];
}

const defaultId = (i: number): string => `#${i + 1}`;

function checkRows(src: string, ids: string[], rows: unknown[][]): FeatureRows {
  if (rows.length === 0) throw new CliError(`${src}: no examples`);
  const width = rows[0]!.length;
  const out = rows.map((r, i) => {
    const where = `${src}: example ${ids[i] ?? defaultId(i)}`;
    if (r.length === 0) throw new CliError(`${where} has no features`);
    if (r.length !== width) throw new CliError(`${where} has ${r.length} features, the first has ${width}`);
    return r.map((v, j) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw new CliError(`${where}: feature ${j + 1} is not a finite number (${JSON.stringify(v)})`);
      return n;
    });
  });
  return { ids, rows: out };
}

/** [[...], ...], [{id, features}, ...], {examples: [...]} or a single [n, n, ...]. */
export function parseJsonFeatures(text: string, src: string): FeatureRows {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${src}: not valid JSON (${(err as Error).message})`);
  }
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Array.isArray((v as { examples?: unknown }).examples)) {
    v = (v as { examples: unknown[] }).examples;
  }
  if (!Array.isArray(v)) throw new CliError(`${src}: expected an array of examples (arrays of numbers or {"id", "features"} objects)`);
  if (v.length > 0 && v.every((x) => typeof x === 'number')) return checkRows(src, [defaultId(0)], [v]);
  const ids: string[] = [];
  const rows = v.map((x: unknown, i) => {
    if (Array.isArray(x)) {
      ids.push(defaultId(i));
      return x as unknown[];
    }
    if (x !== null && typeof x === 'object' && Array.isArray((x as { features?: unknown }).features)) {
      const id = (x as { id?: unknown }).id;
      ids.push(id === undefined || id === null || id === '' ? defaultId(i) : String(id));
      return (x as { features: unknown[] }).features;
    }
    throw new CliError(`${src}: example ${i + 1} is neither an array of numbers nor an object with "features"`);
  });
  return checkRows(src, ids, rows);
}

const isNum = (s: string | undefined): boolean => s !== undefined && s.trim() !== '' && Number.isFinite(Number(s));
const ID_HEADER = /^(id|example|example_id|video_id|name|key)$/i;

/** One row per example; an optional header row and an optional leading id column are recognised. */
export function parseCsvFeatures(text: string, src: string, delimiter = ','): FeatureRows {
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, skip_empty_lines: true, trim: true, comment: '#' }) as string[][];
  } catch (err) {
    throw new CliError(`${src}: not valid CSV (${(err as Error).message.replace(/\s*\n[\s\S]*/, '')})`);
  }
  if (records.length === 0) throw new CliError(`${src}: no examples`);
  const first = records[0]!;
  // A header has a non-numeric feature name, or sits above numeric rows, or starts with an id column's name
  // (then "id,1,2,3" is still a header).
  const hasHeader =
    first.slice(1).some((c) => !isNum(c)) || (records.length > 1 && !isNum(first[0]) && (isNum(records[1]![0]) || ID_HEADER.test(first[0] ?? '')));
  const data = hasHeader ? records.slice(1) : records;
  if (data.length === 0) throw new CliError(`${src}: a header but no examples`);
  const idCol = (hasHeader && ID_HEADER.test(first[0] ?? '')) || data.every((r) => !isNum(r[0]));
  const ids = data.map((r, i) => (idCol && r[0] ? r[0] : defaultId(i)));
  return checkRows(src, ids, idCol ? data.map((r) => r.slice(1)) : data);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** YouTube-8M video-level records: features = mean_rgb ++ mean_audio, id from the `id` bytes. */
export async function readTfRecordFeatures(file: string): Promise<FeatureRows> {
  const ids: string[] = [];
  const rows: number[][] = [];
  try {
    for await (const payload of readTfRecords(file)) {
      const i = rows.length;
      let ex;
      try {
        ex = decodeExample(payload);
      } catch (err) {
        throw new CliError(`${file}: record ${i} is not a tf.train.Example (${(err as Error).message})`);
      }
      const rgb = ex.floats.get('mean_rgb');
      const audio = ex.floats.get('mean_audio');
      if (!rgb || !audio) throw new CliError(`${file}: record ${i} has no mean_rgb/mean_audio (expected YouTube-8M video-level records)`);
      const idBytes = ex.bytes.get('id')?.[0];
      ids.push(idBytes ? utf8.decode(idBytes) : defaultId(i));
      rows.push([...rgb, ...audio]);
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: not a readable TFRecord file (${(err as Error).message})`);
  }
  return checkRows(file, ids, rows);
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function sniff(buf: Buffer): 'json' | 'csv' | 'binary' {
  const head = buf.subarray(0, 4096);
  if (head.includes(0)) return 'binary';
  try {
    utf8.decode(head.subarray(0, Math.max(0, head.length - 4)));
  } catch {
    return 'binary';
  }
  const c = head.toString('utf8').trimStart()[0];
  return c === '[' || c === '{' ? 'json' : 'csv';
}

function fromText(buf: Buffer, src: string, format: 'json' | 'csv', delimiter?: string): FeatureRows {
  const text = buf.toString('utf8');
  return format === 'json' ? parseJsonFeatures(text, src) : parseCsvFeatures(text, src, delimiter);
}

/** `file` of '-' or undefined reads stdin (when it is not a terminal). */
export async function readFeatures(file: string | undefined, format: FeatureFormat): Promise<FeatureRows> {
  if (file === undefined || file === '-') {
    if (file === undefined && process.stdin.isTTY) throw new CliError('give a feature file (JSON, CSV or TFRecord), or pipe JSON/CSV into stdin');
    if (format === 'tfrecord') throw new CliError('TFRecord input must be a file, not stdin');
    const buf = await readStdin();
    const kind = format === 'auto' ? sniff(buf) : format;
    if (kind === 'binary') throw new CliError('stdin: binary data; pipe JSON or CSV, or pass a TFRecord file');
    return fromText(buf, 'stdin', kind);
  }
  const ext = path.extname(file).toLowerCase();
  const byExt = ext === '.json' ? 'json' : ext === '.csv' || ext === '.tsv' || ext === '.txt' ? 'csv' : /^\.tfr(ecords?)?$/.test(ext) ? 'tfrecord' : undefined;
  let kind = format === 'auto' ? byExt : format;
  if (kind === 'tfrecord') {
    await fs.access(file).catch(() => {
      throw new CliError(`${file}: no such file`);
    });
    return readTfRecordFeatures(file);
  }
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (err) {
    throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (kind === undefined) {
    const s = sniff(buf);
    if (s === 'binary') return readTfRecordFeatures(file);
    kind = s;
  }
  return fromText(buf, file, kind, ext === '.tsv' ? '\t' : undefined);
}
