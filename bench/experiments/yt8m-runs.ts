/**
 * One training run of the YouTube-8M experiments (docs/results/yt8m.md), written as one JSON file the moment it
 * finishes, so the table can be built over several sessions: a rerun finds the file and skips the run.
 *
 * Phases: `tune` runs never see the test split (it is replaced by an empty one before training), and are compared on
 * validation only; `final` runs (the chosen configuration per method, several seeds) are scored on the test split
 * once, with per-video AP@10 kept so that the report can bootstrap over videos and pair methods on the same videos.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MultiTaskDataset, Split } from '../../src/data/dataset.js';
import type { Architecture, LossWeighting, MeasureMode, Regularizer } from '../../src/domain/model-spec.js';
import { mapAtK } from '../../src/eval/average-precision.js';
import { activationReport } from '../../src/functional/activation-report.js';
import { scoreSplit } from '../../src/training/evaluate.js';
import { train } from '../../src/training/trainer.js';

export type Phase = 'tune' | 'final';

export interface RunConfig {
  method: string;
  architecture: Architecture;
  regularizer: Regularizer;
  /** Absent: EQUAL (the runs made before loss weighting existed). */
  lossWeighting?: LossWeighting;
  hiddenSizes: number[];
  numBasis: number;
  measure: MeasureMode;
  learningRate: number;
  weightDecay: number;
  regCoefficient: number;
  batchSizePerTask: number;
  maxEpochs: number;
  earlyStoppingPatience: number;
}

export interface RunRecord {
  phase: Phase;
  key: string;
  config: RunConfig;
  seed: number;
  params: number;
  backend: string;
  threads: number;
  startedAt: string;
  /** Wall time of the training (data already loaded), seconds. */
  seconds: number;
  epochsRun: number;
  bestEpoch: number;
  history: Array<{ epoch: number; trainLoss: number; meanValidMapAt10: number; seconds: number }>;
  /** Validation mean mAP@10 at the best epoch (the model kept), and per task. */
  valid: { meanMapAt10: number; mapAt10: Record<string, number> };
  /** final runs only. */
  test?: {
    meanMapAt10: number;
    mapAt10: Record<string, number>;
    gapAt20: number;
    meanPerClassMap: number;
    /** sha256 of the test split's video ids, so runs are paired on the same videos. */
    idsHash: string;
    /** Per task, AP@10 of each of its test videos (in the split's row order), 4 decimals. */
    perVideoAp: Record<string, number[]>;
    /** Per task, the index of each of its test videos in the split's ids. */
    videoIndex?: Record<string, number[]>;
  };
  /** TAAN runs: per layer, the T x T functional distance D (row-major) of the model kept. */
  distances?: number[][];
}

export function runKey(c: RunConfig, seed: number): string {
  const num = (x: number): string => x.toExponential().replace('+', '');
  const parts = [
    c.method,
    `h${c.hiddenSizes.join('x')}`,
    ...(c.architecture === 'TAAN' ? [`m${c.numBasis}`, c.measure.toLowerCase()] : []),
    `lr${num(c.learningRate)}`,
    `wd${num(c.weightDecay)}`,
    ...(c.regularizer !== 'NONE' ? [`c${num(c.regCoefficient)}`] : []),
    `b${c.batchSizePerTask}`,
    `e${c.maxEpochs}p${c.earlyStoppingPatience}`,
    `s${seed}`,
  ];
  return parts.join('_');
}

export function runFile(dir: string, phase: Phase, key: string): string {
  return path.join(dir, 'runs', phase, `${key}.json`);
}

export function readRuns(dir: string, phase: Phase): RunRecord[] {
  const folder = path.join(dir, 'runs', phase);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(folder, f), 'utf8')) as RunRecord);
}

