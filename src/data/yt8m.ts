/**
 * YouTube-8M video-level data (data.md): TFRecords of tf.train.Example with id, labels, mean_rgb (1024) and
 * mean_audio (128), and the label vocabulary whose Vertical1 column defines the tasks. Features are
 * mean_rgb ++ mean_audio, unnormalised, as the authors feed them. A video joins every task it has a label of;
 * a video with no label of any chosen task carries no training signal and is dropped.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TaskSpec } from '../domain/model-spec.js';
import type { Yt8mSource } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import type { MultiTaskDataset, Split } from './dataset.js';
import { decodeExample } from './tfrecord/example.js';
import { readTfRecords } from './tfrecord/reader.js';
import { withField } from './field-error.js';

export const RGB_DIM = 1024;
export const AUDIO_DIM = 128;
export const YT8M_INPUT_DIM = RGB_DIM + AUDIO_DIM;

/** The 16 Vertical1 tasks of the TAAN paper, in the authors' task order. */
export const PAPER_VERTICALS: readonly string[] = Object.freeze([
  'Arts & Entertainment',
  'Games',
  'Autos & Vehicles',
  'Sports',
  'Food & Drink',
  'Computers & Electronics',
  'Business & Industrial',
  'Pets & Animals',
  'Hobbies & Leisure',
  'Beauty & Fitness',
  'Shopping',
  'Internet & Telecom',
  'Home & Garden',
  'Science',
  'Travel',
  'Law & Government',
]);

export interface VocabularyEntry {
  /** The label id used in the TFRecords. */
  index: number;
  trainVideoCount: number;
  knowledgeGraphId: string;
  /** May be empty (56 rows of the 2018 vocabulary are). */
  name: string;
  wikiUrl: string;
  /** Vertical1, Vertical2, Vertical3 (empty strings kept). */
  verticals: string[];
}


export async function readVocabulary(file: string): Promise<VocabularyEntry[]> {
  const name = path.basename(file);
  const rows = parse(await fs.readFile(file), { bom: true, skip_empty_lines: true, relax_column_count: true });
  const header = rows[0] ?? [];
  const col = (h: string): number => {
    const i = header.indexOf(h);
    if (i < 0) throw new InvalidArgumentError(`${name}: missing column ${h} in the header`);
    return i;
  };
  const [iIndex, iCount, iKg, iName, iUrl, iV1] = ['Index', 'TrainVideoCount', 'KnowledgeGraphId', 'Name', 'WikiUrl', 'Vertical1'].map(col);
  const vCols = [iV1!, header.indexOf('Vertical2'), header.indexOf('Vertical3')].filter((i) => i >= 0);
  const seen = new Set<number>();
  return rows.slice(1).map((r, k) => {
    const index = Number(r[iIndex!]);
    if (!Number.isInteger(index) || index < 0 || seen.has(index)) {
      throw new InvalidArgumentError(`${name}: row ${k + 1} has a bad or repeated Index '${r[iIndex!] ?? ''}'`);
    }
    seen.add(index);
    return {
      index,
      trainVideoCount: Number(r[iCount!] ?? 0),
      knowledgeGraphId: r[iKg!] ?? '',
      name: r[iName!] ?? '',
      wikiUrl: r[iUrl!] ?? '',
      verticals: vCols.map((i) => r[i] ?? ''),
    };
  });
}

export interface Yt8mTasks {
  tasks: TaskSpec[];
  /** Per label id: its task, or -1 if no chosen task has it. */
  taskOf: Int32Array;
  /** Per label id: its class position within its task. */
  classOf: Int32Array;
}

