/**
 * The job service: idempotent submission, get/list/cancel/watch, a FIFO scheduler that hands QUEUED jobs to free
 * workers, publication of finished models, and recovery after a restart (jobs that were RUNNING resume from their
 * checkpoint). It knows no gRPC and no tfjs: the pool and the stores are passed in.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isTerminal, type JobRecord, type JobState } from '../domain/job.js';
import type { TrainRequest } from '../domain/train-request.js';
import { FailedPreconditionError, NotFoundError } from '../errors/errors.js';
import { storageError } from '../errors/storage.js';
import { fromWire } from '../errors/wire.js';
import type { Logger } from '../observability/logger.js';
import type { TaanMetrics } from '../observability/metrics.js';
import type { JobStore, LeasingJobStore, ListJobsQuery, TransitionPatch } from '../store/job-store.js';
import type { ModelStore } from '../store/model-store.js';
import type { JobListener, WorkerPool } from '../workers/pool.js';
import type { FromWorker, StopReason } from '../workers/protocol.js';
import { JobEvents, type JobEvent } from './job-events.js';
import { SharedJobs, type SharedJobsOptions } from './shared-jobs.js';

export interface JobServiceOptions {
  store: JobStore;
  models: ModelStore;
  pool: WorkerPool;
  /** Folder of per-job working folders (checkpoints, unpublished models). */
  jobsDir: string;
  /** Names this server in a job's `runner`. */
  instanceName: string;
  maxQueuedJobs: number;
  /** Server-wide cap on a job's run time, seconds; 0 = none. */
  maxJobRuntimeSeconds: number;
  /** Threads each job's steps may run on (1 or 2); see threadsForNextJob. */
  trainThreadsPerJob: number;
  /** CPUs of this machine (os.availableParallelism()). */
  cores: number;
  /** Turns a request's dataset paths into absolute, confined ones (throws InvalidArgumentError). */
  resolveDataset: (req: TrainRequest) => Promise<TrainRequest>;
  metrics: TaanMetrics;
  logger: Logger;
  /** Several replicas on one PostgreSQL store: jobs are claimed under leases and checkpoints are shared. */
  shared?: Omit<SharedJobsOptions, 'store' | 'logger'> & {
    store: LeasingJobStore;
    /** Points an uploaded dataset's paths at this replica's copy (fetched if needed). */
    localizeDataset: (req: TrainRequest) => Promise<TrainRequest>;
  };
}

/**
 * Threads for a job about to start: the configured number while every running job, this one included, can have a
 * core per thread; otherwise 1. A job's second thread pays only where a core would otherwise sit idle; on busy
 * cores concurrent jobs would just take turns with more overhead.
 */
export function threadsForNextJob(configured: number, runningJobs: number, cores: number): number {
  return configured > 1 && (runningJobs + 1) * configured <= cores ? configured : 1;
}

export class JobService {
  readonly events = new JobEvents();
  private scheduling = false;
  private rescheduling = false;
  private stopped = false;
  /** Per job, a chain that keeps store writes of its worker messages in order. */
  private readonly writes = new Map<string, Promise<void>>();
  private readonly shared: SharedJobs | undefined;

  constructor(private readonly o: JobServiceOptions) {
    this.shared = o.shared ? new SharedJobs({ ...o.shared, logger: o.logger }) : undefined;
  }

