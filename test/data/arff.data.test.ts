import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArff, parseArff, readArff, type ArffOptions } from '../../src/data/arff.js';
import type { MultiTaskDataset } from '../../src/data/dataset.js';
import { InvalidArgumentError } from '../../src/errors/errors.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dataRoot = path.resolve(repoRoot, '../shared/data');
const cal500 = path.join(dataRoot, 'cal500', 'CAL500.arff');
const cal500Xml = path.join(dataRoot, 'cal500', 'CAL500.xml');
const yeastTrain = path.join(dataRoot, 'yeast', 'yeast-train.arff');
const yeastTest = path.join(dataRoot, 'yeast', 'yeast-test.arff');

const opts = (over: Partial<ArffOptions>): ArffOptions => ({
  path: cal500,
  testPath: '',
  labelsXmlPath: cal500Xml,
  taskGrouping: 'cal500',
  groups: [],
  validFraction: 0.1,
  testFraction: 0.2,
  splitSeed: 11,
  ...over,
});

let tmp = '';
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'arff-test-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function fixture(name: string, text: string): Promise<string> {
  const file = path.join(tmp, name);
  await fs.writeFile(file, text);
  return file;
}

const rejection = async (p: Promise<unknown>): Promise<InvalidArgumentError> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidArgumentError);
  return err as InvalidArgumentError;
};

const total = (ds: MultiTaskDataset): number => ds.train.n + ds.valid.n + ds.test.n;

describe('CAL500', () => {
  it('parses as 502 songs x 242 attributes', async () => {
    const a = await readArff(cal500);
    expect(a.relation).toBe('CAL500');
    expect(a.rows).toBe(502);
    expect(a.attributes).toHaveLength(68 + 174);
  });

  it('groups its 174 labels into the 8 CAL500 groups', async () => {
    const ds = await loadArff(opts({}));
    expect(ds.inputDim).toBe(68);
    expect(ds.tasks.map((t) => [t.name, t.labels.length])).toEqual([
      ['Emotion', 36], ['Genre', 31], ['Genre-Best', 16], ['Instrument', 24],
      ['Instrument-Solo', 9], ['Song', 27], ['Usage', 15], ['Vocals', 16],
    ]);
    expect(ds.tasks.reduce((a, t) => a + t.labels.length, 0)).toBe(174);
    expect(ds.tasks[0]!.labels).toContain('Angry-Agressive');
    expect(ds.tasks[0]!.labels).toContain('NOT-Emotion-Happy');
    expect(total(ds)).toBe(502);
    expect([ds.train.n, ds.valid.n, ds.test.n]).toEqual([352, 50, 100]);
    expect(ds.train.x.length).toBe(352 * 68);
  });

  it('merges Genre-Best into Genre and Solo into Instrument for the 6 concepts', async () => {
    const ds = await loadArff(opts({ taskGrouping: 'cal500-6' }));
    expect(ds.tasks.map((t) => [t.name, t.labels.length])).toEqual([
      ['Emotion', 36], ['Genre', 47], ['Instrument', 33], ['Song', 27], ['Usage', 15], ['Vocals', 16],
    ]);
  });

  it('splits deterministically by seed and keeps raw feature values', async () => {
    const a = await loadArff(opts({}));
    const b = await loadArff(opts({}));
    const c = await loadArff(opts({ splitSeed: 12 }));
    expect(b.test.x).toEqual(a.test.x);
    expect(c.test.x).not.toEqual(a.test.x);
    const raw = await readArff(cal500);
    const firstRow = Array.from(raw.data.subarray(0, 68));
    const all = [a.train, a.valid, a.test].some((s) => {
      for (let i = 0; i < s.n; i++) if (Array.from(s.x.subarray(i * 68, i * 68 + 68)).every((v, j) => v === firstRow[j])) return true;
      return false;
    });
    expect(all).toBe(true);
  });

  it('supports prefix and explicit groupings, rejecting unknown labels by field', async () => {
    const prefix = await loadArff(opts({ taskGrouping: 'prefix' }));
    expect(prefix.tasks.find((t) => t.name === 'Vocals')?.labels).toHaveLength(16);
    const explicit = await loadArff(opts({
      taskGrouping: 'explicit',
      groups: [{ task: 'moods', labels: ['Emotion-Happy', 'Emotion-Sad'] }, { task: 'voice', labels: ['Vocals-Duet'] }],
    }));
    expect(explicit.tasks).toEqual([{ name: 'moods', labels: ['Emotion-Happy', 'Emotion-Sad'] }, { name: 'voice', labels: ['Vocals-Duet'] }]);
    const err = await rejection(loadArff(opts({ taskGrouping: 'explicit', groups: [{ task: 'x', labels: ['Emotion-Happy', 'Bogus'] }] })));
    expect(err.violations[0]!.field).toBe('dataset.arff.groups[0].labels[1]');
  });
});

