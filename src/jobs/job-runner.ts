/**
 * What both schedulers do with a job once they have picked it: start it on a worker of this process, record what the
 * worker reports (progress, the trained model, the stop) in order, publish the model, clean up after it, and at
 * shutdown stop every running job and wait until its last report is recorded. Where the two modes differ (plain
 * writes, or writes fenced by a lease; what a shutdown stop leaves behind) the scheduler passes a RunRecorder.
 *
 * A store that cannot be reached (PostgreSQL restarting or failing over, issue #20) fails no job: each write waits
 * and is tried again until the store answers, in order, while the worker trains on; of the progress reports that
 * pile up meanwhile only the newest (and every epoch's end, which shares a checkpoint) is written.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isTerminal, type JobRecord, type JobState } from '../domain/job.js';
import type { TrainRequest } from '../domain/train-request.js';
import { NotFoundError, UnavailableError } from '../errors/errors.js';
import { storageError } from '../errors/storage.js';
import { fromWire } from '../errors/wire.js';
import type { Logger } from '../observability/logger.js';
import type { JobStore, TransitionPatch } from '../store/job-store.js';
import type { JobReport, StopReason } from '../workers/protocol.js';
import { refreshJobGauges } from './job-gauges.js';
import type { JobEvents } from './job-events.js';
import type { ModelPublisher, TrainingMetrics, TrainingPool } from './ports.js';

export interface JobRunnerOptions {
  pool: TrainingPool;
  models: ModelPublisher;
  store: Pick<JobStore, 'get' | 'countByState'>;
  events: JobEvents;
  /** Folder of per-job working folders (checkpoints, unpublished models). */
  jobsDir: string;
  /** Names this server in a job's `runner`. */
  instanceName: string;
  /** Server-wide cap on a job's run time, seconds; 0 = none. */
  maxJobRuntimeSeconds: number;
  /** Threads each job's steps may run on (1 or 2); see threadsForNextJob. */
  trainThreadsPerJob: number;
  /** CPUs of this machine (os.availableParallelism()). */
  cores: number;
  metrics: TrainingMetrics;
  logger: Logger;
}

export type ProgressReport = Extract<JobReport, { type: 'progress' }>;

/** How a scheduler's mode records what a worker reports. */
export interface RunRecorder {
  /** The runner's own transition; undefined when it is no longer this process's to make (its lease was lost). */
  transition(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord | undefined>;
  /** Writes the progress; false when it was dropped, and watchers must not hear of it. */
  progress(jobId: string, report: ProgressReport): Promise<boolean>;
  /** The worker stopped the job for a shutdown or a lost lease: leave it where a later run resumes it. */
  stoppedForShutdown(jobId: string): Promise<void>;
  /** The job left its worker; `ended` when it is in a terminal state. */
  left(jobId: string, ended: boolean): Promise<void>;
}

/**
 * Threads for a job about to start: the configured number while every running job, this one included, can have a
 * core per thread; otherwise 1. A job's second thread pays only where a core would otherwise sit idle; on busy
 * cores concurrent jobs would just take turns with more overhead.
 */
export function threadsForNextJob(configured: number, runningJobs: number, cores: number): number {
  return configured > 1 && (runningJobs + 1) * configured <= cores ? configured : 1;
}

export class JobRunner {
  /** Per job, a chain that keeps store writes of its worker's reports in order. */
  private readonly writes = new Map<string, Promise<void>>();
  /** Jobs on this process's workers, each with a promise that settles once its last report is recorded. */
  private readonly running = new Map<string, { ended: Promise<void>; end: () => void }>();
  /** Per job, the number of its latest progress report, so that one overtaken during an outage is skipped. */
  private readonly latestProgress = new Map<string, number>();
  /** Jobs whose reports piled up behind a write that waited for the store, until their queue has drained. */
  private readonly catchingUp = new Set<string>();
  /** Set at shutdown once the grace time is over: writes waiting for the store give up. */
  private givingUp = false;

  constructor(
    private readonly o: JobRunnerOptions,
    private readonly recorder: RunRecorder,
    /** A job left its worker: a slot is free. */
    private readonly onJobLeft: () => void,
  ) {}

  async init(): Promise<void> {
    await fs.mkdir(this.o.jobsDir, { recursive: true });
  }

