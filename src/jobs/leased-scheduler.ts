/**
 * Replicas sharing one PostgreSQL store: a replica claims jobs (queued, or whose runner's lease expired) while it has
 * free workers, runs each only while it holds its lease (leases.ts), shares each epoch's checkpoint through the
 * database so whoever takes a job over resumes it, and at shutdown puts its running jobs back in the queue with
 * their checkpoints for another replica to pick up at once.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TrainRequest } from '../domain/train-request.js';
import { UnavailableError } from '../errors/errors.js';
import { isMissing, readError } from '../errors/storage.js';
import type { CheckpointShare } from '../store/checkpoint-share.js';
import type { LeasingJobStore } from '../store/job-store.js';
import { CHECKPOINT_FILE } from '../training/checkpoint.js';
import { writeFileAtomic } from '../util/atomic.js';
import { JobRunner, type JobRunnerOptions, type ProgressReport } from './job-runner.js';
import { Leases } from './leases.js';
import { PassLoop } from './pass-loop.js';
import type { JobScheduler } from './scheduler.js';

export interface LeasedSchedulerOptions extends JobRunnerOptions {
  store: LeasingJobStore;
  checkpoints: CheckpointShare;
  /** How long a lease lasts unless renewed, ms. */
  leaseMs: number;
  /** Points an uploaded dataset's paths at this replica's copy (fetched if needed). */
  localizeDataset: (req: TrainRequest) => Promise<TrainRequest>;
}

export class LeasedScheduler implements JobScheduler {
  private readonly leases: Leases;
  private readonly runner: JobRunner;
  private readonly loop: PassLoop;

  constructor(private readonly o: LeasedSchedulerOptions) {
    this.leases = new Leases({ store: o.store, leaseMs: o.leaseMs, logger: o.logger });
    // An unreachable store is logged once by the store's status (observability/store-status.ts), not at every pass.
    this.loop = new PassLoop(() => this.pass(), (err: unknown) => {
      if (err instanceof UnavailableError) o.logger.debug({ err }, 'scheduler pass: store unreachable');
      else o.logger.error({ err }, 'scheduler pass failed');
    });
    this.runner = new JobRunner(
      o,
      {
        transition: (jobId, to, message, patch) => this.leases.transitionAsRunner(jobId, to, message, patch),
        progress: (jobId, report) => this.recordProgress(jobId, report),
        stoppedForShutdown: (jobId) => this.requeue(jobId),
        left: async (jobId, ended) => {
          if (ended && this.leases.holds(jobId)) await this.o.checkpoints.delete(jobId);
          this.leases.release(jobId);
        },
      },
      () => this.schedule(),
    );
  }

  async start(): Promise<void> {
    await this.runner.init();
    await this.leases.start({
      // Changes made while the subscription was down were not notified: re-read what watchers follow.
      onReconnected: () => {
        for (const jobId of this.o.events.watched()) {
          if (this.leases.holds(jobId)) continue;
          this.o.store.get(jobId).then((job) => job && this.o.events.emitState(job), () => undefined);
        }
      },
      // A job another replica runs changed: tell this replica's watchers.
      onRemoteChange: (jobId) => {
        if (!this.o.events.hasListeners(jobId)) return;
        this.o.store.get(jobId).then((job) => job && this.o.events.emitState(job), () => undefined);
      },
      stop: (jobId, reason) => this.runner.stop(jobId, reason),
      tick: () => this.schedule(),
    });
    await this.runner.refreshGauges();
    this.schedule();
  }

  schedule(): void {
    this.loop.run();
  }

  stopForCancel(jobId: string): boolean {
    // Run here: stopped at its next step boundary. Run by another replica: that one sees CANCELLING at its next
    // lease renewal (or notification) and stops it. Either way a runner finishes the cancel.
    this.runner.stop(jobId, 'cancel');
    return true;
  }

  async shutdown(timeoutMs: number): Promise<void> {
    this.loop.stop();
    await this.runner.stopAll(timeoutMs);
    await this.leases.stop();
  }

  private async pass(): Promise<void> {
    while (!this.loop.stopped && this.runner.freeSlots() > 0) {
      const runner = this.runner.nextRunner();
      const claimed = await this.leases.claim(runner);
      if (!claimed) return;
      const { job } = claimed;
      this.o.events.emitState(job);
      if (claimed.alreadyRunning) {
        this.o.logger.info({ jobId: job.jobId, runner }, 'job still running here taken back after its lease expired in a store outage');
        continue;
      }
      let request: TrainRequest;
      try {
        await this.fetchCheckpoint(job.jobId);
        request = await this.o.localizeDataset(job.request);
      } catch (err) {
        // Leave the lease to expire: another replica (or this one, later) retries with the database back.
        this.leases.release(job.jobId);
        throw err;
      }
      const worker = this.runner.start(job, request);
      this.o.logger.info({ jobId: job.jobId, worker, runner }, job.progress ? 'job resumed from its shared checkpoint' : 'job started');
    }
  }

  private async recordProgress(jobId: string, report: ProgressReport): Promise<boolean> {
    // The checkpoint first: progress that says "epoch N done" must find epoch N's checkpoint shared. The progress
    // write is fenced by the runner, so a replica that just lost the job cannot write over the new holder's.
    if (report.epochEnd) await this.shareCheckpoint(jobId, true);
    return this.leases.updateProgress(jobId, report.progress, report.datasetSummary);
  }

  /** Shutdown: the checkpoint goes to the database and the job back to the queue, unless its lease was lost. */
  private async requeue(jobId: string): Promise<void> {
    if (!this.leases.holds(jobId)) return;
    await this.shareCheckpoint(jobId, false);
    const queued = await this.leases.transitionAsRunner(jobId, 'QUEUED', `released by ${this.o.instanceName} at shutdown`);
    if (queued) this.o.events.emitState(queued);
  }

  /**
   * Copies the job's checkpoint into the database. A job stopped before its first epoch ended has none (`required`
   * false: nothing to share); any other failed read is a StorageError, thrown so that nothing claims a checkpoint
   * that was not shared (the runner's write chain logs it).
   */
  private async shareCheckpoint(jobId: string, required: boolean): Promise<void> {
    // A replica that lost the job (cut off from the database while another took it over) must not overwrite the new
    // holder's checkpoint: the lease is renewed first, which fails once it passed to another replica.
    if (!(await this.leases.confirm(jobId))) return;
    const file = this.checkpointFile(jobId);
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(file);
    } catch (err) {
      if (!required && isMissing(err)) return;
      throw readError(err, `could not read the checkpoint of job ${jobId} to share it (${file})`);
    }
    await this.o.checkpoints.put(jobId, bytes);
  }

  /** Puts the job's shared checkpoint, if any, where the trainer resumes from. */
  private async fetchCheckpoint(jobId: string): Promise<void> {
    const bytes = await this.o.checkpoints.get(jobId);
    if (bytes) await writeFileAtomic(this.checkpointFile(jobId), bytes);
  }

  private checkpointFile(jobId: string): string {
    return path.join(this.runner.jobDir(jobId), 'checkpoint', CHECKPOINT_FILE);
  }
}
