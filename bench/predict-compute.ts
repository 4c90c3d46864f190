/**
 * `npx tsx bench/predict-compute.ts`: the worker's side of an all-task Predict alone, without gRPC or threads: one
 * forward pass of the Predict bench's model (TAAN 1152 -> 3 x 512, M = 64, 16 tasks, 3557 classes) and the top 10
 * classes of every task, for batches of 1 to 64 rows, on the native path with one BLAS thread. Its rows/s is the
 * ceiling of one Predict worker kept busy all the time, the bound of the all-task load in `bench/predict-load.ts`
 * on this machine. Prints one JSON line per batch size.
 */
import { initBackend } from '../src/model/backend.js';
import { blas } from '../src/model/blas.js';
import { Network } from '../src/model/network.js';
import { predictTopK } from '../src/model/predict.js';
import { speedConfig } from './predict-load.js';

process.env['OPENBLAS_NUM_THREADS'] ??= '1';
await initBackend('native');
const config = speedConfig();
const net = Network.create(config, 0, 'host');
net.frozen = true; // as the Predict workers' cache marks a served model
const tasks = config.tasks.map((_, t) => t);
process.stdout.write(`${JSON.stringify({ kernels: blas().info().corename })}\n`);
for (const n of [1, 8, 16, 24, 32, 48, 64]) {
  const x = Float32Array.from({ length: n * config.inputDim }, (_, i) => Math.sin(i));
  for (let i = 0; i < 20; i++) predictTopK(net, x, n, tasks, 10, null);
  const reps = Math.max(20, Math.round(1000 / n));
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) predictTopK(net, x, n, tasks, 10, null);
  const ms = (performance.now() - t0) / reps;
  process.stdout.write(`${JSON.stringify({ rows: n, msPerBatch: Number(ms.toFixed(3)), usPerRow: Math.round((ms / n) * 1000), rowsPerSecond: Math.round((n / ms) * 1000) })}\n`);
}
net.dispose();
