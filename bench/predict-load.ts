/**
 * `npx tsx bench/predict-load.ts [--seconds 30]` (needs `npm run build`): Predict over real gRPC on loopback against
 * the real server process, on a model of the paper's speed configuration (input 1152, 3 x 512, M = 64, 16 tasks with
 * the YouTube-8M class counts; untrained weights cost the same as trained ones). Measures 1 client x batch 1,
 * 64 concurrent clients x batch 1, and 16 clients while a training job runs; server RSS after warm-up and after
 * the load. Prints JSON.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelConfig } from '../src/domain/model-spec.js';
import type { TaanServiceClient } from '../src/grpc/generated/taan/v1/TaanService.js';
import { saveModel } from '../src/model/artifact.js';
import { initBackend } from '../src/model/backend.js';
import { Network } from '../src/model/network.js';
import { metricValue, slowTrainRequest } from '../test/helpers/jobs.js';
import { call, newClient, startServer } from '../test/helpers/server-process.js';

const YT8M_CLASSES = [525, 734, 466, 167, 278, 302, 259, 150, 132, 86, 116, 26, 120, 116, 48, 32];
const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '30' } } });
const seconds = Number(args.seconds);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
}

async function load(address: string, clients: number, ms: number, features: Buffer): Promise<{ examplesPerSecond: number; p50Ms: number; p99Ms: number; errors: number; requests: number }> {
  const cs: TaanServiceClient[] = Array.from({ length: clients }, () => newClient(address));
  const lat: number[] = [];
  let errors = 0;
  const until = Date.now() + ms;
  const t0 = performance.now();
  await Promise.all(
    cs.map(async (c) => {
      while (Date.now() < until) {
        const s = performance.now();
        try {
          await call(c, 'Predict', { model: { name: 'speed' }, features_f32: features, num_examples: 1, top_k: 10, tasks: ['task0'] });
          lat.push(performance.now() - s);
        } catch {
          errors++;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  cs.forEach((c) => c.close());
  return { examplesPerSecond: lat.length / wall, p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), errors, requests: lat.length + errors };
}

await initBackend('wasm');
const stateDir = await mkdtemp(path.join(tmpdir(), 'taan-load-'));
const config: ModelConfig = {
  architecture: 'TAAN',
  inputDim: 1152,
  hiddenSizes: [512, 512, 512],
  numBasis: 64,
  tasks: YT8M_CLASSES.map((c, t) => ({ name: `task${t}`, labels: Array.from({ length: c }, (_, i) => `c${i}`) })),
  measure: 'STANDARD',
};
const net = Network.create(config, 0);
await saveModel(path.join(stateDir, 'models', 'speed', '1'), net, {});
net.dispose();

const server = await startServer({ stateDir, env: { TAAN_LOG_LEVEL: process.env['TAAN_LOG_LEVEL'] ?? 'info' } });
// Packed float32 rows (features_f32): what a high-throughput client sends; no per-float protobuf work.
const features = Buffer.from(Float32Array.from({ length: 1152 }, (_, i) => Math.sin(i)).buffer);
const rss = (): Promise<number> => metricValue(server.metricsUrl, 'process_resident_memory_bytes');
await load(server.address, 8, 3000, features); // warm-up: workers load the model
const rssWarm = await rss();
const single = await load(server.address, 1, Math.min(10_000, seconds * 1000), features);
const concurrent = await load(server.address, 64, seconds * 1000, features);
const rssAfter = await rss();
const client = server.client();
await call(client, 'TrainJob', slowTrainRequest('busy', { max_epochs: 50 }));
await new Promise((r) => setTimeout(r, 2000));
const duringTraining = await load(server.address, 16, Math.min(15_000, seconds * 1000), features);
await server.stop();
const out = {
  date: new Date().toISOString(),
  model: 'TAAN 1152 -> 3 x 512, M = 64, 16 tasks (3557 classes), task0 (525 classes), top_k 10',
  oneClientBatch1: single,
  clients64Batch1: concurrent,
  clients16DuringTraining: duringTraining,
  rssBytes: { afterWarmup: rssWarm, afterLoad: rssAfter, ratio: rssAfter / rssWarm },
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
