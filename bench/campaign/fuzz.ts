/**
 * A fuzzing run against the real server process on loopback: seeded random and boundary requests to every RPC
 * (NaN/Inf, huge and negative sizes, wrong lengths, random bytes, unknown enum numbers, odd strings, mid-stream
 * cancels). Every answer must be a defined status that is not INTERNAL, the server must stay SERVING and alive.
 * `npx tsx bench/campaign/fuzz.ts --requests 10000` (needs `npm run build`); test/e2e/fuzz.test.ts runs a short one.
 */
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { parseArgs } from 'node:util';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { Rng } from '../../src/util/rng.js';
import { metricValue, smallTrainRequest, waitForState } from '../../test/helpers/jobs.js';
import { healthStatus } from '../../test/helpers/probes.js';
import { call, startServer } from '../../test/helpers/server-process.js';

export interface FuzzReport {
  requests: number;
  codes: Record<string, number>;
  internal: Array<{ method: string; details: string }>;
  serverAlive: boolean;
  healthAfter: string;
  /** Sent before rssBefore was read; their codes are in `codes` too. */
  warmupRequests: number;
  rssBefore: number;
  rssAfter: number;
}

const WEIRD_NUMBERS = [0, -1, 1, 2 ** 31 - 1, -(2 ** 31), 1e308, -1e-308, Number.NaN, Infinity, -Infinity, 0.5, 65537];
const WEIRD_STRINGS = ['', ' ', '..', '../../etc/passwd', '/etc/shadow', 'ünïcødé', 'a'.repeat(5000), '\u0000x', '*', 'syn', 'task00', 'job-0', 'ds-0-0000000000'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.int(xs.length)]!;
}

function num(rng: Rng): number {
  return rng.next() < 0.6 ? pick(rng, WEIRD_NUMBERS) : Math.floor(rng.uniform(-1000, 1000));
}

function str(rng: Rng): string {
  return rng.next() < 0.7 ? pick(rng, WEIRD_STRINGS) : Array.from({ length: rng.int(20) }, () => String.fromCharCode(32 + rng.int(90))).join('');
}

function int32(rng: Rng): number {
  const v = num(rng);
  return Number.isFinite(v) ? Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.trunc(v))) : 0;
}

function request(rng: Rng, method: string, model: string): Record<string, unknown> {
  const spec = () => ({ name: rng.next() < 0.5 ? model : str(rng), version: int32(rng), version_label: rng.next() < 0.8 ? '' : str(rng) });
  switch (method) {
    case 'TrainJob':
      return {
        model_name: rng.next() < 0.5 ? 'fz' : str(rng),
        submission_id: str(rng),
        ...(rng.next() < 0.4
          ? { synthetic: { tasks: int32(rng), clusters: int32(rng), features: int32(rng), examples_per_task: int32(rng), noise: num(rng), labels_per_task: int32(rng) } }
          : rng.next() < 0.5
            ? { yt8m: { train_files: [str(rng)], vocabulary_path: str(rng), valid_fraction: num(rng) } }
            : rng.next() < 0.5
              ? { arff: { path: str(rng), task_grouping: str(rng), groups: [{ task: str(rng), labels: [str(rng)] }] } }
              : { dataset_id: str(rng) }),
        architecture: rng.int(6),
        hidden_sizes: Array.from({ length: rng.int(4) }, () => int32(rng)),
        num_basis: int32(rng),
        regularizer: rng.int(8),
        learning_rate: num(rng),
        weight_decay: num(rng),
        batch_size_per_task: int32(rng),
        max_epochs: rng.next() < 0.5 ? 1 : int32(rng),
        measure: rng.int(5),
        max_runtime_seconds: num(rng),
      };
    case 'Predict': {
      const n = rng.next() < 0.5 ? 1 + rng.int(3) : int32(rng);
      const bytes = Buffer.from(Array.from({ length: rng.int(400) }, () => rng.int(256)));
      return rng.next() < 0.5
        ? { model: spec(), examples: Array.from({ length: rng.int(4) }, () => ({ id: str(rng), features: Array.from({ length: rng.next() < 0.5 ? 16 : rng.int(40) }, () => num(rng)) })), top_k: int32(rng), tasks: rng.next() < 0.5 ? [] : [str(rng)] }
        : { model: spec(), features_f32: bytes, num_examples: n, top_k: int32(rng), threshold: num(rng) };
    }
    case 'GetActivationMetrics':
      return { model: spec(), grid_points: int32(rng) };
    case 'GetModel':
      return { model: spec() };
    case 'SetModelVersionLabel':
      return { name: rng.next() < 0.5 ? model : str(rng), version: int32(rng), label: str(rng) };
    case 'ListJobs':
      return { page_size: int32(rng), page_token: str(rng), state: rng.int(9) };
    case 'DeleteModelVersion': {
      // The fuzzed model's version 1 is labelled: unforced deletes of it are refused, and forced ones go elsewhere.
      const force = rng.next() < 0.2;
      return { name: !force && rng.next() < 0.5 ? model : str(rng), version: int32(rng), force };
    }
    case 'DeleteModel':
      return { name: str(rng) };
    case 'ListDatasets':
      return {};
    case 'DeleteDataset':
      return { dataset_id: str(rng) };
    default:
      return { job_id: str(rng) };
  }
}

