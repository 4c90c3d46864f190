/**
 * Stubs for the in-process tests of jobs/: a worker pool whose "workers" report only what the test tells them to, a
 * model publisher that records what it is given, and a leasing store over MemoryJobStore whose leases the test can
 * take away. The real pool, stores and servers are covered by test/workers, test/store and test/e2e.
 */
import { FailedPreconditionError, UnavailableError } from '../../src/errors/errors.js';
import type { DatasetSummary, JobMetrics, JobProgress, JobRecord, JobState } from '../../src/domain/job.js';
import type { TrainRequest } from '../../src/domain/train-request.js';
import type { ModelPublisher, TrainingPool } from '../../src/jobs/ports.js';
import type { LeasingJobStore, TransitionPatch } from '../../src/store/job-store.js';
import { MemoryJobStore } from '../../src/store/memory-job-store.js';
import type { JobListener } from '../../src/workers/pool.js';
import type { JobReport, StopReason, TrainJobPayload } from '../../src/workers/protocol.js';

export const METRICS: JobMetrics = {
  testMapAt10: { t0: 0.5 },
  meanTestMapAt10: 0.5,
  gapAt20: 0.4,
  perClassMap: 0.3,
  perClassMapByTask: { t0: 0.3 },
  hitAt1: { t0: 0.6 },
  loss: 0.7,
};

/**
 * `slots` job slots. A stopped job reports "stopped" on the next tick, as a worker does at its next step boundary,
 * unless `answerStops` is false (the test then calls stopped() itself).
 */
export class StubPool implements TrainingPool {
  readonly jobs = new Map<string, { worker: number; payload: TrainJobPayload; listener: JobListener }>();
  readonly started: TrainJobPayload[] = [];
  readonly stops: Array<{ jobId: string; reason: StopReason }> = [];
  answerStops = true;

  constructor(private readonly slots = 1) {}

  freeJobSlots(): number {
    return Math.max(0, this.slots - this.jobs.size);
  }

  busyCount(): number {
    return this.jobs.size;
  }

  nextJobWorker(): number {
    const busy = new Set([...this.jobs.values()].map((j) => j.worker));
    let i = 0;
    while (busy.has(i)) i++;
    return i;
  }

  runJob(payload: TrainJobPayload, listener: JobListener): number {
    const worker = this.nextJobWorker();
    this.jobs.set(payload.jobId, { worker, payload, listener });
    this.started.push(payload);
    return worker;
  }

  stopJob(jobId: string, reason: StopReason): boolean {
    if (!this.jobs.has(jobId)) return false;
    this.stops.push({ jobId, reason });
    if (this.answerStops) setImmediate(() => this.stopped(jobId, reason));
    return true;
  }

  isRunning(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  progress(jobId: string, epoch: number, opts: { epochEnd?: boolean; datasetSummary?: DatasetSummary } = {}): void {
    const progress: JobProgress = { epoch, step: epoch * 10, totalSteps: 100, fraction: epoch / 10, loss: 1 / epoch };
    this.report(jobId, { type: 'progress', jobId, progress, stepSeconds: [0.01, 0.02], epochEnd: opts.epochEnd ?? false, ...(opts.datasetSummary ? { datasetSummary: opts.datasetSummary } : {}) });
  }

  trained(jobId: string, modelDir = '/nowhere/model'): void {
    this.report(jobId, { type: 'trained', jobId, modelDir, metrics: METRICS });
  }

  stopped(jobId: string, reason: StopReason): void {
    this.report(jobId, { type: 'jobFailed', jobId, error: { name: 'CancelledError', code: 'CANCELLED', message: `stopped (${reason})` }, stoppedBy: reason });
  }

  /** What the real pool reports when a worker thread dies under a job. */
  crashed(jobId: string): void {
    const worker = this.jobs.get(jobId)?.worker;
    this.report(jobId, { type: 'jobFailed', jobId, error: { name: 'Error', message: `worker ${worker} exited (code 1)` } });
  }

  private report(jobId: string, msg: JobReport): void {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`${jobId} is not on a stub worker`);
    // As the real pool: a job's slot is free before its listener hears that it ended.
    if (msg.type !== 'progress') this.jobs.delete(jobId);
    entry.listener.onMessage(msg);
  }
}

