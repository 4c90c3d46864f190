/**
 * docs/results/yt8m.md from the run files of bench/experiments/yt8m.ts: the protocol (fixed before any number was
 * seen), the tuning table (validation only), Table 1 beside the paper with bootstrap intervals, paired differences,
 * the per-task table, the visualisation claim and one verdict line per claim of the paper.
 */
import { writeFile } from 'node:fs/promises';
import { readRuns, type RunRecord } from './yt8m-runs.js';
import { METHODS } from './methods.js';
import { bootstrap, spearman, type Interval, type ScoredRun } from './stats.js';

/** The paper's Table 1 (YouTube-8M, 16 tasks); MMoE and loss weighting are not in it. */
const PAPER: Record<string, number | undefined> = {
  STL: 0.675,
  HARD_SHARE: 0.775,
  SOFT_ORDER: 0.783,
  TAAN: 0.842,
  'TAAN+TRACE_NORM': 0.749,
  'TAAN+COSINE': 0.86,
  'TAAN+DISTANCE': 0.851,
};
const ORDER = METHODS.map((m) => m.name);
const FOOD = 'Food & Drink';
const HOME = 'Home & Garden';
const INTERNET = 'Internet & Telecom';

export const PROTOCOL = `## Protocol (fixed before the numbers)

- **Data.** The 150 real video-level shards of \`../shared/data/yt8m-video-level-validate\` (43,458 videos; the 42,737
  with a label of the paper's 16 verticals are kept). Input: mean_rgb ++ mean_audio, 1152 raw floats. Tasks: the 16
  Vertical1 tasks of the paper; a video belongs to every task it has a label of, in training and in evaluation.
- **Split.** Train / validation / test 80 / 10 / 10 by the md5 of the video id (the service's default split for
  YouTube-8M, \`splitOfId\` in src/data/yt8m.ts): every method and every seed sees the same videos.
- **Budget, the same for every method.** Hidden layers 3 x 512 (the paper's speed configuration), M = 64 hinges per
  TAAN layer, measure N(0, 1) for the regularizers, Adam, 64 rows per task per step (one mini-batch from every task;
  an epoch is as many steps as the largest task needs), at most 10 epochs, early stopping with patience 3 on the
  validation mean mAP@10; the model kept is the best validation epoch's. STL trains one such network per task.
- **Choosing the configuration (validation only).** Learning rate from {1e-4, 3e-4, 1e-3} for STL, HARD_SHARE and
  TAAN (seed 0, weight decay 0, the service's default); for each regularizer, c from {0.01, 0.1, 1} at TAAN's
  chosen learning rate. The test split is withheld from these runs (the runner replaces it with an empty split).
- **Baselines (added 2026-12-06, before any of their numbers).** SOFT_ORDER and MMOE (8 experts, each 3 x 512)
  choose their learning rate from the same grid on validation; uncertainty loss weighting (+UNCERTAINTY) has no
  coefficient to tune and runs at its architecture's chosen learning rate (one validation run, then the seeds).
- **Final runs.** The chosen configuration of each method, retrained with seeds 0-4 (HARD_SHARE, TAAN) or 0-2 (the
  others), each scored once on the test split. The headline is mean test mAP@10 (method.md §5) averaged over tasks
  and seeds.
- **Statistics.** 95% intervals from 2,000 bootstrap replicates that resample the seeds and the test videos (a
  video counts in each of its tasks); differences between methods are paired on the same seeds and videos. A claim
  of the paper *holds* when the interval of the difference lies on the paper's side of 0, *does not hold* when it
  lies on the other side, and *cannot tell* otherwise.
- **Visualisation claim.** For each final TAAN run and layer, the rank of Home & Garden and of Internet & Telecom
  among Food & Drink's 15 distances D (1 = nearest, 15 = farthest); the stability of D across seeds as the Spearman
  correlation of the off-diagonal entries between pairs of seeds.
`;

function scored(r: RunRecord): ScoredRun {
  const t = r.test!;
  const tasks = Object.keys(t.perVideoAp).map((name) => ({ ap: t.perVideoAp[name]!, video: t.videoIndex![name]! }));
  const videos = 1 + Math.max(...tasks.flatMap((x) => x.video));
  return { seed: r.seed, tasks, videos };
}

const f4 = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const signed = (x: number): string => (x >= 0 ? `+${x.toFixed(4)}` : x.toFixed(4));
const ci = (i: Interval): string => `[${f4(i.lo)}, ${f4(i.hi)}]`;
const sci = (i: Interval): string => `[${signed(i.lo)}, ${signed(i.hi)}]`;

