/**
 * YouTube-8M video-level data (data.md): TFRecords of tf.train.Example with id, labels, mean_rgb (1024) and
 * mean_audio (128), and the label vocabulary whose Vertical1 column defines the tasks. Features are
 * mean_rgb ++ mean_audio, unnormalised, as the authors feed them. A video joins every task it has a label of;
 * a video with no label of any chosen task carries no training signal and is dropped.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TaskSpec } from '../domain/model-spec.js';
import type { Yt8mSource } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../util/rng.js';
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

/** Videos read so far: features in one growing buffer, and per video its label ids within the chosen tasks. */
class Videos {
  x = new Float32Array(YT8M_INPUT_DIM * 1024);
  n = 0;
  readonly ids: string[] = [];
  readonly labels: Int32Array[] = [];

  add(id: string, rgb: Float32Array, audio: Float32Array, labels: Int32Array): void {
    if ((this.n + 1) * YT8M_INPUT_DIM > this.x.length) {
      const bigger = new Float32Array(this.x.length * 2);
      bigger.set(this.x);
      this.x = bigger;
    }
    this.x.set(rgb, this.n * YT8M_INPUT_DIM);
    this.x.set(audio, this.n * YT8M_INPUT_DIM + RGB_DIM);
    this.ids.push(id);
    this.labels.push(labels);
    this.n++;
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

async function readFiles(files: Array<{ file: string; field: string }>, m: Yt8mTasks, summary: Yt8mSummary): Promise<Videos> {
  const videos = new Videos();
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
        videos.add(idBytes ? utf8.decode(idBytes) : `${name}#${r - 1}`, rgb, audio, Int32Array.from(kept));
      }
    } catch (err) {
      throw withField(err, field, file);
    }
    summary.files.push({ file, records: r });
  }
  summary.kept += videos.n;
  return videos;
}

function buildSplit(v: Videos, rows: ArrayLike<number>, m: Yt8mTasks): Split {
  const D = YT8M_INPUT_DIM;
  const n = rows.length;
  const x = new Float32Array(n * D);
  const ids: string[] = [];
  const perTask = m.tasks.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    const src = rows[i]!;
    x.set(v.x.subarray(src * D, src * D + D), i * D);
    ids.push(v.ids[src]!);
    const hit = new Set<number>();
    for (const l of v.labels[src]!) hit.add(m.taskOf[l]!);
    for (const t of [...hit].sort((a, b) => a - b)) perTask[t]!.push(i);
  }
  const tasks = m.tasks.map((task, t) => {
    const C = task.labels.length;
    const taskRows = Int32Array.from(perTask[t]!);
    const labels = new Uint8Array(taskRows.length * C);
    taskRows.forEach((row, k) => {
      for (const l of v.labels[rows[row]!]!) if (m.taskOf[l] === t) labels[k * C + m.classOf[l]!] = 1;
    });
    return { rows: taskRows, labels };
  });
  return { x, n, ids, tasks };
}

function checkFraction(value: number, field: string): void {
  if (!(Number.isFinite(value) && value >= 0 && value < 1)) throw InvalidArgumentError.field(field, 'must be in [0, 1)');
}

/** Paths already resolved to absolute ones; empty verticals = PAPER_VERTICALS. */
export type Yt8mOptions = Omit<Yt8mSource, 'kind' | 'datasetId'>;

/**
 * Loads YouTube-8M from absolute paths (globs allowed in file names). A split whose file list is empty is
 * carved out of the train videos by its fraction, with a seeded shuffle.
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
  const trainVideos = await readFiles(train, m, summary);
  if (trainVideos.n === 0) throw InvalidArgumentError.field(`${F}.train_files`, 'no video has a label of the chosen verticals');

  const order = new Rng(opts.splitSeed, 0x8e).shuffle(Int32Array.from({ length: trainVideos.n }, (_, i) => i));
  const nTest = Math.round(trainVideos.n * carveTest);
  const nValid = Math.round(trainVideos.n * carveValid);
  const part = (from: number, to: number): Int32Array => order.slice(from, to).sort();
  const splitFrom = async (files: typeof valid, carved: Int32Array): Promise<Split> => {
    if (files.length === 0) return buildSplit(trainVideos, carved, m);
    const v = await readFiles(files, m, summary);
    return buildSplit(v, Int32Array.from({ length: v.n }, (_, i) => i), m);
  };
  const splits = {
    train: buildSplit(trainVideos, part(nTest + nValid, order.length), m),
    valid: await splitFrom(valid, part(nTest, nTest + nValid)),
    test: await splitFrom(test, part(0, nTest)),
  };
  const memberships = Object.values(splits).reduce((a, s) => a + s.tasks.reduce((b, t) => b + t.rows.length, 0), 0);
  summary.meanTasksPerVideo = summary.kept > 0 ? memberships / summary.kept : 0;
  return { name: 'yt8m', inputDim: YT8M_INPUT_DIM, tasks: m.tasks, ...splits, summary };
}
