/**
 * One server and its own job store: at start it requeues the jobs a previous process left RUNNING (they resume from
 * their checkpoints), then hands QUEUED jobs to free workers, oldest first. A job stopped by a shutdown stays
 * RUNNING in the store, for the next start to requeue.
 */
import type { JobStore } from '../store/job-store.js';
import { JobRunner, type JobRunnerOptions } from './job-runner.js';
import { PassLoop } from './pass-loop.js';
import type { JobScheduler } from './scheduler.js';

export interface LocalSchedulerOptions extends JobRunnerOptions {
  store: JobStore;
}

export class LocalScheduler implements JobScheduler {
  private readonly runner: JobRunner;
  private readonly loop: PassLoop;

  constructor(private readonly o: LocalSchedulerOptions) {
    this.loop = new PassLoop(() => this.pass(), (err: unknown) => o.logger.error({ err }, 'scheduler pass failed'));
    this.runner = new JobRunner(
      o,
      {
        transition: (jobId, to, message, patch) => o.store.transition(jobId, to, message, patch),
        progress: async (jobId, report) => {
          await o.store.updateProgress(jobId, report.progress, report.datasetSummary);
          return true;
        },
        stoppedForShutdown: async () => undefined,
        left: async () => undefined,
      },
      () => this.schedule(),
    );
  }

  async start(): Promise<void> {
    await this.runner.init();
    for (const job of await this.o.store.recoverAfterRestart()) {
      this.o.logger.info({ jobId: job.jobId, state: job.state }, 'recovered job after restart');
    }
    await this.runner.refreshGauges();
    this.schedule();
  }

  schedule(): void {
    this.loop.run();
  }

  stopForCancel(jobId: string): boolean {
    // Not on a worker of this process (it just finished, or is between hand-offs): the caller settles it.
    return this.runner.stop(jobId, 'cancel');
  }

  async shutdown(timeoutMs: number): Promise<void> {
    this.loop.stop();
    await this.runner.stopAll(timeoutMs);
  }

  private async pass(): Promise<void> {
    while (!this.loop.stopped && this.runner.freeSlots() > 0) {
      const job = await this.o.store.nextQueued();
      if (!job) return;
      const runner = this.runner.nextRunner();
      const running = await this.o.store.transition(job.jobId, 'RUNNING', job.progress ? 'resumed from checkpoint' : 'started', { runner });
      this.o.events.emitState(running);
      const worker = this.runner.start(job, job.request);
      this.o.logger.info({ jobId: job.jobId, worker }, 'job started');
      await this.runner.refreshGauges();
    }
  }
}