export class StubPublisher implements ModelPublisher {
  readonly published: Array<{ name: string; dir: string; jobId: string; labels: string[] }> = [];
  failWith: Error | undefined;

  async publish(name: string, dir: string, jobId: string, labels: string[] = []): Promise<number> {
    if (this.failWith) throw this.failWith;
    this.published.push({ name, dir, jobId, labels });
    return this.published.filter((p) => p.name === name).length;
  }
}

/**
 * A LeasingJobStore in memory, as far as these tests need one: leases never expire by time; the test takes a job over
 * for another replica with takeOver(), and tells subscribers of a change with changed().
 */
export class StubLeasingStore extends MemoryJobStore implements LeasingJobStore {
  private readonly subscribers = new Set<(jobId: string) => void>();
  /** While true, every read and write of a job fails as with the database unreachable. */
  down = false;

  override async get(jobId: string): Promise<JobRecord | undefined> {
    if (this.down) throw new UnavailableError('the database is unavailable (stub); retry later');
    return super.get(jobId);
  }

  override async transition(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord> {
    if (this.down) throw new UnavailableError('the database is unavailable (stub); retry later');
    return super.transition(jobId, to, message, patch);
  }

  async claimNext(runner: string): Promise<JobRecord | undefined> {
    if (this.down) throw new UnavailableError('the database is unavailable (stub); retry later');
    const job = await this.nextQueued();
    if (!job) return undefined;
    return this.transition(job.jobId, 'RUNNING', `claimed by ${runner}`, { runner });
  }

  async renewLease(jobId: string, runner: string): Promise<boolean> {
    const job = await this.get(jobId);
    return job?.runner === runner && (job.state === 'RUNNING' || job.state === 'CANCELLING');
  }

  async transitionAsRunner(jobId: string, runner: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord> {
    const job = await this.get(jobId);
    if (job?.runner !== runner) throw new FailedPreconditionError(`job ${jobId} is now run by ${job?.runner || 'no one'}, not ${runner}`);
    return this.transition(jobId, to, message, patch);
  }

  async updateProgressAsRunner(jobId: string, runner: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<boolean> {
    if (!(await this.renewLease(jobId, runner))) return false;
    await this.updateProgress(jobId, progress, datasetSummary);
    return true;
  }

  async subscribe(onJobChanged: (jobId: string) => void): Promise<() => Promise<void>> {
    this.subscribers.add(onJobChanged);
    return async () => void this.subscribers.delete(onJobChanged);
  }

  /** Another replica took the job over after its lease expired. */
  async takeOver(jobId: string, runner: string): Promise<void> {
    await this.transition(jobId, 'QUEUED', 'lease expired');
    await this.transition(jobId, 'RUNNING', `taken over by ${runner}`, { runner });
  }

  changed(jobId: string): void {
    for (const s of this.subscribers) s(jobId);
  }
}

/** A small synthetic request, as the gRPC layer hands it to the service (defaults filled in). */
export function trainRequest(modelName: string, submissionId = ''): TrainRequest {
  return {
    modelName,
    submissionId,
    dataset: { kind: 'synthetic', tasks: 2, clusters: 1, features: 4, labelsPerTask: 3, examplesPerTask: 20, noise: 0.1, seed: 0, latentDim: 2 },
    architecture: 'TAAN',
    hiddenSizes: [4],
    numBasis: 2,
    regularizer: 'NONE',
    regCoefficient: 0.1,
    learningRate: 1e-3,
    weightDecay: 0,
    batchSizePerTask: 4,
    maxEpochs: 2,
    earlyStoppingPatience: 0,
    seed: 0,
    maxRuntimeSeconds: 0,
    measure: 'STANDARD',
    versionLabels: [],
  };
}