function verdict(diff: Interval, paperSign: 1 | -1): string {
  if (!Number.isFinite(diff.lo)) return 'cannot tell (no runs)';
  // The interval of the difference, turned so that the paper's direction is positive.
  const [lo, hi] = paperSign > 0 ? [diff.lo, diff.hi] : [-diff.hi, -diff.lo];
  if (lo > 0) return 'holds';
  if (hi < 0) return 'does not hold';
  return 'cannot tell';
}

/** 1-based rank of `other` among `task`'s distances to the 15 other tasks (1 = nearest). */
function rankAmong(D: number[], names: string[], task: string, other: string): number {
  const T = names.length;
  const i = names.indexOf(task);
  const j = names.indexOf(other);
  const row = names.map((_, k) => k).filter((k) => k !== i);
  const sorted = [...row].sort((a, b) => D[i * T + a]! - D[i * T + b]!);
  return sorted.indexOf(j) + 1;
}

export async function writeYt8mReport(dir: string, file: string): Promise<void> {
  const tune = readRuns(dir, 'tune');
  const final = readRuns(dir, 'final').filter((r) => r.test);
  const hashes = new Set(final.map((r) => r.test!.idsHash));
  if (hashes.size > 1) throw new Error('final runs were scored on different test splits');
  const by = (m: string): RunRecord[] => final.filter((r) => r.config.method === m).sort((a, b) => a.seed - b.seed);
  const methods = ORDER.filter((m) => by(m).length > 0);
  const tasks = final[0] ? Object.keys(final[0].test!.mapAt10) : [];
  const lines: string[] = [
    '# Results: the paper\'s Table 1 on 43,458 real YouTube-8M videos',
    '',
    'Made by `npm run experiments -- --dataset yt8m --phase report` from the run files in `docs/results/yt8m/runs/`',
    '(one JSON per run, written by the `tune` and `final` phases; the commands are listed at the end).',
    '',
    PROTOCOL,
    '## Choosing the configuration: validation mean mAP@10 (seed 0, best epoch)',
    '',
    'Every tune run is listed, also those of the training-recipe study (docs/results/recipe.md: 256 rows, decay 0.005,',
    'no early stopping); the final phase chooses among the runs of the protocol\'s budget (64 rows, patience 3).',
    '',
    '| method | learning rate | weight decay | c | rows/task/step | patience | validation mAP@10 | best epoch | time (s) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const chosenKeys = new Set(final.map((r) => r.key.replace(/_s\d+$/, '')));
  for (const r of [...tune].sort((a, b) => ORDER.indexOf(a.config.method) - ORDER.indexOf(b.config.method) || a.key.localeCompare(b.key))) {
    const c = r.config;
    const mark = chosenKeys.has(r.key.replace(/_s\d+$/, '')) ? ' **(chosen)**' : '';
    lines.push(
      `| ${c.method}${mark} | ${c.learningRate} | ${c.weightDecay} | ${c.regularizer === 'NONE' ? '-' : c.regCoefficient} | ${c.batchSizePerTask} | ${c.earlyStoppingPatience || 'off'} | ${f4(r.valid.meanMapAt10)} | ${r.bestEpoch}/${r.epochsRun} | ${r.seconds.toFixed(0)} |`,
    );
  }
  lines.push('');
  if (methods.length === 0) {
    lines.push('No final run yet.', '');
    await writeFile(file, lines.join('\n'));
    return;
  }

  const S = Object.fromEntries(methods.map((m) => [m, by(m).map(scored)]));
  const summary = methods.map((m) => ({ m, runs: by(m), ci: bootstrap(S[m]!, null) }));
  lines.push(
    '## Table 1: mean test mAP@10',
    '',
    '| method | parameters | ours: mean test mAP@10 [95% interval] | seeds | paper (YouTube-8M, 16 tasks) | GAP@20 (task-restricted) | per-class mAP | epochs (best) | train time per run (s) |',
    '|---|---|---|---|---|---|---|---|---|',
  );
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const { m, runs, ci: c } of summary) {
    lines.push(
      `| ${m} | ${runs[0]!.params.toLocaleString('en-US')} | ${f4(c.mean)} ${ci(c)} | ${runs.map((r) => r.seed).join(', ')} | ${PAPER[m]?.toFixed(3) ?? '-'} | ${f4(mean(runs.map((r) => r.test!.gapAt20)))} | ${f4(mean(runs.map((r) => r.test!.meanPerClassMap)))} | ${mean(runs.map((r) => r.bestEpoch)).toFixed(1)} | ${mean(runs.map((r) => r.seconds)).toFixed(0)} |`,
    );
  }
  lines.push(
    '',
    'GAP@20 here ranks a video only within the classes of its own tasks (oracle task membership, as every figure on',
    'this page): it is not the YouTube-8M leaderboard GAP, which ranks all 3,862 classes. Train times are wall times of',
    'runs that shared the 2 cores with another run; several baseline runs of 2026-12-06 also include minutes stopped',
    '(SIGSTOP) while benchmarks ran, so the times compare only roughly (step costs: docs/benchmarks.md).',
    '',
    '## Paired differences (same seeds, same test videos)',
    '',
    '| difference | mean [95% interval] | per seed | paper |',
    '|---|---|---|---|',
  );
  // The sign is the paper's direction; 0 marks a comparison the paper did not make (shown when both have runs).
  const pairs: Array<[string, string, 1 | -1 | 0]> = [
    ['TAAN', 'HARD_SHARE', 1],
    ['TAAN', 'STL', 1],
    ['HARD_SHARE', 'STL', 1],
    ['TAAN+TRACE_NORM', 'TAAN', -1],
    ['TAAN+COSINE', 'TAAN', 1],
    ['TAAN+DISTANCE', 'TAAN', 1],
    ['SOFT_ORDER', 'HARD_SHARE', 1],
    ['TAAN', 'SOFT_ORDER', 1],
    ['TAAN', 'MMOE', 0],
    ['MMOE', 'HARD_SHARE', 0],
    ['HARD_SHARE+UNCERTAINTY', 'HARD_SHARE', 0],
    ['TAAN+UNCERTAINTY', 'TAAN', 0],
    ['SOFT_ORDER+UNCERTAINTY', 'SOFT_ORDER', 0],
    ['MMOE+UNCERTAINTY', 'MMOE', 0],
  ];
  const verdicts: string[] = [];
  for (const [a, b, sign] of pairs) {
    const paperDiff = sign === 0 ? NaN : PAPER[a]! - PAPER[b]!;
    if (!S[a] || !S[b]) {
      if (sign !== 0) verdicts.push(`- ${a} ${sign > 0 ? '>' : '<'} ${b} (paper ${signed(paperDiff)}): cannot tell (no final runs of both)`);
      continue;
    }
    const d = bootstrap(S[a]!, S[b]!);
    const perSeed = by(a)
      .map((r) => [r, by(b).find((x) => x.seed === r.seed)] as const)
      .filter((p) => p[1])
      .map(([x, y]) => `${x.seed}: ${signed(x.test!.meanMapAt10 - y!.test!.meanMapAt10)}`)
      .join(', ');
    lines.push(`| ${a} - ${b} | ${signed(d.mean)} ${sci(d)} | ${perSeed} | ${sign === 0 ? '-' : signed(paperDiff)} |`);
    if (sign !== 0)
      verdicts.push(`- ${a} ${sign > 0 ? 'beats' : 'is below'} ${b} (paper ${signed(paperDiff)}): **${verdict(d, sign)}** (ours ${signed(d.mean)} ${sci(d)})`);
  }
  lines.push('', '## Per-task test mAP@10 (mean over seeds)', '', `| task | ${methods.join(' | ')} |`, `|---|${methods.map(() => '---').join('|')}|`);
  for (const t of tasks) lines.push(`| ${t} | ${methods.map((m) => f4(mean(by(m).map((r) => r.test!.mapAt10[t]!)))).join(' | ')} |`);

  lines.push('', '## The visualisation claim: Food & Drink\'s nearest and farthest tasks', '');
  const taanRuns = final.filter((r) => r.distances && r.config.method === 'TAAN');
  const claim = { homeNearest: 0, internetFarthest: 0, total: 0 };
  if (taanRuns.length) {
    lines.push('Rank among Food & Drink\'s 15 distances (1 = nearest, 15 = farthest), plain TAAN, per seed and layer:', '');
    lines.push('| seed | layer | Home & Garden | Internet & Telecom | Food & Drink\'s nearest | farthest |', '|---|---|---|---|---|---|');
    for (const r of taanRuns) {
      r.distances!.forEach((D, l) => {
        const home = rankAmong(D, tasks, FOOD, HOME);
        const net = rankAmong(D, tasks, FOOD, INTERNET);
        const others = tasks.filter((t) => t !== FOOD);
        const nearest = others.find((t) => rankAmong(D, tasks, FOOD, t) === 1);
        const farthest = others.find((t) => rankAmong(D, tasks, FOOD, t) === 15);
        claim.total++;
        if (home === 1) claim.homeNearest++;
        if (net === 15) claim.internetFarthest++;
        lines.push(`| ${r.seed} | ${l + 1} | ${home} | ${net} | ${nearest ?? ''} | ${farthest ?? ''} |`);
      });
    }
    const layers = taanRuns[0]!.distances!.length;
    lines.push('', 'Stability of D across seeds (Spearman correlation of the 120 off-diagonal entries, over pairs of seeds):', '');
    lines.push('| layer | mean | min | max |', '|---|---|---|---|');
    for (let l = 0; l < layers; l++) {
      const off = (D: number[]): number[] => D.filter((_, k) => Math.floor(k / tasks.length) < k % tasks.length);
      const rs: number[] = [];
      for (let i = 0; i < taanRuns.length; i++) for (let j = i + 1; j < taanRuns.length; j++) rs.push(spearman(off(taanRuns[i]!.distances![l]!), off(taanRuns[j]!.distances![l]!)));
      lines.push(`| ${l + 1} | ${rs.length ? f4(mean(rs)) : 'n/a'} | ${rs.length ? f4(Math.min(...rs)) : 'n/a'} | ${rs.length ? f4(Math.max(...rs)) : 'n/a'} |`);
    }
    lines.push('');
    verdicts.push(
      `- Food & Drink shares all hidden layers with Home & Garden (its nearest task): **${claim.homeNearest === claim.total ? 'holds' : claim.homeNearest === 0 ? 'does not hold' : 'holds partly'}** (nearest in ${claim.homeNearest} of ${claim.total} seed-layers)`,
      `- Food & Drink and Internet & Telecom are the most unrelated (farthest): **${claim.internetFarthest === claim.total ? 'holds' : claim.internetFarthest === 0 ? 'does not hold' : 'holds partly'}** (farthest in ${claim.internetFarthest} of ${claim.total} seed-layers)`,
    );
  }
  lines.push('## Verdicts, one per claim of the paper', '', ...verdicts, '');
  lines.push('## Commands', '', 'Every run file above came from these commands (each skips the runs it finds done):', '', '```sh', ...commands(tune, final), '```', '');
  await writeFile(file, lines.join('\n'));
}

