/**
 * Shared set-up of the Open Inference Protocol tests: a server with bearer tokens and a trained model (version 1,
 * labelled "stable"), rows of features, and Predict's probability of every class of those rows (top_k = all), the
 * values OIP ModelInfer must equal bit for bit.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { smallTrainRequest, waitForState } from './jobs.js';
import { loadOipProto } from '../../src/grpc/proto.js';
import { call, startServer, type ServerProcess } from './server-process.js';

export const OIP_MODEL = 'oipm';
export const OIP_LABEL = 'stable';
export const OIP_FEATURES = 16;
export const TRAIN_TOKEN = 'tok-train';
export const PREDICT_TOKEN = 'tok-predict';

export function bearer(token: string): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set('authorization', `Bearer ${token}`);
  return m;
}

/** A server whose tokens file knows a train and a predict token, with OIP_MODEL trained and labelled. */
export async function startOipServer(env: Record<string, string> = {}): Promise<{ server: ServerProcess; client: TaanServiceClient }> {
  const tokens = path.join(await mkdtemp(path.join(tmpdir(), 'taan-oip-tokens-')), 'tokens');
  await writeFile(tokens, `${TRAIN_TOKEN} train\n${PREDICT_TOKEN} predict\n`);
  const authed = await startServer({ env: { ...env, TAAN_AUTH_TOKENS_FILE: tokens } });
  const client = authed.client();
  const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest(OIP_MODEL, { max_epochs: 1 }), bearer(TRAIN_TOKEN));
  await waitForState(client, job.job_id, ['SUCCEEDED'], 120_000, bearer(TRAIN_TOKEN));
  await call(client, 'SetModelVersionLabel', { name: OIP_MODEL, version: 1, label: OIP_LABEL }, bearer(TRAIN_TOKEN));
  return { server: authed, client };
}

/** Deterministic rows with varied magnitudes and signs (float32 values, so JSON and protobuf carry them exactly). */
export function oipRows(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: OIP_FEATURES }, (_, j) => Math.fround(Math.sin(i * 7.1 + j * 1.3) * (1 + (j % 4)))));
}

interface PredictOut {
  results: Array<{ tasks: Array<{ task: string; classes: Array<{ index: number; score: number }> }> }>;
}

/** Predict's probability of every class of each row, per task: task -> rows x C values (float32, exact). */
export async function predictAllClasses(client: TaanServiceClient, rows: number[][]): Promise<Map<string, number[][]>> {
  const out = await call<PredictOut>(
    client,
    'Predict',
    { model: { name: OIP_MODEL }, examples: rows.map((features) => ({ features })), top_k: 100_000 },
    bearer(PREDICT_TOKEN),
  );
  const byTask = new Map<string, number[][]>();
  out.results.forEach((r, i) => {
    for (const t of r.tasks) {
      if (!byTask.has(t.task)) byTask.set(t.task, []);
      const row: number[] = [];
      for (const c of t.classes) row[c.index] = c.score;
      byTask.get(t.task)![i] = row;
    }
  });
  return byTask;
}

/** The rows x C values of a flat OIP tensor, each as the float32 it stands for. */
export function asRows(flat: number[], shape: number[]): number[][] {
  const [n, c] = shape as [number, number];
  return Array.from({ length: n }, (_, i) => flat.slice(i * c, (i + 1) * c).map((v) => Math.fround(v)));
}

/** A grpc-js client of inference.GRPCInferenceService (the OIP tests' own; the Python one is in test/oip/). */
export function oipClient(address: string): grpc.Client {
  const { proto } = loadOipProto();
  return new proto.inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
}

export function oipCall<Res>(client: grpc.Client, method: string, req: unknown, metadata = bearer(PREDICT_TOKEN)): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!;
    fn.call(client, req, metadata, (err, res) => (err ? reject(err) : resolve(res)));
  });
}
