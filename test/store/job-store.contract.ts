/**
 * The JobStore conformance suite. Every implementation runs it (see *-job-store.test.ts), so the service can swap
 * stores without changing behaviour. The factory gives a fresh, empty store per test, on the real clock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatasetSummary, JobMetrics, JobProgress, JobState } from '../../src/domain/job.js';
import { JOB_STATES } from '../../src/domain/job.js';
import type { TrainRequest } from '../../src/domain/train-request.js';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
} from '../../src/errors/errors.js';
import type { JobStore, NewJob } from '../../src/store/job-store.js';

export function testRequest(submissionId: string): TrainRequest {
  return {
    modelName: 'm',
    submissionId,
    dataset: {
      kind: 'synthetic', tasks: 4, clusters: 2, features: 8, labelsPerTask: 5,
      examplesPerTask: 100, noise: 0.1, seed: 0, latentDim: 2,
    },
    architecture: 'TAAN', hiddenSizes: [8], numBasis: 4, regularizer: 'NONE', regCoefficient: 0.1,
    learningRate: 1e-3, weightDecay: 0, batchSizePerTask: 8, maxEpochs: 1, earlyStoppingPatience: 0, seed: 0,
    maxRuntimeSeconds: 0, measure: 'STANDARD', versionLabels: [],
  };
}

/** Job `job-<n>` with submission `sub-<n>`, created n seconds after a fixed epoch. */
export function newJob(n: number, submissionId = `sub-${n}`): NewJob {
  const createTime = new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString();
  return { jobId: `job-${n}`, request: testRequest(submissionId), createTime };
}

const summary: DatasetSummary = {
  name: 'synthetic',
  tasks: [{ task: 't0', classes: 5, trainExamples: 60, validExamples: 20, testExamples: 20 }],
};

const metrics: JobMetrics = {
  testMapAt10: { t0: 0.5, t1: 0.25 },
  meanTestMapAt10: 0.375,
  gapAt20: 0.4,
  perClassMap: 0.3,
  perClassMapByTask: { t0: 0.35, t1: 0.25 },
  hitAt1: { t0: 0.6, t1: 0.5 },
  loss: 1.25,
};

const progress: JobProgress = {
  epoch: 2,
  step: 40,
  totalSteps: 100,
  fraction: 0.4,
  loss: 0.75,
  stepSeconds: 0.01,
  validMapAt10: { t0: 0.5, 'task with spaces': 0.125 },
};

const BIG = 1000;