/** A task's classes are the vocabulary rows with that Vertical1, in file order; class names are the Names. */
export function buildYt8mTasks(vocab: VocabularyEntry[], verticals: readonly string[]): Yt8mTasks {
  const size = vocab.reduce((m, v) => Math.max(m, v.index + 1), 0);
  const taskOf = new Int32Array(size).fill(-1);
  const classOf = new Int32Array(size).fill(-1);
  const tasks: TaskSpec[] = verticals.map((name) => ({ name, labels: [] }));
  const position = new Map<string, number>();
  verticals.forEach((v, t) => {
    if (position.has(v)) throw InvalidArgumentError.field(`dataset.yt8m.verticals[${t}]`, `'${v}' is listed twice`);
    position.set(v, t);
  });
  for (const e of vocab) {
    const t = position.get(e.verticals[0] ?? '');
    if (t === undefined) continue;
    const labels = tasks[t]!.labels;
    taskOf[e.index] = t;
    classOf[e.index] = labels.length;
    labels.push(e.name);
  }
  tasks.forEach((task, t) => {
    if (task.labels.length === 0) {
      throw InvalidArgumentError.field(`dataset.yt8m.verticals[${t}]`, `no vocabulary row has Vertical1 '${task.name}'`);
    }
  });
  return { tasks, taskOf, classOf };
}

const GLOB = /[*?]/;

/** Expands '*' and '?' in the file-name part (sorted); every entry must name at least one regular file. */
export async function expandFiles(list: string[], field: string): Promise<Array<{ file: string; field: string }>> {
  const out: Array<{ file: string; field: string }> = [];
  for (const [i, entry] of list.entries()) {
    const f = `${field}[${i}]`;
    const dir = path.dirname(entry);
    const base = path.basename(entry);
    let files = [entry];
    if (GLOB.test(dir)) throw InvalidArgumentError.field(f, `wildcards are allowed in the file name only: ${entry}`);
    if (GLOB.test(base)) {
      const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      const names = await fs.readdir(dir).catch(() => {
        throw InvalidArgumentError.field(f, `cannot list the folder of ${entry}`);
      });
      files = names.filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
      if (files.length === 0) throw InvalidArgumentError.field(f, `no file matches ${entry}`);
    }
    for (const file of files) {
      const st = await fs.stat(file).catch(() => undefined);
      if (!st?.isFile()) throw InvalidArgumentError.field(f, `not a readable file: ${file}`);
      out.push({ file, field: f });
    }
  }
  return out;
}

/**
 * Which split a video belongs to when valid/test are carved out of the train files: a function of its id alone (and
 * of the split seed, a salt), so every method and training seed sees the same videos, and adding shards never moves
 * a video already read. u = (md5 of the id, read as a 128-bit big-endian integer) mod 10,000 / 10,000: valid when
 * u < validFraction, test when validFraction <= u < validFraction + testFraction, train otherwise. With seed 0 the
 * id is hashed as it is; another seed hashes "<seed>:<id>".
 */
export function splitOfId(id: string, validFraction: number, testFraction: number, seed = 0): SplitPart {
  const digest = createHash('md5').update(seed === 0 ? id : `${seed}:${id}`).digest('hex');
  const u = Number(BigInt(`0x${digest}`) % 10_000n) / 10_000;
  if (u < validFraction) return VALID;
  if (u < validFraction + testFraction) return TEST;
  return TRAIN;
}

type SplitPart = 0 | 1 | 2;
const TRAIN: SplitPart = 0;
const VALID: SplitPart = 1;
const TEST: SplitPart = 2;

/**
 * Every video read, of every split, in one float32 buffer sized up front from the files' bytes (a record holds at
 * least its 1152 float32 features, so bytes / 4608 bounds the rows): no growth by copying, and the splits end up as
 * views of this one buffer, so the features are held once (43k videos: 200 MB).
 */
class VideoTable {
  x: Float32Array;
  n = 0;
  readonly ids: string[] = [];
  /** Per video: its label ids within the chosen tasks. */
  readonly labels: Int32Array[] = [];
  readonly part: SplitPart[] = [];

  constructor(maxRows: number) {
    this.x = new Float32Array(Math.max(1, maxRows) * YT8M_INPUT_DIM);
  }

  add(id: string, rgb: Float32Array, audio: Float32Array, labels: Int32Array, part: SplitPart): void {
    if ((this.n + 1) * YT8M_INPUT_DIM > this.x.length) {
      // Unreachable for YouTube-8M records (see the bound above); kept so a wrong bound costs time, not data.
      const bigger = new Float32Array(this.x.length * 2);
      bigger.set(this.x);
      this.x = bigger;
    }
    this.x.set(rgb, this.n * YT8M_INPUT_DIM);
    this.x.set(audio, this.n * YT8M_INPUT_DIM + RGB_DIM);
    this.ids.push(id);
    this.labels.push(labels);
    this.part.push(part);
    this.n++;
  }