  /** Requeues jobs a previous process left RUNNING (one server), or joins the replicas (shared store); then schedules. */
  async start(): Promise<void> {
    await fs.mkdir(this.o.jobsDir, { recursive: true });
    if (this.shared) {
      await this.shared.start({
        // A job another replica runs changed: tell this replica's watchers.
        onRemoteChange: (jobId) => {
          if (!this.events.hasListeners(jobId)) return;
          this.get(jobId).then((job) => this.emitState(job), () => undefined);
        },
        stop: (jobId, reason) => this.o.pool.stopJob(jobId, reason),
        tick: () => this.schedule(),
      });
      await this.refreshGauges();
      this.schedule();
      return;
    }
    for (const job of await this.o.store.recoverAfterRestart()) {
      this.o.logger.info({ jobId: job.jobId, state: job.state }, 'recovered job after restart');
    }
    await this.refreshGauges();
    this.schedule();
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
      this.emitState(job);
      await this.refreshGauges();
      this.schedule();
    }
    return job;
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
    // Another replica runs it: it sees CANCELLING at its next lease renewal and stops at a step boundary.
    if (this.shared && !this.o.pool.isRunning(jobId)) return updated;
    if (!this.o.pool.stopJob(jobId, 'cancel')) {
      // Not on a worker of this process (it just finished or is between hand-offs): settle it here.
      return this.move(jobId, 'CANCELLED', 'cancelled');
    }
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
      const unsubscribe = this.events.subscribe(jobId, forward);
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