export function describeJobStore(
  name: string,
  factory: () => Promise<{ store: JobStore; reopen?: () => Promise<JobStore> }>,
  /** Whether the store persists (its factory gives `reopen`); only then is the reopen test registered. */
  opts: { persistent: boolean } = { persistent: false },
): void {
  describe(`JobStore contract: ${name}`, () => {
    let store: JobStore;
    let reopen: (() => Promise<JobStore>) | undefined;

    beforeEach(async () => {
      ({ store, reopen } = await factory());
    });
    afterEach(async () => {
      await store.close();
    });

    /** Creates jobs 1..n and returns their ids, oldest first. */
    async function createMany(n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 1; i <= n; i++) ids.push((await store.create(newJob(i), BIG)).job.jobId);
      return ids;
    }

    async function moveTo(jobId: string, path: JobState[]): Promise<void> {
      for (const s of path) await store.transition(jobId, s, `to ${s}`);
    }

    it('creates a QUEUED job and gets it back', async () => {
      const nj = newJob(1);
      const { job, created } = await store.create(nj, BIG);
      expect(created).toBe(true);
      expect(job).toMatchObject({
        jobId: 'job-1',
        submissionId: 'sub-1',
        modelName: 'm',
        state: 'QUEUED',
        createTime: nj.createTime,
        startTime: null,
        endTime: null,
        progress: null,
        failureReason: '',
        modelVersion: 0,
        metrics: null,
        datasetSummary: null,
        runner: '',
        request: nj.request,
      });
      expect(job.transitions).toEqual([{ state: 'QUEUED', time: nj.createTime, message: expect.any(String) }]);
      expect(await store.get('job-1')).toEqual(job);
    });

    it('returns the existing job for a repeated submission id, outside the queue bound', async () => {
      const first = await store.create(newJob(1), 1);
      const again = await store.create(newJob(2, 'sub-1'), 1);
      expect(again.created).toBe(false);
      expect(again.job).toEqual(first.job);
      expect(await store.get('job-2')).toBeUndefined();
      expect((await store.countByState()).QUEUED).toBe(1);
    });

    it('lets only one of several concurrent creates with one submission id create', async () => {
      const results = await Promise.all([1, 2, 3, 4].map((i) => store.create(newJob(i, 'same'), BIG)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.job.jobId)).size).toBe(1);
    });

    it('rejects a create when maxQueued jobs are queued, and counts only QUEUED ones', async () => {
      await store.create(newJob(1), 2);
      await store.create(newJob(2), 2);
      await expect(store.create(newJob(3), 2)).rejects.toBeInstanceOf(ResourceExhaustedError);
      expect(await store.get('job-3')).toBeUndefined();
      await store.transition('job-1', 'RUNNING', 'started');
      expect((await store.create(newJob(3), 2)).created).toBe(true);
      await expect(store.create(newJob(4), 0)).rejects.toBeInstanceOf(ResourceExhaustedError);
      const settled = await Promise.allSettled([5, 6, 7, 8].map((i) => store.create(newJob(i), 4)));
      expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(2);
    });

    it('applies valid transitions and rejects invalid ones without changing the job', async () => {
      await createMany(1);
      const running = await store.transition('job-1', 'RUNNING', 'started');
      expect(running.state).toBe('RUNNING');
      expect(await store.get('job-1')).toEqual(running);
      await expect(store.transition('job-1', 'RUNNING', 'again')).rejects.toBeInstanceOf(FailedPreconditionError);
      await store.transition('job-1', 'SUCCEEDED', 'done');
      for (const to of JOB_STATES) {
        await expect(store.transition('job-1', to, 'x')).rejects.toBeInstanceOf(FailedPreconditionError);
      }
      const after = await store.get('job-1');
      expect(after?.state).toBe('SUCCEEDED');
      expect(after?.transitions).toHaveLength(3);
      await store.create(newJob(2), BIG);
      await expect(store.transition('job-2', 'SUCCEEDED', 'skip')).rejects.toBeInstanceOf(FailedPreconditionError);
    });

    it('records each transition with its time and message', async () => {
      await createMany(1);
      const before = Date.now();
      await store.transition('job-1', 'RUNNING', 'picked up by w1');
      await store.transition('job-1', 'CANCELLING', 'cancel requested');
      const rec = await store.transition('job-1', 'CANCELLED', 'stopped at step 3');
      const after = Date.now();
      expect(rec.transitions.map((t) => [t.state, t.message]).slice(1)).toEqual([
        ['RUNNING', 'picked up by w1'],
        ['CANCELLING', 'cancel requested'],
        ['CANCELLED', 'stopped at step 3'],
      ]);
      const times = rec.transitions.slice(1).map((t) => Date.parse(t.time));
      for (const t of times) expect(t).toBeGreaterThanOrEqual(before);
      for (const t of times) expect(t).toBeLessThanOrEqual(after);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect((await store.get('job-1'))?.transitions).toEqual(rec.transitions);
    });

    it('sets startTime on the first RUNNING only and endTime on a terminal state', async () => {
      await createMany(2);
      const r1 = await store.transition('job-1', 'RUNNING', 'start');
      const start = r1.transitions[1]!.time;
      expect(r1.startTime).toBe(start);
      expect(r1.endTime).toBeNull();
      await store.transition('job-1', 'QUEUED', 'requeued');
      const r2 = await store.transition('job-1', 'RUNNING', 'start again');
      expect(r2.startTime).toBe(start);
      const done = await store.transition('job-1', 'FAILED', 'boom', { failureReason: 'boom' });
      expect(done.endTime).toBe(done.transitions[done.transitions.length - 1]!.time);
      const cancelled = await store.transition('job-2', 'CANCELLED', 'cancelled while queued');
      expect(cancelled.startTime).toBeNull();
      expect(cancelled.endTime).toBe(cancelled.transitions[1]!.time);
    });

    it('applies transition patches and keeps fields a patch leaves out', async () => {
      await createMany(2);
      await store.transition('job-1', 'RUNNING', 'start', { runner: 'host-a/w0', datasetSummary: summary });
      const ok = await store.transition('job-1', 'SUCCEEDED', 'done', { metrics, modelVersion: 3 });
      expect(ok).toMatchObject({ runner: 'host-a/w0', datasetSummary: summary, metrics, modelVersion: 3 });
      expect(ok.failureReason).toBe('');
      expect(await store.get('job-1')).toEqual(ok);
      const failed = await store.transition('job-2', 'FAILED', 'bad data', { failureReason: 'dataset: no rows' });
      expect(failed).toMatchObject({ failureReason: 'dataset: no rows', metrics: null, modelVersion: 0, runner: '' });
      expect(await store.get('job-2')).toEqual(failed);
    });

    it('replaces progress, round-tripping validMapAt10 and non-finite losses', async () => {
      await createMany(1);
      await store.updateProgress('job-1', progress);
      expect((await store.get('job-1'))?.progress).toEqual(progress);
      expect((await store.get('job-1'))?.datasetSummary).toBeNull();
      const next: JobProgress = { epoch: 3, step: 60, totalSteps: 100, fraction: 0.6, loss: Number.NaN };
      await store.updateProgress('job-1', next, summary);
      let rec = await store.get('job-1');
      expect(rec?.progress).toEqual(next);
      expect(rec?.progress?.validMapAt10).toBeUndefined();
      expect(rec?.datasetSummary).toEqual(summary);
      await store.updateProgress('job-1', { ...next, loss: Number.POSITIVE_INFINITY });
      rec = await store.get('job-1');
      expect(rec?.progress?.loss).toBe(Number.POSITIVE_INFINITY);
      expect(rec?.datasetSummary).toEqual(summary);
      await expect(store.updateProgress('nope', progress)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('hands out queued jobs oldest first', async () => {
      expect(await store.nextQueued()).toBeUndefined();
      await createMany(3);
      expect((await store.nextQueued())?.jobId).toBe('job-1');
      await store.transition('job-1', 'RUNNING', 'start');
      expect((await store.nextQueued())?.jobId).toBe('job-2');
      // A job sent back to the queue keeps its place: FIFO is by creation.
      await store.transition('job-1', 'QUEUED', 'requeued');
      expect((await store.nextQueued())?.jobId).toBe('job-1');
      await moveTo('job-1', ['CANCELLED']);
      await moveTo('job-2', ['FAILED']);
      await moveTo('job-3', ['RUNNING']);
      expect(await store.nextQueued()).toBeUndefined();
    });

    it('lists newest first across pages, with a state filter', async () => {
      expect(await store.list({ pageSize: 10, pageToken: '' })).toEqual({ jobs: [], nextPageToken: '' });
      await createMany(7);
      const ids: string[][] = [];
      let token = '';
      do {
        const page = await store.list({ pageSize: 3, pageToken: token });
        ids.push(page.jobs.map((j) => j.jobId));
        token = page.nextPageToken;
      } while (token !== '' && ids.length < 10);
      expect(ids).toEqual([['job-7', 'job-6', 'job-5'], ['job-4', 'job-3', 'job-2'], ['job-1']]);

      await store.transition('job-2', 'RUNNING', 'start');
      await store.transition('job-5', 'RUNNING', 'start');
      const p1 = await store.list({ pageSize: 1, pageToken: '', state: 'RUNNING' });
      expect(p1.jobs.map((j) => [j.jobId, j.state])).toEqual([['job-5', 'RUNNING']]);
      const p2 = await store.list({ pageSize: 1, pageToken: p1.nextPageToken, state: 'RUNNING' });
      expect(p2).toEqual({ jobs: [await store.get('job-2')], nextPageToken: '' });
      const all = await store.list({ pageSize: 1000, pageToken: '' });
      expect(all.jobs).toHaveLength(7);
      expect(all.nextPageToken).toBe('');
    });

    it('rejects a malformed page token naming page_token', async () => {
      await createMany(2);
      const forged = Buffer.from('seq:abc').toString('base64url');
      for (const pageToken of ['not a token!', 'xyz', forged]) {
        const err = await store.list({ pageSize: 1, pageToken }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidArgumentError);
        expect((err as InvalidArgumentError).violations[0]?.field).toBe('page_token');
      }
    });

    it('counts jobs by state, with every state present', async () => {
      await createMany(4);
      await moveTo('job-1', ['RUNNING']);
      await moveTo('job-2', ['RUNNING', 'SUCCEEDED']);
      await moveTo('job-3', ['CANCELLED']);
      expect(await store.countByState()).toEqual({
        QUEUED: 1,
        RUNNING: 1,
        CANCELLING: 0,
        SUCCEEDED: 1,
        FAILED: 0,
        CANCELLED: 1,
      });
    });

    it('recovers after a restart: RUNNING -> QUEUED, CANCELLING -> CANCELLED, others untouched', async () => {
      await createMany(6);
      await moveTo('job-2', ['RUNNING']);
      await moveTo('job-3', ['RUNNING', 'CANCELLING']);
      await moveTo('job-4', ['RUNNING', 'SUCCEEDED']);
      await moveTo('job-5', ['FAILED']);
      await moveTo('job-6', ['CANCELLED']);
      const untouched = await Promise.all(['job-1', 'job-4', 'job-5', 'job-6'].map((id) => store.get(id)));
      const changed = await store.recoverAfterRestart();
      expect(changed.map((j) => [j.jobId, j.state])).toEqual([
        ['job-2', 'QUEUED'],
        ['job-3', 'CANCELLED'],
      ]);
      const resumed = await store.get('job-2');
      expect(resumed).toEqual(changed[0]);
      expect(resumed?.transitions.at(-1)).toMatchObject({ state: 'QUEUED', message: 'resumed after restart' });
      expect(resumed?.endTime).toBeNull();
      const cancelled = await store.get('job-3');
      expect(cancelled?.transitions.at(-1)?.state).toBe('CANCELLED');
      expect(cancelled?.endTime).toBe(cancelled?.transitions.at(-1)?.time);
      expect(await Promise.all(['job-1', 'job-4', 'job-5', 'job-6'].map((id) => store.get(id)))).toEqual(untouched);
      expect(await store.recoverAfterRestart()).toEqual([]);
    });

    it('answers undefined for an unknown job and NotFoundError when moving one', async () => {
      expect(await store.get('missing')).toBeUndefined();
      const err = await store.transition('missing', 'RUNNING', 'x').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err).toMatchObject({ kind: 'job', id: 'missing' });
    });

    it('deletes only ended jobs, with their history; NotFoundError for an unknown one', async () => {
      const [queued, running, succeeded, failed, cancelled] = await createMany(5);
      await moveTo(running!, ['RUNNING']);
      await moveTo(succeeded!, ['RUNNING', 'SUCCEEDED']);
      await moveTo(failed!, ['RUNNING', 'FAILED']);
      await moveTo(cancelled!, ['CANCELLED']);
      for (const id of [queued!, running!]) {
        const before = await store.get(id);
        await expect(store.deleteTerminal(id)).rejects.toBeInstanceOf(FailedPreconditionError);
        expect(await store.get(id)).toEqual(before);
      }
      await store.transition(running!, 'CANCELLING', 'cancel');
      await expect(store.deleteTerminal(running!)).rejects.toBeInstanceOf(FailedPreconditionError);
      for (const id of [succeeded!, failed!, cancelled!]) {
        const deleted = await store.deleteTerminal(id);
        expect(deleted.jobId).toBe(id);
        expect(await store.get(id)).toBeUndefined();
        await expect(store.deleteTerminal(id)).rejects.toBeInstanceOf(NotFoundError);
      }
      expect((await store.list({ pageSize: 10, pageToken: '' })).jobs.map((j) => j.jobId)).toEqual([running, queued]);
      await expect(store.deleteTerminal('missing')).rejects.toMatchObject({ kind: 'job', id: 'missing' });
      // The submission id of a deleted job is free again.
      const again = await store.create(newJob(9, 'sub-3'), BIG);
      expect(again.created).toBe(true);
    });

    it('returns snapshots that callers cannot change the store through', async () => {
      const { job } = await store.create(newJob(1), BIG);
      job.state = 'FAILED';
      job.transitions.push({ state: 'FAILED', time: job.createTime, message: 'x' });
      job.request.hiddenSizes.push(99);
      const stored = await store.get('job-1');
      expect(stored?.state).toBe('QUEUED');
      expect(stored?.transitions).toHaveLength(1);
      expect(stored?.request.hiddenSizes).toEqual([8]);
    });

    // Registered only for persistent stores (not skipped elsewhere: the test does not apply to them).
    const itPersistent = opts.persistent ? it : ((() => undefined) as unknown as typeof it);
    itPersistent('keeps everything across close and reopen', async () => {
      await createMany(3);
      await store.transition('job-1', 'RUNNING', 'start', { runner: 'r', datasetSummary: summary });
      await store.updateProgress('job-1', progress);
      await store.transition('job-1', 'SUCCEEDED', 'done', { metrics, modelVersion: 1 });
      await store.transition('job-2', 'RUNNING', 'start');
      const before = await store.list({ pageSize: 1000, pageToken: '' });
      const page1 = await store.list({ pageSize: 2, pageToken: '' });
      await store.close();
      store = await reopen!();
      expect(await store.list({ pageSize: 1000, pageToken: '' })).toEqual(before);
      expect((await store.list({ pageSize: 2, pageToken: page1.nextPageToken })).jobs.map((j) => j.jobId)).toEqual([
        'job-1',
      ]);
      expect((await store.create(newJob(9, 'sub-3'), BIG)).created).toBe(false);
      expect((await store.create(newJob(4), BIG)).created).toBe(true);
      expect((await store.list({ pageSize: 1, pageToken: '' })).jobs[0]?.jobId).toBe('job-4');
    });
  });
}
