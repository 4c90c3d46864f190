/**
 * `npm run experiments -- --dataset synthetic|cal500|yeast|yt8m-sample [--seeds 0,1,2] [--out docs/results] [--methods A,B]`
 * (`--dataset yt8m`, the 43k-video set: bench/experiments/yt8m.ts)
 *
 * `--methods` runs only the named methods (of METHODS) and merges their runs into the existing <dataset>.json,
 * replacing earlier runs of the same methods; the tables are rewritten from every run there. `--backend` (default
 * wasm, the backend of the committed tables) picks the compute path: the results are the same math, the times not.
 *
 * The paper's comparison on the data we have: STL, HARD_SHARE, TAAN and TAAN with each regularizer, the same budget
 * for every method, over several seeds. Writes <out>/<dataset>.md (a table like the paper's Table 1, per-task
 * mAP@10, the exact command and configuration), <out>/<dataset>.json (every number), and per-layer task-distance
 * heatmaps of the TAAN models (seed 0) as SVG files in <out>/<dataset>/.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadArff } from '../src/data/arff.js';
import { dropUntrainableTasks, type MultiTaskDataset } from '../src/data/dataset.js';
import { standardize } from '../src/data/standardize.js';
import { generateSynthetic } from '../src/data/synthetic.js';
import { loadYt8m } from '../src/data/yt8m.js';
import type { MeasureMode, ModelConfig, TrainOptions } from '../src/domain/model-spec.js';
import { activationReport } from '../src/functional/activation-report.js';
import { initBackend, type BackendChoice } from '../src/model/backend.js';
import { train } from '../src/training/trainer.js';
import { METHODS, methodNamed } from './experiments/methods.js';
import { runYt8m } from './experiments/yt8m.js';
import { heatmapSvg } from './svg-heatmap.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(ROOT, '../shared/data');

interface Setup {
  /** Builds the dataset for a seed (real data: a seeded split; synthetic: a seeded draw). */
  data: (seed: number) => Promise<MultiTaskDataset>;
  hiddenSizes: number[];
  numBasis: number;
  measure: MeasureMode;
  options: Omit<TrainOptions, 'regularizer' | 'seed'>;
  note: string;
}

const SETUPS: Record<string, Setup> = {
  synthetic: {
    data: async (seed) => generateSynthetic({ tasks: 16, clusters: 4, examplesPerTask: 2000, noise: 0.1, seed }),
    hiddenSizes: [8],
    numBasis: 16,
    measure: 'RUNNING',
    options: { regCoefficient: 0.1, learningRate: 3e-3, weightDecay: 0, batchSizePerTask: 32, maxEpochs: 20, earlyStoppingPatience: 0 },
    note: '16 tasks in 4 clusters, 2000 examples per task (60/20/20), noise 0.1; a fresh draw per seed (docs/synthetic.md).',
  },
  cal500: {
    data: async (seed) =>
      standardize(
        dropUntrainableTasks(
          await loadArff({
            path: path.join(DATA, 'cal500/CAL500.arff'),
            testPath: '',
            labelsXmlPath: path.join(DATA, 'cal500/CAL500.xml'),
            taskGrouping: 'cal500',
            groups: [],
            validFraction: 0.1,
            testFraction: 0.2,
            splitSeed: seed,
          }),
        ).dataset,
      ).dataset,
    hiddenSizes: [64, 64],
    numBasis: 16,
    measure: 'RUNNING',
    options: { regCoefficient: 0.1, learningRate: 1e-3, weightDecay: 0.005, batchSizePerTask: 32, maxEpochs: 60, earlyStoppingPatience: 10 },
    note: 'CAL500, 502 songs x 68 features (standardised with the training split), 174 labels in the 8 CAL500 groups as tasks; a seeded 70/10/20 split per seed (no standard split exists).',
  },
  yeast: {
    data: async (seed) =>
      standardize(
        await loadArff({
          path: path.join(DATA, 'yeast/yeast-train.arff'),
          testPath: path.join(DATA, 'yeast/yeast-test.arff'),
          labelsXmlPath: '',
          taskGrouping: 'single',
          groups: [],
          validFraction: 0.1,
          testFraction: 0,
          splitSeed: seed,
        }),
      ).dataset,
    hiddenSizes: [64, 64],
    numBasis: 16,
    measure: 'RUNNING',
    options: { regCoefficient: 0.1, learningRate: 1e-3, weightDecay: 0, batchSizePerTask: 32, maxEpochs: 60, earlyStoppingPatience: 10 },
    note: "yeast (MULAN), the standard split: 1500 training genes (10% held out for validation, seeded) and 917 test genes x 103 features (standardised with the training split), 14 labels as one task. With a single task there is nothing to share: STL and HARD_SHARE are the same model, TAAN is that model with one learned activation per layer, and the cosine and distance regularizers are constant (one task's function compared with itself). It is the single-task sanity set of data.md.",
  },
  'yt8m-sample': {
    data: async (seed) =>
      dropUntrainableTasks(
        await loadYt8m({
          trainFiles: ['validate0040', 'validate0065', 'validate0067', 'validate0076'].map((s) => path.join(DATA, `yt8m-video-level-sample/${s}.tfrecord`)),
          validFiles: [],
          testFiles: [],
          vocabularyPath: path.join(DATA, 'yt8m-vocabulary/vocabulary.csv'),
          verticals: [],
          validFraction: 0.1,
          testFraction: 0.2,
          splitSeed: seed,
        }),
      ).dataset,
    hiddenSizes: [256, 256, 256],
    numBasis: 64,
    measure: 'STANDARD',
    options: { regCoefficient: 0.1, learningRate: 1e-3, weightDecay: 0.005, batchSizePerTask: 32, maxEpochs: 30, earlyStoppingPatience: 5 },
    note: 'YouTube-8M video-level sample: 1000 videos of 4 validate shards (980 with a label of the 16 verticals), raw 1152 features, the 16 verticals of the paper as tasks; a seeded 70/10/20 split per seed. The paper trains on millions of videos: absolute numbers are not comparable to its Table 1.',
  },
};