describe('yeast', () => {
  it('loads the standard split: 1500 / 917 x 103, 14 labels as one task', async () => {
    const ds = await loadArff(opts({ path: yeastTrain, testPath: yeastTest, labelsXmlPath: '', taskGrouping: 'single' }));
    expect(ds.inputDim).toBe(103);
    expect(ds.tasks).toHaveLength(1);
    expect(ds.tasks[0]!.name).toBe('MultiLabelData');
    expect(ds.tasks[0]!.labels).toEqual(Array.from({ length: 14 }, (_, i) => `Class${i + 1}`));
    expect(ds.train.n + ds.valid.n).toBe(1500);
    expect(ds.valid.n).toBe(150);
    expect(ds.test.n).toBe(917);
    expect(ds.test.tasks[0]!.labels).toHaveLength(917 * 14);
  });

  it('rejects a CAL500 grouping of labels that are not CAL500', async () => {
    const err = await rejection(loadArff(opts({ path: yeastTrain, labelsXmlPath: '' })));
    expect(err.violations[0]!.field).toBe('dataset.arff.task_grouping');
  });
});

describe('ARFF format', () => {
  const meka = `% a MEKA file: labels first
@relation 'toy: -C 2 -split 0'
@attribute 'label one' {0,1}
@attribute lab-two {0,1}
@attribute "feat a" numeric
@attribute feat_b REAL
@attribute colour {red,green}

@data
1,0,0.5,-2,green
% comment inside data
{0 1, 1 1, 2 3.25}
{}
0,1,'7',1e-3,red
`;

  it('reads the MEKA layout with quoted names, sparse rows and nominal features', async () => {
    const file = await fixture('toy.arff', meka);
    const a = parseArff(meka, file);
    expect(a.attributes.map((x) => x.name)).toEqual(['label one', 'lab-two', 'feat a', 'feat_b', 'colour']);
    expect(Array.from(a.data)).toEqual([1, 0, 0.5, -2, 1, 1, 1, 3.25, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7, Math.fround(1e-3), 0]);
    const ds = await loadArff({ ...opts({}), path: file, labelsXmlPath: '', taskGrouping: 'single', validFraction: 0, testFraction: 0 });
    expect(ds.name).toBe('toy');
    expect(ds.inputDim).toBe(3);
    expect(ds.tasks).toEqual([{ name: 'toy', labels: ['label one', 'lab-two'] }]);
    // The all-zero row has no positive label and joins no task.
    expect(ds.train.n).toBe(3);
    expect(Array.from(ds.train.tasks[0]!.labels)).toEqual([1, 0, 1, 1, 0, 1]);
    const prefix = await loadArff({ ...opts({}), path: file, labelsXmlPath: '', taskGrouping: 'prefix', validFraction: 0, testFraction: 0 });
    expect(prefix.tasks.map((t) => t.name)).toEqual(['label one', 'lab']);
  });

  it('reads labels named by a MULAN XML, nested ones included', async () => {
    const file = await fixture('mulan.arff', '@relation m\n@attribute f1 numeric\n@attribute a {0,1}\n@attribute f2 numeric\n@attribute b {0,1}\n@data\n1,1,2,0\n3,0,4,1\n');
    const xml = await fixture('mulan.xml', '<?xml version="1.0"?><labels xmlns="http://mulan.sourceforge.net/labels"><label name="a"><label name="b"/></label></labels>');
    const ds = await loadArff({ ...opts({}), path: file, labelsXmlPath: xml, taskGrouping: 'single', validFraction: 0, testFraction: 0 });
    expect(ds.inputDim).toBe(2);
    expect(Array.from(ds.train.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(ds.train.tasks[0]!.labels)).toEqual([1, 0, 0, 1]);
    const bad = await fixture('bad.xml', '<labels><label name="zzz"/></labels>');
    const err = await rejection(loadArff({ ...opts({}), path: file, labelsXmlPath: bad, taskGrouping: 'single' }));
    expect(err.violations[0]!.field).toBe('dataset.arff.labels_xml_path');
    const broken = await fixture('broken.xml', '<labels><label name="a"></labels>');
    const xmlErr = await rejection(loadArff({ ...opts({}), path: file, labelsXmlPath: broken, taskGrouping: 'single' }));
    expect(xmlErr.message).toMatch(/broken\.xml: bad XML at line 1/);
    expect(xmlErr.violations[0]!.field).toBe('dataset.arff.labels_xml_path');
    const missing = await rejection(loadArff({ ...opts({}), path: path.join(tmp, 'none.arff'), labelsXmlPath: '' }));
    expect(missing.message).toBe('cannot read none.arff: ENOENT');
    expect(missing.violations[0]!.field).toBe('dataset.arff.path');
  });

  it('rejects NaN, missing values, wrong widths and non-binary labels, naming file and row', async () => {
    const head = '@relation r\n@attribute f numeric\n@attribute g numeric\n@attribute l {0,1}\n@data\n1,2,1\n';
    for (const [row, pattern] of [
      ['3,NaN,1', /nan\.arff: row 1 \(line 7\): 'NaN' is not a number/],
      ['3,?,1', /nan\.arff: row 1 \(line 7\): missing value/],
      ['3,1', /nan\.arff: row 1 \(line 7\): 2 values, expected 3/],
      ['3,1,2', /nan\.arff: row 1 \(line 7\): '2' is not a value of l/],
    ] as const) {
      const file = await fixture('nan.arff', `${head}${row}\n`);
      const err = await rejection(loadArff({ ...opts({}), path: file, labelsXmlPath: '', taskGrouping: 'single' }));
      expect(err.message).toMatch(pattern);
      expect(err.violations[0]!.field).toBe('dataset.arff.path');
    }
    const numericLabel = await fixture('num.arff', '@relation r -C 1\n@attribute l numeric\n@attribute f numeric\n@data\n1,2\n0.5,3\n');
    const err = await rejection(loadArff({ ...opts({}), path: numericLabel, labelsXmlPath: '', taskGrouping: 'single' }));
    expect(err.message).toMatch(/num\.arff: row 1: label l is 0.5/);
    expect(err.violations[0]!.field).toBe('dataset.arff.path');
  });

  it('rejects a test file whose attributes differ', async () => {
    const a = await fixture('a.arff', '@relation r\n@attribute f numeric\n@attribute l {0,1}\n@data\n1,1\n2,1\n');
    const b = await fixture('b.arff', '@relation r\n@attribute g numeric\n@attribute l {0,1}\n@data\n1,1\n');
    const err = await rejection(loadArff({ ...opts({}), path: a, testPath: b, labelsXmlPath: '', taskGrouping: 'single' }));
    expect(err.violations[0]!.field).toBe('dataset.arff.test_path');
  });
});