const UNARY = [
  'TrainJob', 'GetJob', 'ListJobs', 'CancelJob', 'Predict', 'GetActivationMetrics', 'ListModels', 'GetModel', 'SetModelVersionLabel',
  'DeleteModelVersion', 'DeleteModel', 'DeleteJob', 'ListDatasets', 'DeleteDataset',
];

/**
 * `warmup` generated requests go first, unmeasured for memory: they load the model into every worker and grow the
 * heaps to their working size, so RSS after / before measures what fuzzing adds, not what first use costs. Their
 * status codes count like the others.
 */
export async function fuzz(requests: number, seed = 1, warmup = Math.min(1000, Math.ceil(requests / 10))): Promise<FuzzReport> {
  const server = await startServer({ env: { TAAN_MAX_QUEUED_JOBS: '1000' } });
  const client: TaanServiceClient = server.client();
  const trained = await call<{ job_id: string }>(client, 'TrainJob', smallTrainRequest('fzmodel', { max_epochs: 1, version_labels: ['stable'] }));
  await waitForState(client, trained.job_id, ['SUCCEEDED']);
  const rng = new Rng(seed, 99);
  const codes: Record<string, number> = {};
  const internal: FuzzReport['internal'] = [];
  const note = (method: string, err: ServiceError | null): void => {
    const c = err ? (status[err.code] ?? `UNDEFINED(${err.code})`) : 'OK';
    codes[c] = (codes[c] ?? 0) + 1;
    if (c === 'INTERNAL' || c.startsWith('UNDEFINED')) internal.push({ method, details: err?.details ?? '' });
  };
  const one = async (i: number): Promise<void> => {
    const r = rng.next();
    if (r < 0.08) {
      // A watch cancelled mid-stream, on a real or made-up job.
      const stream = (client as unknown as { WatchJob(q: unknown): ClientReadableStream<unknown> }).WatchJob({ job_id: rng.next() < 0.5 ? trained.job_id : str(rng) });
      await new Promise<void>((resolve) => {
        let done = false;
        const finish = (e: ServiceError | null): void => {
          if (done) return;
          done = true;
          note('WatchJob', e && e.code !== status.CANCELLED ? e : null);
          resolve();
        };
        stream.on('data', () => undefined);
        stream.on('error', finish);
        stream.on('end', () => finish(null));
        setTimeout(() => stream.cancel(), rng.int(20));
      });
      return;
    }
    if (r < 0.12) {
      // An upload with random chunks, possibly cut off.
      await new Promise<void>((resolve) => {
        const s = (client as unknown as { UploadDataset(cb: (e: ServiceError | null) => void): { write(m: unknown): void; end(): void; cancel(): void } }).UploadDataset((e) => {
          if (e && e.code === status.CANCELLED) note('UploadDataset', null);
          else note('UploadDataset', e);
          resolve();
        });
        for (let k = 0; k < 1 + rng.int(3); k++) {
          s.write({ name: str(rng), file_name: str(rng), data: Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256))), sha256: rng.next() < 0.5 ? '' : str(rng) });
        }
        if (rng.next() < 0.2) s.cancel();
        else s.end();
      });
      return;
    }
    const method = pick(rng, UNARY);
    let req: Record<string, unknown>;
    try {
      req = request(rng, method, 'fzmodel');
    } catch {
      return;
    }
    try {
      await call(client, method, req);
      note(method, null);
    } catch (err) {
      const e = err as ServiceError;
      // A request the client library itself refuses to serialise never reached the server.
      if (e.code === undefined) return;
      note(method, e);
    }
    void i;
  };
  const inFlight = 16;
  let next = 0;
  const send = async (n: number): Promise<void> => {
    const end = next + n;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < end) await one(next++);
    }));
  };
  await send(warmup);
  const rssBefore = await metricValue(server.metricsUrl, 'process_resident_memory_bytes');
  await send(requests);
  if (server.child.exitCode !== null) {
    throw new Error(`server died (exit ${server.child.exitCode}): ${server.stderr().replace(/a{50,}/g, "<a...>").slice(-3000)}\n${JSON.stringify(server.logs.filter((l) => (l['level'] as number) >= 50).slice(-5))}`);
  }
  const rssAfter = await metricValue(server.metricsUrl, 'process_resident_memory_bytes');
  const healthAfter = await healthStatus(server.address);
  const serverAlive = server.child.exitCode === null;
  await server.stop();
  return { requests, warmupRequests: warmup, codes, internal, serverAlive, healthAfter, rssBefore, rssAfter };
}

if (process.argv[1]?.endsWith('fuzz.ts')) {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } });
  const report = await fuzz(Number(values.requests), Number(values.seed));
  process.stdout.write(`${JSON.stringify({ ...report, internal: report.internal.slice(0, 20), rssRatio: report.rssAfter / report.rssBefore }, null, 2)}\n`);
}
