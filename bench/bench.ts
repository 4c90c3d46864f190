/**
 * `npm run bench`: training step cost at the paper's speed configuration (input 1152, 3 x 512, M = 64, 16 tasks
 * with the YouTube-8M class counts, 64 rows per task per step) for HARD_SHARE, TAAN and TAAN with each
 * regularizer; forward latency at batch 1/32/1024; and the PyTorch peer in the same run (Debian's python3-torch and
 * libopenblas0-pthread, installed when missing: bench/peer.ts). Prints one JSON document
 * (stdout; use `npm run -s bench` so npm adds no banner) and a short table (stderr). Flags: --backend wasm|cpu|tensorflow|auto, --steps N, --no-peer.
 *
 * Then Predict over real gRPC against the real server process (bench/predict-load.ts): 1 client x batch 1, 64
 * clients x batch 1 for 30 s, 16 clients while a job trains, RSS after warm-up and after the load, tensor counts,
 * each against issue 6's targets. Flags: --predict-seconds N (the 64-client load), --predict-client auto|python|node,
 * --no-predict; --quick (or TAAN_BENCH_QUICK=1) shortens the Predict runs to a smoke test (with --steps 2 --no-peer,
 * the whole bench takes about a minute).
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { TaskBatch } from '../src/domain/batch.js';
import type { Architecture, ModelConfig, Regularizer } from '../src/domain/model-spec.js';
import { Adam } from '../src/model/adam.js';
import { initBackend, type BackendChoice } from '../src/model/backend.js';
import { OffsetCache } from '../src/model/layer-pass.js';
import { Network } from '../src/model/network.js';
import { predictTask } from '../src/model/predict.js';
import { trainStep } from '../src/model/train-step.js';
import { Rng } from '../src/util/rng.js';
import { runParallel } from './parallel.js';
import { findPeerScript, preparePeer, runPeer, type PeerResult } from './peer.js';
import { predictTable, runPredictBench, type LoadClientKind, type PredictBenchResult } from './predict-load.js';

const YT8M_CLASSES = [525, 734, 466, 167, 278, 302, 259, 150, 132, 86, 116, 26, 120, 116, 48, 32];
const INPUT = 1152;
const HIDDEN = [512, 512, 512];
const M = 64;
const ROWS_PER_TASK = 64;

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '10' },
    'no-peer': { type: 'boolean', default: false },
    'no-predict': { type: 'boolean', default: false },
    'predict-seconds': { type: 'string' },
    'predict-client': { type: 'string', default: 'auto' },
    quick: { type: 'boolean', default: process.env['TAAN_BENCH_QUICK'] === '1' },
  },
});
const steps = Number(args.steps);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function config(architecture: Architecture): ModelConfig {
  return {
    architecture,
    inputDim: INPUT,
    hiddenSizes: HIDDEN,
    numBasis: M,
    tasks: YT8M_CLASSES.map((c, t) => ({ name: `task${t}`, labels: Array.from({ length: c }, () => '') })),
    measure: 'STANDARD',
  };
}

/** Same statistics as the peer's data: x ~ N(0, 1), labels Bernoulli(0.01). */
function randomBatch(rng: Rng): TaskBatch {
  const counts = YT8M_CLASSES.map(() => ROWS_PER_TASK);
  const x = Float32Array.from({ length: counts.length * ROWS_PER_TASK * INPUT }, () => rng.normal());
  const y = YT8M_CLASSES.map((c) => Float32Array.from({ length: ROWS_PER_TASK * c }, () => (rng.next() < 0.01 ? 1 : 0)));
  return { x, y, counts };
}

interface StepResult {
  stepSecondsMedian: number;
  rowsPerSecond: number;
  params: number;
}

/**
 * All variants are built first and timed round-robin, one step each per round, so that drift on the machine
 * (another process, heap growth) spreads over every variant instead of landing on whichever ran last.
 */
function benchTraining(variants: Array<[string, Architecture, Regularizer]>, batch: TaskBatch): Record<string, StepResult> {
  const runs = variants.map(([name, architecture, regularizer]) => {
    const net = Network.create(config(architecture), 0);
    const adam = new Adam(net, { learningRate: 1e-4, weightDecay: 0.005 });
    const offsets = new OffsetCache();
    const reg = { kind: regularizer, coefficient: 0.1 };
    for (let i = 0; i < 2; i++) trainStep(net, adam, batch, reg, offsets);
    return { name, net, adam, offsets, reg, times: [] as number[] };
  });
  for (let i = 0; i < steps; i++) {
    for (const r of runs) {
      const t0 = performance.now();
      trainStep(r.net, r.adam, batch, r.reg, r.offsets);
      r.times.push((performance.now() - t0) / 1000);
    }
  }
  const out: Record<string, StepResult> = {};
  for (const r of runs) {
    const stepSecondsMedian = median(r.times);
    out[r.name] = { stepSecondsMedian, rowsPerSecond: (YT8M_CLASSES.length * ROWS_PER_TASK) / stepSecondsMedian, params: r.net.paramCount() };
    r.net.dispose();
    r.adam.dispose();
    r.offsets.dispose();
  }
  return out;
}

