/**
 * Sweeps on two replicas sharing one real PostgreSQL: the children are ordinary queued jobs, so both replicas run
 * them; the sweep is visible (and watchable) from both; one replica drives it, and the label moves exactly once.
 * Then the driving replica is killed mid-sweep: the other takes the sweep over after its lease and finishes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { ListSweepsResponse__Output } from '../../src/grpc/generated/taan/v1/ListSweepsResponse.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { Sweep__Output } from '../../src/grpc/generated/taan/v1/Sweep.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';
import { bestByValidation, smallSweepRequest, sweepEnded, waitForSweep, watchSweep } from '../helpers/sweeps.js';

const LEASE_SECONDS = 2;
let pg: PgServer;
let dbUrl: string;
const replicas: Partial<Record<'A' | 'B', ServerProcess>> = {};

async function startReplica(name: 'A' | 'B'): Promise<ServerProcess> {
  const s = await startServer({ env: { TAAN_DATABASE_URL: dbUrl, TAAN_INSTANCE_NAME: name, TAAN_JOB_LEASE_SECONDS: String(LEASE_SECONDS), TAAN_WORKERS: '1' } });
  replicas[name] = s;
  return s;
}

const labelLogs = (): Array<Record<string, unknown>> =>
  Object.values(replicas).flatMap((r) => r!.logs.filter((l) => l['msg'] === 'sweep best labelled'));

beforeAll(async () => {
  pg = await startPostgres();
  dbUrl = await pg.createDatabase();
  await Promise.all([startReplica('A'), startReplica('B')]);
}, 120_000);

afterAll(async () => {
  for (const r of Object.values(replicas)) await r?.stop();
  await pg?.destroy();
});

describe('sweeps on two replicas', () => {
  it('children run on both replicas; the sweep is visible from both; the label moves once', async () => {
    const a = replicas.A!.client();
    const b = replicas.B!.client();
    const started = await call<Sweep__Output>(a, 'StartSweep', smallSweepRequest('rsweep', { submission_id: 'rs-1' }, { max_epochs: 3 }));
    // Submitted on A, repeated on B: the same sweep.
    expect((await call<Sweep__Output>(b, 'StartSweep', smallSweepRequest('rsweep', { submission_id: 'rs-1' }, { max_epochs: 3 }))).sweep_id).toBe(started.sweep_id);
    const [fromA, fromB] = await Promise.all([watchSweep(a, started.sweep_id), watchSweep(b, started.sweep_id)]);
    const doneA = fromA.at(-1)!;
    const doneB = fromB.at(-1)!;
    expect(doneA.state, doneA.message).toBe('SUCCEEDED');
    expect(doneB.state).toBe('SUCCEEDED');
    expect(doneB.best_job_id).toBe(doneA.best_job_id);
    expect(doneA.children.map((c) => c.state)).toEqual(Array(6).fill('SUCCEEDED'));
    const runners = new Set(doneA.children.map((c) => c.runner.split('/')[0]));
    expect(runners).toEqual(new Set(['A', 'B']));
    for (const c of doneA.children) {
      const job = await call<Job__Output>(b, 'GetJob', { job_id: c.job_id });
      expect(job.transitions.filter((t) => /claimed by|taken over by/.test(t.message))).toHaveLength(1);
    }
    const best = bestByValidation(doneA);
    expect(doneA.best_model_version).toBe(best.model_version);
    for (const c of [a, b]) {
      const model = await call<Model__Output>(c, 'GetModel', { model: { name: 'rsweep' } });
      expect(model.versions).toHaveLength(6);
      expect(model.version_labels['best']).toBe(best.model_version);
      const list = await call<ListSweepsResponse__Output>(c, 'ListSweeps', {});
      expect(list.sweeps.map((s) => s.sweep_id)).toContain(started.sweep_id);
    }
    expect(labelLogs()).toHaveLength(1);
    // Nothing went wrong on the way (a version published by one replica is waited for, not an error, on the other).
    for (const r of Object.values(replicas)) expect(r!.logs.filter((l) => /^sweep (step|pass) failed/.test(String(l['msg'])))).toEqual([]);
    console.log(`children on ${[...runners].join(', ')}: ${doneA.children.map((c) => c.runner).join(' ')}`);
  });

  it('the driving replica killed mid-sweep: the other takes the sweep over and finishes it, labelling once', async () => {
    const started = await call<Sweep__Output>(replicas.A!.client(), 'StartSweep', smallSweepRequest('rsweep2', {}, { max_epochs: 4 }));
    const drives = (r: ServerProcess): boolean => r.logs.some((l) => l['msg'] === 'driving sweep' && l['sweepId'] === started.sweep_id);
    const driver = await waitForSweep(replicas.A!.client(), started.sweep_id, (s) => s.children.filter((c) => c.state === 'SUCCEEDED').length >= 1)
      .then(() => (['A', 'B'] as const).find((n) => drives(replicas[n]!))!);
    expect(driver).toBeDefined();
    const survivor = driver === 'A' ? 'B' : 'A';
    const killed = replicas[driver]!;
    await killed.kill();
    replicas[driver] = undefined;
    const client = replicas[survivor]!.client();
    const done = await waitForSweep(client, started.sweep_id, sweepEnded, 180_000);
    expect(done.state, done.message).toBe('SUCCEEDED');
    expect(drives(replicas[survivor]!)).toBe(true);
    expect(new Set(done.children.map((c) => c.job_id)).size).toBe(6);
    const model = await call<Model__Output>(client, 'GetModel', { model: { name: 'rsweep2' } });
    expect(model.versions).toHaveLength(6);
    expect(model.version_labels['best']).toBe(bestByValidation(done).model_version);
    const labelled = [...killed.logs, ...replicas[survivor]!.logs].filter((l) => l['msg'] === 'sweep best labelled' && l['sweepId'] === started.sweep_id);
    expect(labelled).toHaveLength(1);
    console.log(`killed driver ${driver} with ${done.children.filter((c) => c.runner.startsWith(driver)).length} children run there; ${survivor} finished the sweep`);
  });
});