interface Run {
  method: string;
  seed: number;
  params: number;
  mapAt10: Record<string, number>;
  meanMapAt10: number;
  gapAt20: number;
  meanPerClassMap: number;
  epochs: number;
  seconds: number;
}

// The 43k-video set has a runner of its own (phases, resumable run files): bench/experiments/yt8m.ts.
if (parseArgs({ strict: false, options: { dataset: { type: 'string' } } }).values['dataset'] === 'yt8m') {
  await runYt8m(process.argv.slice(2), ROOT, DATA);
  process.exit(0);
}

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string' },
    seeds: { type: 'string', default: '0,1,2' },
    out: { type: 'string', default: 'docs/results' },
    methods: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const name = args.dataset ?? '';
const setup = SETUPS[name];
if (!setup) {
  process.stderr.write(`error: --dataset must be one of ${Object.keys(SETUPS).join(', ')}\n`);
  process.exit(2);
}
const seeds = args.seeds.split(',').map(Number);
const out = path.resolve(ROOT, args.out);
const chosen = args.methods ? args.methods.split(',') : METHODS.map((m) => m.name);
const unknown = chosen.filter((m) => !methodNamed(m));
if (unknown.length) {
  process.stderr.write(`error: unknown method ${unknown.join(', ')}; known: ${METHODS.map((m) => m.name).join(', ')}\n`);
  process.exit(2);
}
await mkdir(path.join(out, name), { recursive: true });
const backend = await initBackend(args.backend as BackendChoice);

