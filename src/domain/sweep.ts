/**
 * Sweeps: a base training request, axes of values to try, and the record every store keeps of the sweep and its
 * children. Pure; no I/O. The plan (grid, sample, each child's request) is in jobs/sweep-plan.ts.
 */
import type { JobState } from './job.js';
import type { Architecture, Regularizer } from './model-spec.js';
import type { TrainRequest } from './train-request.js';

/** Values a sweep tries per axis; an absent or empty axis keeps the base request's value. */
export interface SweepAxes {
  architecture?: Architecture[];
  regularizer?: Regularizer[];
  regCoefficient?: number[];
  learningRate?: number[];
  weightDecay?: number[];
  hiddenSizes?: number[][];
  numBasis?: number[];
  seed?: number[];
}

export type SweepAxis = keyof SweepAxes;

/** Grid order: the first axis varies slowest. Names as on the wire (snake case), for tables and the report. */
export const SWEEP_AXES: ReadonlyArray<{ axis: SweepAxis; name: string }> = [
  { axis: 'architecture', name: 'architecture' },
  { axis: 'regularizer', name: 'regularizer' },
  { axis: 'regCoefficient', name: 'reg_coefficient' },
  { axis: 'learningRate', name: 'learning_rate' },
  { axis: 'weightDecay', name: 'weight_decay' },
  { axis: 'hiddenSizes', name: 'hidden_sizes' },
  { axis: 'numBasis', name: 'num_basis' },
  { axis: 'seed', name: 'seed' },
];

/** One point of the grid: the value of each axis that varies. */
export type SweepPoint = { [K in SweepAxis]?: NonNullable<SweepAxes[K]>[number] };

/** Only validation metrics: choosing on a test metric would leak the test set into the choice. */
export type SweepObjective = 'VALID_MEAN_MAP_AT_10';

export interface SweepSpec {
  /** Every child's request before the point's values are applied. */
  base: TrainRequest;
  axes: SweepAxes;
  /** 0 = the whole grid; otherwise this many distinct points drawn with sampleSeed. */
  sampleCount: number;
  sampleSeed: number;
  objective: SweepObjective;
  /** Moved to the best child's version when the sweep ends. */
  bestLabel: string;
}

/** RUNNING until every child ended; CANCELLING after a cancel until the children it stopped have ended. */
export type SweepState = Extract<JobState, 'RUNNING' | 'CANCELLING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED'>;

export function isSweepTerminal(s: SweepState): boolean {
  return s === 'SUCCEEDED' || s === 'FAILED' || s === 'CANCELLED';
}

/** What the sweep's driver recorded of a child; the child's job holds the rest. */
export interface SweepChildRecord {
  index: number;
  point: SweepPoint;
  /** '' until the child's job is created. */
  jobId: string;
  /** The child's job state when the driver last looked. */
  state: JobState | null;
  /** Set once the child SUCCEEDED: the objective of the version it published (NaN: that version has no history). */
  objective: number | null;
  testMapAt10: number | null;
  modelVersion: number;
}

export interface SweepBest {
  index: number;
  jobId: string;
  modelVersion: number;
  objective: number;
}

export interface SweepRecord {
  sweepId: string;
  submissionId: string;
  modelName: string;
  state: SweepState;
  /** ISO-8601 times. */
  createTime: string;
  endTime: string | null;
  spec: SweepSpec;
  children: SweepChildRecord[];
  /** Chosen once every child has ended, before the label moves; never chosen again. */
  best: SweepBest | null;
  /** The best label has been moved to best.modelVersion. */
  labelled: boolean;
  message: string;
  /** A CancelSweep arrived (set by any replica; the driver acts on it). */
  cancelRequested: boolean;
}

/** Sweeps a single request may start (each child is a job in the queue). */
export const MAX_SWEEP_CHILDREN = 1000;

export const DEFAULT_BEST_LABEL = 'best';
