// The per-layer regularizers of method.md §3 with exact float64 gradients. They run on the
// CPU once per layer and step (T x M is small, e.g. 16 x 64), so every path is O(T M^2)
// at most and allocates only a handful of arrays per call.
import { InvalidArgumentError } from '../errors/errors.js';
import { gramWithDerivatives, type Measure } from './gram.js';
import { svd } from './svd.js';
import { augmentedTimesGram, checkShapes, functionGram } from './task-matrices.js';

/** ROW_NORM is the authors' code's sum_t ||alpha_t||_2, kept apart from the paper's trace norm. */
export type RegularizerKind = 'NONE' | 'TRACE_NORM' | 'COSINE' | 'DISTANCE' | 'ROW_NORM';

export const REGULARIZER_KINDS: readonly RegularizerKind[] = ['NONE', 'TRACE_NORM', 'COSINE', 'DISTANCE', 'ROW_NORM'];

export interface RegularizerResult {
  value: number;
  /** T x M row-major, dValue/dAlpha. */
  dAlpha: Float64Array;
  /** M, dValue/dHinges. */
  dHinges: Float64Array;
}

const EPS = 2.220446049250313e-16;

export function regularizer(
  kind: RegularizerKind,
  alpha: ArrayLike<number>,
  T: number,
  M: number,
  hinges: ArrayLike<number>,
  m: Measure,
): RegularizerResult {
  checkShapes(alpha, T, M, hinges);
  switch (kind) {
    case 'NONE':
      return { value: 0, dAlpha: new Float64Array(T * M), dHinges: new Float64Array(M) };
    case 'TRACE_NORM':
      return traceNorm(alpha, T, M);
    case 'ROW_NORM':
      return rowNorm(alpha, T, M);
    case 'COSINE':
      return cosine(alpha, T, M, hinges, m);
    case 'DISTANCE':
      return distance(alpha, T, M, hinges, m);
    default:
      throw InvalidArgumentError.field('regularizer', `unknown kind ${String(kind)}`);
  }
}

/** Nuclear norm; its gradient U V^T is taken over the numerically nonzero singular values only. */
function traceNorm(alpha: ArrayLike<number>, T: number, M: number): RegularizerResult {
  const { U, S, V } = svd(alpha, T, M);
  const k = S.length;
  const cutoff = Math.max(T, M) * EPS * (S[0] ?? 0);
  let value = 0;
  for (const s of S) value += s;
  const dAlpha = new Float64Array(T * M);
  for (let j = 0; j < k; j++) {
    if (!(S[j]! > cutoff)) continue;
    for (let t = 0; t < T; t++) {
      const u = U[t * k + j]!;
      for (let c = 0; c < M; c++) dAlpha[t * M + c] = dAlpha[t * M + c]! + u * V[c * k + j]!;
    }
  }
  return { value, dAlpha, dHinges: new Float64Array(M) };
}

function rowNorm(alpha: ArrayLike<number>, T: number, M: number): RegularizerResult {
  const dAlpha = new Float64Array(T * M);
  let value = 0;
  for (let t = 0; t < T; t++) {
    let sq = 0;
    for (let c = 0; c < M; c++) sq += alpha[t * M + c]! * alpha[t * M + c]!;
    const norm = Math.sqrt(sq);
    value += norm;
    // A zero row has the subgradient ball; 0 is its minimum-norm element.
    if (norm > 0) for (let c = 0; c < M; c++) dAlpha[t * M + c] = alpha[t * M + c]! / norm;
  }
  return { value, dAlpha, dHinges: new Float64Array(M) };
}

/**
 * dL/db_k = 2 sum_i X[i,k] sum_q Y[i,q] dG[k,q] for an upstream dL/dG = X'^T Y where X' is X
 * padded by a leading column: that factorisation lets the hinge gradient cost O(T M^2)
 * without forming the (M+1)^2 upstream matrix.
 */
function hingeContraction(X: ArrayLike<number>, Y: Float64Array, T: number, M: number, dG: Float64Array): Float64Array {
  const n = M + 1;
  const out = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    let acc = 0;
    for (let i = 0; i < T; i++) {
      const x = X[i * M + k]!;
      if (x === 0) continue;
      let inner = 0;
      for (let q = 0; q < n; q++) inner += Y[i * n + q]! * dG[k * n + q]!;
      acc += x * inner;
    }
    out[k] = 2 * acc;
  }
  return out;
}