  /**
   * Reorders the videos in place, train then valid then test (each in reading order), and returns where each
   * split starts and ends. Rows move along the cycles of the permutation through one spare row.
   */
  groupBySplit(): Array<[number, number]> {
    const D = YT8M_INPUT_DIM;
    const order: number[] = [];
    const bounds: Array<[number, number]> = [];
    for (const p of [TRAIN, VALID, TEST]) {
      const from = order.length;
      for (let i = 0; i < this.n; i++) if (this.part[i] === p) order.push(i);
      bounds.push([from, order.length]);
    }
    const spare = new Float32Array(D);
    const done = new Uint8Array(this.n);
    for (let k = 0; k < this.n; k++) {
      if (done[k] || order[k] === k) continue;
      spare.set(this.x.subarray(k * D, k * D + D));
      let j = k;
      for (;;) {
        done[j] = 1;
        const src = order[j]!;
        if (src === k) {
          this.x.set(spare, j * D);
          break;
        }
        this.x.copyWithin(j * D, src * D, src * D + D);
        j = src;
      }
    }
    const reorder = <T>(xs: T[]): void => {
      const copy = xs.slice();
      order.forEach((src, k) => (xs[k] = copy[src]!));
    };
    reorder(this.ids);
    reorder(this.labels);
    reorder(this.part);
    return bounds;
  }
}

export interface Yt8mSummary {
  files: Array<{ file: string; records: number }>;
  records: number;
  /** Videos with none of the chosen tasks' labels, left out. */
  dropped: number;
  kept: number;
  meanTasksPerVideo: number;
}

async function readFiles(
  files: Array<{ file: string; field: string }>,
  m: Yt8mTasks,
  summary: Yt8mSummary,
  table: VideoTable,
  partOf: (id: string) => SplitPart,
): Promise<void> {
  const utf8 = new TextDecoder();
  for (const { file, field } of files) {
    const name = path.basename(file);
    let r = 0;
    try {
      for await (const payload of readTfRecords(file)) {
        const bad = (what: string): InvalidArgumentError =>
          new InvalidArgumentError(`bad record ${r} in ${name}: ${what}`, [{ field, description: `${name} record ${r}: ${what}` }]);
        let ex;
        try {
          ex = decodeExample(payload);
        } catch (err) {
          throw bad(`not a tf.train.Example (${(err as Error).message})`);
        }
        const rgb = ex.floats.get('mean_rgb');
        const audio = ex.floats.get('mean_audio');
        if (rgb?.length !== RGB_DIM) throw bad(`mean_rgb has ${rgb?.length ?? 0} floats, expected ${RGB_DIM}`);
        if (audio?.length !== AUDIO_DIM) throw bad(`mean_audio has ${audio?.length ?? 0} floats, expected ${AUDIO_DIM}`);
        if (!rgb.every(Number.isFinite) || !audio.every(Number.isFinite)) throw bad('features contain NaN or infinity');
        const kept: number[] = [];
        for (const l of ex.ints.get('labels') ?? []) {
          if (!(l >= 0 && l < m.taskOf.length)) throw bad(`label ${l} is not in the vocabulary`);
          if (m.taskOf[l]! >= 0) kept.push(l);
        }
        summary.records++;
        r++;
        if (kept.length === 0) {
          summary.dropped++;
          continue;
        }
        const idBytes = ex.bytes.get('id')?.[0];
        const id = idBytes ? utf8.decode(idBytes) : `${name}#${r - 1}`;
        table.add(id, rgb, audio, Int32Array.from(kept), partOf(id));
        summary.kept++;
      }
    } catch (err) {
      throw withField(err, field, file);
    }
    summary.files.push({ file, records: r });
  }
}

