/** Training jobs: states, allowed transitions and the record every store keeps. Pure; no I/O. */
import { FailedPreconditionError } from '../errors/errors.js';
import type { TrainRequest } from './train-request.js';

export type JobState = 'QUEUED' | 'RUNNING' | 'CANCELLING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const JOB_STATES: readonly JobState[] = ['QUEUED', 'RUNNING', 'CANCELLING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
export const TERMINAL_STATES: readonly JobState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export function isTerminal(s: JobState): boolean {
  return TERMINAL_STATES.includes(s);
}

/**
 * RUNNING -> QUEUED happens only when a server restarts and finds the job it was running (it resumes from its
 * checkpoint). A CANCELLING job found at restart is CANCELLED.
 */
const ALLOWED: Record<JobState, readonly JobState[]> = {
  QUEUED: ['RUNNING', 'CANCELLED', 'FAILED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELLING', 'QUEUED'],
  CANCELLING: ['CANCELLED', 'SUCCEEDED', 'FAILED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
};

export function canTransition(from: JobState, to: JobState): boolean {
  return ALLOWED[from].includes(to);
}

export function assertTransition(jobId: string, from: JobState, to: JobState): void {
  if (!canTransition(from, to)) throw new FailedPreconditionError(`job ${jobId} is ${from}; it cannot become ${to}`);
}

/** ListJobs pages: at most `max` jobs each; a page size of 0 asks for `default`. */
export const JOBS_PAGE = Object.freeze({ max: 1000, default: 50 });

export interface JobProgress {
  /** 1-based epoch in progress. */
  epoch: number;
  /** Optimizer steps since the job started; continues across resumes. */
  step: number;
  totalSteps: number;
  /** step / totalSteps, in [0, 1]. */
  fraction: number;
  loss?: number;
  stepSeconds?: number;
  /** Per task name, from the last completed epoch. */
  validMapAt10?: Record<string, number>;
}

export interface JobTransition {
  state: JobState;
  /** ISO-8601. */
  time: string;
  message: string;
}

export interface JobMetrics {
  testMapAt10: Record<string, number>;
  meanTestMapAt10: number;
  gapAt20: number;
  /** Mean over tasks of per-class mAP. */
  perClassMap: number;
  perClassMapByTask: Record<string, number>;
  hitAt1: Record<string, number>;
  /** Training loss of the last epoch. */
  loss: number;
  /** Trainable parameters of the model (absent in jobs finished before it was recorded). */
  parameterCount?: number;
}

export interface TaskSummary {
  task: string;
  classes: number;
  trainExamples: number;
  validExamples: number;
  testExamples: number;
}

export interface DatasetSummary {
  name: string;
  tasks: TaskSummary[];
}

export interface JobRecord {
  jobId: string;
  submissionId: string;
  modelName: string;
  state: JobState;
  /** ISO-8601 times. */
  createTime: string;
  startTime: string | null;
  endTime: string | null;
  progress: JobProgress | null;
  transitions: JobTransition[];
  failureReason: string;
  /** The model version the job published; 0 until it succeeds. */
  modelVersion: number;
  metrics: JobMetrics | null;
  datasetSummary: DatasetSummary | null;
  /** Which server instance and worker runs (or last ran) the job. */
  runner: string;
  /** The request as accepted, defaults filled in. */
  request: TrainRequest;
}