function cosine(alpha: ArrayLike<number>, T: number, M: number, hinges: ArrayLike<number>, m: Measure): RegularizerResult {
  const n = M + 1;
  const { G, dG } = gramWithDerivatives(hinges, m);
  const AG = augmentedTimesGram(alpha, T, M, G);
  const K = functionGram(AG, alpha, T, M);
  const scale = 1 / (T * T);
  const invNorm = new Float64Array(T);
  for (let i = 0; i < T; i++) invNorm[i] = 1 / Math.sqrt(K[i * T + i]!);

  // W = dL/dK, taking the T^2 entries of K as independent (K's symmetry is used below).
  // The diagonal carries the extra path through the norms: dL/dK_ii += (sum_j C_ij) / (T^2 K_ii).
  const W = new Float64Array(T * T);
  let value = 0;
  for (let i = 0; i < T; i++) {
    let rowSum = 0;
    for (let j = 0; j < T; j++) {
      const w = invNorm[i]! * invNorm[j]!;
      const c = i === j ? 1 : K[i * T + j]! * w;
      rowSum += c;
      W[i * T + j] = -scale * w;
    }
    value -= scale * rowSum;
    W[i * T + i] = W[i * T + i]! + scale * rowSum * invNorm[i]! * invNorm[i]!;
  }

  // dL/dA = 2 W (A G); dL/dG = A^T W A = A^T (W A).
  const dAlpha = new Float64Array(T * M);
  const WA = new Float64Array(T * n);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      const w = W[i * T + j]!;
      for (let k = 0; k < M; k++) dAlpha[i * M + k] = dAlpha[i * M + k]! + 2 * w * AG[j * n + k + 1]!;
      WA[i * n] = WA[i * n]! + w;
      for (let k = 0; k < M; k++) WA[i * n + k + 1] = WA[i * n + k + 1]! + w * alpha[j * M + k]!;
    }
  }
  return { value, dAlpha, dHinges: hingeContraction(alpha, WA, T, M, dG) };
}

/**
 * L_dis = (1/T^2) sum_ij D_ij = (2/T) sum_i c_i G_hh c_i^T with c_i = alpha_i - mean_t alpha_t:
 * the same value as the pairwise sum in O(T M^2), with no K_ii + K_jj - 2 K_ij cancellation.
 */
function distance(alpha: ArrayLike<number>, T: number, M: number, hinges: ArrayLike<number>, m: Measure): RegularizerResult {
  const n = M + 1;
  const { G, dG } = gramWithDerivatives(hinges, m);
  const c = new Float64Array(T * M);
  for (let k = 0; k < M; k++) {
    let mean = 0;
    for (let i = 0; i < T; i++) mean += alpha[i * M + k]!;
    mean /= T;
    for (let i = 0; i < T; i++) c[i * M + k] = alpha[i * M + k]! - mean;
  }
  // Y = c G_hh, stored with a zero leading column so it lines up with the (M+1)-wide dG rows.
  const Y = new Float64Array(T * n);
  for (let i = 0; i < T; i++) {
    for (let k = 0; k < M; k++) {
      const ck = c[i * M + k]!;
      if (ck === 0) continue;
      const g = (k + 1) * n;
      for (let l = 1; l < n; l++) Y[i * n + l] = Y[i * n + l]! + ck * G[g + l]!;
    }
  }
  let quad = 0;
  for (let i = 0; i < T; i++) for (let k = 0; k < M; k++) quad += c[i * M + k]! * Y[i * n + k + 1]!;
  // dL/dc_i = (4/T) c_i G_hh; the centring's own Jacobian drops out because sum_i c_i = 0.
  const dAlpha = new Float64Array(T * M);
  for (let i = 0; i < T; i++) for (let k = 0; k < M; k++) dAlpha[i * M + k] = (4 / T) * Y[i * n + k + 1]!;
  // dL/dG_hh = (2/T) c^T c; Y doubles as the right factor once rescaled.
  for (let i = 0; i < T; i++) for (let l = 1; l < n; l++) Y[i * n + l] = (2 / T) * c[i * M + l - 1]!;
  return { value: (2 / T) * quad, dAlpha, dHinges: hingeContraction(c, Y, T, M, dG) };
}
