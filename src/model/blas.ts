/**
 * The native BLAS addon (native/blas): float32 products through OpenBLAS's cblas_sgemm and the element-wise loops
 * of the host training step and of Predict, all in place on typed arrays. Built by `npm ci` where Debian's
 * OpenBLAS is installed (native/blas/build.mjs); where it is not, loadBlas() says why and the service runs on
 * tfjs (backend.ts). Loadable in every worker thread; OpenBLAS runs one thread per calling thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';

export interface BlasInfo {
  /** openblas_get_config(), e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64". */
  config: string;
  corename: string;
  threads: number;
  parallel: string;
  /** sgemmPacked is there (the addon's AVX-512 kernel); without it, products go through sgemm. */
  packedGemm: boolean;
}

/** Row-major throughout; every call checks its arrays' types and sizes before writing. */
export interface Blas {
  /** C = alpha op(A) op(B) + beta C; op(A) is m x k, op(B) k x n, C m x n. */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    A: Float32Array,
    lda: number,
    B: Float32Array,
    ldb: number,
    beta: number,
    C: Float32Array,
    ldc: number,
  ): void;
  /** B (k x n, leading dimension ldb) in the layout sgemmPacked reads; out holds ceil(n / 16) x 16 x k floats. */
  packB(B: Float32Array, k: number, n: number, ldb: number, out: Float32Array): void;
  /** C (m x n, leading dimension ldc) += A (m x k) B, B packed by packB: for weights that do not change (a served model). */
  sgemmPacked(m: number, n: number, k: number, A: Float32Array, lda: number, Bp: Float32Array, C: Float32Array, ldc: number): void;
  /** Every row of `out` (rows x v.length) = v. */
  fillRows(out: Float32Array, rows: number, v: Float32Array): void;
  /** out[c] = sum over the rows of a[r, c]. */
  colSums(a: Float32Array, rows: number, cols: number, out: Float32Array): void;
  relu(z: Float32Array, y: Float32Array): void;
  /** dz = dy * step(y), y the ReLU's output. */
  reluBackward(dy: Float32Array, y: Float32Array, dz: Float32Array): void;
  /** See piecewise-tables.ts; segments = (local task, rows) pairs; bins/moments null when not needed. */
  taanForward(
    z: Float32Array,
    y: Float32Array,
    bins: Uint16Array | null,
    H: number,
    sorted: Float32Array,
    S: Float32Array,
    P: Float32Array,
    segments: Int32Array,
    moments: Float64Array | null,
  ): void;
  taanBackward(
    dy: Float32Array,
    z: Float32Array,
    bins: Uint16Array,
    H: number,
    S: Float32Array,
    stride: number,
    segments: Int32Array,
    dz: Float32Array,
    G0: Float64Array,
    G1: Float64Array,
  ): void;
  /** Returns the summed BCE of the logits; dl = (sigmoid(logits) - y) * scale. */
  bce(logits: Float32Array, y: Float32Array, scale: number, dl: Float32Array): number;
  sigmoid(a: Float32Array): void;
  /**
   * Per row of scores (rows x C), the min(k, C) best classes, best first (order of eval/ranking.ts), into indices
   * and top (rows x min(k, C)); with `sigmoid` the scores are logits and top gets probabilities; counts[r] = the
   * row's leading classes at or above threshold (NaN = all).
   */
  topK(scores: Float32Array, rows: number, C: number, k: number, threshold: number, sigmoid: boolean, indices: Int32Array, top: Float32Array, counts: Int32Array): void;
  adam(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, weightDecay: number, beta1: number, beta2: number, eps: number, stepSize: number, bc2: number): void;
  /** out = (a + b) / 2. */
  mean2(out: Float32Array, a: Float32Array, b: Float32Array): void;
  info(): BlasInfo;
}

/** The addon's path from this file: src/model/ (tsx) and dist/model/ (compiled) are both two levels below the root. */
export const ADDON_PATH = fileURLToPath(new URL('../../native/blas/build/Release/taan_blas.node', import.meta.url));

/** Every function of the addon: one built from an older source lacks some and is not used. */
const BLAS_FUNCTIONS = ['sgemm', 'packB', 'sgemmPacked', 'fillRows', 'colSums', 'relu', 'reluBackward', 'taanForward', 'taanBackward', 'bce', 'sigmoid', 'topK', 'adam', 'mean2', 'info'] as const satisfies ReadonlyArray<keyof Blas>;

let loaded: { blas: Blas | null; error: string } | undefined;

/**
 * OpenBLAS reads its settings from the environment once, when the library loads (with the first addon load in the
 * process, whichever thread that is). OPENBLAS_NUM_THREADS=1 spares the idle BLAS thread pool (the addon sets one
 * thread per caller anyway). OPENBLAS_CORETYPE is left to the environment: the project's machines set
 * OPENBLAS_CORETYPE=Haswell; without it OpenBLAS detects these CPUs' AVX-512 kernels itself (docs/compute.md).
 * Worker threads cannot change the process environment, which is why the main thread loads the addon first
 * (app.ts, the bench and the tests do).
 */
function prepareEnvironment(): void {
  if (isMainThread) process.env['OPENBLAS_NUM_THREADS'] ??= '1';
}

/** Loads the addon once per thread; null (with blasUnavailableReason()) where it is not built or does not load. */
export function loadBlas(): Blas | null {
  if (!loaded) {
    if (!existsSync(ADDON_PATH)) {
      loaded = {
        blas: null,
        error: 'the native BLAS addon is not built (needs libopenblas-dev and pkg-config, then npm run build:native)',
      };
    } else {
      try {
        prepareEnvironment();
        const addon = createRequire(import.meta.url)(ADDON_PATH) as Partial<Blas>;
        const missing = BLAS_FUNCTIONS.filter((f) => typeof addon[f] !== 'function');
        loaded = missing.length
          ? { blas: null, error: `the native BLAS addon is older than this source (no ${missing.join(', ')}): npm run build:native` }
          : { blas: addon as Blas, error: '' };
      } catch (err) {
        loaded = { blas: null, error: `the native BLAS addon did not load: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
      }
    }
  }
  return loaded.blas;
}

export function blasUnavailableReason(): string {
  loadBlas();
  return loaded!.error;
}

/** The addon, for code that only runs on the native path. */
export function blas(): Blas {
  const b = loadBlas();
  if (!b) throw new Error(blasUnavailableReason());
  return b;
}
