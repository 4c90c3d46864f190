/** A JobService with either scheduler over stubs (stubs.ts), in-process: what the jobs/ tests drive. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobRecord } from '../../src/domain/job.js';
import { JobEvents, type JobEvent } from '../../src/jobs/job-events.js';
import type { JobRunnerOptions } from '../../src/jobs/job-runner.js';
import { JobService } from '../../src/jobs/job-service.js';
import { LeasedScheduler } from '../../src/jobs/leased-scheduler.js';
import { LocalScheduler } from '../../src/jobs/local-scheduler.js';
import type { JobScheduler } from '../../src/jobs/scheduler.js';
import { TaanMetrics } from '../../src/observability/metrics.js';
import type { CheckpointShare } from '../../src/store/checkpoint-share.js';
import type { JobStore } from '../../src/store/job-store.js';
import { MemoryJobStore } from '../../src/store/memory-job-store.js';
import { logSink, type LogLine } from '../helpers/log-sink.js';
import { StubLeasingStore, StubPool, StubPublisher } from './stubs.js';

export interface Harness<S extends JobStore> {
  jobs: JobService;
  scheduler: JobScheduler;
  store: S;
  pool: StubPool;
  models: StubPublisher;
  events: JobEvent[];
  logs: LogLine[];
  jobsDir: string;
}

async function common(pool: StubPool): Promise<{ options: Omit<JobRunnerOptions, 'store'>; models: StubPublisher; events: JobEvents; seen: JobEvent[]; logs: LogLine[] }> {
  const models = new StubPublisher();
  const events = new JobEvents();
  const seen: JobEvent[] = [];
  const { logger, lines } = logSink();
  const jobsDir = path.join(await mkdtemp(path.join(tmpdir(), 'taan-jobs-')), 'jobs');
  const options: Omit<JobRunnerOptions, 'store'> = {
    pool,
    models,
    events,
    jobsDir,
    instanceName: 'test',
    maxJobRuntimeSeconds: 0,
    trainThreadsPerJob: 1,
    cores: 2,
    metrics: new TaanMetrics(),
    logger,
  };
  // Every event of every job, as a watcher of all of them would see them.
  const emit = events.emit.bind(events);
  events.emit = (e) => {
    seen.push(e);
    emit(e);
  };
  return { options, models, events, seen, logs: lines };
}

function service(store: JobStore, scheduler: JobScheduler, c: Awaited<ReturnType<typeof common>>): JobService {
  return new JobService({
    store,
    scheduler,
    events: c.events,
    maxQueuedJobs: 10,
    resolveDataset: async (req) => req,
    metrics: c.options.metrics,
    logger: c.options.logger,
  });
}

/** One server: LocalScheduler over a MemoryJobStore (pass `store` to restart over an existing one). */
export async function localJobs(opts: { slots?: number; store?: MemoryJobStore } = {}): Promise<Harness<MemoryJobStore>> {
  const pool = new StubPool(opts.slots ?? 1);
  const c = await common(pool);
  const store = opts.store ?? new MemoryJobStore();
  const scheduler = new LocalScheduler({ ...c.options, store });
  return { jobs: service(store, scheduler, c), scheduler, store, pool, models: c.models, events: c.seen, logs: c.logs, jobsDir: c.options.jobsDir };
}

/** A replica: LeasedScheduler over a StubLeasingStore, checkpoints shared through `checkpoints`. */
export async function leasedJobs(opts: { slots?: number; store?: StubLeasingStore; checkpoints?: Map<string, Uint8Array>; leaseMs?: number } = {}): Promise<Harness<StubLeasingStore> & { checkpoints: Map<string, Uint8Array> }> {
  const pool = new StubPool(opts.slots ?? 1);
  const c = await common(pool);
  const store = opts.store ?? new StubLeasingStore();
  const checkpoints = opts.checkpoints ?? new Map<string, Uint8Array>();
  const share: CheckpointShare = {
    put: async (jobId, bytes) => void checkpoints.set(jobId, new Uint8Array(bytes)),
    get: async (jobId) => checkpoints.get(jobId),
    delete: async (jobId) => void checkpoints.delete(jobId),
  };
  const scheduler = new LeasedScheduler({ ...c.options, store, checkpoints: share, leaseMs: opts.leaseMs ?? 60_000, localizeDataset: async (req) => req });
  return { jobs: service(store, scheduler, c), scheduler, store, pool, models: c.models, events: c.seen, logs: c.logs, jobsDir: c.options.jobsDir, checkpoints };
}

export const states = (job: JobRecord | undefined): string[] => job?.transitions.map((t) => t.state) ?? [];
