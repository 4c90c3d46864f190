/**
 * `npm run experiments -- --dataset yt8m --phase tune|final|report [filters]`: the paper's Table 1 on the 43,458
 * real YouTube-8M videos of ../shared/data/yt8m-video-level-validate (protocol: docs/results/yt8m.md).
 *
 *   --phase tune   --methods TAAN,HARD_SHARE --lr 1e-4,3e-4,1e-3 [--wd 0] [--c 0.1] [--batch 64] --seeds 0
 *                  every combination of the grids, validation only (the test split is withheld from these runs)
 *   --phase final  --methods ... --seeds 0,1,2,3,4
 *                  per method, the tune run with the best validation mean mAP@10 (same batch, epochs and widths)
 *                  is retrained with each seed and scored on the test split once
 *   --phase report writes docs/results/yt8m.md from the run files
 *   --phase prior  prints the class-prior predictor's validation mean mAP@10 (the level a model that learned
 *                  nothing but label frequencies reaches)
 *
 * Each finished run is one JSON file under docs/results/yt8m/runs/<phase>/; a rerun skips the runs that have one.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dropUntrainableTasks, type MultiTaskDataset } from '../../src/data/dataset.js';
import { loadYt8m } from '../../src/data/yt8m.js';
import type { MeasureMode } from '../../src/domain/model-spec.js';
import { METHODS, methodNamed } from './methods.js';
import { initBackend } from '../../src/model/backend.js';
import { existsSync } from 'node:fs';
import { executeRun, readRuns, runFile, runKey, type Phase, type RunConfig } from './yt8m-runs.js';
import { writeYt8mReport } from './yt8m-report.js';
import { classPriorMapAt10 } from './class-prior.js';


export async function runYt8m(argv: string[], root: string, data: string): Promise<void> {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      dataset: { type: 'string' },
      phase: { type: 'string', default: 'tune' },
      methods: { type: 'string', default: 'HARD_SHARE,TAAN' },
      seeds: { type: 'string', default: '0' },
      lr: { type: 'string', default: '1e-4,3e-4,1e-3' },
      wd: { type: 'string', default: '0' },
      c: { type: 'string', default: '0.1' },
      batch: { type: 'string', default: '64' },
      epochs: { type: 'string', default: '10' },
      patience: { type: 'string', default: '3' },
      hidden: { type: 'string', default: '512,512,512' },
      basis: { type: 'string', default: '64' },
      measure: { type: 'string', default: 'STANDARD' },
      threads: { type: 'string', default: '2' },
      backend: { type: 'string', default: 'auto' },
      out: { type: 'string', default: 'docs/results' },
      // Tests: fewer shards (a glob under yt8m-video-level-validate/); the results always use all 150.
      shards: { type: 'string', default: 'validate*.tfrecord' },
    },
  });
  const dir = path.resolve(root, a.out, 'yt8m');
  const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);
  const nums = (s: string): number[] => list(s).map(Number);
  const phase = a.phase as Phase | 'report' | 'prior';
  if (phase === 'report') {
    await writeYt8mReport(dir, path.resolve(root, a.out, 'yt8m.md'));
    return;
  }
  if (phase === 'prior') {
    const ds = await loadTable1Data(data, a.shards);
    process.stdout.write(`${JSON.stringify({ split: 'valid', classPriorMeanMapAt10: classPriorMapAt10(ds, ds.valid).mean })}\n`);
    return;
  }
  const methods = list(a.methods);
  for (const m of methods) if (!methodNamed(m)) throw new Error(`unknown method ${m}: one of ${METHODS.map((x) => x.name).join(', ')}`);
  const seeds = nums(a.seeds);
  const base = {
    hiddenSizes: nums(a.hidden),
    numBasis: Number(a.basis),
    measure: a.measure as MeasureMode,
    maxEpochs: Number(a.epochs),
    earlyStoppingPatience: Number(a.patience),
  };
  const plan: Array<{ config: RunConfig; seed: number }> = [];
  for (const method of methods) {
    const { architecture, regularizer, lossWeighting } = methodNamed(method)!;
    if (phase === 'tune') {
      for (const learningRate of nums(a.lr))
        for (const weightDecay of nums(a.wd))
          for (const batchSizePerTask of nums(a.batch))
            for (const regCoefficient of regularizer === 'NONE' ? [0] : nums(a.c))
              for (const seed of seeds)
                plan.push({ config: { method, architecture, regularizer, ...(lossWeighting !== 'EQUAL' && { lossWeighting }), ...base, learningRate, weightDecay, batchSizePerTask, regCoefficient }, seed });
    } else {
      const chosen = chooseConfig(dir, method, { ...base, batchSizePerTask: Number(nums(a.batch)[0]) });
      for (const seed of seeds) plan.push({ config: chosen, seed });
    }
  }
  const todo = plan.filter((p) => !existsSync(runFile(dir, phase, runKey(p.config, p.seed))));
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`yt8m ${phase}: ${plan.length} runs planned, ${plan.length - todo.length} already done, ${todo.length} to run`);
  if (todo.length === 0) return;
  const backend = await initBackend(a.backend as 'auto');
  const t0 = performance.now();
  const ds = await loadTable1Data(data, a.shards);
  log(`loaded ${ds.train.n}/${ds.valid.n}/${ds.test.n} train/valid/test videos in ${((performance.now() - t0) / 1000).toFixed(1)} s (backend ${backend.name})`);
  for (const { config, seed } of todo) {
    const r = await executeRun(dir, phase, config, seed, ds, { backend: backend.name, threads: Number(a.threads) }, log);
    log(`${phase} ${r.key}: valid ${r.valid.meanMapAt10.toFixed(4)}${r.test ? `, test ${r.test.meanMapAt10.toFixed(4)}` : ''} (best epoch ${r.bestEpoch}/${r.epochsRun}, ${r.seconds.toFixed(0)} s)`);
  }
}

/** The 150 shards, split 80/10/10 by the md5 of the video id (the service's default split). */
export async function loadTable1Data(data: string, shards = 'validate*.tfrecord'): Promise<MultiTaskDataset> {
  const ds = await loadYt8m({
    trainFiles: [path.join(data, 'yt8m-video-level-validate', shards)],
    validFiles: [],
    testFiles: [],
    vocabularyPath: path.join(data, 'yt8m-vocabulary/vocabulary.csv'),
    verticals: [],
    validFraction: 0.1,
    testFraction: 0.1,
    splitSeed: 0,
  });
  return dropUntrainableTasks(ds).dataset;
}

/** The tune run of `method` with the best validation score among those of the same budget. */
export function chooseConfig(
  dir: string,
  method: string,
  budget: Pick<RunConfig, 'hiddenSizes' | 'numBasis' | 'measure' | 'maxEpochs' | 'earlyStoppingPatience' | 'batchSizePerTask'>,
): RunConfig {
  const same = (c: RunConfig): boolean =>
    c.method === method &&
    c.hiddenSizes.join() === budget.hiddenSizes.join() &&
    (c.architecture !== 'TAAN' || (c.numBasis === budget.numBasis && c.measure === budget.measure)) &&
    c.maxEpochs === budget.maxEpochs &&
    c.earlyStoppingPatience === budget.earlyStoppingPatience &&
    c.batchSizePerTask === budget.batchSizePerTask;
  const runs = readRuns(dir, 'tune').filter((r) => same(r.config));
  if (runs.length === 0) throw new Error(`no tune run of ${method} with this budget: run --phase tune first`);
  return runs.reduce((a, r) => (r.valid.meanMapAt10 > a.valid.meanMapAt10 ? r : a)).config;
}
