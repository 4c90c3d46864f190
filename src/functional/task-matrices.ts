// Task-level inner products of the learned activations F^t = B_0 + sum_m alpha[t, m] B_m
// (method.md §2): K = A G A^T with A = [1 | alpha], cosine C and squared distance D.
import { InvalidArgumentError } from '../errors/errors.js';
import { gramMatrix, type Measure } from './gram.js';

export function checkShapes(alpha: ArrayLike<number>, T: number, M: number, hinges: ArrayLike<number>): void {
  if (!Number.isInteger(T) || T < 1) throw InvalidArgumentError.field('T', 'must be a positive integer');
  if (!Number.isInteger(M) || M < 1) throw InvalidArgumentError.field('M', 'must be a positive integer');
  if (alpha.length !== T * M) throw InvalidArgumentError.field('alpha', `expected ${T * M} values, got ${alpha.length}`);
  if (hinges.length !== M) throw InvalidArgumentError.field('hinges', `expected ${M} values, got ${hinges.length}`);
}

/** A G with A = [1 | alpha] (T x (M+1)), without materialising A. */
export function augmentedTimesGram(alpha: ArrayLike<number>, T: number, M: number, G: ArrayLike<number>): Float64Array {
  const n = M + 1;
  const AG = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    const out = t * n;
    for (let q = 0; q < n; q++) AG[out + q] = G[q]!;
    for (let k = 0; k < M; k++) {
      const a = alpha[t * M + k]!;
      if (a === 0) continue;
      const g = (k + 1) * n;
      for (let q = 0; q < n; q++) AG[out + q] = AG[out + q]! + a * G[g + q]!;
    }
  }
  return AG;
}

/** K = (A G) A^T from a precomputed A G; exactly symmetric. */
export function functionGram(AG: ArrayLike<number>, alpha: ArrayLike<number>, T: number, M: number): Float64Array {
  const n = M + 1;
  const K = new Float64Array(T * T);
  for (let i = 0; i < T; i++) {
    for (let j = i; j < T; j++) {
      let acc = AG[i * n]!;
      for (let k = 0; k < M; k++) acc += AG[i * n + k + 1]! * alpha[j * M + k]!;
      K[i * T + j] = acc;
      K[j * T + i] = acc;
    }
  }
  return K;
}

/** C_ij = K_ij / sqrt(K_ii K_jj), with the diagonal set to exactly 1. */
export function cosineFromK(K: ArrayLike<number>, T: number): Float64Array {
  const C = new Float64Array(T * T);
  for (let i = 0; i < T; i++) {
    for (let j = 0; j < T; j++) {
      C[i * T + j] = i === j ? 1 : K[i * T + j]! / Math.sqrt(K[i * T + i]! * K[j * T + j]!);
    }
  }
  return C;
}

/**
 * D_ij = (a_i - a_j) G_hh (a_i - a_j)^T from the coefficient differences themselves:
 * K_ii + K_jj - 2 K_ij would cancel badly for similar tasks, and this way D_ii is exactly 0.
 */
export function distanceMatrix(alpha: ArrayLike<number>, T: number, M: number, G: ArrayLike<number>): Float64Array {
  const n = M + 1;
  const D = new Float64Array(T * T);
  const d = new Float64Array(M);
  for (let i = 0; i < T; i++) {
    for (let j = i + 1; j < T; j++) {
      for (let k = 0; k < M; k++) d[k] = alpha[i * M + k]! - alpha[j * M + k]!;
      let acc = 0;
      for (let k = 0; k < M; k++) {
        const row = (k + 1) * n + 1;
        let off = 0;
        for (let l = k + 1; l < M; l++) off += G[row + l]! * d[l]!;
        acc += d[k]! * (G[row + k]! * d[k]! + 2 * off);
      }
      D[i * T + j] = acc;
      D[j * T + i] = acc;
    }
  }
  return D;
}

/** K, C and D (each T x T row-major) for alpha (T x M row-major) under the measure m. */
export function taskMatrices(
  alpha: ArrayLike<number>,
  T: number,
  M: number,
  hinges: ArrayLike<number>,
  m: Measure,
): { K: Float64Array; C: Float64Array; D: Float64Array } {
  checkShapes(alpha, T, M, hinges);
  const G = gramMatrix(hinges, m);
  const K = functionGram(augmentedTimesGram(alpha, T, M, G), alpha, T, M);
  return { K, C: cosineFromK(K, T), D: distanceMatrix(alpha, T, M, G) };
}
