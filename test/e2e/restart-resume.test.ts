/**
 * Durability: kill -9 the server while a job runs, start it again on the same state directory: the job resumes
 * from its checkpoint (its step count never returns to 0) and SUCCEEDS, and every job and model acknowledged
 * before the kill is still there. SIGTERM: the server stops within a bounded time, checkpointing the running job
 * at its current step, and the job resumes from that step after restart.
 */
import { describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import { slowTrainRequest, smallTrainRequest, waitForState, watch } from '../helpers/jobs.js';
import { call, startServer } from '../helpers/server-process.js';

async function waitForProgress(get: () => Promise<Job__Output>, pred: (j: Job__Output) => boolean): Promise<Job__Output> {
  for (let i = 0; i < 1200; i++) {
    const j = await get();
    if (pred(j)) return j;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('progress never came');
}

describe('restart and resume', () => {
  it('kill -9 mid-job: the job resumes from its checkpoint and succeeds; nothing acknowledged is lost', async () => {
    const first = await startServer();
    let client = first.client();
    const done = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('early', { max_epochs: 1 }));
    await waitForState(client, done.job_id, ['SUCCEEDED']);
    const long = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('long', { submission_id: 'long-1' }));
    const queued = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('after', { submission_id: 'after-1' }));
    // Past epoch 2, so at least one epoch checkpoint is on disk.
    const before = await waitForProgress(() => call<Job__Output>(client, 'GetJob', { job_id: long.job_id }), (j) => (j.progress?.epoch ?? 0) >= 3);
    await first.kill();

    const second = await startServer({ stateDir: first.stateDir });
    client = second.client();
    const events = await watch(client, long.job_id);
    const progress = events.filter((e) => e.progress && e.state === 'RUNNING' && e.progress.step > 0);
    expect(events.at(-1)!.state).toBe('SUCCEEDED');
    expect(Math.min(...events.filter((e) => e.progress).map((e) => e.progress!.step))).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    const resumed = await call<Job__Output>(client, 'GetJob', { job_id: long.job_id });
    console.log(`killed at step ${before.progress!.step} (epoch ${before.progress!.epoch}); finished at step ${resumed.progress!.step} of ${resumed.progress!.total_steps}`);
    expect(resumed.transitions.map((t) => t.state)).toEqual(['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(resumed.transitions[2]!.message).toMatch(/restart/);
    expect(resumed.transitions[3]!.message).toMatch(/resumed/);
    expect(resumed.progress!.step).toBe(resumed.progress!.total_steps);

    // Acknowledged before the kill: the finished job and its model, and the job that was still queued.
    expect((await call<Job__Output>(client, 'GetJob', { job_id: done.job_id })).state).toBe('SUCCEEDED');
    expect((await call<Model__Output>(client, 'GetModel', { model: { name: 'early' } })).version).toBe(1);
    expect((await waitForState(client, queued.job_id, ['SUCCEEDED'])).model_version).toBe(1);
    expect((await call<Job__Output>(client, 'TrainJob', slowTrainRequest('long', { submission_id: 'long-1' }))).job_id).toBe(long.job_id);
    expect(await second.stop()).toBe(0);
  });

  it('SIGTERM checkpoints the running job at its current step; it resumes there after restart', async () => {
    const first = await startServer({ env: { TAAN_SHUTDOWN_GRACE_SECONDS: '10' } });
    let client = first.client();
    // Small batches: ~100 steps an epoch, so progress (sent at most every 250 ms) is seen mid-epoch on any compute path;
    // 12 epochs, so that the job is still running when it is seen (the native path runs 3 in about a second).
    const job = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('term', { max_epochs: 12, batch_size_per_task: 16 }));
    const midEpoch = (j: Job__Output): boolean => {
      const p = j.progress;
      return !!p && p.step >= 3 && p.total_steps > 0 && p.step % (p.total_steps / 3) !== 0 && p.step < p.total_steps;
    };
    const before = await waitForProgress(() => call<Job__Output>(client, 'GetJob', { job_id: job.job_id }), midEpoch);
    const t0 = Date.now();
    expect(await first.stop()).toBe(0);
    const stopSeconds = (Date.now() - t0) / 1000;
    expect(stopSeconds).toBeLessThan(15);
    expect(first.logs.some((l) => l['msg'] === 'stopped')).toBe(true);

    const second = await startServer({ stateDir: first.stateDir });
    client = second.client();
    const events = await watch(client, job.job_id);
    const steps = events.filter((e) => e.progress && e.progress.step > 0).map((e) => e.progress!.step);
    console.log(`SIGTERM at step >= ${before.progress!.step}, stopped in ${stopSeconds.toFixed(2)} s; steps after restart ${steps.slice(0, 3).join(',')}...`);
    expect(events.at(-1)!.state).toBe('SUCCEEDED');
    // The first progress after restart continues from the step of the shutdown checkpoint, not an epoch boundary.
    const firstAfter = events.find((e) => e.message === 'progress' && e.progress);
    expect(firstAfter!.progress!.step).toBeGreaterThan(before.progress!.step);
    expect(await second.stop()).toBe(0);
  });
});
