/**
 * In-memory JobStore for unit tests of other components. Same behaviour as SqliteJobStore (both pass
 * test/store/job-store.contract.ts); nothing survives the process.
 *
 * The rules both stores share (page tokens, what a transition does to a record, restart recovery) live here, so the
 * SQLite store cannot drift from the reference behaviour; this module has no I/O and is cheap to import.
 */
import {
  assertTransition,
  isTerminal,
  JOB_STATES,
  type DatasetSummary,
  type JobProgress,
  type JobRecord,
  type JobState,
  type JobTransition,
} from '../domain/job.js';
import { InvalidArgumentError, NotFoundError, ResourceExhaustedError } from '../errors/errors.js';
import type { JobStore, ListJobsQuery, NewJob, TransitionPatch } from './job-store.js';

/** The first entry of every job's history: its creation, at createTime. */
export const CREATED_MESSAGE = 'queued';
export const RESUMED_MESSAGE = 'resumed after restart';
export const CANCELLED_AT_RESTART_MESSAGE = 'cancelled at restart';

export const MAX_PAGE_SIZE = 1000;
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
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw InvalidArgumentError.field('page_size', `must be an integer in 1..${MAX_PAGE_SIZE}, got ${pageSize}`);
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

export function zeroCounts(): Record<JobState, number> {
  return Object.fromEntries(JOB_STATES.map((s) => [s, 0])) as Record<JobState, number>;
}

export class MemoryJobStore implements JobStore {
  /** Insertion order is creation order, which is what seq orders in SQLite. */
  private readonly jobs = new Map<string, { seq: number; rec: JobRecord }>();
  private readonly bySubmission = new Map<string, string>();
  private lastSeq = 0;
  private readonly clock: () => Date;

  constructor(opts: { clock?: () => Date } = {}) {
    this.clock = opts.clock ?? (() => new Date());
  }

  async create(job: NewJob, maxQueued: number): Promise<{ job: JobRecord; created: boolean }> {
    const existingId = this.bySubmission.get(job.request.submissionId);
    if (existingId !== undefined) return { job: this.snapshot(existingId), created: false };
    const queued = [...this.jobs.values()].filter((e) => e.rec.state === 'QUEUED').length;
    if (queued >= maxQueued) throw queueFull(maxQueued);
    // Mirrors the UNIQUE constraint on jobs.id in SQLite.
    if (this.jobs.has(job.jobId)) throw new Error(`job id already exists: ${job.jobId}`);
    this.lastSeq += 1;
    this.jobs.set(job.jobId, { seq: this.lastSeq, rec: newRecord(structuredClone(job)) });
    this.bySubmission.set(job.request.submissionId, job.jobId);
    return { job: this.snapshot(job.jobId), created: true };
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    return this.jobs.has(jobId) ? this.snapshot(jobId) : undefined;
  }

  async list(query: ListJobsQuery): Promise<{ jobs: JobRecord[]; nextPageToken: string }> {
    checkPageSize(query.pageSize);
    const before = decodePageToken(query.pageToken);
    const matching = [...this.jobs.values()]
      .reverse()
      .filter((e) => e.seq < before && (query.state === undefined || e.rec.state === query.state))
      .slice(0, query.pageSize + 1);
    const page = matching.slice(0, query.pageSize);
    const last = page[page.length - 1];
    return {
      jobs: page.map((e) => structuredClone(e.rec)),
      nextPageToken: matching.length > query.pageSize && last ? encodePageToken(last.seq) : '',
    };
  }

  async transition(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord> {
    const rec = this.record(jobId);
    // Validate on a copy so a rejected transition leaves the record untouched.
    const next = structuredClone(rec);
    applyTransition(next, to, message, this.clock().toISOString(), structuredClone(patch));
    this.jobs.get(jobId)!.rec = next;
    return structuredClone(next);
  }

  async updateProgress(jobId: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<void> {
    const rec = this.record(jobId);
    rec.progress = structuredClone(progress);
    if (datasetSummary !== undefined) rec.datasetSummary = structuredClone(datasetSummary);
  }

  async nextQueued(): Promise<JobRecord | undefined> {
    for (const e of this.jobs.values()) if (e.rec.state === 'QUEUED') return structuredClone(e.rec);
    return undefined;
  }

  async countByState(): Promise<Record<JobState, number>> {
    const counts = zeroCounts();
    for (const e of this.jobs.values()) counts[e.rec.state] += 1;
    return counts;
  }

  async recoverAfterRestart(): Promise<JobRecord[]> {
    const changed: JobRecord[] = [];
    const time = this.clock().toISOString();
    for (const e of this.jobs.values()) {
      const target = recoveryTarget(e.rec.state);
      if (!target) continue;
      applyTransition(e.rec, target.to, target.message, time);
      changed.push(structuredClone(e.rec));
    }
    return changed;
  }

  async integrityCheck(): Promise<string> {
    return 'ok';
  }

  async close(): Promise<void> {}

  private record(jobId: string): JobRecord {
    const e = this.jobs.get(jobId);
    if (!e) throw new NotFoundError('job', jobId);
    return e.rec;
  }

  private snapshot(jobId: string): JobRecord {
    return structuredClone(this.record(jobId));
  }
}
