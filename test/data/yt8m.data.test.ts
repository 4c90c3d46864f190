import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../src/data/dataset.js';
import { decodeExample, encodeExample } from '../../src/data/tfrecord/example.js';
import { readTfRecords } from '../../src/data/tfrecord/reader.js';
import { encodeTfRecord, writeTfRecords } from '../../src/data/tfrecord/writer.js';
import { PAPER_VERTICALS, buildYt8mTasks, loadYt8m, readVocabulary, splitOfId, type Yt8mOptions } from '../../src/data/yt8m.js';
import { InvalidArgumentError } from '../../src/errors/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataRoot = path.resolve(repoRoot, '../shared/data');
const shardDir = path.join(dataRoot, 'yt8m-video-level-sample');
const vocabularyPath = path.join(dataRoot, 'yt8m-vocabulary', 'vocabulary.csv');
const shard = (s: string): string => path.join(shardDir, `validate${s}.tfrecord`);

const GOLDEN = [
  { shard: '0040', records: 254, id: 'sxaO', labels: [0, 1, 27, 611] },
  { shard: '0065', records: 252, id: 'RTbd', labels: [124, 264, 1323] },
  { shard: '0067', records: 243, id: 'lAbf', labels: [2576] },
  { shard: '0076', records: 251, id: 'wBbo', labels: [66, 332] },
];

/** Train/valid/test sizes of the 980 kept sample videos at fractions 0.1 / 0.2, split seed 3 (a regression value). */
const SAMPLE_SPLIT_SEED3 = [678, 90, 212];

const CLASS_COUNTS = [525, 734, 466, 167, 278, 302, 259, 150, 132, 86, 116, 26, 120, 116, 48, 32];

const base = (over: Partial<Yt8mOptions> = {}): Yt8mOptions => ({
  trainFiles: [path.join(shardDir, 'validate00*.tfrecord')],
  validFiles: [],
  testFiles: [],
  vocabularyPath,
  verticals: [],
  validFraction: 0.1,
  testFraction: 0.2,
  splitSeed: 3,
  ...over,
});

let tmp = '';
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'yt8m-test-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('YouTube-8M sample shards', () => {
  it('read with the golden record counts, first ids and labels, 1152 features each, in well under a second', async () => {
    const t0 = performance.now();
    let total = 0;
    for (const g of GOLDEN) {
      let n = 0;
      for await (const payload of readTfRecords(shard(g.shard))) {
        const ex = decodeExample(payload);
        if (n === 0) {
          expect(new TextDecoder().decode(ex.bytes.get('id')![0])).toBe(g.id);
          expect(ex.ints.get('labels')).toEqual(g.labels);
        }
        expect(ex.floats.get('mean_rgb')!.length + ex.floats.get('mean_audio')!.length).toBe(1152);
        n++;
      }
      expect(n).toBe(g.records);
      total += n;
    }
    const ms = performance.now() - t0;
    console.log(`read and decoded ${total} YouTube-8M records in ${ms.toFixed(1)} ms`);
    expect(total).toBe(1000);
    expect(ms).toBeLessThan(1000);
  });
});

