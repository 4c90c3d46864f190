/**
 * PgJobStore against a real PostgreSQL (a throwaway cluster, test/helpers/postgres.ts): the shared contract on a
 * fresh database per test, then what only several replicas and a real server can show: leases, NOTIFY across
 * pools, and the database going away and coming back.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError, UnavailableError } from '../../src/errors/errors.js';
import { PgJobStore } from '../../src/store/pg-job-store.js';
import { PG_MIGRATIONS, pgSchemaVersion } from '../../src/store/pg-migrations.js';
import { LEVEL, logSink } from '../helpers/log-sink.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';
import { describeJobStore, newJob } from './job-store.contract.js';

let server: PgServer;
/** Where the stores of these tests log; the connection-loss test reads its own sink. */
const { logger, lines: logLines } = logSink();
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.destroy();
});

describeJobStore('postgres', async () => {
  const url = await server.createDatabase();
  return { store: await PgJobStore.open(url, { logger }), reopen: () => PgJobStore.open(url, { logger }) };
}, { persistent: true });

const BIG = 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function sql(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

describe('PgJobStore', () => {
  let url: string;
  /** Two stores with their own pools on one database: two replicas. */
  let a: PgJobStore;
  let b: PgJobStore;

  beforeEach(async () => {
    url = await server.createDatabase();
    a = await PgJobStore.open(url, { logger });
    b = await PgJobStore.open(url, { logger });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('migrates once when replicas open a fresh database at the same time, and refuses a newer schema', async () => {
    const fresh = await server.createDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => PgJobStore.open(fresh, { logger })));
    await Promise.all(stores.map((s) => s.close()));
    const { rows } = await sql(fresh, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(await a.integrityCheck()).toBe('ok');

    await sql(fresh, "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')", [pgSchemaVersion + 1]);
    await expect(PgJobStore.open(fresh, { logger })).rejects.toThrow(/newer/);
  });

  it('reports a job that disagrees with its history in integrityCheck', async () => {
    await a.create(newJob(1), BIG);
    await sql(url, "UPDATE jobs SET state = 'SUCCEEDED' WHERE id = 'job-1'");
    const report = await a.integrityCheck();
    expect(report).toContain('job job-1 is SUCCEEDED but its last transition is QUEUED');
    expect(report).toContain('job job-1 is SUCCEEDED but has no end time');
  });

  it('never hands one job to two replicas claiming concurrently', async () => {
    for (let i = 1; i <= 8; i++) await a.create(newJob(i), BIG);
    // Three claim loops per replica, all at once, to make the row locks meet.
    const claimAll = async (store: PgJobStore, runner: string): Promise<string[]> => {
      const got: string[] = [];
      for (let job = await store.claimNext(runner, 60_000); job; job = await store.claimNext(runner, 60_000)) {
        expect(job).toMatchObject({ state: 'RUNNING', runner });
        got.push(job.jobId);
      }
      return got;
    };
    const results = await Promise.all(
      ['a0', 'a1', 'a2', 'b0', 'b1', 'b2'].map((r) => claimAll(r.startsWith('a') ? a : b, r)),
    );
    const all = results.flat();
    expect(all).toHaveLength(8);
    expect(new Set(all).size).toBe(8);
    for (let i = 1; i <= 8; i++) {
      const job = await b.get(`job-${i}`);
      const running = job!.transitions.filter((t) => t.state === 'RUNNING');
      expect(running).toHaveLength(1);
      expect(running[0]!.message).toBe(`claimed by ${job!.runner}`);
      expect(job!.startTime).toBe(running[0]!.time);
    }
    expect(await a.claimNext('a0', 60_000)).toBeUndefined();
  });

  it('lets another replica take over an expired lease; the old runner can then neither renew, transition nor write progress', async () => {
    await a.create(newJob(1), BIG);
    await a.create(newJob(2), BIG);
    // Leases long enough that a loaded machine cannot let one lapse between two of these calls.
    expect((await a.claimNext('A', 1000))?.jobId).toBe('job-1');
    // A live lease is not taken over: B gets the next queued job instead.
    expect((await b.claimNext('B', 60_000))?.jobId).toBe('job-2');
    expect(await b.claimNext('B', 60_000)).toBeUndefined();
    expect(await a.renewLease('job-1', 'A', 1000)).toBe(true);
    expect(await a.renewLease('job-1', 'B', 1000)).toBe(false);

    await sleep(1300);
    const taken = await b.claimNext('B', 60_000);
    expect(taken).toMatchObject({ jobId: 'job-1', state: 'RUNNING', runner: 'B' });
    expect(await a.renewLease('job-1', 'A', 1000)).toBe(false);
    await expect(a.transitionAsRunner('job-1', 'A', 'SUCCEEDED', 'done by A')).rejects.toBeInstanceOf(
      FailedPreconditionError,
    );
    expect(await a.get('job-1')).toEqual(taken);
    // Nor write progress over B's.
    const progressA = { epoch: 1, step: 3, totalSteps: 10, fraction: 0.3 };
    const progressB = { epoch: 1, step: 1, totalSteps: 10, fraction: 0.1 };
    expect(await a.updateProgressAsRunner('job-1', 'A', progressA)).toBe(false);
    expect(await b.updateProgressAsRunner('job-1', 'B', progressB)).toBe(true);
    expect((await a.get('job-1'))?.progress).toEqual(progressB);

    const done = await b.transitionAsRunner('job-1', 'B', 'SUCCEEDED', 'done by B');
    expect(done.transitions.map((t) => [t.state, t.message])).toEqual([
      ['QUEUED', 'queued'],
      ['RUNNING', 'claimed by A'],
      ['RUNNING', 'taken over by B after lease expiry (was A)'],
      ['SUCCEEDED', 'done by B'],
    ]);
    // A finished job holds no lease and takes no more progress from its last runner.
    expect(await b.renewLease('job-1', 'B', 60_000)).toBe(false);
    expect(await b.updateProgressAsRunner('job-1', 'B', progressA)).toBe(false);
  });

  it('shows a cancel made on one replica to the runner on another, and finishes cancels whose runner died', async () => {
    await a.create(newJob(1), BIG);
    await a.create(newJob(2), BIG);
    await a.claimNext('A', 60_000);
    await b.transition('job-1', 'CANCELLING', 'cancel requested');
    expect((await a.get('job-1'))?.state).toBe('CANCELLING');
    expect(await a.renewLease('job-1', 'A', 60_000)).toBe(true);
    expect((await a.transitionAsRunner('job-1', 'A', 'CANCELLED', 'stopped at step 3')).state).toBe('CANCELLED');

    // The runner of job-2 dies while it is being cancelled: the next claim on any replica finishes the cancel.
    await a.claimNext('A', 200);
    await b.transition('job-2', 'CANCELLING', 'cancel requested');
    await sleep(400);
    expect(await b.claimNext('B', 60_000)).toBeUndefined();
    const job2 = await b.get('job-2');
    expect(job2?.state).toBe('CANCELLED');
    expect(job2?.transitions.at(-1)?.message).toMatch(/lease expired/);
  });

  it('recovers after a restart only the jobs no live lease protects', async () => {
    for (let i = 1; i <= 3; i++) await a.create(newJob(i), BIG);
    await a.claimNext('A', 60_000);
    await a.claimNext('A', 100);
    await a.transition('job-3', 'RUNNING', 'started without a lease');
    await sleep(250);
    const changed = await b.recoverAfterRestart();
    expect(changed.map((j) => [j.jobId, j.state])).toEqual([
      ['job-2', 'QUEUED'],
      ['job-3', 'QUEUED'],
    ]);
    expect((await a.get('job-1'))?.state).toBe('RUNNING');
    // A requeued job holds no lease, so its old runner cannot keep it alive.
    expect(await a.renewLease('job-2', 'A', 60_000)).toBe(false);
  });

  it('notifies a subscriber on another replica of every change to a job', async () => {
    const seen: string[] = [];
    const unsubscribe = await b.subscribe((jobId) => seen.push(jobId));
    await a.create(newJob(1), BIG);
    await waitFor(() => seen.length === 1, 'the create');
    await a.claimNext('A', 60_000);
    await a.updateProgress('job-1', { epoch: 1, step: 1, totalSteps: 10, fraction: 0.1 });
    await a.transitionAsRunner('job-1', 'A', 'SUCCEEDED', 'done');
    await waitFor(() => seen.length === 4, 'claim, progress and transition');
    expect(seen).toEqual(['job-1', 'job-1', 'job-1', 'job-1']);
    // A rejected transition rolls back, and so does its NOTIFY.
    await expect(a.transition('job-1', 'RUNNING', 'again')).rejects.toBeInstanceOf(FailedPreconditionError);
    await unsubscribe();
    await a.create(newJob(2), BIG);
    await sleep(200);
    expect(seen).toHaveLength(4);
  });

  it('logs a lost subscription connection as UnavailableError, and the reconnect', async () => {
    const seen: string[] = [];
    await b.subscribe((jobId) => seen.push(jobId));
    const from = logLines.length;
    const killed = await sql(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()");
    expect(killed.rowCount).toBe(1);
    await waitFor(() => logLines.slice(from).some((l) => l.msg === 'listening for job changes again'), 'the reconnect');
    const lost = logLines.slice(from).find((l) => l.level === LEVEL.warn);
    expect(lost).toMatchObject({ err: { type: 'UnavailableError', code: 'UNAVAILABLE' }, channel: 'taan_job_changed' });
    expect(String(lost?.msg)).toMatch(/^lost the database connection that listens for job changes; reconnecting/);
    await a.create(newJob(1), BIG);
    await waitFor(() => seen.length === 1, 'a notification after the reconnect');
  });

  it('fails with UnavailableError while the database is down and works again, unchanged, when it returns', async () => {
    await a.create(newJob(1), BIG);
    const seen: string[] = [];
    let reconnected = 0;
    await b.subscribe(
      (jobId) => seen.push(jobId),
      () => (reconnected += 1),
    );

    await server.stop();
    try {
      await expect(a.get('job-1')).rejects.toBeInstanceOf(UnavailableError);
      await expect(a.create(newJob(2), BIG)).rejects.toBeInstanceOf(UnavailableError);
      await expect(a.claimNext('A', 60_000)).rejects.toBeInstanceOf(UnavailableError);
      await expect(b.updateProgress('job-1', { epoch: 1, step: 1, totalSteps: 2, fraction: 0.5 })).rejects.toBeInstanceOf(
        UnavailableError,
      );
      await expect(PgJobStore.open(url, { logger })).rejects.toBeInstanceOf(UnavailableError);
      await expect(b.subscribe(() => undefined)).rejects.toBeInstanceOf(UnavailableError);
    } finally {
      await server.start();
    }

    // The same objects, not reopened.
    expect((await a.get('job-1'))?.state).toBe('QUEUED');
    await waitFor(() => reconnected === 1, 'the subscription to reconnect');
    expect((await a.claimNext('A', 60_000))?.jobId).toBe('job-1');
    await a.transitionAsRunner('job-1', 'A', 'SUCCEEDED', 'done');
    await waitFor(() => seen.length === 2, 'notifications after the restart');
    expect(seen).toEqual(['job-1', 'job-1']);
    expect(await b.integrityCheck()).toBe('ok');
  });

  it('after a restart leaves a lease that ran out meanwhile to its runner for one lease, then lets it be taken over', async () => {
    await a.create(newJob(1), BIG);
    expect((await a.claimNext('A', 300))?.jobId).toBe('job-1');
    await server.stop();
    try {
      await sleep(600);
    } finally {
      await server.start();
    }
    // Expired, but the database has been up for less than a lease: the runner may still renew it.
    expect(await b.claimNext('B', 5_000)).toBeUndefined();
    expect(await a.renewLease('job-1', 'A', 300)).toBe(true);
    // A lease that ran out with the database up is taken over at once, unless the caller asks for queued jobs only.
    await sleep(500);
    expect(await b.claimNext('B', 5_000, false)).toBeUndefined();
    expect(await b.claimNext('B', 5_000)).toMatchObject({ jobId: 'job-1', runner: 'B' });
    expect(await a.renewLease('job-1', 'A', 300)).toBe(false);
  });
});
