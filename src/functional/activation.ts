// Scalar evaluation of the task activations F_t(x) = max(0, x) + sum_m alpha[t, m] max(0, b_m - x),
// for reports and plots of the learned functions (the training path evaluates them in tfjs).
import { InvalidArgumentError } from '../errors/errors.js';

function checkTask(alpha: ArrayLike<number>, t: number, M: number, hinges: ArrayLike<number>): void {
  if (hinges.length !== M) throw InvalidArgumentError.field('hinges', `expected ${M} values, got ${hinges.length}`);
  if (!Number.isInteger(t) || t < 0 || (t + 1) * M > alpha.length) {
    throw InvalidArgumentError.field('t', `task ${t} is outside alpha (${alpha.length} values, M = ${M})`);
  }
}

function evaluate(alpha: ArrayLike<number>, t: number, M: number, hinges: ArrayLike<number>, x: number): number {
  let y = x > 0 ? x : 0;
  const base = t * M;
  for (let m = 0; m < M; m++) {
    const gap = hinges[m]! - x;
    if (gap > 0) y += alpha[base + m]! * gap;
  }
  return y;
}

export function activationValue(
  alpha: ArrayLike<number>,
  t: number,
  M: number,
  hinges: ArrayLike<number>,
  x: number,
): number {
  checkTask(alpha, t, M, hinges);
  return evaluate(alpha, t, M, hinges, x);
}

/** F_t(xs[i]) for every task, T x xs.length row-major. */
export function activationCurves(
  alpha: ArrayLike<number>,
  T: number,
  M: number,
  hinges: ArrayLike<number>,
  xs: ArrayLike<number>,
): Float64Array {
  if (alpha.length !== T * M) throw InvalidArgumentError.field('alpha', `expected ${T * M} values, got ${alpha.length}`);
  const out = new Float64Array(T * xs.length);
  for (let t = 0; t < T; t++) {
    checkTask(alpha, t, M, hinges);
    for (let i = 0; i < xs.length; i++) out[t * xs.length + i] = evaluate(alpha, t, M, hinges, xs[i]!);
  }
  return out;
}
