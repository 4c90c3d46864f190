/**
 * The addon's sgemm on the shapes Predict and the training step use, one thread, CPU time per call and GFLOP/s
 * (prints JSON lines). OPENBLAS_CORETYPE is read when OpenBLAS loads: compare kernels by running it twice, e.g.
 *   npx tsx bench/blas-shapes.ts                       (the environment's kernels)
 *   env -u OPENBLAS_CORETYPE npx tsx bench/blas-shapes.ts   (OpenBLAS's own choice for this CPU)
 */
import { initBackend } from '../src/model/backend.js';
import { blas } from '../src/model/blas.js';

await initBackend('native');
const B = blas();
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};
process.stdout.write(`${JSON.stringify({ kernels: B.info().corename })}\n`);
const shapes: Array<[number, number, number, string]> = [
  [1, 1152, 512, 'Predict layer 1, batch 1'],
  [16, 512, 512, 'Predict stacked layer, batch 1 x 16 tasks'],
  [400, 512, 512, 'Predict stacked layer, batch 25 x 16 tasks'],
  [25, 512, 525, 'Predict head of task0, batch 25'],
  [1024, 1152, 512, 'training layer 1, 1024 rows'],
];
for (const [m, k, n, what] of shapes) {
  const a = new Float32Array(m * k).fill(0.01);
  const b = new Float32Array(k * n).fill(0.02);
  const c = new Float32Array(m * n);
  for (let i = 0; i < 20; i++) B.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
  const iters = Math.max(20, Math.round(4e9 / (2 * m * k * n)));
  const t0 = cpuMs();
  for (let i = 0; i < iters; i++) B.sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
  const ms = (cpuMs() - t0) / iters;
  process.stdout.write(`${JSON.stringify({ what, m, k, n, usCpu: +(ms * 1e3).toFixed(1), gflops: +((2 * m * k * n) / (ms * 1e6)).toFixed(1) })}\n`);
}
