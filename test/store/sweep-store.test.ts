/**
 * The sweep stores (SQLite in the job store's file, PostgreSQL on a real throwaway cluster) against one contract:
 * idempotent creation by submission id, newest-first paging, one driver at a time under a lease that runs out,
 * writes fenced by the lease, and a cancel flag the driver's writes never clear.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/domain/model-spec.js';
import type { SweepRecord } from '../../src/domain/sweep.js';
import { PgSweepStore } from '../../src/store/pg-sweep-store.js';
import { SqliteJobStore } from '../../src/store/sqlite-job-store.js';
import type { SweepStore } from '../../src/store/sweep-store.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sweep(id: string, submissionId = id): SweepRecord {
  return {
    sweepId: id,
    submissionId,
    modelName: 'm',
    state: 'RUNNING',
    createTime: new Date().toISOString(),
    endTime: null,
    spec: {
      base: {
        ...DEFAULT_TRAIN_OPTIONS,
        modelName: 'm',
        submissionId: '',
        dataset: { kind: 'uploaded', datasetId: 'd' },
        architecture: 'TAAN',
        hiddenSizes: [8],
        numBasis: 4,
        maxRuntimeSeconds: 0,
        measure: 'STANDARD',
        versionLabels: [],
      },
      axes: { seed: [1, 2] },
      sampleCount: 0,
      sampleSeed: 0,
      objective: 'VALID_MEAN_MAP_AT_10',
      bestLabel: 'best',
    },
    children: [1, 2].map((seed, index) => ({ index, point: { seed }, jobId: '', state: null, objective: null, testMapAt10: null, modelVersion: 0 })),
    best: null,
    labelled: false,
    message: 'started',
    cancelRequested: false,
  };
}

let pg: PgServer;
beforeAll(async () => {
  pg = await startPostgres();
}, 120_000);
afterAll(async () => {
  await pg?.destroy();
});

const stores: Array<[string, () => Promise<{ store: SweepStore; close: () => Promise<void> }>]> = [
  ['sqlite', async () => {
    const s = SqliteJobStore.open(path.join(await mkdtemp(path.join(tmpdir(), 'taan-sweeps-')), 'jobs.db'));
    return { store: s, close: () => s.close() };
  }],
  ['postgres', async () => {
    const s = await PgSweepStore.open(await pg.createDatabase());
    return { store: s, close: () => s.close() };
  }],
];

describe.each(stores)('%s sweep store', (_name, open) => {
  it('creates once per submission id and lists newest first', async () => {
    const { store, close } = await open();
    expect((await store.createSweep(sweep('s1', 'sub'))).created).toBe(true);
    const again = await store.createSweep(sweep('s2', 'sub'));
    expect([again.created, again.sweep.sweepId]).toEqual([false, 's1']);
    await store.createSweep(sweep('s3'));
    await store.createSweep(sweep('s4'));
    const first = await store.listSweeps({ pageSize: 2, pageToken: '' });
    expect(first.sweeps.map((s) => s.sweepId)).toEqual(['s4', 's3']);
    const second = await store.listSweeps({ pageSize: 2, pageToken: first.nextPageToken });
    expect([second.sweeps.map((s) => s.sweepId), second.nextPageToken]).toEqual([['s1'], '']);
    expect((await store.getSweep('s1'))!.spec.axes.seed).toEqual([1, 2]);
    expect(await store.getSweep('nope')).toBeUndefined();
    expect(await store.activeSweepIds()).toEqual(['s1', 's3', 's4']);
    await close();
  });

  it('lets one driver at a time hold a sweep, until its lease runs out', async () => {
    const { store, close } = await open();
    await store.createSweep(sweep('s1'));
    expect(await store.claimSweep('s1', 'A', 300)).toBe(true);
    expect(await store.claimSweep('s1', 'B', 300)).toBe(false);
    expect(await store.claimSweep('s1', 'A', 300)).toBe(true);
    const rec = (await store.getSweep('s1'))!;
    expect(await store.saveSweep({ ...rec, message: 'by B' }, 'B')).toBe(false);
    expect(await store.saveSweep({ ...rec, message: 'by A' }, 'A')).toBe(true);
    expect((await store.getSweep('s1'))!.message).toBe('by A');
    await sleep(400);
    expect(await store.saveSweep({ ...rec, message: 'late A' }, 'A')).toBe(false);
    expect(await store.claimSweep('s1', 'B', 300)).toBe(true);
    // Released: another driver need not wait for the lease to run out.
    await store.releaseSweep('s1', 'A'); // not A's: changes nothing
    expect(await store.claimSweep('s1', 'A', 300)).toBe(false);
    await store.releaseSweep('s1', 'B');
    expect(await store.claimSweep('s1', 'A', 300)).toBe(true);
    expect(await store.claimSweep('s1', 'B', 300)).toBe(false);
    await store.releaseSweep('s1', 'A');
    expect(await store.claimSweep('s1', 'B', 300)).toBe(true);
    expect(await store.saveSweep({ ...rec, state: 'SUCCEEDED', message: 'done' }, 'B')).toBe(true);
    // Ended: nobody drives it any more.
    expect(await store.claimSweep('s1', 'B', 300)).toBe(false);
    expect(await store.activeSweepIds()).toEqual([]);
    await close();
  });

  it("keeps the cancel flag whatever the driver writes, and shows the sweep CANCELLING at once", async () => {
    const { store, close } = await open();
    await store.createSweep(sweep('s1'));
    expect(await store.claimSweep('s1', 'A', 5000)).toBe(true);
    const stale = (await store.getSweep('s1'))!;
    const flagged = await store.requestSweepCancel('s1');
    expect([flagged.cancelRequested, flagged.state]).toEqual([true, 'CANCELLING']);
    expect(await store.saveSweep({ ...stale, state: 'RUNNING', cancelRequested: false }, 'A')).toBe(true);
    expect((await store.getSweep('s1'))!.cancelRequested).toBe(true);
    await expect(store.requestSweepCancel('nope')).rejects.toThrow(/sweep not found/);
    await close();
  });
});