function emptySplit(tasks: number): Split {
  return { x: new Float32Array(0), n: 0, ids: [], tasks: Array.from({ length: tasks }, () => ({ rows: new Int32Array(0), labels: new Uint8Array(0) })) };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Trains one run and writes its record (atomically: a killed run leaves no file and is redone). */
export async function executeRun(
  dir: string,
  phase: Phase,
  config: RunConfig,
  seed: number,
  ds: MultiTaskDataset,
  meta: { backend: string; threads: number },
  log: (line: string) => void,
): Promise<RunRecord> {
  const key = runKey(config, seed);
  const file = runFile(dir, phase, key);
  const startedAt = new Date().toISOString();
  const data = phase === 'tune' ? { ...ds, test: emptySplit(ds.tasks.length) } : ds;
  const modelConfig = {
    architecture: config.architecture,
    inputDim: ds.inputDim,
    hiddenSizes: config.hiddenSizes,
    numBasis: config.numBasis,
    tasks: ds.tasks,
    measure: config.measure,
    lossWeighting: config.lossWeighting ?? 'EQUAL',
  };
  const t0 = performance.now();
  const r = await train(
    modelConfig,
    data,
    {
      learningRate: config.learningRate,
      weightDecay: config.weightDecay,
      regularizer: config.regularizer,
      regCoefficient: config.regCoefficient,
      batchSizePerTask: config.batchSizePerTask,
      maxEpochs: config.maxEpochs,
      earlyStoppingPatience: config.earlyStoppingPatience,
      seed,
    },
    {
      threads: meta.threads,
      onProgress: (p) => {
        if (p.kind === 'epoch') {
          const v = Object.values(p.validMapAt10 ?? {});
          log(`  ${key} epoch ${p.epoch}: loss ${p.loss.toFixed(4)}, valid mAP@10 ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(4)}, ${(p.stepSeconds * 1000).toFixed(0)} ms/step`);
        }
      },
    },
  );
  const seconds = (performance.now() - t0) / 1000;
  const best = r.history.reduce((a, h) => (h.meanValidMapAt10 > a.meanValidMapAt10 ? h : a), r.history[0]!);
  const record: RunRecord = {
    phase,
    key,
    config,
    seed,
    params: r.net.paramCount(),
    backend: meta.backend,
    threads: r.threads,
    startedAt,
    seconds,
    epochsRun: r.epochsRun,
    bestEpoch: best.epoch,
    history: r.history.map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, meanValidMapAt10: h.meanValidMapAt10, seconds: h.seconds })),
    valid: { meanMapAt10: best.meanValidMapAt10, mapAt10: best.validMapAt10 },
  };
  if (phase === 'final') {
    const blocks = scoreSplit(r.net, ds, ds.test);
    const perVideoAp: Record<string, number[]> = {};
    ds.tasks.forEach((t, i) => {
      const b = blocks[i]!;
      perVideoAp[t.name] = Array.from(mapAtK(b.scores, b.labels, b.n, b.C, 10).perExample, round4);
    });
    record.test = {
      meanMapAt10: r.metrics.meanMapAt10,
      mapAt10: r.metrics.mapAt10,
      gapAt20: r.metrics.gapAt20,
      meanPerClassMap: r.metrics.meanPerClassMap,
      idsHash: createHash('sha256').update((ds.test.ids ?? []).join('\n')).digest('hex'),
      perVideoAp,
      videoIndex: Object.fromEntries(ds.tasks.map((t, i) => [t.name, Array.from(ds.test.tasks[i]!.rows)])),
    };
  }
  if (config.architecture === 'TAAN') {
    const layers = r.net.towers[0]!.layers.map((l) => ({
      alpha: l.act!.alpha,
      hinges: l.act!.beta,
      ...(config.measure === 'RUNNING' ? { mu: l.act!.mu, sigma: l.act!.sigma } : { mu: 0, sigma: 1 }),
    }));
    record.distances = activationReport(layers, ds.tasks.length, 2).layers.map((l) => l.distance.map((d) => Number(d.toPrecision(6))));
  }
  r.net.dispose();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, `${JSON.stringify(record)}\n`);
  await rename(`${file}.tmp`, file);
  return record;
}
