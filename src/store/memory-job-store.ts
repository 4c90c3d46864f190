/**
 * In-memory JobStore for unit tests of other components. Same behaviour as SqliteJobStore (both pass
 * test/store/job-store.contract.ts, through the rules in job-rules.ts); nothing survives the process.
 */
import type { DatasetSummary, JobProgress, JobRecord, JobState } from '../domain/job.js';
import { NotFoundError } from '../errors/errors.js';
import type { JobStore, ListJobsQuery, NewJob, TransitionPatch } from './job-store.js';
import {
  applyTransition,
  checkPageSize,
  decodePageToken,
  encodePageToken,
  newRecord,
  queueFull,
  recoveryTarget,
  zeroCounts,
  assertDeletable,
} from './job-rules.js';

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

  async deleteTerminal(jobId: string): Promise<JobRecord> {
    const e = this.jobs.get(jobId);
    assertDeletable(jobId, e?.rec);
    this.jobs.delete(jobId);
    this.bySubmission.delete(e!.rec.submissionId);
    return structuredClone(e!.rec);
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
