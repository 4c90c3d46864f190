/**
 * Issue #20, Predict through a PostgreSQL outage: one real server process on a real throwaway PostgreSQL
 * (test/helpers/postgres.ts) serves two loaded versions of a model; PostgreSQL is stopped for 30 s while 16 clients
 * call Predict by version label and by "latest": none may fail, health stays SERVING and taan_store_up says 0. Back
 * up, a label move is picked up. Jobs across a restart: test/e2e/store-restart-jobs.test.ts; the UNAVAILABLE
 * answers of the other RPCs during an outage: test/e2e/replicas.test.ts.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { SERVICE_NAME } from '../../src/grpc/proto.js';
import { metricValue, smallTrainRequest, waitForState } from '../helpers/jobs.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';
import { healthStatus } from '../helpers/probes.js';
import { call, callError, newClient, startServer, type ServerProcess } from '../helpers/server-process.js';
import { waitFor } from '../helpers/wait-for.js';

const OUTAGE_MS = 30_000;
const CLIENTS = 16;
let pg: PgServer;
let server: ServerProcess;
let client: TaanServiceClient;

beforeAll(async () => {
  pg = await startPostgres();
  server = await startServer({ env: { TAAN_DATABASE_URL: await pg.createDatabase(), TAAN_INSTANCE_NAME: 'solo' } });
  client = server.client();
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await pg?.destroy();
});

interface PredictOut {
  model: { name: string; version: number };
  results: unknown[];
}

const features = Array.from({ length: 16 }, (_, i) => Math.cos(i));
const byLabel = { model: { name: 'outage', version_label: 'stable' }, examples: [{ features }] };
const latest = { model: { name: 'outage' }, examples: [{ features }] };

describe('Predict while PostgreSQL is down', () => {
  it(`serves loaded versions to ${CLIENTS} clients through a ${OUTAGE_MS / 1000} s outage, and picks up a label moved after it`, async () => {
    const first = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('outage', { max_epochs: 1, version_labels: ['stable'] }));
    expect((await waitForState(client, first.job_id, ['SUCCEEDED', 'FAILED'])).state).toBe('SUCCEEDED');
    const second = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('outage', { max_epochs: 1, seed: 5 }));
    expect((await waitForState(client, second.job_id, ['SUCCEEDED', 'FAILED'])).state).toBe('SUCCEEDED');
    // One Predict each loads them (the label names version 1, latest is version 2).
    expect((await call<PredictOut>(client, 'Predict', byLabel)).model.version).toBe(1);
    expect((await call<PredictOut>(client, 'Predict', latest)).model.version).toBe(2);
    expect(await metricValue(server.metricsUrl, 'taan_store_up')).toBe(1);

    await pg.stop();
    const clients = Array.from({ length: CLIENTS }, () => newClient(server.address));
    const stats = { calls: 0, errors: [] as string[], versions: new Map<string, Set<number>>() };
    let storeUpSeen: number | undefined;
    let health: string | undefined;
    try {
      const until = Date.now() + OUTAGE_MS;
      await Promise.all([
        ...clients.map(async (c, i) => {
          const req = i % 2 ? byLabel : latest;
          const kind = i % 2 ? 'label' : 'latest';
          while (Date.now() < until) {
            try {
              const out = await call<PredictOut>(c, 'Predict', req);
              stats.calls += 1;
              let set = stats.versions.get(kind);
              if (!set) stats.versions.set(kind, (set = new Set()));
              set.add(out.model.version);
            } catch (err) {
              stats.errors.push(`${grpc.status[(err as grpc.ServiceError).code]}: ${(err as grpc.ServiceError).details}`);
            }
          }
        }),
        (async () => {
          // Mid-outage: what probes and dashboards see.
          await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
          health = await healthStatus(server.address, SERVICE_NAME);
          storeUpSeen = await metricValue(server.metricsUrl, 'taan_store_up');
        })(),
      ]);
      // The rest of the API still says UNAVAILABLE, as before.
      const err = await callError(client, 'GetJob', { job_id: first.job_id });
      expect(grpc.status[err.code]).toBe('UNAVAILABLE');
    } finally {
      clients.forEach((c) => c.close());
      await pg.start();
    }
    console.log(`store outage: ${stats.calls} Predict calls from ${CLIENTS} clients in ${OUTAGE_MS / 1000} s, ${stats.errors.length} errors`);
    expect(stats.errors.slice(0, 5)).toEqual([]);
    expect(stats.errors).toHaveLength(0);
    expect(stats.calls).toBeGreaterThan(CLIENTS);
    expect(stats.versions.get('label')).toEqual(new Set([1]));
    expect(stats.versions.get('latest')).toEqual(new Set([2]));
    expect(health).toBe('SERVING');
    expect(storeUpSeen).toBe(0);
    expect(server.logs.some((l) => l['level'] === 40 && String(l['msg']).includes('store is unreachable'))).toBe(true);

    // Back: a label moved now is what the next Predict by label answers.
    await waitFor(() => call(client, 'SetModelVersionLabel', { name: 'outage', version: 2, label: 'stable' }), 30_000, 'the database back');
    expect((await call<PredictOut>(client, 'Predict', byLabel)).model.version).toBe(2);
    await waitFor(async () => ((await metricValue(server.metricsUrl, 'taan_store_up')) === 1 ? true : undefined), 10_000, 'taan_store_up 1');
    expect(server.logs.some((l) => l['msg'] === 'the job and model store is reachable again')).toBe(true);
  });
});
