/**
 * Scale-out: two real server processes share one real PostgreSQL (a throwaway cluster, test/helpers/postgres.ts).
 * Jobs run exactly once, on either replica; a replica killed mid-job loses nothing (the other takes the job over
 * after its lease and resumes from the shared checkpoint); models, WatchJob and CancelJob work across replicas; and
 * with the database down calls get UNAVAILABLE until it returns, when both replicas carry on by themselves.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { JobEvent__Output } from '../../src/grpc/generated/taan/v1/JobEvent.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { slowTrainRequest, smallTrainRequest, upload, waitForState, watch } from '../helpers/jobs.js';
import { Replicas } from '../helpers/replicas.js';
import { call, callError, SHARED_DATA} from '../helpers/server-process.js';
import { waitFor } from '../helpers/wait-for.js';

const LEASE_SECONDS = 2;
let cluster: Replicas;
const client = (name: 'A' | 'B'): TaanServiceClient => cluster.client(name);
const replicaOf = (job: Job__Output): 'A' | 'B' => (job.runner.startsWith('A/') ? 'A' : 'B');
const other = (r: 'A' | 'B'): 'A' | 'B' => (r === 'A' ? 'B' : 'A');

/** Per job, whether its transitions ever show it RUNNING for two runners without a lease takeover in between. */
function runnersOf(job: Job__Output): string[] {
  return job.transitions.filter((t) => /claimed by|taken over by/.test(t.message)).map((t) => t.message);
}