describe('YouTube-8M vocabulary', () => {
  it("yields the paper's 16 tasks with the data.md class counts, in file order", async () => {
    const vocab = await readVocabulary(vocabularyPath);
    expect(vocab).toHaveLength(3862);
    const m = buildYt8mTasks(vocab, PAPER_VERTICALS);
    expect(m.tasks.map((t) => t.name)).toEqual(PAPER_VERTICALS);
    expect(m.tasks.map((t) => t.labels.length)).toEqual(CLASS_COUNTS);
    expect(CLASS_COUNTS.reduce((a, b) => a + b, 0)).toBe(3557);
    // The derived task list beside the vocabulary agrees label for label.
    const derived = JSON.parse(await fs.readFile(path.join(dataRoot, 'yt8m-vocabulary', 'taan16_tasks.json'), 'utf8')) as {
      tasks: Array<{ vertical1: string; labels: number[] }>;
    };
    derived.tasks.forEach((t, i) => {
      expect(t.vertical1).toBe(PAPER_VERTICALS[i]);
      t.labels.forEach((label, j) => {
        expect(m.taskOf[label]).toBe(i);
        expect(m.classOf[label]).toBe(j);
      });
    });
    const byIndex = new Map(vocab.map((v) => [v.index, v]));
    expect(m.tasks[0]!.labels[0]).toBe(byIndex.get(derived.tasks[0]!.labels[0]!)!.name);
  });

  it('rejects an unknown vertical naming the field', async () => {
    const err = await loadYt8m(base({ verticals: ['Games', 'Nope'] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).violations[0]!.field).toBe('dataset.yt8m.verticals[1]');
  });
});

describe('splitOfId', () => {
  // u = int(md5(id), 16) % 10000 / 10000, computed with Python's hashlib: sxaO .0144, RTbd .8208, lAbf .4491,
  // wBbo .6371; salted with seed 3, "3:sxaO" .5312; with seed 7, "7:RTbd" .1111.
  it('assigns by the md5 of the id (salted by a non-zero seed), as Python computes it', () => {
    expect(splitOfId('sxaO', 0.1, 0.1)).toBe(1);
    expect(splitOfId('sxaO', 0.01, 0.1)).toBe(2);
    expect(splitOfId('sxaO', 0.01, 0.001)).toBe(0);
    expect(splitOfId('RTbd', 0.1, 0.1)).toBe(0);
    expect(splitOfId('lAbf', 0.4, 0.05)).toBe(2);
    expect(splitOfId('wBbo', 0.7, 0.1)).toBe(1);
    expect(splitOfId('sxaO', 0.1, 0.1, 3)).toBe(0);
    expect(splitOfId('RTbd', 0.1, 0.2, 7)).toBe(2);
    expect(splitOfId('RTbd', 0.1112, 0.2, 7)).toBe(1);
  });
});

describe('loadYt8m', () => {
  it('splits the 1000 videos by a hash of their ids, dropping the 20 with none of the 16 tasks', async () => {
    const ds = await loadYt8m(base());
    expect(ds.summary.records).toBe(1000);
    expect(ds.summary.dropped).toBe(20);
    expect(ds.summary.kept).toBe(980);
    expect(ds.summary.files.map((f) => path.basename(f.file))).toEqual(GOLDEN.map((g) => `validate${g.shard}.tfrecord`));
    expect(ds.summary.meanTasksPerVideo).toBeCloseTo(1.34, 1);
    expect(ds.inputDim).toBe(1152);
    expect(ds.tasks.map((t) => t.labels.length)).toEqual(CLASS_COUNTS);
    expect([ds.train.n, ds.valid.n, ds.test.n]).toEqual(SAMPLE_SPLIT_SEED3);
    ds.train.ids!.forEach((id) => expect(splitOfId(id, 0.1, 0.2, 3), id).toBe(0));
    ds.valid.ids!.forEach((id) => expect(splitOfId(id, 0.1, 0.2, 3), id).toBe(1));
    ds.test.ids!.forEach((id) => expect(splitOfId(id, 0.1, 0.2, 3), id).toBe(2));
    const ids = [...ds.train.ids!, ...ds.valid.ids!, ...ds.test.ids!];
    expect(new Set(ids).size).toBe(980);
    for (const split of [ds.train, ds.valid, ds.test]) {
      expect(split.x.length).toBe(split.n * 1152);
      // Every task row has a positive of that task (an example joins only the tasks it has a label of).
      const withoutPositive = split.tasks.map((task, t) => {
        const C = ds.tasks[t]!.labels.length;
        return task.rows.filter((_, i) => !task.labels.subarray(i * C, (i + 1) * C).includes(1)).length;
      });
      expect(withoutPositive.every((c) => c === 0)).toBe(true);
    }
    const again = await loadYt8m(base());
    expect(again.test.ids).toEqual(ds.test.ids);
    expect(Buffer.from(again.train.x.buffer).equals(Buffer.from(ds.train.x.buffer))).toBe(true);
    const other = await loadYt8m(base({ splitSeed: 4 }));
    expect(other.test.ids).not.toEqual(ds.test.ids);
    console.log(summarize(ds).map((s) => `${s.task}: ${s.trainExamples}/${s.validExamples}/${s.testExamples}`).join('; '));
  });

  it('keeps every video in its split when shards are added (the split is a function of the id)', async () => {
    const one = await loadYt8m(base({ trainFiles: [shard('0040')] }));
    const all = await loadYt8m(base());
    for (const part of ['train', 'valid', 'test'] as const) {
      const inAll = new Set(all[part].ids);
      expect(one[part].ids!.every((id) => inAll.has(id)), part).toBe(true);
    }
    // Features stay with their ids after the rows are grouped by split.
    const row = (ds: typeof one, id: string): Float32Array => {
      const i = ds.valid.ids!.indexOf(id);
      return ds.valid.x.subarray(i * 1152, (i + 1) * 1152);
    };
    for (const id of one.valid.ids!) expect(row(all, id)).toEqual(row(one, id));
  });

  it('places the first video of shard 0040 with its labels in its tasks', async () => {
    const ds = await loadYt8m(base({ trainFiles: [shard('0040')], validFraction: 0, testFraction: 0 }));
    expect(ds.valid.n + ds.test.n).toBe(0);
    const row = ds.train.ids!.indexOf('sxaO');
    expect(row).toBe(0);
    // Labels 0, 1, 27, 611: find the tasks and classes they map to and check the dense blocks.
    const m = buildYt8mTasks(await readVocabulary(vocabularyPath), PAPER_VERTICALS);
    for (const label of [0, 1, 27, 611]) {
      const t = m.taskOf[label]!;
      if (t < 0) continue;
      const task = ds.train.tasks[t]!;
      const k = task.rows.indexOf(row);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(task.labels[k * ds.tasks[t]!.labels.length + m.classOf[label]!]).toBe(1);
    }
  });

  it('uses the given file lists as splits', async () => {
    const ds = await loadYt8m(base({ trainFiles: [shard('0040'), shard('0065')], validFiles: [shard('0067')], testFiles: [shard('0076')] }));
    expect(ds.summary.records).toBe(1000);
    expect(ds.train.n + ds.valid.n + ds.test.n).toBe(980);
    expect(ds.valid.ids![0]).toBe('lAbf');
    expect(ds.test.ids![0]).toBe('wBbo');
    expect(ds.test.n).toBeLessThanOrEqual(251);
  });

  it('names the request field, the file and the record of a corrupt or malformed record', async () => {
    const good: Uint8Array[] = [];
    for await (const p of readTfRecords(shard('0067'))) if (good.length < 12) good.push(p);
    const corrupt = path.join(tmp, 'corrupt.tfrecord');
    const bytes = Buffer.concat(good.map(encodeTfRecord));
    const offset = good.slice(0, 9).reduce((a, p) => a + p.length + 16, 0);
    bytes[offset + 12 + 100]! ^= 1;
    await fs.writeFile(corrupt, bytes);
    let err = await loadYt8m(base({ trainFiles: [shard('0040'), path.join(tmp, 'corr*.tfrecord')] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toBe('corrupt record 9 in corrupt.tfrecord: payload CRC mismatch');
    expect((err as InvalidArgumentError).violations[0]!.field).toBe('dataset.yt8m.train_files[1]');

    const short = path.join(tmp, 'short.tfrecord');
    const bad = encodeExample({ bytes: { id: ['x'] }, ints: { labels: [0] }, floats: { mean_rgb: new Float32Array(1000), mean_audio: new Float32Array(128) } });
    await writeTfRecords(short, [good[0]!, good[1]!, bad]);
    err = await loadYt8m(base({ trainFiles: [shard('0040')], testFiles: [short] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/record 2 in short\.tfrecord: mean_rgb has 1000 floats/);
    expect((err as InvalidArgumentError).violations[0]!.field).toBe('dataset.yt8m.test_files[0]');
  });

  it('rejects a glob without matches and a missing file, naming the field', async () => {
    let err = await loadYt8m(base({ trainFiles: [path.join(shardDir, 'nothing*.tfrecord')] })).catch((e: unknown) => e);
    expect((err as InvalidArgumentError).violations[0]!.field).toBe('dataset.yt8m.train_files[0]');
    err = await loadYt8m(base({ validFiles: [path.join(tmp, 'missing.tfrecord')] })).catch((e: unknown) => e);
    expect((err as InvalidArgumentError).violations[0]!.field).toBe('dataset.yt8m.valid_files[0]');
    err = await loadYt8m(base({ testFraction: 0.95 })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    err = await loadYt8m(base({ vocabularyPath: path.join(tmp, 'nope.csv') })).catch((e: unknown) => e);
    expect((err as Error).message).toBe('cannot read nope.csv: ENOENT');
    expect((err as InvalidArgumentError).violations[0]!.field).toBe('dataset.yt8m.vocabulary_path');
  });
});