function commands(tune: RunRecord[], final: RunRecord[]): string[] {
  const group = (runs: RunRecord[], phase: string): string[] => {
    const keys = new Map<string, { methods: Set<string>; lr: Set<number>; wd: Set<number>; c: Set<number>; b: number; p: number; seeds: Set<number> }>();
    for (const r of runs) {
      // One command per grid that was run as a whole: decays and patience are grouped apart, so no command asks for
      // a combination that was never run.
      const { method, batchSizePerTask: b, earlyStoppingPatience: p } = r.config;
      const k = `${method}|${b}|${p}|${phase === 'tune' ? r.config.weightDecay : ''}`;
      const e = keys.get(k) ?? { methods: new Set([method]), lr: new Set(), wd: new Set(), c: new Set(), b, p, seeds: new Set() };
      e.lr.add(r.config.learningRate);
      e.wd.add(r.config.weightDecay);
      if (r.config.regularizer !== 'NONE') e.c.add(r.config.regCoefficient);
      e.seeds.add(r.seed);
      keys.set(k, e);
    }
    return [...keys.values()].map((e) => {
      const j = (s: Set<number>): string => [...s].sort((a, b) => a - b).join(',');
      const grid = phase === 'tune' ? ` --lr ${j(e.lr)} --wd ${j(e.wd)}${e.c.size ? ` --c ${j(e.c)}` : ''}` : '';
      const patience = e.p === 3 ? '' : ` --patience ${e.p}`;
      return `npm run experiments -- --dataset yt8m --phase ${phase} --methods ${[...e.methods].join(',')}${grid} --batch ${e.b}${patience} --seeds ${j(e.seeds)}`;
    });
  };
  return [...group(tune, 'tune'), ...group(final, 'final'), 'npm run experiments -- --dataset yt8m --phase report'];
}
