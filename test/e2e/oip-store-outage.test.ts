/**
 * Open Inference Protocol calls through a PostgreSQL outage resolve models as Predict does (serving/
 * last-known-models.ts): with PostgreSQL stopped, ModelInfer (gRPC, latest) and /infer (REST, by version label) of a
 * model served before the outage keep answering, with the same scores, and the model stays ready.
 */
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { smallTrainRequest, waitForState } from '../helpers/jobs.js';
import { OIP_FEATURES, oipCall, oipClient, oipRows } from '../helpers/oip.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';

let pg: PgServer;
let server: ServerProcess;
let client: TaanServiceClient;
let oip: grpc.Client;

beforeAll(async () => {
  pg = await startPostgres();
  server = await startServer({ env: { TAAN_DATABASE_URL: await pg.createDatabase(), TAAN_INSTANCE_NAME: 'solo' } });
  client = server.client();
  oip = oipClient(server.address);
}, 120_000);

afterAll(async () => {
  oip?.close();
  await server?.stop();
  await pg?.destroy();
});

interface Out {
  model_version: string;
  outputs: Array<{ name: string; contents?: { fp32_contents: number[] }; data?: number[] }>;
}

describe('OIP while PostgreSQL is down', () => {
  it('answers gRPC and REST inference of a served model with the same scores, and reports it ready', async () => {
    const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('oipout', { max_epochs: 1, version_labels: ['stable'] }));
    expect((await waitForState(client, job.job_id, ['SUCCEEDED', 'FAILED'])).state).toBe('SUCCEEDED');
    const rows = oipRows(2);
    const grpcReq = { model_name: 'oipout', inputs: [{ name: 'features', datatype: 'FP32', shape: [2, OIP_FEATURES], contents: { fp32_contents: rows.flat() } }] };
    const restReq = JSON.stringify({ inputs: [{ name: 'features', datatype: 'FP32', shape: [2, OIP_FEATURES], data: rows }] });
    const rest = async (): Promise<Out> => {
      const r = await fetch(`http://127.0.0.1:${server.httpPort}/v2/models/oipout/versions/stable/infer`, { method: 'POST', body: restReq });
      const json = (await r.json()) as Out & { error?: string };
      if (r.status !== 200) throw new Error(`${r.status} ${json.error}`);
      return json;
    };
    const scoresOf = (o: Out): number[][] => o.outputs.map((t) => (t.contents?.fp32_contents ?? t.data!).map((v) => Math.fround(v)));
    const before = { grpc: await oipCall<Out>(oip, 'ModelInfer', grpcReq, new grpc.Metadata()), rest: await rest() };
    expect(scoresOf(before.rest)).toEqual(scoresOf(before.grpc));

    await pg.stop();
    try {
      for (let i = 0; i < 5; i++) {
        const g = await oipCall<Out>(oip, 'ModelInfer', grpcReq, new grpc.Metadata());
        const r = await rest();
        expect([g.model_version, r.model_version]).toEqual(['1', '1']);
        expect(scoresOf(g)).toEqual(scoresOf(before.grpc));
        expect(scoresOf(r)).toEqual(scoresOf(before.grpc));
      }
      expect((await oipCall<{ ready: boolean }>(oip, 'ModelReady', { name: 'oipout' }, new grpc.Metadata())).ready).toBe(true);
      const meta = await oipCall<{ versions: string[] }>(oip, 'ModelMetadata', { name: 'oipout', version: 'stable' }, new grpc.Metadata());
      expect(meta.versions).toEqual(['1']);
    } finally {
      await pg.start();
    }
  }, 180_000);
});