  freeSlots(): number {
    return this.o.pool.freeJobSlots();
  }

  /** The `runner` of the job the next start() puts on a worker. */
  nextRunner(): string {
    return `${this.o.instanceName}/worker-${this.o.pool.nextJobWorker()}`;
  }

  jobDir(jobId: string): string {
    return path.join(this.o.jobsDir, jobId);
  }

  /** Puts the job on a free worker (the request's dataset paths already local); returns the worker's index. */
  start(job: JobRecord, request: TrainRequest): number {
    const limit = effectiveLimit(job.request.maxRuntimeSeconds, this.o.maxJobRuntimeSeconds);
    const trainThreads = threadsForNextJob(this.o.trainThreadsPerJob, this.o.pool.busyCount(), this.o.cores);
    let end = (): void => undefined;
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.running.set(job.jobId, { ended, end });
    return this.o.pool.runJob(
      { jobId: job.jobId, request, jobDir: this.jobDir(job.jobId), maxRuntimeSeconds: limit, trainThreads },
      { onMessage: (report) => this.enqueue(job.jobId, report, limit) },
    );
  }

  /** Asks the job's worker to stop it at the next step boundary; false when it is not on a worker of this process. */
  stop(jobId: string, reason: StopReason): boolean {
    return this.o.pool.stopJob(jobId, reason);
  }

