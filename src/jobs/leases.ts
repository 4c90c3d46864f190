/**
 * The leases of the jobs a replica runs when several share one PostgreSQL store: it runs a job only while it holds
 * the job's lease, renews the leases of its running jobs every third of the lease time, stops a job whose lease
 * another replica took over, stops a job another replica asked to cancel, fences its writes by its runner name, and
 * reports changes other replicas make to jobs it does not run.
 *
 * A store that cannot be reached (a PostgreSQL restart or failover) is not a lost lease (issue #20): the job trains
 * on, and its lease is renewed as soon as the store answers. Nobody can have taken it over meanwhile, since nobody
 * could reach the store either; and after an outage this replica takes over no expired lease for one lease period,
 * so that every other replica has had the time to renew its own (the store does the same after a restart: see
 * PgJobStore.claimNext). A replica cut off alone while the others reach the store does lose its jobs after the
 * lease: its renewal then answers false, it stops them, and its fenced writes change nothing meanwhile.
 */
import type { DatasetSummary, JobProgress, JobRecord, JobState } from '../domain/job.js';
import { FailedPreconditionError, UnavailableError } from '../errors/errors.js';
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
  /** The subscription is back after a database outage; changes made meanwhile were not reported. */
  onReconnected(): void;
}

export class Leases {
  private readonly held = new Map<string, { runner: string; unreachableLogged?: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => Promise<void>) | undefined;
  private renewing = false;
  /** Set while the store is unreachable; once it answers, takeovers wait until `takeOverFrom` (Date.now() ms). */
  private unreachable = false;
  private takeOverFrom = 0;

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
      () => {
        hooks.onReconnected();
        hooks.tick();
      },
    );
    this.timer = setInterval(() => void this.renewAll(hooks), Math.max(50, this.o.leaseMs / 3));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.unsubscribe?.().catch(() => undefined);
  }

  /**
   * Claims the next job for `runner`. `alreadyRunning`: the job is one this replica still runs (its lease expired
   * while the store was unreachable and this replica took it over again): the running work goes on under the new
   * runner name, and the caller must not start it a second time.
   */
  async claim(runner: string): Promise<{ job: JobRecord; alreadyRunning: boolean } | undefined> {
    const job = await this.reached(() => this.o.store.claimNext(runner, this.o.leaseMs, Date.now() >= this.takeOverFrom));
    if (!job) return undefined;
    const alreadyRunning = this.held.has(job.jobId);
    this.held.set(job.jobId, { runner });
    return { job, alreadyRunning };
  }

  holds(jobId: string): boolean {
    return this.held.has(jobId);
  }

  /**
   * Renews the job's lease now: true when this replica still holds it, and then for a full lease, so a write that
   * no runner name fences (the shared checkpoint) cannot land after another replica took the job over.
   */
  async confirm(jobId: string): Promise<boolean> {
    const h = this.held.get(jobId);
    return h !== undefined && (await this.reached(() => this.o.store.renewLease(jobId, h.runner, this.o.leaseMs)));
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
          if (!(await this.reached(() => this.o.store.renewLease(jobId, h.runner, this.o.leaseMs)))) {
            // Ended (or handed back to the queue) by this runner itself, its last report still being recorded.
            if ((await this.o.store.get(jobId))?.runner === h.runner) continue;
            this.o.logger.warn({ jobId, runner: h.runner }, 'lease lost: another replica runs this job now; stopping here');
            this.held.delete(jobId);
            hooks.stop(jobId, 'shutdown');
            continue;
          }
          h.unreachableLogged = false;
          await this.stopIfCancelling(jobId, hooks);
        } catch (err) {
          if (!(err instanceof UnavailableError)) {
            this.o.logger.warn({ jobId, err }, 'could not renew the lease; trying again at the next renewal');
            continue;
          }
          if (h.unreachableLogged) continue;
          h.unreachableLogged = true;
          this.o.logger.warn({ jobId, err }, 'could not renew the lease (store unreachable): the job trains on, and its lease is renewed when the store answers');
        }
      }
    } finally {
      this.renewing = false;
    }
    hooks.tick();
  }

  /** Runs one store call, keeping track of whether the store is reachable (for the takeover pause, see above). */
  private async reached<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      if (this.unreachable) {
        this.unreachable = false;
        this.takeOverFrom = Date.now() + this.o.leaseMs;
      }
      return result;
    } catch (err) {
      if (err instanceof UnavailableError) this.unreachable = true;
      throw err;
    }
  }

  private async stopIfCancelling(jobId: string, hooks: LeasesHooks): Promise<void> {
    const job = await this.o.store.get(jobId);
    if (job?.state === 'CANCELLING') hooks.stop(jobId, 'cancel');
  }
}
