/**
 * The job service: idempotent submission, get/list/cancel/watch, start and shutdown. Which worker runs a job, and
 * how (one server, or replicas under leases), is its scheduler's business (scheduler.ts); the composition root picks
 * one. It knows no gRPC and no tfjs: the store and the scheduler are passed in.
 */
import { randomBytes } from 'node:crypto';
import { isTerminal, type JobRecord, type JobState } from '../domain/job.js';
import type { TrainRequest } from '../domain/train-request.js';
import { FailedPreconditionError, NotFoundError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import type { JobStore, ListJobsQuery } from '../store/job-store.js';
import { refreshJobGauges } from './job-gauges.js';
import type { JobEvent, JobEvents } from './job-events.js';
import type { JobGaugeMetrics } from './ports.js';
import type { JobScheduler } from './scheduler.js';

export interface JobServiceOptions {
  store: Pick<JobStore, 'create' | 'get' | 'list' | 'transition' | 'countByState'>;
  scheduler: JobScheduler;
  /** Shared with the scheduler, which reports what the workers do. */
  events: JobEvents;
  /** Jobs that may wait in QUEUED; a submission beyond it is RESOURCE_EXHAUSTED. */
  maxQueuedJobs: number;
  /** Turns a request's dataset paths into absolute, confined ones (throws InvalidArgumentError). */
  resolveDataset: (req: TrainRequest) => Promise<TrainRequest>;
  metrics: JobGaugeMetrics;
  logger: Logger;
}

export class JobService {
  constructor(private readonly o: JobServiceOptions) {}

  /** Requeues jobs a previous process left RUNNING (one server), or joins the replicas (shared store); then schedules. */
  start(): Promise<void> {
    return this.o.scheduler.start();
  }

  async submit(request: TrainRequest): Promise<JobRecord> {
    const jobId = newJobId();
    // Without a submission id a request is not idempotent: it gets its own (the job id).
    const resolved = await this.o.resolveDataset({ ...request, submissionId: request.submissionId || jobId });
    const { job, created } = await this.o.store.create(
      { jobId, request: resolved, createTime: new Date().toISOString() },
      this.o.maxQueuedJobs,
    );
    if (created) {
      this.o.logger.info({ jobId: job.jobId, model: job.modelName }, 'job queued');
      this.o.events.emitState(job);
      await refreshJobGauges(this.o.store, this.o.metrics);
      this.o.scheduler.schedule();
    }
    return job;
  }

  /** Throws what submit would for the request's dataset (InvalidArgumentError, NotFoundError), queueing nothing. */
  async checkDataset(request: TrainRequest): Promise<void> {
    await this.o.resolveDataset(request);
  }

  async get(jobId: string): Promise<JobRecord> {
    const job = await this.o.store.get(jobId);
    if (!job) throw new NotFoundError('job', jobId);
    return job;
  }

  list(query: ListJobsQuery): Promise<{ jobs: JobRecord[]; nextPageToken: string }> {
    return this.o.store.list(query);
  }

  async cancel(jobId: string): Promise<JobRecord> {
    const job = await this.get(jobId);
    if (isTerminal(job.state)) throw new FailedPreconditionError(`job ${jobId} is already ${job.state}`);
    if (job.state === 'CANCELLING') return job;
    if (job.state === 'QUEUED') return this.move(jobId, 'CANCELLED', 'cancelled while queued');
    const updated = await this.move(jobId, 'CANCELLING', 'cancel requested');
    if (!this.o.scheduler.stopForCancel(jobId)) return this.move(jobId, 'CANCELLED', 'cancelled');
    return updated;
  }

  /**
   * Sends the job's current state and progress, then every event until the terminal state (inclusive) or until
   * `signal` aborts. Resolves when the stream should end.
   */
  async watch(jobId: string, send: (e: JobEvent) => void, signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        unsubscribe();
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const buffered: JobEvent[] = [];
      let live = false;
      const forward = (e: JobEvent): void => {
        if (!live) return void buffered.push(e);
        send(e);
        if (isTerminal(e.state)) finish();
      };
      // Subscribe before reading the current state, so nothing between the two is lost.
      const unsubscribe = this.o.events.subscribe(jobId, forward);
      signal.addEventListener('abort', finish);
      this.get(jobId).then((job) => {
        if (done) return;
        const last = job.transitions.at(-1);
        send({ jobId, time: last?.time ?? job.createTime, state: job.state, message: last?.message ?? '', progress: job.progress });
        if (isTerminal(job.state)) return finish();
        live = true;
        for (const e of buffered.splice(0)) if (!done) forward(e);
      }, (err: unknown) => {
        unsubscribe();
        reject(err);
      });
    });
  }

  /** Stops scheduling and asks running jobs to checkpoint and stop; they resume on restart or on another replica. */
  shutdown(timeoutMs: number): Promise<void> {
    return this.o.scheduler.shutdown(timeoutMs);
  }

  private async move(jobId: string, to: JobState, message: string): Promise<JobRecord> {
    const job = await this.o.store.transition(jobId, to, message);
    this.o.events.emitState(job);
    await refreshJobGauges(this.o.store, this.o.metrics);
    return job;
  }
}

function newJobId(): string {
  return newId('job');
}

/** Sortable by creation time, unique without coordination. */
export function newId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}