function benchLatency(rng: Rng): Record<string, number> {
  const net = Network.create(config('TAAN'), 0);
  const out: Record<string, number> = {};
  for (const n of [1, 32, 1024]) {
    const x = Float32Array.from({ length: n * INPUT }, () => rng.normal());
    predictTask(net, x, n, 0, 1024);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      predictTask(net, x, n, 0, 1024);
      times.push((performance.now() - t0) / 1000);
    }
    out[String(n)] = median(times);
  }
  net.dispose();
  return out;
}

const backend = await initBackend(args.backend as BackendChoice);
const rng = new Rng(0);
const batch = randomBatch(rng);
const variants: Array<[string, Architecture, Regularizer]> = [
  ['HARD_SHARE', 'HARD_SHARE', 'NONE'],
  ['TAAN', 'TAAN', 'NONE'],
  ['TAAN+TRACE_NORM', 'TAAN', 'TRACE_NORM'],
  ['TAAN+COSINE', 'TAAN', 'COSINE'],
  ['TAAN+DISTANCE', 'TAAN', 'DISTANCE'],
];
const training = benchTraining(variants, batch);
for (const [name, r] of Object.entries(training)) {
  process.stderr.write(`${name.padEnd(16)} ${(r.stepSecondsMedian * 1000).toFixed(1).padStart(8)} ms/step ${r.rowsPerSecond.toFixed(0).padStart(7)} rows/s\n`);
}
// One job on both cores: two replicas, each on half of every task's rows, gradients averaged in shared memory.
for (const [name, arch] of [['TAAN (2 workers)', 'TAAN'], ['HARD_SHARE (2 workers)', 'HARD_SHARE']] as const) {
  const probe = Network.create(config(arch), 0);
  const paramCount = probe.paramCount();
  probe.dispose();
  const run = await runParallel(config(arch), batch, { world: 2, paramCount, regularizer: 'NONE', learningRate: 1e-4, warmup: 2, steps, returnParams: false });
  const stepSecondsMedian = median(run.stepSeconds);
  training[name] = { stepSecondsMedian, rowsPerSecond: (YT8M_CLASSES.length * ROWS_PER_TASK) / stepSecondsMedian, params: paramCount };
  process.stderr.write(`${name.padEnd(22)} ${(stepSecondsMedian * 1000).toFixed(1).padStart(8)} ms/step ${training[name].rowsPerSecond.toFixed(0).padStart(7)} rows/s\n`);
}
const latency = benchLatency(rng);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = findPeerScript(root);
let peer: { taan: PeerResult; hard: PeerResult } | { skipped: string };
if (args['no-peer']) peer = { skipped: '--no-peer' };
else if (!script) peer = { skipped: '../shared/bench/torch_taan_peer.py not found' };
else {
  const cannot = preparePeer((line) => process.stderr.write(`${line}\n`));
  peer = cannot ? { skipped: cannot } : { taan: runPeer(script, 'taan', steps), hard: runPeer(script, 'hard', steps) };
}

const ours = (k: string): StepResult => training[k]!;
const ratios: Record<string, number> = {
  taanStepOverHardShareStep: ours('TAAN').stepSecondsMedian / ours('HARD_SHARE').stepSecondsMedian,
  traceNormStepOverTaanStep: ours('TAAN+TRACE_NORM').stepSecondsMedian / ours('TAAN').stepSecondsMedian,
  cosineStepOverTaanStep: ours('TAAN+COSINE').stepSecondsMedian / ours('TAAN').stepSecondsMedian,
  distanceStepOverTaanStep: ours('TAAN+DISTANCE').stepSecondsMedian / ours('TAAN').stepSecondsMedian,
  taan2WorkersRowsOverTaanRows: ours('TAAN (2 workers)').rowsPerSecond / ours('TAAN').rowsPerSecond,
};
if ('taan' in peer) {
  ratios.taanRowsOverPeerTaanRows = ours('TAAN').rowsPerSecond / peer.taan.samples_per_s;
  ratios.hardShareRowsOverPeerHardRows = ours('HARD_SHARE').rowsPerSecond / peer.hard.samples_per_s;
  ratios.taan2WorkersRowsOverPeerTaanRows = ours('TAAN (2 workers)').rowsPerSecond / peer.taan.samples_per_s;
  ratios.peerTaanStepOverPeerHardStep = peer.taan.step_s_median / peer.hard.step_s_median;
}
for (const [k, v] of Object.entries(ratios)) process.stderr.write(`${k.padEnd(32)} ${v.toFixed(3)}\n`);

let predict: PredictBenchResult | { skipped: string };
if (args['no-predict']) {
  predict = { skipped: '--no-predict' };
} else {
  predict = await runPredictBench({
    ...(args['predict-seconds'] ? { seconds: Number(args['predict-seconds']) } : {}),
    quick: args.quick,
    client: args['predict-client'] as 'auto' | LoadClientKind,
    backend: args.backend,
  });
  for (const line of predictTable(predict)) process.stderr.write(`${line}\n`);
  for (const [k, c] of Object.entries(predict.checks)) if (c.ratio !== null) ratios[`predict.${k}`] = c.ratio;
}

const doc = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version },
  backend: { name: backend.name, provider: backend.provider, reason: backend.reason },
  config: { input: INPUT, hidden: HIDDEN, numBasis: M, tasks: YT8M_CLASSES.length, classes: 3557, rowsPerTaskPerStep: ROWS_PER_TASK, steps },
  training,
  forwardLatencySeconds: latency,
  peer,
  predict,
  ratios,
};
process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
