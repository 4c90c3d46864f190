/**
 * LifecycleService in-process, on real stores in a temp dir: the start-up sweep of the jobs folder (folders of ended
 * or unknown jobs, temp entries of interrupted atomic writes) and taan_state_bytes measured from the disk.
 */
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifecycleService } from '../../src/jobs/lifecycle-service.js';
import { TaanMetrics } from '../../src/observability/metrics.js';
import { DatasetStore } from '../../src/store/dataset-store.js';
import { MemoryJobStore } from '../../src/store/memory-job-store.js';
import { ModelStore } from '../../src/store/model-store.js';
import { logSink } from '../helpers/log-sink.js';
import { newJob } from '../store/job-store.contract.js';

async function setUp(): Promise<{ state: string; lifecycle: LifecycleService; store: MemoryJobStore; metrics: TaanMetrics }> {
  const state = await mkdtemp(path.join(tmpdir(), 'taan-lifecycle-'));
  const { logger } = logSink();
  const store = new MemoryJobStore();
  const models = new ModelStore({ root: path.join(state, 'models'), logger });
  await models.init();
  const datasets = new DatasetStore({ root: path.join(state, 'datasets'), maxUploadBytes: 1e9, maxTotalBytes: 1e9 });
  await datasets.init();
  const metrics = new TaanMetrics();
  const jobsDir = path.join(state, 'jobs');
  const lifecycle = new LifecycleService({
    store,
    models,
    datasets,
    jobsDir,
    stateFiles: { models: [models.root], checkpoints: [jobsDir], datasets: [path.join(state, 'datasets')], jobs: [path.join(state, 'jobs.db')] },
    stateBytes: metrics.stateBytes,
    logger,
  });
  return { state, lifecycle, store, metrics };
}

describe('LifecycleService', () => {
  it('sweeps folders of ended and unknown jobs and temp entries, and keeps live jobs\' checkpoints', async () => {
    const { state, lifecycle, store } = await setUp();
    const live = (await store.create(newJob(1), 10)).job.jobId;
    const ended = (await store.create(newJob(2), 10)).job.jobId;
    await store.transition(ended, 'CANCELLED', 'x');
    const jobs = path.join(state, 'jobs');
    for (const id of [live, ended, 'job-unknown']) {
      await mkdir(path.join(jobs, id, 'checkpoint'), { recursive: true });
      await writeFile(path.join(jobs, id, 'checkpoint', 'checkpoint.bin'), 'ck');
      await writeFile(path.join(jobs, id, 'checkpoint', '.tmp-checkpoint.bin-abc'), 'half');
    }
    await mkdir(path.join(jobs, '.tmp-job-x'));
    await lifecycle.sweepJobsDir();
    expect(await readdir(jobs)).toEqual([live]);
    expect(await readdir(path.join(jobs, live, 'checkpoint'))).toEqual(['checkpoint.bin']);
  });

  it('sets taan_state_bytes per kind from the disk', async () => {
    const { state, lifecycle, metrics } = await setUp();
    await mkdir(path.join(state, 'jobs', 'job-a'), { recursive: true });
    await writeFile(path.join(state, 'jobs', 'job-a', 'f'), Buffer.alloc(1234));
    await writeFile(path.join(state, 'jobs.db'), Buffer.alloc(100));
    await lifecycle.refreshGauge();
    const values = Object.fromEntries((await metrics.stateBytes.get()).values.map((v) => [v.labels['kind'], v.value]));
    expect(values).toEqual({ models: 0, checkpoints: 1234, datasets: 0, jobs: 100 });
  });
});