beforeAll(async () => {
  cluster = await Replicas.start(LEASE_SECONDS);
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

describe('two replicas on one PostgreSQL', () => {
  it('runs eight jobs submitted round-robin exactly once each, on both replicas', async () => {
    const jobs: Job__Output[] = [];
    for (let i = 0; i < 8; i++) jobs.push(await call<Job__Output>(client(i % 2 ? 'B' : 'A'), 'TrainJob', smallTrainRequest(`rr${i}`)));
    const done = await Promise.all(jobs.map((j, i) => waitForState(client(i % 2 ? 'A' : 'B'), j.job_id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 120_000)));
    for (const j of done) {
      expect(j.state, j.failure_reason).toBe('SUCCEEDED');
      // One claim, no takeover: never RUNNING on two replicas.
      expect(runnersOf(j)).toHaveLength(1);
      expect(j.transitions.map((t) => t.state)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    }
    expect(new Set(done.map(replicaOf))).toEqual(new Set(['A', 'B']));
  });

  it('serves a model trained on one replica from the other, identically, and picks up a new version', async () => {
    const first = await call<Job__Output>(client('A'), 'TrainJob', smallTrainRequest('shared', { max_epochs: 1 }));
    const v1 = await waitForState(client('A'), first.job_id, ['SUCCEEDED'], 60_000);
    const trainedOn = replicaOf(v1);
    const req = { model: { name: 'shared' }, examples: [{ features: Array.from({ length: 16 }, (_, i) => Math.sin(i)) }] };
    const here = await call<{ model: { version: number }; results: unknown }>(client(trainedOn), 'Predict', req);
    const there = await call<{ model: { version: number }; results: unknown }>(client(other(trainedOn)), 'Predict', req);
    expect(there.model.version).toBe(1);
    expect(there.results).toEqual(here.results);

    const second = await call<Job__Output>(client(trainedOn), 'TrainJob', smallTrainRequest('shared', { max_epochs: 1, seed: 7 }));
    await waitForState(client(trainedOn), second.job_id, ['SUCCEEDED'], 60_000);
    const t0 = Date.now();
    await waitFor(async () => {
      const r = await call<{ model: { version: number } }>(client('A'), 'Predict', req);
      const s = await call<{ model: { version: number } }>(client('B'), 'Predict', req);
      return r.model.version === 2 && s.model.version === 2 ? true : undefined;
    }, 5_000, 'version 2 on both replicas');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('trains on either replica from a dataset uploaded to one of them', async () => {
    const files = await Promise.all(['yeast-train.arff', 'yeast-test.arff'].map(async (f) => ({ fileName: f, data: await readFile(path.join(SHARED_DATA, 'yeast', f)) })));
    const ds = await upload(client('A'), 'yeast', files);
    // 20 epochs (a few seconds): long enough that one replica cannot finish the first job and claim the second too
    // before the other replica's scheduler claims it.
    const train = { hidden_sizes: [32], num_basis: 8, max_epochs: 20, batch_size_per_task: 16, learning_rate: 1e-3, early_stopping_patience: 0 };
    // Two at once: each replica has one job worker, so one of them runs on the replica that did not get the upload.
    const jobs = await Promise.all((['A', 'B'] as const).map((r, i) => call<Job__Output>(client(r), 'TrainJob', { model_name: `yeast${i}`, dataset_id: ds.dataset_id, ...train })));
    const done = await Promise.all(jobs.map((j) => waitForState(client('B'), j.job_id, ['SUCCEEDED', 'FAILED'], 120_000)));
    for (const j of done) expect(j.state, j.failure_reason).toBe('SUCCEEDED');
    expect(new Set(done.map(replicaOf))).toEqual(new Set(['A', 'B']));
  });

  it('follows and cancels, from one replica, a job running on the other', async () => {
    const job = await call<Job__Output>(client('A'), 'TrainJob', slowTrainRequest('remote', { max_epochs: 50 }));
    const running = await waitForState(client('A'), job.job_id, ['RUNNING'], 60_000);
    const watcher = other(replicaOf(running));
    const events = watch(client(watcher), job.job_id);
    // Progress made on the runner reaches the watcher on the other replica.
    await waitFor(async () => ((await call<Job__Output>(client(watcher), 'GetJob', { job_id: job.job_id })).progress?.step ?? 0) > 0 ? true : undefined, 60_000, 'progress');
    await new Promise((r) => setTimeout(r, 1500));
    await call(client(watcher), 'CancelJob', { job_id: job.job_id });
    const seen: JobEvent__Output[] = await events;
    expect(seen.at(-1)?.state).toBe('CANCELLED');
    expect(seen.some((e) => e.state === 'RUNNING' && (e.progress?.step ?? 0) > 0)).toBe(true);
    const end = await waitForState(client(watcher), job.job_id, ['CANCELLED'], 30_000);
    expect(end.transitions.map((t) => t.state)).toEqual(['QUEUED', 'RUNNING', 'CANCELLING', 'CANCELLED']);
  });

  it('takes over the job of a replica killed with SIGKILL, resuming from its checkpoint', async () => {
    const job = await call<Job__Output>(client('A'), 'TrainJob', slowTrainRequest('takeover', { max_epochs: 4 }));
    // Wait until an epoch is done (its checkpoint is shared) and the next one is under way.
    const mid = await waitFor(async () => {
      const j = await call<Job__Output>(client('A'), 'GetJob', { job_id: job.job_id });
      return j.state === 'RUNNING' && (j.progress?.epoch ?? 0) >= 2 ? j : undefined;
    }, 120_000, 'epoch 2');
    const victim = replicaOf(mid);
    const survivor = other(victim);
    const stepAtKill = Number(mid.progress!.step);
    await cluster.server(victim).kill();
    delete cluster.servers[victim];
    const killedAt = Date.now();

    const taken = await waitFor(async () => {
      const j = await call<Job__Output>(client(survivor), 'GetJob', { job_id: job.job_id });
      return runnersOf(j).some((m) => m.includes('taken over')) ? j : undefined;
    }, 30_000, 'takeover');
    // Lease plus one renewal period (a third of it) plus scheduling slack.
    expect(Date.now() - killedAt).toBeLessThan((LEASE_SECONDS * 4 / 3) * 1000 + 3000);
    expect(replicaOf(taken)).toBe(survivor);
    const steps: number[] = [];
    const end = await waitFor(async () => {
      const j = await call<Job__Output>(client(survivor), 'GetJob', { job_id: job.job_id });
      if (j.progress) steps.push(Number(j.progress.step));
      return j.state === 'SUCCEEDED' || j.state === 'FAILED' ? j : undefined;
    }, 180_000, 'the job to end');
    expect(end.state, end.failure_reason).toBe('SUCCEEDED');
    // Resumed from the shared checkpoint of a finished epoch: never back to step 0.
    expect(Math.min(...steps)).toBeGreaterThan(0);
    expect(Math.min(...steps)).toBeGreaterThanOrEqual(stepAtKill - Number(mid.progress!.total_steps) / 4);
    await cluster.startReplica(victim);
  });

  it('hands the job of a replica stopped with SIGTERM back to the queue, and another replica finishes it', async () => {
    const job = await call<Job__Output>(client('A'), 'TrainJob', slowTrainRequest('drain', { max_epochs: 3 }));
    const mid = await waitFor(async () => {
      const j = await call<Job__Output>(client('A'), 'GetJob', { job_id: job.job_id });
      return j.state === 'RUNNING' && Number(j.progress?.step ?? 0) > 0 ? j : undefined;
    }, 120_000, 'progress');
    const leaving = replicaOf(mid);
    const staying = other(leaving);
    expect(await cluster.server(leaving).stop()).toBe(0);
    delete cluster.servers[leaving];
    const end = await waitForState(client(staying), job.job_id, ['SUCCEEDED', 'FAILED'], 180_000);
    expect(end.state, end.failure_reason).toBe('SUCCEEDED');
    const states = end.transitions.map((t) => t.state);
    expect(states).toEqual(['QUEUED', 'RUNNING', 'QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(end.transitions[2]!.message).toMatch(/released by .* at shutdown/);
    expect(replicaOf(end)).toBe(staying);
    await cluster.startReplica(leaving);
  });

  it('answers UNAVAILABLE while the database is down and recovers by itself when it returns', async () => {
    const before = await call<Job__Output>(client('A'), 'TrainJob', smallTrainRequest('outage', { max_epochs: 1 }));
    await waitForState(client('A'), before.job_id, ['SUCCEEDED'], 60_000);
    // This one runs through the outage: its runner trains on and renews the lease once the database is back.
    const through = await call<Job__Output>(client('A'), 'TrainJob', slowTrainRequest('through', { max_epochs: 3 }));
    await waitFor(async () => {
      const j = await call<Job__Output>(client('A'), 'GetJob', { job_id: through.job_id });
      return j.state === 'RUNNING' && (j.progress?.epoch ?? 0) >= 2 ? j : undefined;
    }, 120_000, 'epoch 2');
    await cluster.pg.stop();
    const down = Date.now();
    try {
      for (const r of ['A', 'B'] as const) {
        const err = await callError(client(r), 'GetJob', { job_id: before.job_id });
        expect(grpc.status[err.code], err.details).toBe('UNAVAILABLE');
        const submit = await callError(client(r), 'TrainJob', smallTrainRequest('outage2'));
        expect(grpc.status[submit.code], submit.details).toBe('UNAVAILABLE');
      }
      // Longer than the lease, so the runner's fence (and a later takeover) is exercised.
      await new Promise((r) => setTimeout(r, Math.max(0, LEASE_SECONDS * 1500 - (Date.now() - down))));
    } finally {
      await cluster.pg.start();
    }
    const after = await waitFor(() => call<Job__Output>(client('B'), 'TrainJob', smallTrainRequest('outage3', { max_epochs: 1, submission_id: 'outage3' })), 30_000, 'the database back');
    const end = await waitForState(client('A'), after.job_id, ['SUCCEEDED', 'FAILED'], 60_000);
    expect(end.state, end.failure_reason).toBe('SUCCEEDED');
    expect(runnersOf(end)).toHaveLength(1);
    expect((await call<Job__Output>(client('B'), 'GetJob', { job_id: before.job_id })).state).toBe('SUCCEEDED');
    const resumed = await waitForState(client('B'), through.job_id, ['SUCCEEDED', 'FAILED'], 180_000);
    expect(resumed.state, resumed.failure_reason).toBe('SUCCEEDED');
    // Exactly one SUCCEEDED, and every claim after the first is a takeover of an expired lease.
    expect(resumed.transitions.filter((t) => t.state === 'SUCCEEDED')).toHaveLength(1);
    expect(runnersOf(resumed).slice(1).every((m) => m.includes('taken over'))).toBe(true);
  });
});
