/**
 * The element-wise loops and products of the host-array steps (mixture-step.ts), on either compute path: the
 * native addon (OpenBLAS sgemm and its loops) on host storage; on a tfjs backend (cpu, wasm), tfjs's matMul kernel
 * for the products and the same loops in JavaScript. Same signatures and semantics as blas.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { blas, type Blas } from './blas.js';
import type { Storage } from './network.js';

export type HostKernels = Pick<Blas, 'sgemm' | 'fillRows' | 'colSums' | 'relu' | 'reluBackward' | 'bce' | 'sigmoid'>;

export function kernelsFor(storage: Storage): HostKernels {
  return storage === 'host' ? blas() : TFJS_KERNELS;
}

/** Operands must be dense (lda, ldb, ldc = their row width), which is all the mixture step uses. */
const tfjsSgemm: Blas['sgemm'] = (transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) => {
  if (lda !== (transA ? m : k) || ldb !== (transB ? k : n) || ldc !== n) throw new Error('sgemm: only dense operands on the tfjs path');
  if (m === 0 || n === 0) return;
  const p = tf.tidy(() => {
    // Transposed first, then a plain product: wasm's matMul with transpose flags is 10-20x slower (layer-pass.ts).
    let a = tf.tensor2d(A.subarray(0, m * k), transA ? [k, m] : [m, k]);
    let b = tf.tensor2d(B.subarray(0, k * n), transB ? [n, k] : [k, n]);
    if (transA) a = tf.transpose(a);
    if (transB) b = tf.transpose(b);
    return tf.matMul(a, b).dataSync() as Float32Array;
  });
  for (let i = 0; i < m * n; i++) C[i] = alpha * p[i]! + (beta === 0 ? 0 : beta * C[i]!);
};

const TFJS_KERNELS: HostKernels = {
  sgemm: tfjsSgemm,
  fillRows(out, rows, v) {
    for (let r = 0; r < rows; r++) out.set(v, r * v.length);
  },
  colSums(a, rows, cols, out) {
    out.fill(0, 0, cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c] = out[c]! + a[r * cols + c]!;
  },
  relu(z, y) {
    for (let i = 0; i < z.length; i++) y[i] = z[i]! > 0 ? z[i]! : 0;
  },
  reluBackward(dy, y, dz) {
    for (let i = 0; i < dy.length; i++) dz[i] = y[i]! > 0 ? dy[i]! : 0;
  },
  bce(logits, y, scale, dl) {
    let sum = 0;
    for (let i = 0; i < logits.length; i++) {
      const v = logits[i]!;
      const t = y[i]!;
      const e = Math.exp(-Math.abs(v));
      sum += Math.max(v, 0) - v * t + Math.log1p(e);
      dl[i] = ((v >= 0 ? 1 / (1 + e) : e / (1 + e)) - t) * scale;
    }
    return sum;
  },
  sigmoid(a) {
    for (let i = 0; i < a.length; i++) a[i] = 1 / (1 + Math.exp(-a[i]!));
  },
};
