/**
 * A sweep as clients see it: the driver's record joined with its children's jobs (live state, time, runner), and the
 * aggregation of the objective over seeds. Pure: the service reads the jobs, this only combines.
 */
import { isTerminal, type JobRecord, type JobState } from '../domain/job.js';
import type { SweepRecord } from '../domain/sweep.js';
import { meanInterval95 } from '../eval/t-interval.js';
import { pointText, variedAxes } from './sweep-plan.js';

export interface SweepChildView {
  index: number;
  /** Axis name -> value as text. */
  config: Record<string, string>;
  jobId: string;
  state: JobState;
  /** The recorded objective once the child succeeded; while it runs, its last epoch's validation mean mAP@10. */
  validObjective: number | null;
  /** Shown, never used to choose. */
  testMapAt10: number | null;
  /** Run time so far (start to end, or to now). */
  seconds: number;
  modelVersion: number;
  runner: string;
}

/** One configuration (every axis but seed) over its succeeded seeds. */
export interface SweepGroupView {
  config: Record<string, string>;
  seeds: number;
  mean: number;
  low: number;
  high: number;
  meanTestMapAt10: number;
}

export interface SweepView {
  sweep: SweepRecord;
  children: SweepChildView[];
  groups: SweepGroupView[];
  /** Names of the axes that vary, in grid order. */
  axes: string[];
}

export function sweepView(sweep: SweepRecord, jobs: ReadonlyMap<string, JobRecord>, now = Date.now()): SweepView {
  const children = sweep.children.map((c): SweepChildView => {
    const job = c.jobId ? jobs.get(c.jobId) : undefined;
    const start = job?.startTime ? Date.parse(job.startTime) : NaN;
    const end = job?.endTime ? Date.parse(job.endTime) : now;
    const valid = job?.progress?.validMapAt10 ? Object.values(job.progress.validMapAt10) : [];
    const live = valid.length ? valid.reduce((s, v) => s + v, 0) / valid.length : null;
    return {
      index: c.index,
      config: pointText(c.point),
      jobId: c.jobId,
      state: job?.state ?? c.state ?? 'QUEUED',
      validObjective: c.objective !== null ? (Number.isFinite(c.objective) ? c.objective : null) : job && isTerminal(job.state) && job.state !== 'SUCCEEDED' ? null : live,
      testMapAt10: c.testMapAt10 ?? job?.metrics?.meanTestMapAt10 ?? null,
      seconds: Number.isFinite(start) ? Math.max(0, (end - start) / 1000) : 0,
      modelVersion: c.modelVersion || job?.modelVersion || 0,
      runner: job?.runner ?? '',
    };
  });
  return { sweep, children, groups: aggregateOverSeeds(children), axes: variedAxes(sweep.spec.axes).map((a) => a.name) };
}

/**
 * Groups the succeeded children by their configuration without the seed: mean and 95% t-interval of the objective
 * over the group's seeds, in order of first appearance.
 */
export function aggregateOverSeeds(children: readonly SweepChildView[]): SweepGroupView[] {
  const groups = new Map<string, { config: Record<string, string>; objective: number[]; test: number[] }>();
  for (const c of children) {
    if (c.state !== 'SUCCEEDED' || c.validObjective === null || !Number.isFinite(c.validObjective)) continue;
    const config = Object.fromEntries(Object.entries(c.config).filter(([k]) => k !== 'seed'));
    const key = JSON.stringify(config);
    const g = groups.get(key) ?? { config, objective: [], test: [] };
    g.objective.push(c.validObjective);
    if (c.testMapAt10 !== null) g.test.push(c.testMapAt10);
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => {
    const i = meanInterval95(g.objective);
    return {
      config: g.config,
      seeds: i.n,
      mean: i.mean,
      low: i.low,
      high: i.high,
      meanTestMapAt10: g.test.length ? g.test.reduce((s, v) => s + v, 0) / g.test.length : NaN,
    };
  });
}