// With --methods, the other methods' runs (and commands) come from the existing results file.
const jsonPath = path.join(out, `${name}.json`);
const previous = args.methods && existsSync(jsonPath) ? (JSON.parse(await readFile(jsonPath, 'utf8')) as { runs: Run[]; command: string; commands?: string[] }) : null;
const runs: Run[] = previous ? previous.runs.filter((r) => !chosen.includes(r.method)) : [];
let taskNames: string[] = [];
for (const seed of seeds) {
  const ds = await setup.data(seed);
  taskNames = ds.tasks.map((t) => t.name);
  for (const { name: method, architecture, regularizer, lossWeighting } of METHODS) {
    if (!chosen.includes(method)) continue;
    const config: ModelConfig = {
      architecture,
      inputDim: ds.inputDim,
      hiddenSizes: setup.hiddenSizes,
      numBasis: setup.numBasis,
      tasks: ds.tasks,
      measure: setup.measure,
      lossWeighting,
    };
    const r = await train(config, ds, { ...setup.options, regularizer, seed });
    runs.push({
      method,
      seed,
      params: r.net.paramCount(),
      mapAt10: r.metrics.mapAt10,
      meanMapAt10: r.metrics.meanMapAt10,
      gapAt20: r.metrics.gapAt20,
      meanPerClassMap: r.metrics.meanPerClassMap,
      epochs: r.epochsRun,
      seconds: r.seconds,
    });
    process.stderr.write(`${name} seed ${seed} ${method.padEnd(16)} mAP@10 ${r.metrics.meanMapAt10.toFixed(4)} (${r.seconds.toFixed(1)} s, ${r.epochsRun} epochs)\n`);
    if (architecture === 'TAAN' && seed === seeds[0]) {
      const layers = r.net.towers[0]!.layers.map((l) => ({
        alpha: l.act!.alpha,
        hinges: l.act!.beta,
        ...(setup.measure === 'RUNNING' ? { mu: l.act!.mu, sigma: l.act!.sigma } : { mu: 0, sigma: 1 }),
      }));
      const report = activationReport(layers, ds.tasks.length, 2);
      for (const layer of report.layers) {
        const file = `${method.toLowerCase().replace('+', '-')}-layer${layer.layer + 1}.svg`;
        const names = ds.clusters ? taskNames.map((t, i) => `${t} (c${ds.clusters![i]})`) : taskNames;
        await writeFile(path.join(out, name, file), heatmapSvg(layer.distance, ds.tasks.length, names, report.taskOrder, `${name}: ${method}, layer ${layer.layer + 1}, functional distance D (seed ${seed})`));
      }
    }
    r.net.dispose();
  }
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => (xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);
const by = (m: string): Run[] => runs.filter((r) => r.method === m);
const ran = METHODS.filter((m) => by(m.name).length > 0).map((m) => [m.name, m.architecture] as const);
const command = `npm run experiments -- --dataset ${name} --seeds ${seeds.join(',')}${args.methods ? ` --methods ${chosen.join(',')}` : ''}${args.backend !== 'wasm' ? ` --backend ${args.backend}` : ''}`;
const commands = [...(previous ? (previous.commands ?? [previous.command]) : []), `${command} (backend ${backend.name}, ${new Date().toISOString().slice(0, 10)})`];
// Heatmaps of every TAAN variant present, whichever command drew them.
const heatmaps = ran
  .filter(([, a]) => a === 'TAAN')
  .flatMap(([m]) => setup.hiddenSizes.map((_, l) => `${name}/${m.toLowerCase().replace('+', '-')}-layer${l + 1}.svg`))
  .filter((f) => existsSync(path.join(out, f)));
const lines = [
  `# Results: ${name}`,
  '',
  `Commands: ${commands.map((c) => `\`${c.replace(/ \(backend.*/, '')}\`${c.match(/ \(backend.*/)?.[0] ?? ''}`).join('; ')}.`,
  '',
  setup.note,
  '',
  `Budget, the same for every method: hidden ${JSON.stringify(setup.hiddenSizes)}, M = ${setup.numBasis} (TAAN), measure ${setup.measure}, ` +
    `Adam lr ${setup.options.learningRate}, weight decay ${setup.options.weightDecay}, ${setup.options.batchSizePerTask} rows per task per step, ` +
    `at most ${setup.options.maxEpochs} epochs, early-stopping patience ${setup.options.earlyStoppingPatience || 'off'} on validation mean mAP@10, regularizer c = ${setup.options.regCoefficient}; seeds ${seeds.join(', ')}. ` +
    'SOFT_ORDER: the hidden sizes are its shared layers (plus a ReLU projection of the input to their width); MMOE: 8 experts, each an MLP of the hidden sizes, no task towers; +UNCERTAINTY: learned per-task log-variance weighting (docs/baselines.md).',
  '',
  '| method | parameters | mean test mAP@10 (mean ± sd over seeds) | task-restricted GAP@20 | per-class mAP | epochs | train time (s) |',
  '|---|---|---|---|---|---|---|',
  ...ran.map(([m]) => {
    const rs = by(m);
    return `| ${m} | ${rs[0]!.params.toLocaleString('en-US')} | ${mean(rs.map((r) => r.meanMapAt10)).toFixed(4)} ± ${sd(rs.map((r) => r.meanMapAt10)).toFixed(4)} | ${mean(rs.map((r) => r.gapAt20)).toFixed(4)} | ${mean(rs.map((r) => r.meanPerClassMap)).toFixed(4)} | ${mean(rs.map((r) => r.epochs)).toFixed(1)} | ${mean(rs.map((r) => r.seconds)).toFixed(1)} |`;
  }),
  '',
  'Every metric uses oracle task membership: an example is scored only by the tasks it has a label of (the paper\'s rule), and GAP@20 ranks its classes within those tasks.',
  '',
  '## Per-task test mAP@10 (mean over seeds)',
  '',
  `| task | ${ran.map(([m]) => m).join(' | ')} |`,
  `|---|${ran.map(() => '---').join('|')}|`,
  ...taskNames.map((t) => `| ${t} | ${ran.map(([m]) => {
    const v = by(m).map((r) => r.mapAt10[t]).filter((x): x is number => Number.isFinite(x));
    return v.length ? mean(v).toFixed(4) : 'n/a';
  }).join(' | ')} |`),
  '',
  '## Task-distance heatmaps (TAAN models, first seed; rows and columns in hierarchical-clustering order)',
  '',
  ...heatmaps.map((h) => `![${h}](${h})`),
  '',
];
await writeFile(path.join(out, `${name}.md`), lines.join('\n'));
await writeFile(path.join(out, `${name}.json`), JSON.stringify({ command: previous?.command ?? command, commands, dataset: name, seeds, setup: { ...setup, data: undefined }, runs }, null, 2));
process.stderr.write(`wrote ${path.relative(ROOT, path.join(out, `${name}.md`))}\n`);
