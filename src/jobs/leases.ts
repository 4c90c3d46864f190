/**
 * The leases of the jobs a replica runs when several share one PostgreSQL store: it runs a job only while it holds
 * the job's lease, renews the leases of its running jobs every third of the lease time, stops a job whose lease it
 * lost (or could not renew before another replica may take it over), stops a job another replica asked to cancel,
 * fences its writes by its runner name, and reports changes other replicas make to jobs it does not run.
 */
import type { DatasetSummary, JobProgress, JobRecord, JobState } from '../domain/job.js';
import { FailedPreconditionError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import type { LeasingJobStore, TransitionPatch } from '../store/job-store.js';
import type { StopReason } from '../workers/protocol.js';

export interface LeasesOptions {
  store: LeasingJobStore;
  /** How long a lease lasts unless renewed, ms. */
  leaseMs: number;
  logger: Logger;
}

export interface LeasesHooks {
  /** Another replica changed a job this replica does not run. */
  onRemoteChange(jobId: string): void;
  /** Stops a job running on this replica's workers, at its next step boundary. */
  stop(jobId: string, reason: StopReason): boolean;
  /** Time to look for work (after renewals, after a database reconnect). */
  tick(): void;
}

/** Stop a job whose lease could not be renewed this long before the lease runs out, so two replicas never overlap. */
const FENCE_FRACTION = 0.7;

export class Leases {
  private readonly held = new Map<string, { runner: string; renewedAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private renewing = false;

  constructor(private readonly o: LeasesOptions) {}

  async start(hooks: LeasesHooks): Promise<void> {
    this.unsubscribe = await this.o.store.subscribe(
      (jobId) => {
        if (!this.held.has(jobId)) {
          hooks.onRemoteChange(jobId);
          // A job queued (or released) on another replica can start here now rather than at the next renewal.
          return hooks.tick();
        }
        // Ours: the change may be a cancel requested on another replica.
        void this.stopIfCancelling(jobId, hooks).catch(() => undefined);
      },
      () => hooks.tick(),
    );
    this.timer = setInterval(() => void this.renewAll(hooks), Math.max(50, this.o.leaseMs / 3));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.().catch(() => undefined);
  }

  async claim(runner: string): Promise<JobRecord | undefined> {
    const job = await this.o.store.claimNext(runner, this.o.leaseMs);
    if (job) this.held.set(job.jobId, { runner, renewedAt: Date.now() });
    return job;
  }

  holds(jobId: string): boolean {
    return this.held.has(jobId);
  }

  release(jobId: string): void {
    this.held.delete(jobId);
  }

  /** undefined when this replica no longer holds the job (the transition is another replica's to make). */
  async transitionAsRunner(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord | undefined> {
    const h = this.held.get(jobId);
    if (!h) return undefined;
    try {
      return await this.o.store.transitionAsRunner(jobId, h.runner, to, message, patch);
    } catch (err) {
      if (!(err instanceof FailedPreconditionError)) throw err;
      this.o.logger.warn({ jobId, runner: h.runner, to }, `transition dropped: ${err.message}`);
      this.held.delete(jobId);
      return undefined;
    }
  }

  /** Writes progress while this replica holds the job; false (nothing written) once it does not. */
  async updateProgress(jobId: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<boolean> {
    const h = this.held.get(jobId);
    if (h && (await this.o.store.updateProgressAsRunner(jobId, h.runner, progress, datasetSummary))) return true;
    this.o.logger.warn({ jobId, runner: h?.runner }, 'progress dropped: this replica no longer runs the job');
    return false;
  }

  private async renewAll(hooks: LeasesHooks): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    try {
      for (const [jobId, h] of [...this.held]) {
        try {
          if (!(await this.o.store.renewLease(jobId, h.runner, this.o.leaseMs))) {
            this.o.logger.warn({ jobId, runner: h.runner }, 'lease lost: another replica runs this job now; stopping here');
            this.held.delete(jobId);
            hooks.stop(jobId, 'shutdown');
            continue;
          }
          h.renewedAt = Date.now();
          await this.stopIfCancelling(jobId, hooks);
        } catch (err) {
          if (Date.now() - h.renewedAt < FENCE_FRACTION * this.o.leaseMs) continue;
          this.o.logger.warn({ jobId, err }, 'lease not renewed in time (database unreachable): stopping the job here; a replica resumes it from its checkpoint');
          this.held.delete(jobId);
          hooks.stop(jobId, 'shutdown');
        }
      }
    } finally {
      this.renewing = false;
    }
    hooks.tick();
  }

  private async stopIfCancelling(jobId: string, hooks: LeasesHooks): Promise<void> {
    const job = await this.o.store.get(jobId);
    if (job?.state === 'CANCELLING') hooks.stop(jobId, 'cancel');
  }
}