  /** Stops scheduling and asks running jobs to checkpoint and stop; they stay RUNNING in the store and resume on restart. */
  async shutdown(timeoutMs: number): Promise<void> {
    this.stopped = true;
    if (this.shared) return this.shutdownShared(timeoutMs);
    const running = (await this.o.store.list({ pageSize: 1000, pageToken: '', state: 'RUNNING' })).jobs;
    const waits = running
      .filter((j) => this.o.pool.stopJob(j.jobId, 'shutdown'))
      .map((j) => new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (!this.o.pool.isRunning(j.jobId)) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      }));
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, timeoutMs))]);
    await Promise.all([...this.writes.values()]);
  }

  /** Hands QUEUED jobs to free workers, oldest first. Re-entrant calls coalesce into one more pass. */
  schedule(): void {
    if (this.stopped) return;
    if (this.scheduling) {
      this.rescheduling = true;
      return;
    }
    this.scheduling = true;
    void this.schedulePass()
      .catch((err: unknown) => this.o.logger.error({ err }, 'scheduler pass failed'))
      .finally(() => {
        this.scheduling = false;
        if (this.rescheduling) {
          this.rescheduling = false;
          this.schedule();
        }
      });
  }

  private nextJobThreads(): number {
    return threadsForNextJob(this.o.trainThreadsPerJob, this.o.pool.busyCount(), this.o.cores);
  }

  private async schedulePass(): Promise<void> {
    if (this.shared) return this.claimPass(this.shared);
    while (!this.stopped && this.o.pool.freeJobSlots() > 0) {
      const job = await this.o.store.nextQueued();
      if (!job) return;
      const runner = `${this.o.instanceName}/worker-${this.o.pool.nextJobWorker()}`;
      const running = await this.o.store.transition(job.jobId, 'RUNNING', job.progress ? 'resumed from checkpoint' : 'started', { runner });
      this.emitState(running);
      const limit = effectiveLimit(job.request.maxRuntimeSeconds, this.o.maxJobRuntimeSeconds);
      const worker = this.o.pool.runJob(
        { jobId: job.jobId, request: job.request, jobDir: path.join(this.o.jobsDir, job.jobId), maxRuntimeSeconds: limit, trainThreads: this.nextJobThreads() },
        this.listener(job.jobId, limit),
      );
      this.o.logger.info({ jobId: job.jobId, worker }, 'job started');
      await this.refreshGauges();
    }
  }

  /** Shared store: claims jobs (queued, or whose runner's lease expired) while this replica has free workers. */
  private async claimPass(shared: SharedJobs): Promise<void> {
    while (!this.stopped && this.o.pool.freeJobSlots() > 0) {
      const runner = `${this.o.instanceName}/worker-${this.o.pool.nextJobWorker()}`;
      const job = await shared.claim(runner);
      if (!job) return;
      this.emitState(job);
      const jobDir = path.join(this.o.jobsDir, job.jobId);
      let request: TrainRequest;
      try {
        await shared.fetchCheckpoint(job.jobId, jobDir);
        request = await this.o.shared!.localizeDataset(job.request);
      } catch (err) {
        // Leave the lease to expire: another replica (or this one, later) retries with the database back.
        shared.release(job.jobId);
        throw err;
      }
      const limit = effectiveLimit(job.request.maxRuntimeSeconds, this.o.maxJobRuntimeSeconds);
      const worker = this.o.pool.runJob({ jobId: job.jobId, request, jobDir, maxRuntimeSeconds: limit, trainThreads: this.nextJobThreads() }, this.listener(job.jobId, limit));
      this.o.logger.info({ jobId: job.jobId, worker, runner }, job.progress ? 'job resumed from its shared checkpoint' : 'job started');
    }
  }

  /** Shared store: running jobs checkpoint, go back to the queue and are picked up by another replica at once. */
  private async shutdownShared(timeoutMs: number): Promise<void> {
    const local = this.shared!.runningJobs();
    const waits = local.filter((id) => this.o.pool.stopJob(id, 'shutdown')).map((id) => new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (!this.o.pool.isRunning(id)) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    }));
    await Promise.race([Promise.all(waits), new Promise((r) => setTimeout(r, timeoutMs))]);
    await Promise.all([...this.writes.values()]);
    await this.shared!.stop();
  }

  /** A runner's own transition: with a shared store, refused (and dropped) once another replica holds the job. */
  private async finish(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord | undefined> {
    if (!this.shared) return this.o.store.transition(jobId, to, message, patch);
    return this.shared.transitionAsRunner(jobId, to, message, patch);
  }

  private listener(jobId: string, limitSeconds: number): JobListener {
    return {
      onMessage: (msg) => {
        const prev = this.writes.get(jobId) ?? Promise.resolve();
        const next = prev
          .then(() => this.onWorkerMessage(jobId, msg, limitSeconds))
          .catch((err: unknown) => this.o.logger.error({ err, jobId }, 'could not record a worker message'));
        this.writes.set(jobId, next);
        void next.finally(() => {
          if (this.writes.get(jobId) === next) this.writes.delete(jobId);
        });
      },
    };
  }

  private async onWorkerMessage(jobId: string, msg: Extract<FromWorker, { type: 'progress' | 'trained' | 'jobFailed' }>, limitSeconds: number): Promise<void> {
    const m = this.o.metrics;
    if (msg.type === 'progress') {
      for (const s of msg.stepSeconds) m.trainStepDuration.observe(s);
      m.trainStepsTotal.inc(msg.stepSeconds.length);
      const job = await this.get(jobId);
      if (msg.progress.loss !== undefined) m.trainLoss.set({ model: job.modelName }, msg.progress.loss);
      if (this.shared) {
        // The checkpoint first: progress that says "epoch N done" must find epoch N's checkpoint shared. The progress
        // write is fenced by the runner, so a replica that just lost the job cannot write over the new holder's.
        if (msg.epochEnd) await this.shared.shareCheckpoint(jobId, path.join(this.o.jobsDir, jobId));
        if (!(await this.shared.updateProgress(jobId, msg.progress, msg.datasetSummary))) return;
      } else {
        await this.o.store.updateProgress(jobId, msg.progress, msg.datasetSummary);
      }
      this.events.emit({ jobId, time: new Date().toISOString(), state: job.state, message: msg.epochEnd ? `epoch ${msg.progress.epoch} done` : 'progress', progress: msg.progress });
      return;
    }
    if (msg.type === 'trained') {
      const job = await this.get(jobId);
      let version: number;
      try {
        version = await this.o.models.publish(job.modelName, msg.modelDir, jobId, job.request.versionLabels);
      } catch (err) {
        // Without this the job would stay RUNNING forever: the failure is the job's, and the server goes on.
        const reason = errorMessage(storageError(err, `could not publish ${job.modelName}`));
        this.o.logger.error({ err, jobId }, `job failed: ${reason}`);
        const failed = await this.finish(jobId, 'FAILED', reason, { failureReason: reason });
        if (failed) this.emitState(failed);
        await this.afterJob(jobId);
        return;
      }
      for (const [task, v] of Object.entries(msg.metrics.testMapAt10)) m.evalMapAt10.set({ model: job.modelName, task }, v);
      const done = await this.finish(jobId, 'SUCCEEDED', `published ${job.modelName} version ${version}`, { modelVersion: version, metrics: msg.metrics });
      this.o.logger.info({ jobId, model: job.modelName, version, meanTestMapAt10: msg.metrics.meanTestMapAt10 }, 'job succeeded');
      if (done) this.emitState(done);
    } else {
      await this.onStopped(jobId, msg.stoppedBy, msg.error.message, limitSeconds, fromWire(msg.error));
    }
    await this.afterJob(jobId);
  }

  private async afterJob(jobId: string): Promise<void> {
    // A job that ended needs its checkpoints no more (a stopped one, still RUNNING or QUEUED, resumes from them).
    const job = await this.o.store.get(jobId);
    if (job && isTerminal(job.state)) {
      await fs.rm(path.join(this.o.jobsDir, jobId), { recursive: true, force: true });
      if (this.shared?.holds(jobId)) await this.shared.dropCheckpoint(jobId);
    }
    this.shared?.release(jobId);
    await this.refreshGauges();
    this.schedule();
  }

  private async onStopped(jobId: string, stoppedBy: StopReason | undefined, message: string, limitSeconds: number, err: Error): Promise<void> {
    if (stoppedBy === 'shutdown') {
      // One server: stays RUNNING; the next start requeues it and it resumes from its checkpoint. Shared store: the
      // checkpoint goes to the database and the job back to the queue, unless the stop came from a lost lease.
      if (this.shared?.holds(jobId)) {
        await this.shared.shareCheckpoint(jobId, path.join(this.o.jobsDir, jobId));
        const queued = await this.finish(jobId, 'QUEUED', `released by ${this.o.instanceName} at shutdown`);
        if (queued) this.emitState(queued);
      }
      return;
    }
    if (stoppedBy === 'cancel') {
      const cancelled = await this.finish(jobId, 'CANCELLED', message);
      if (cancelled) this.emitState(cancelled);
      return;
    }
    const reason = stoppedBy === 'deadline'
      ? `exceeded the maximum run time of ${limitSeconds} s (max_runtime_seconds / TAAN_MAX_JOB_RUNTIME_SECONDS)`
      : message;
    this.o.logger.warn({ jobId, err: stoppedBy ? undefined : err }, `job failed: ${reason}`);
    const job = await this.get(jobId);
    // A cancel that raced with a failure still ends as FAILED: the failure is the more useful fact.
    if (isTerminal(job.state)) return;
    const failed = await this.finish(jobId, 'FAILED', reason, { failureReason: reason });
    if (failed) this.emitState(failed);
  }

  private async move(jobId: string, to: JobState, message: string): Promise<JobRecord> {
    const job = await this.o.store.transition(jobId, to, message);
    this.emitState(job);
    await this.refreshGauges();
    return job;
  }

  private emitState(job: JobRecord): void {
    const last = job.transitions.at(-1);
    this.events.emit({ jobId: job.jobId, time: last?.time ?? new Date().toISOString(), state: job.state, message: last?.message ?? '', progress: job.progress });
  }

  private async refreshGauges(): Promise<void> {
    const counts = await this.o.store.countByState();
    for (const [state, n] of Object.entries(counts)) this.o.metrics.jobs.set({ state }, n);
    this.o.metrics.jobQueueDepth.set(counts.QUEUED);
  }
}

function effectiveLimit(requested: number, server: number): number {
  if (requested > 0 && server > 0) return Math.min(requested, server);
  return requested > 0 ? requested : server;
}

/** Sortable by creation time, unique without coordination. */
function newJobId(): string {
  return `job-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
