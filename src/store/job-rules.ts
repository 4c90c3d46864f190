/**
 * The rules every JobStore shares (page tokens, a new record, what a transition does to a record, restart recovery),
 * so the SQLite, PostgreSQL and in-memory stores cannot drift apart. No I/O; cheap to import.
 */
import {
  assertTransition,
  isTerminal,
  JOB_STATES,
  JOBS_PAGE,
  type JobRecord,
  type JobState,
  type JobTransition,
} from '../domain/job.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, ResourceExhaustedError } from '../errors/errors.js';
import type { NewJob, TransitionPatch } from './job-store.js';

/** The first entry of every job's history: its creation, at createTime. */
export const CREATED_MESSAGE = 'queued';
export const RESUMED_MESSAGE = 'resumed after restart';
export const CANCELLED_AT_RESTART_MESSAGE = 'cancelled at restart';

const TOKEN_PREFIX = 'seq:';

/** Tokens carry the seq of the last job returned; the prefix lets us reject tokens from elsewhere. */
export function encodePageToken(seq: number): string {
  return Buffer.from(`${TOKEN_PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** Seq to list below; Infinity for the first page. */
export function decodePageToken(token: string): number {
  if (token === '') return Number.POSITIVE_INFINITY;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const digits = text.startsWith(TOKEN_PREFIX) ? text.slice(TOKEN_PREFIX.length) : '';
  const seq = /^[1-9][0-9]{0,14}$/.test(digits) ? Number(digits) : NaN;
  // Re-encoding must give the token back: Node's base64url decoder skips junk characters silently.
  if (!Number.isSafeInteger(seq) || encodePageToken(seq) !== token) {
    throw InvalidArgumentError.field('page_token', 'malformed page token; pass one returned by a previous call');
  }
  return seq;
}

export function checkPageSize(pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > JOBS_PAGE.max) {
    throw InvalidArgumentError.field('page_size', `must be an integer in 1..${JOBS_PAGE.max}, got ${pageSize}`);
  }
}

export function newRecord(job: NewJob): JobRecord {
  return {
    jobId: job.jobId,
    submissionId: job.request.submissionId,
    modelName: job.request.modelName,
    state: 'QUEUED',
    createTime: job.createTime,
    startTime: null,
    endTime: null,
    progress: null,
    transitions: [{ state: 'QUEUED', time: job.createTime, message: CREATED_MESSAGE }],
    failureReason: '',
    modelVersion: 0,
    metrics: null,
    datasetSummary: null,
    runner: '',
    request: job.request,
  };
}

export function queueFull(maxQueued: number): ResourceExhaustedError {
  return new ResourceExhaustedError(`the queue is full: ${maxQueued} jobs are already queued`);
}

/** Validates and applies a transition to `rec` in place; returns the history entry it appended. */
export function applyTransition(
  rec: JobRecord,
  to: JobState,
  message: string,
  time: string,
  patch: TransitionPatch = {},
): JobTransition {
  assertTransition(rec.jobId, rec.state, to);
  rec.state = to;
  if (to === 'RUNNING' && rec.startTime === null) rec.startTime = time;
  if (isTerminal(to)) rec.endTime = time;
  if (patch.failureReason !== undefined) rec.failureReason = patch.failureReason;
  if (patch.modelVersion !== undefined) rec.modelVersion = patch.modelVersion;
  if (patch.metrics !== undefined) rec.metrics = patch.metrics;
  if (patch.runner !== undefined) rec.runner = patch.runner;
  if (patch.datasetSummary !== undefined) rec.datasetSummary = patch.datasetSummary;
  const entry: JobTransition = { state: to, time, message };
  rec.transitions.push(entry);
  return entry;
}

/** Where a job found in `state` at start-up goes, or undefined to leave it. */
export function recoveryTarget(state: JobState): { to: JobState; message: string } | undefined {
  if (state === 'RUNNING') return { to: 'QUEUED', message: RESUMED_MESSAGE };
  if (state === 'CANCELLING') return { to: 'CANCELLED', message: CANCELLED_AT_RESTART_MESSAGE };
  return undefined;
}

/** deleteTerminal's check: NotFoundError for no job, FailedPreconditionError for one that has not ended. */
export function assertDeletable(jobId: string, job: Pick<JobRecord, 'state'> | undefined): void {
  if (!job) throw new NotFoundError('job', jobId);
  if (!isTerminal(job.state)) {
    throw new FailedPreconditionError(`job ${jobId} is ${job.state}; only SUCCEEDED, FAILED or CANCELLED jobs can be deleted (cancel it first)`);
  }
}

export function zeroCounts(): Record<JobState, number> {
  return Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
}
