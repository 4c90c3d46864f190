/**
 * Turns the dataset paths of a training request into absolute paths confined to the data roots, at submission
 * time, so that a bad path is an INVALID_ARGUMENT of TrainJob and not a failure of the job later. An uploaded
 * dataset's layout is detected from its files: TFRecords plus a vocabulary CSV is YouTube-8M; an ARFF file is
 * MULAN/MEKA.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataRoots } from '../data/data-roots.js';
import { DEFAULT_SPLIT, DEFAULT_YT8M_SPLIT, type TrainRequest } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import type { DatasetStore } from '../store/dataset-store.js';

export function datasetResolver(roots: DataRoots, datasets: DatasetStore): (req: TrainRequest) => Promise<TrainRequest> {
  const base = async (datasetId: string): Promise<string | undefined> => {
    if (!datasetId) return undefined;
    await datasets.get(datasetId);
    return datasets.dir(datasetId);
  };
  const many = async (files: string[], field: string, dir?: string): Promise<string[]> =>
    (await Promise.all(files.map((f, i) => roots.resolve(f, `${field}[${i}]`, dir)))).flat();
  const one = async (file: string, field: string, dir?: string): Promise<string> => {
    if (!file) return '';
    const r = await roots.resolve(file, field, dir);
    if (r.length !== 1) throw InvalidArgumentError.field(field, `"${file}" must name exactly one file`);
    return r[0]!;
  };

  return async (req) => {
    const d = req.dataset;
    switch (d.kind) {
      case 'synthetic':
        return req;
      case 'yt8m': {
        const dir = await base(d.datasetId);
        return {
          ...req,
          dataset: {
            ...d,
            trainFiles: await many(d.trainFiles, 'yt8m.train_files', dir),
            validFiles: await many(d.validFiles, 'yt8m.valid_files', dir),
            testFiles: await many(d.testFiles, 'yt8m.test_files', dir),
            vocabularyPath: await one(d.vocabularyPath, 'yt8m.vocabulary_path', dir),
          },
        };
      }
      case 'arff': {
        const dir = await base(d.datasetId);
        return {
          ...req,
          dataset: {
            ...d,
            path: await one(d.path, 'arff.path', dir),
            testPath: await one(d.testPath, 'arff.test_path', dir),
            labelsXmlPath: await one(d.labelsXmlPath, 'arff.labels_xml_path', dir),
          },
        };
      }
      case 'uploaded': {
        const manifest = await datasets.get(d.datasetId);
        const dir = datasets.dir(d.datasetId);
        const names = manifest.files.map((f) => f.fileName);
        const records = names.filter((n) => /\.tfrecords?$/i.test(n)).sort();
        const vocab = names.find((n) => /\.csv$/i.test(n));
        const arff = names.filter((n) => /\.arff$/i.test(n)).sort();
        if (records.length && vocab) {
          return {
            ...req,
            dataset: {
              kind: 'yt8m',
              trainFiles: records.map((n) => path.join(dir, n)),
              validFiles: [],
              testFiles: [],
              vocabularyPath: path.join(dir, vocab),
              verticals: [],
              ...DEFAULT_YT8M_SPLIT,
              splitSeed: 0,
              datasetId: d.datasetId,
            },
          };
        }
        if (arff.length) {
          const xml = names.find((n) => /\.xml$/i.test(n));
          const test = arff.find((n) => /test/i.test(n));
          const train = arff.find((n) => n !== test) ?? arff[0]!;
          return {
            ...req,
            dataset: {
              kind: 'arff',
              path: path.join(dir, train),
              testPath: test && test !== train ? path.join(dir, test) : '',
              labelsXmlPath: xml ? path.join(dir, xml) : '',
              taskGrouping: 'prefix',
              groups: [],
              ...DEFAULT_SPLIT,
              splitSeed: req.seed,
              datasetId: d.datasetId,
            },
          };
        }
        await fs.access(dir);
        throw InvalidArgumentError.field('dataset_id', `dataset ${d.datasetId} holds neither TFRecords with a vocabulary CSV nor ARFF files`);
      }
    }
  };
}

/**
 * Replicas: a request resolved on the replica that took the submission names that replica's copy of an uploaded
 * dataset. The replica that runs the job fetches its own copy and points the paths at it.
 */
export function datasetLocalizer(datasets: DatasetStore): (req: TrainRequest) => Promise<TrainRequest> {
  return async (req) => {
    const d = req.dataset;
    if ((d.kind !== 'yt8m' && d.kind !== 'arff') || !d.datasetId) return req;
    await datasets.get(d.datasetId);
    const local = datasets.dir(d.datasetId);
    const marker = `${path.sep}${d.datasetId}${path.sep}`;
    const move = (p: string): string => (p && p.includes(marker) ? path.join(local, p.slice(p.lastIndexOf(marker) + marker.length)) : p);
    if (d.kind === 'yt8m') {
      return { ...req, dataset: { ...d, trainFiles: d.trainFiles.map(move), validFiles: d.validFiles.map(move), testFiles: d.testFiles.map(move), vocabularyPath: move(d.vocabularyPath) } };
    }
    return { ...req, dataset: { ...d, path: move(d.path), testPath: move(d.testPath), labelsXmlPath: move(d.labelsXmlPath) } };
  };
}