  /** Shutdown: every running job checkpoints and stops; waits (at most timeoutMs) until their reports are recorded. */
  async stopAll(timeoutMs: number): Promise<void> {
    const ended = [...this.running].filter(([jobId]) => this.stop(jobId, 'shutdown')).map(([, r]) => r.ended);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all(ended), late]).finally(() => clearTimeout(timer));
    this.givingUp = true;
    await Promise.all([...this.writes.values()]);
  }

  refreshGauges(): Promise<void> {
    return refreshJobGauges(this.o.store, this.o.metrics);
  }

  private enqueue(jobId: string, report: JobReport, limitSeconds: number): void {
    const prev = this.writes.get(jobId) ?? Promise.resolve();
    const seq = (this.latestProgress.get(jobId) ?? 0) + 1;
    if (report.type === 'progress') this.latestProgress.set(jobId, seq);
    const next = prev
      .then(() => (this.overtaken(jobId, report, seq) ? undefined : this.record(jobId, report, limitSeconds)))
      .catch((err: unknown) => this.o.logger.error({ err, jobId }, 'could not record a worker message'));
    this.writes.set(jobId, next);
    void next.finally(() => {
      if (this.writes.get(jobId) === next) {
        this.writes.delete(jobId);
        this.catchingUp.delete(jobId);
      }
      if (report.type === 'progress') return;
      this.running.get(jobId)?.end();
      this.running.delete(jobId);
      this.latestProgress.delete(jobId);
    });
  }

  /** After waiting for the store, a progress report with a newer one behind it is not worth a write. */
  private overtaken(jobId: string, report: JobReport, seq: number): boolean {
    return this.catchingUp.has(jobId) && report.type === 'progress' && !report.epochEnd && seq < (this.latestProgress.get(jobId) ?? 0);
  }

  /**
   * `write`, tried again every few seconds for as long as it fails because the store is unreachable (logged once).
   * Any other failure is thrown at once; so is the last one when a shutdown's grace time has run out.
   */
  private async untilStored<T>(jobId: string, what: string, write: () => Promise<T>): Promise<T> {
    let waitMs = 250;
    let logged = false;
    for (;;) {
      try {
        const result = await write();
        if (logged) this.o.logger.info({ jobId }, `store reachable again: ${what} recorded`);
        return result;
      } catch (err) {
        if (!(err instanceof UnavailableError) || this.givingUp) throw err;
        this.catchingUp.add(jobId);
        if (!logged) this.o.logger.warn({ jobId, err }, `store unreachable: ${what} waits for it (the job trains on)`);
        logged = true;
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      waitMs = Math.min(waitMs * 2, 2000);
    }
  }

  private async record(jobId: string, report: JobReport, limitSeconds: number): Promise<void> {
    const m = this.o.metrics;
    if (report.type === 'progress') {
      for (const s of report.stepSeconds) m.trainStepDuration.observe(s);
      m.trainStepsTotal.inc(report.stepSeconds.length);
      const job = await this.untilStored(jobId, 'its progress', () => this.get(jobId));
      if (report.progress.loss !== undefined) m.trainLoss.set({ model: job.modelName }, report.progress.loss);
      if (!(await this.untilStored(jobId, 'its progress', () => this.recorder.progress(jobId, report)))) return;
      const message = report.epochEnd ? `epoch ${report.progress.epoch} done` : 'progress';
      this.o.events.emit({ jobId, time: new Date().toISOString(), state: job.state, message, progress: report.progress });
      return;
    }
    if (report.type === 'trained') {
      await this.publish(jobId, report);
    } else {
      await this.onStopped(jobId, report.stoppedBy, report.error.message, limitSeconds, fromWire(report.error));
    }
    await this.afterJob(jobId);
  }

  private async publish(jobId: string, report: Extract<JobReport, { type: 'trained' }>): Promise<void> {
    const job = await this.untilStored(jobId, 'its trained model', () => this.get(jobId));
    let version: number;
    try {
      // Safe to repeat: publishing is idempotent per job.
      version = await this.untilStored(jobId, 'its trained model', () => this.o.models.publish(job.modelName, report.modelDir, jobId, job.request.versionLabels));
    } catch (err) {
      // Without this the job would stay RUNNING forever: the failure is the job's, and the server goes on.
      const reason = errorMessage(storageError(err, `could not publish ${job.modelName}`));
      this.o.logger.error({ err, jobId }, `job failed: ${reason}`);
      await this.finish(jobId, 'FAILED', reason, { failureReason: reason });
      return;
    }
    for (const [task, v] of Object.entries(report.metrics.testMapAt10)) this.o.metrics.evalMapAt10.set({ model: job.modelName, task }, v);
    await this.finish(jobId, 'SUCCEEDED', `published ${job.modelName} version ${version}`, { modelVersion: version, metrics: report.metrics });
    this.o.logger.info({ jobId, model: job.modelName, version, meanTestMapAt10: report.metrics.meanTestMapAt10 }, 'job succeeded');
  }

  private async onStopped(jobId: string, stoppedBy: StopReason | undefined, message: string, limitSeconds: number, err: Error): Promise<void> {
    if (stoppedBy === 'shutdown') return this.untilStored(jobId, 'its release', () => this.recorder.stoppedForShutdown(jobId));
    if (stoppedBy === 'cancel') {
      await this.finish(jobId, 'CANCELLED', message);
      return;
    }
    const reason = stoppedBy === 'deadline'
      ? `exceeded the maximum run time of ${limitSeconds} s (max_runtime_seconds / TAAN_MAX_JOB_RUNTIME_SECONDS)`
      : message;
    this.o.logger.warn({ jobId, err: stoppedBy ? undefined : err }, `job failed: ${reason}`);
    // A cancel that raced with a failure still ends as FAILED: the failure is the more useful fact.
    if (isTerminal((await this.untilStored(jobId, 'its end', () => this.get(jobId))).state)) return;
    await this.finish(jobId, 'FAILED', reason, { failureReason: reason });
  }

  private async finish(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord | undefined> {
    const job = await this.untilStored(jobId, `its move to ${to}`, () => this.recorder.transition(jobId, to, message, patch));
    if (job) this.o.events.emitState(job);
    return job;
  }

  private async afterJob(jobId: string): Promise<void> {
    // A job that ended needs its checkpoints no more (a stopped one, still RUNNING or QUEUED, resumes from them).
    const job = await this.untilStored(jobId, 'its clean-up', () => this.o.store.get(jobId));
    const ended = job !== undefined && isTerminal(job.state);
    if (ended) await fs.rm(this.jobDir(jobId), { recursive: true, force: true });
    await this.untilStored(jobId, 'its clean-up', () => this.recorder.left(jobId, ended));
    await this.untilStored(jobId, 'its clean-up', () => this.refreshGauges());
    this.onJobLeft();
  }

  private async get(jobId: string): Promise<JobRecord> {
    const job = await this.o.store.get(jobId);
    if (!job) throw new NotFoundError('job', jobId);
    return job;
  }
}

function effectiveLimit(requested: number, server: number): number {
  if (requested > 0 && server > 0) return Math.min(requested, server);
  return requested > 0 ? requested : server;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