/** Rows [from, to) of the table as a split: the features are a view of the table's buffer, not a copy. */
function buildSplit(v: VideoTable, from: number, to: number, m: Yt8mTasks): Split {
  const D = YT8M_INPUT_DIM;
  const perTask = m.tasks.map(() => [] as number[]);
  for (let i = from; i < to; i++) {
    const hit = new Set<number>();
    for (const l of v.labels[i]!) hit.add(m.taskOf[l]!);
    for (const t of [...hit].sort((a, b) => a - b)) perTask[t]!.push(i - from);
  }
  const tasks = m.tasks.map((task, t) => {
    const C = task.labels.length;
    const taskRows = Int32Array.from(perTask[t]!);
    const labels = new Uint8Array(taskRows.length * C);
    taskRows.forEach((row, k) => {
      for (const l of v.labels[from + row]!) if (m.taskOf[l] === t) labels[k * C + m.classOf[l]!] = 1;
    });
    return { rows: taskRows, labels };
  });
  return { x: v.x.subarray(from * D, to * D), n: to - from, ids: v.ids.slice(from, to), tasks };
}

function checkFraction(value: number, field: string): void {
  if (!(Number.isFinite(value) && value >= 0 && value < 1)) throw InvalidArgumentError.field(field, 'must be in [0, 1)');
}

/** Paths already resolved to absolute ones; empty verticals = PAPER_VERTICALS. */
export type Yt8mOptions = Omit<Yt8mSource, 'kind' | 'datasetId'>;

/**
 * Loads YouTube-8M from absolute paths (globs allowed in file names), streaming the shards into one float32 buffer.
 * A split whose file list is empty is carved out of the train files' videos by its fraction, by a hash of each
 * video's id (splitOfId).
 */
export async function loadYt8m(opts: Yt8mOptions): Promise<MultiTaskDataset & { summary: Yt8mSummary }> {
  const F = 'dataset.yt8m';
  if (opts.trainFiles.length === 0) throw InvalidArgumentError.field(`${F}.train_files`, 'at least one file is required');
  const [train, valid, test] = await Promise.all([
    expandFiles(opts.trainFiles, `${F}.train_files`),
    expandFiles(opts.validFiles, `${F}.valid_files`),
    expandFiles(opts.testFiles, `${F}.test_files`),
  ]);
  const carveValid = valid.length === 0 ? opts.validFraction : 0;
  const carveTest = test.length === 0 ? opts.testFraction : 0;
  checkFraction(carveValid, `${F}.valid_fraction`);
  checkFraction(carveTest, `${F}.test_fraction`);
  if (carveValid + carveTest >= 1) throw InvalidArgumentError.field(`${F}.valid_fraction`, 'valid + test fractions must be < 1');
  const vocab = await readVocabulary(opts.vocabularyPath).catch((err: unknown) => {
    throw withField(err, `${F}.vocabulary_path`, opts.vocabularyPath);
  });
  const m = buildYt8mTasks(vocab, opts.verticals.length > 0 ? opts.verticals : PAPER_VERTICALS);
  const summary: Yt8mSummary = { files: [], records: 0, dropped: 0, kept: 0, meanTasksPerVideo: 0 };
  const all = [...train, ...valid, ...test];
  const bytes = (await Promise.all(all.map(({ file }) => fs.stat(file)))).reduce((a, st) => a + st.size, 0);
  const table = new VideoTable(Math.ceil(bytes / (YT8M_INPUT_DIM * 4)));
  await readFiles(train, m, summary, table, (id) => splitOfId(id, carveValid, carveTest, opts.splitSeed));
  if (table.n === 0) throw InvalidArgumentError.field(`${F}.train_files`, 'no video has a label of the chosen verticals');
  await readFiles(valid, m, summary, table, () => VALID);
  await readFiles(test, m, summary, table, () => TEST);
  const [t, v, s] = table.groupBySplit();
  const splits = { train: buildSplit(table, ...t!, m), valid: buildSplit(table, ...v!, m), test: buildSplit(table, ...s!, m) };
  const memberships = Object.values(splits).reduce((a, sp) => a + sp.tasks.reduce((b, tr) => b + tr.rows.length, 0), 0);
  summary.meanTasksPerVideo = summary.kept > 0 ? memberships / summary.kept : 0;
  return { name: 'yt8m', inputDim: YT8M_INPUT_DIM, tasks: m.tasks, ...splits, summary };
}
