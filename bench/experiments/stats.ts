/**
 * Statistics of the experiment tables: a two-level bootstrap (seeds, then test videos) of mean mAP@10 and of paired
 * differences between methods, and rank correlation of distance matrices across seeds.
 */
import { Rng } from '../../src/util/rng.js';

/** One final run's test AP@10 per task and video, as the bootstrap needs it. */
export interface ScoredRun {
  seed: number;
  /** Per task: AP@10 of each of its test videos, and the video's index in the test split. */
  tasks: Array<{ ap: number[]; video: number[] }>;
  videos: number;
}

/** Mean over tasks of each task's weighted mean AP (weights: how often each video was drawn). */
function weightedMean(run: ScoredRun, weight: Float64Array | null): number {
  let sum = 0;
  let tasks = 0;
  for (const t of run.tasks) {
    let s = 0;
    let w = 0;
    for (let i = 0; i < t.ap.length; i++) {
      const wi = weight ? weight[t.video[i]!]! : 1;
      s += wi * t.ap[i]!;
      w += wi;
    }
    if (w > 0) {
      sum += s / w;
      tasks++;
    }
  }
  return tasks ? sum / tasks : NaN;
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
}

/**
 * Mean over seeds of mean test mAP@10 for `a` (or of a - b, paired by seed, when `b` is given), with a 95% percentile
 * interval from B replicates that resample the seeds (with replacement) and the test videos (with replacement; a
 * video counts in every task it belongs to). Pairs share the same resampled seeds and videos.
 */
export function bootstrap(a: ScoredRun[], b: ScoredRun[] | null, replicates = 2000, seed = 12345): Interval {
  const pairs = b ? a.map((r) => [r, b.find((x) => x.seed === r.seed)] as const).filter((p): p is readonly [ScoredRun, ScoredRun] => p[1] !== undefined) : a.map((r) => [r, null] as const);
  if (pairs.length === 0) return { mean: NaN, lo: NaN, hi: NaN };
  const value = (pair: (typeof pairs)[number], w: Float64Array | null): number => weightedMean(pair[0], w) - (pair[1] ? weightedMean(pair[1], w) : 0);
  const mean = pairs.reduce((s, p) => s + value(p, null), 0) / pairs.length;
  const rng = new Rng(seed, 0xb007);
  const V = pairs[0]![0].videos;
  const w = new Float64Array(V);
  const out: number[] = [];
  for (let k = 0; k < replicates; k++) {
    w.fill(0);
    for (let i = 0; i < V; i++) w[rng.int(V)]! += 1;
    let s = 0;
    for (let i = 0; i < pairs.length; i++) s += value(pairs[rng.int(pairs.length)]!, w);
    out.push(s / pairs.length);
  }
  out.sort((x, y) => x - y);
  return { mean, lo: out[Math.floor(0.025 * replicates)]!, hi: out[Math.ceil(0.975 * replicates) - 1]! };
}

/** Spearman's rank correlation (average ranks for ties). */
export function spearman(x: number[], y: number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const mx = rx.reduce((a, b) => a + b, 0) / n;
  const my = ry.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** 1-based ranks, ties sharing their average rank. */
export function ranks(x: number[]): number[] {
  const order = x.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(x.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) r[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}
