/**
 * The job service with the replicas' scheduler (leases), in-process over a stub leasing store and a stub pool
 * (stubs.ts): claiming and checkpoint sharing, a lost lease, a cancel made on another replica, release at shutdown,
 * resume from a shared checkpoint, and a checkpoint that cannot be read. PostgreSQL and real replicas:
 * test/store/pg-job-store.test.ts and test/e2e/replicas.test.ts.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE } from '../../src/training/checkpoint.js';
import { LEVEL } from '../helpers/log-sink.js';
import { leasedJobs, states } from './harness.js';
import { StubLeasingStore, trainRequest } from './stubs.js';

const checkpointFile = (jobsDir: string, jobId: string): string => path.join(jobsDir, jobId, 'checkpoint', CHECKPOINT_FILE);

async function writeCheckpoint(jobsDir: string, jobId: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(checkpointFile(jobsDir, jobId)), { recursive: true });
  await writeFile(checkpointFile(jobsDir, jobId), bytes);
}

describe('LeasedScheduler', () => {
  it('claims a job, shares each epoch checkpoint before its progress, and drops the checkpoint when the job ends', async () => {
    const h = await leasedJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    expect((await h.jobs.get(job.jobId)).transitions.at(-1)?.message).toBe('claimed by test/worker-0');

    await writeCheckpoint(h.jobsDir, job.jobId, new Uint8Array([1, 2, 3]));
    h.pool.progress(job.jobId, 1, { epochEnd: true });
    await expect.poll(async () => (await h.jobs.get(job.jobId)).progress?.epoch).toBe(1);
    expect(h.checkpoints.get(job.jobId)).toEqual(new Uint8Array([1, 2, 3]));

    h.pool.trained(job.jobId);
    await expect.poll(async () => (await h.jobs.get(job.jobId)).state).toBe('SUCCEEDED');
    await expect.poll(() => h.checkpoints.has(job.jobId)).toBe(false);
  });

  it('stops a job whose lease another replica took over, and writes nothing over the new holder', async () => {
    const h = await leasedJobs({ leaseMs: 150 });
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    h.pool.answerStops = false;
    await h.store.takeOver(job.jobId, 'other/worker-0');
    // The next renewal (every leaseMs / 3) finds the lease gone.
    await expect.poll(() => h.pool.stops).toEqual([{ jobId: job.jobId, reason: 'shutdown' }]);
    expect(h.logs.some((l) => l.level === LEVEL.warn && l.jobId === job.jobId && String(l.msg).startsWith('lease lost'))).toBe(true);
    // Reports still in flight from the worker change nothing.
    h.pool.progress(job.jobId, 3);
    h.pool.stopped(job.jobId, 'shutdown');
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(false);
    await h.jobs.shutdown(1_000);
    const now = await h.jobs.get(job.jobId);
    expect(now).toMatchObject({ state: 'RUNNING', runner: 'other/worker-0', progress: null });
    expect(states(now)).toEqual(['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING']);
  });

  it('trains on through a store outage longer than its lease, and records its progress and end once the store is back', async () => {
    const h = await leasedJobs({ leaseMs: 150 });
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    h.store.down = true;
    await new Promise((r) => setTimeout(r, 500));
    for (let epoch = 1; epoch <= 5; epoch++) h.pool.progress(job.jobId, epoch);
    h.pool.trained(job.jobId);
    await new Promise((r) => setTimeout(r, 500));
    // Not stopped for want of a renewal, and nothing recorded yet.
    expect(h.pool.stops).toEqual([]);
    expect(h.models.published).toEqual([]);
    h.store.down = false;
    await expect.poll(async () => (await h.jobs.get(job.jobId)).state, { timeout: 10_000 }).toBe('SUCCEEDED');
    const end = await h.jobs.get(job.jobId);
    expect(states(end)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(end.progress?.epoch).toBe(5);
    expect(h.models.published.map((p) => p.jobId)).toEqual([job.jobId]);
    // The progress piled up behind the first waiting write: only the newest of the rest was written.
    const progressEvents = h.events.filter((e) => e.jobId === job.jobId && e.message === 'progress').map((e) => e.progress?.epoch);
    expect(progressEvents.at(-1)).toBe(5);
    expect(progressEvents.length).toBeLessThan(5);
    expect(h.logs.some((l) => l.level === LEVEL.warn && String(l.msg).startsWith('could not renew the lease (store unreachable)'))).toBe(true);
    expect(h.logs.some((l) => String(l.msg).startsWith('lease lost'))).toBe(false);
    await h.jobs.shutdown(1_000);
  });

  it('stops a job when another replica asks to cancel it, and finishes the cancel', async () => {
    const h = await leasedJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    // The cancel is a plain transition on another replica, which notifies this one.
    await h.store.transition(job.jobId, 'CANCELLING', 'cancel requested');
    h.store.changed(job.jobId);
    await expect.poll(async () => (await h.jobs.get(job.jobId)).state).toBe('CANCELLED');
    expect(h.pool.stops).toEqual([{ jobId: job.jobId, reason: 'cancel' }]);
  });

  it('leaves the cancel of a job it does not run to that job\'s runner', async () => {
    const store = new StubLeasingStore();
    const h = await leasedJobs({ store, slots: 0 });
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await store.claimNext('other/worker-0');
    expect((await h.jobs.cancel(job.jobId)).state).toBe('CANCELLING');
    expect(h.pool.stops).toEqual([]);
  });

  it('at shutdown shares the checkpoint and puts the job back in the queue for another replica', async () => {
    const h = await leasedJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    await writeCheckpoint(h.jobsDir, job.jobId, new Uint8Array([7]));
    await h.jobs.shutdown(5_000);
    const released = await h.jobs.get(job.jobId);
    expect(released.state).toBe('QUEUED');
    expect(released.transitions.at(-1)?.message).toBe('released by test at shutdown');
    expect(h.checkpoints.get(job.jobId)).toEqual(new Uint8Array([7]));
  });

  it('resumes a job from the checkpoint another replica shared', async () => {
    const store = new StubLeasingStore();
    const checkpoints = new Map<string, Uint8Array>();
    const first = await leasedJobs({ store, checkpoints });
    await first.jobs.start();
    const job = await first.jobs.submit(trainRequest('m'));
    await expect.poll(() => first.pool.isRunning(job.jobId)).toBe(true);
    await writeCheckpoint(first.jobsDir, job.jobId, new Uint8Array([4, 2]));
    await first.jobs.shutdown(5_000);

    const second = await leasedJobs({ store, checkpoints });
    await second.jobs.start();
    await expect.poll(() => second.pool.isRunning(job.jobId)).toBe(true);
    expect(second.pool.started[0]?.jobDir).toBe(path.join(second.jobsDir, job.jobId));
    expect(new Uint8Array(await readFile(checkpointFile(second.jobsDir, job.jobId)))).toEqual(new Uint8Array([4, 2]));
    expect((await second.jobs.get(job.jobId)).transitions.at(-1)?.message).toBe('claimed by test/worker-0');
  });

  it('reports a checkpoint it cannot read, and does not publish progress that would claim it was shared', async () => {
    const h = await leasedJobs();
    await h.jobs.start();
    const job = await h.jobs.submit(trainRequest('m'));
    await expect.poll(() => h.pool.isRunning(job.jobId)).toBe(true);
    // A folder where the checkpoint file should be: reading it fails with EISDIR.
    await mkdir(checkpointFile(h.jobsDir, job.jobId), { recursive: true });
    h.pool.progress(job.jobId, 1, { epochEnd: true });
    await expect.poll(() => h.logs.find((l) => l.level === LEVEL.error && l.jobId === job.jobId)).toBeDefined();
    const line = h.logs.find((l) => l.level === LEVEL.error && l.jobId === job.jobId)!;
    expect(line).toMatchObject({ msg: 'could not record a worker message', err: { type: 'StorageError', code: 'UNAVAILABLE' } });
    expect(String((line.err as { message: string }).message)).toMatch(/could not read the checkpoint of job .* to share it .*: EISDIR/);
    expect((await h.jobs.get(job.jobId)).progress).toBeNull();
    expect(h.checkpoints.has(job.jobId)).toBe(false);
    expect(h.events.some((e) => e.message === 'epoch 1 done')).toBe(false);
  });
});
