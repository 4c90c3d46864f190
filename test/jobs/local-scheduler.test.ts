/**
 * The job service with the one-server scheduler, in-process over a MemoryJobStore and a stub pool (stubs.ts): submit,
 * cancel while queued and while running, a worker crash, a failed publication, shutdown, and resume after a restart.
 * The same flows through a real server and real workers are in test/e2e.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailedPreconditionError, ResourceExhaustedError } from '../../src/errors/errors.js';
import { storageError } from '../../src/errors/storage.js';
import { localJobs, states } from './harness.js';
import { METRICS, trainRequest } from './stubs.js';

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));

describe('LocalScheduler', () => {
  it('runs a submitted job on a free worker, records its progress and publishes its model', async () => {
    const h = await localJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    expect(h.pool.started[0]).toMatchObject({ jobId: job.jobId, jobDir: path.join(h.jobsDir, job.jobId), trainThreads: 1, maxRuntimeSeconds: 0 });
    expect((await h.jobs.get(job.jobId)).runner).toBe('test/worker-0');

    h.pool.progress(job.jobId, 1, { epochEnd: true });
    await expect.poll(async () => (await h.jobs.get(job.jobId)).progress?.epoch).toBe(1);
    h.pool.trained(job.jobId, '/tmp/model');
    await expect.poll(async () => (await h.jobs.get(job.jobId)).state).toBe('SUCCEEDED');

    const done = await h.jobs.get(job.jobId);
    expect(states(done)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(done).toMatchObject({ modelVersion: 1, metrics: METRICS, failureReason: '' });
    expect(h.models.published).toEqual([{ name: 'm', dir: '/tmp/model', jobId: job.jobId, labels: [] }]);
    expect(h.events.filter((e) => e.jobId === job.jobId).map((e) => e.message)).toEqual(['queued', 'started', 'epoch 1 done', 'published m version 1']);
    // An ended job needs its working folder no more.
    expect(existsSync(path.join(h.jobsDir, job.jobId))).toBe(false);
  });

  it('submits idempotently by submission id and refuses a job beyond the queue bound', async () => {
    const h = await localJobs({ slots: 0 });
    await h.jobs.start();
    const a = await h.jobs.submit(trainRequest('m', 'sub-1'));
    expect((await h.jobs.submit(trainRequest('m', 'sub-1'))).jobId).toBe(a.jobId);
    for (let i = 1; i < 10; i++) await h.jobs.submit(trainRequest('m'));
    await expect(h.jobs.submit(trainRequest('m'))).rejects.toBeInstanceOf(ResourceExhaustedError);
  });

  it('cancels a queued job without a worker ever seeing it', async () => {
    const h = await localJobs({ slots: 0 });
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    const cancelled = await h.jobs.cancel(job.jobId);
    expect(states(cancelled)).toEqual(['QUEUED', 'CANCELLED']);
    expect(cancelled.transitions.at(-1)?.message).toBe('cancelled while queued');
    expect(h.pool.started).toEqual([]);
    await expect(h.jobs.cancel(job.jobId)).rejects.toBeInstanceOf(FailedPreconditionError);
  });

  it('cancels a running job at its next step boundary, and a job no worker has any more at once', async () => {
    const h = await localJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    h.pool.answerStops = false;
    const cancelling = await h.jobs.cancel(job.jobId);
    expect(cancelling.state).toBe('CANCELLING');
    expect(h.pool.stops).toEqual([{ jobId: job.jobId, reason: 'cancel' }]);
    expect((await h.jobs.cancel(job.jobId)).state).toBe('CANCELLING');
    h.pool.stopped(job.jobId, 'cancel');
    await expect.poll(async () => (await h.jobs.get(job.jobId)).state).toBe('CANCELLED');
    expect(states(await h.jobs.get(job.jobId))).toEqual(['QUEUED', 'RUNNING', 'CANCELLING', 'CANCELLED']);

    // RUNNING in the store but on no worker (it just ended): settled here.
    const other = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(other.jobId)).toBe(true);
    h.pool.jobs.delete(other.jobId);
    const settled = await h.jobs.cancel(other.jobId);
    expect(states(settled)).toEqual(['QUEUED', 'RUNNING', 'CANCELLING', 'CANCELLED']);
  });

  it('fails only the job of a crashed worker, and gives the freed worker the next job', async () => {
    const h = await localJobs();
    await h.jobs.start();
    const first = await h.jobs.submit(trainRequest('a'));
    const second = await h.jobs.submit(trainRequest('b'));
    await expect.poll(() => h.pool.isRunning(first.jobId)).toBe(true);
    expect(h.pool.isRunning(second.jobId)).toBe(false);
    h.pool.crashed(first.jobId);
    await expect.poll(async () => (await h.jobs.get(first.jobId)).state).toBe('FAILED');
    expect((await h.jobs.get(first.jobId)).failureReason).toBe('worker 0 exited (code 1)');
    await expect.poll(() => h.pool.isRunning(second.jobId)).toBe(true);
    expect(h.logs.some((l) => l.msg === 'job failed: worker 0 exited (code 1)' && l.jobId === first.jobId)).toBe(true);
  });

  it('fails a job whose model cannot be published, with the reason', async () => {
    const h = await localJobs();
    await h.jobs.start();
    h.models.failWith = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    h.pool.trained(job.jobId);
    await expect.poll(async () => (await h.jobs.get(job.jobId)).state).toBe('FAILED');
    expect((await h.jobs.get(job.jobId)).failureReason).toBe((storageError(h.models.failWith, 'could not publish m') as Error).message);
  });

  it('at shutdown stops running jobs, waits for their last report, leaves them RUNNING and starts nothing new', async () => {
    const h = await localJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    const queued = await h.jobs.submit(trainRequest('m'));
    await h.jobs.shutdown(5_000);
    expect(h.pool.stops).toEqual([{ jobId: job.jobId, reason: 'shutdown' }]);
    expect((await h.jobs.get(job.jobId)).state).toBe('RUNNING');
    await settle();
    expect(h.pool.isRunning(queued.jobId)).toBe(false);
    expect((await h.jobs.get(queued.jobId)).state).toBe('QUEUED');
  });

  it('resumes after a restart: a job left RUNNING is queued again and restarts from its checkpoint', async () => {
    const first = await localJobs();
    await first.jobs.start();
    const job = await first.jobs.submit(trainRequest('m'));
    await expect.poll(() => first.pool.isRunning(job.jobId)).toBe(true);
    first.pool.progress(job.jobId, 1, { epochEnd: false });
    await expect.poll(async () => (await first.jobs.get(job.jobId)).progress?.epoch).toBe(1);
    // The process dies here: nothing more is recorded. A new one starts over the same store.
    const second = await localJobs({ store: first.store });
    await second.jobs.start();
    await expect.poll(() => second.pool.isRunning(job.jobId)).toBe(true);
    const resumed = await second.jobs.get(job.jobId);
    expect(resumed.transitions.map((t) => `${t.state}: ${t.message}`)).toEqual([
      'QUEUED: queued',
      'RUNNING: started',
      'QUEUED: resumed after restart',
      'RUNNING: resumed from checkpoint',
    ]);
    expect(second.logs.some((l) => l.msg === 'recovered job after restart' && l.jobId === job.jobId)).toBe(true);
    second.pool.trained(job.jobId);
    await expect.poll(async () => (await second.jobs.get(job.jobId)).state).toBe('SUCCEEDED');
  });

  it('streams a watched job from its current state to its end', async () => {
    const h = await localJobs({ slots: 0 });
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    const seen: string[] = [];
    const watching = h.jobs.watch(job.jobId, (e) => seen.push(`${e.state}: ${e.message}`), new AbortController().signal);
    await settle();
    await h.jobs.cancel(job.jobId);
    await watching;
    expect(seen).toEqual(['QUEUED: queued', 'CANCELLED: cancelled while queued']);
  });
});
