// Second moments of the TAAN basis B_0(x) = max(0, x), B_k(x) = max(0, b_k - x) under
// x ~ N(mu, sigma^2), in the exact closed forms of method.md §2 (the (b - mu) form of the
// ReLU-hinge term, not the paper's (b - 3 mu) typo, and the indicator [b > 0]).
import { InvalidArgumentError } from '../errors/errors.js';
import { normalCdf, normalPdf } from './gaussian.js';

export interface Measure {
  mu: number;
  sigma: number;
}

export const STANDARD_NORMAL: Measure = Object.freeze({ mu: 0, sigma: 1 });

function checkMeasure(m: Measure): void {
  if (!Number.isFinite(m.mu)) throw InvalidArgumentError.field('measure.mu', 'must be finite');
  if (!(m.sigma > 0) || !Number.isFinite(m.sigma)) {
    throw InvalidArgumentError.field('measure.sigma', 'must be finite and > 0');
  }
}

/**
 * Phi(hi) - Phi(lo) for lo <= hi, through the upper tails when both are positive so the
 * difference of two numbers close to 1 does not lose its relative accuracy.
 */
function cdfDiff(lo: number, hi: number): number {
  return lo > 0 ? normalCdf(-lo) - normalCdf(-hi) : normalCdf(hi) - normalCdf(lo);
}

/** E[max(0, x)^2]. */
export function eRelu2(m: Measure): number {
  checkMeasure(m);
  const { mu, sigma: s } = m;
  const a = mu / s;
  return (mu * mu + s * s) * normalCdf(a) + mu * s * normalPdf(a);
}

/** E[max(0, x) max(0, b - x)]; zero for b <= 0 because the supports do not overlap. */
export function eReluHinge(b: number, m: Measure): number {
  checkMeasure(m);
  if (!(b > 0)) return 0;
  const { mu, sigma: s } = m;
  const zb = (b - mu) / s;
  const z0 = -mu / s;
  return (b * mu - mu * mu - s * s) * cdfDiff(z0, zb) + s * mu * normalPdf(zb) + s * (b - mu) * normalPdf(z0);
}

/** E[max(0, bi - x) max(0, bj - x)]. */
export function eHingeHinge(bi: number, bj: number, m: Measure): number {
  checkMeasure(m);
  const { mu, sigma: s } = m;
  const lo = Math.min(bi, bj);
  const hi = Math.max(bi, bj);
  const z = (lo - mu) / s;
  // (b_i - mu)(b_j - mu) + s^2 is the spec's mu^2 + s^2 + b_i b_j - (b_i + b_j) mu, and
  // b_i + b_j - bmin = bmax; centred products avoid cancellation when |mu| is large.
  return ((bi - mu) * (bj - mu) + s * s) * normalCdf(z) + (hi - mu) * s * normalPdf(z);
}

/**
 * Everything the Gram entries and their hinge derivatives need: each hinge-hinge entry
 * only depends on Phi/phi at the smaller hinge, so O(M) normal evaluations serve all (M+1)^2.
 */
interface HingeTables {
  cdf: Float64Array; // Phi((b_k - mu)/s)
  pdf: Float64Array; // phi((b_k - mu)/s)
  reluMass: Float64Array; // P(0 < x < b_k), 0 when b_k <= 0
  pdf0: number; // phi(mu/s)
  cdfPos: number; // P(x > 0) = Phi(mu/s)
}

function hingeTables(hinges: ArrayLike<number>, m: Measure): HingeTables {
  checkMeasure(m);
  const { mu, sigma: s } = m;
  const M = hinges.length;
  const cdf = new Float64Array(M);
  const pdf = new Float64Array(M);
  const reluMass = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    const b = hinges[k]!;
    if (!Number.isFinite(b)) throw InvalidArgumentError.field(`hinges[${k}]`, 'must be finite');
    const z = (b - mu) / s;
    cdf[k] = normalCdf(z);
    pdf[k] = normalPdf(z);
    if (b > 0) reluMass[k] = cdfDiff(-mu / s, z);
  }
  return { cdf, pdf, reluMass, pdf0: normalPdf(mu / s), cdfPos: normalCdf(mu / s) };
}

/**
 * (M+1) x (M+1) row-major Gram matrix G_ij = E[B_i B_j], basis order B_0 = ReLU, then the
 * hinges in the given order. Exactly symmetric (each pair is computed once).
 */
export function gramMatrix(hinges: ArrayLike<number>, m: Measure): Float64Array {
  return fillGram(hinges, m, hingeTables(hinges, m));
}

function fillGram(hinges: ArrayLike<number>, m: Measure, t: HingeTables): Float64Array {
  const { mu, sigma: s } = m;
  const M = hinges.length;
  const n = M + 1;
  const G = new Float64Array(n * n);
  G[0] = (mu * mu + s * s) * t.cdfPos + mu * s * t.pdf0;
  for (let p = 0; p < M; p++) {
    const bp = hinges[p]!;
    const g0 = bp > 0 ? (bp * mu - mu * mu - s * s) * t.reluMass[p]! + s * mu * t.pdf[p]! + s * (bp - mu) * t.pdf0 : 0;
    G[(p + 1) * n] = g0;
    G[p + 1] = g0;
    for (let q = p; q < M; q++) {
      const bq = hinges[q]!;
      const lo = bp <= bq ? p : q;
      const bhi = bp <= bq ? bq : bp;
      const v = ((bp - mu) * (bq - mu) + s * s) * t.cdf[lo]! + (bhi - mu) * s * t.pdf[lo]!;
      G[(p + 1) * n + q + 1] = v;
      G[(q + 1) * n + p + 1] = v;
    }
  }
  return G;
}

/**
 * One-sided hinge derivatives, M x (M+1) row-major: R[k][q] = d G[k+1][q] / d b_k with the
 * column's basis function held fixed, i.e.
 *   R[k][0]   = E[x 1[0 < x < b_k]]                       (d/db E[B_0 B_b])
 *   R[k][j+1] = E[1[x < b_k] (b_j - x)_+]                 (d/db_i E[B_bi B_bj])
 * On the diagonal b_k enters both factors, so the total derivative of G[k+1][k+1] is
 * 2 R[k][k+1]; in general dG_pq/db_k = [p = k+1] R[k][q] + [q = k+1] R[k][p].
 */
export function gramHingeDerivatives(hinges: ArrayLike<number>, m: Measure): Float64Array {
  return fillDerivatives(hinges, m, hingeTables(hinges, m));
}

function fillDerivatives(hinges: ArrayLike<number>, m: Measure, t: HingeTables): Float64Array {
  const { mu, sigma: s } = m;
  const M = hinges.length;
  const n = M + 1;
  const R = new Float64Array(M * n);
  for (let k = 0; k < M; k++) {
    const bk = hinges[k]!;
    // E[x 1[x < b]] = mu Phi(z_b) - s phi(z_b), differenced between 0 and b.
    R[k * n] = bk > 0 ? mu * t.reluMass[k]! - s * (t.pdf[k]! - t.pdf0) : 0;
    for (let j = 0; j < M; j++) {
      const lo = bk <= hinges[j]! ? k : j;
      // E[1[x < bmin] (b_j - x)] = (b_j - mu) Phi(z_min) + s phi(z_min).
      R[k * n + j + 1] = (hinges[j]! - mu) * t.cdf[lo]! + s * t.pdf[lo]!;
    }
  }
  return R;
}

/** Gram matrix and its one-sided hinge derivatives sharing one set of normal evaluations. */
export function gramWithDerivatives(
  hinges: ArrayLike<number>,
  m: Measure,
): { G: Float64Array; dG: Float64Array } {
  const t = hingeTables(hinges, m);
  return { G: fillGram(hinges, m, t), dG: fillDerivatives(hinges, m, t) };
}

/**
 * Chain rule from a symmetric upstream gradient gBar = dL/dG ((M+1) x (M+1)) to dL/db (M),
 * using the one-sided derivatives R of gramHingeDerivatives: dL/db_k = 2 sum_q gBar[k+1][q] R[k][q].
 */
export function hingeGradient(gBar: ArrayLike<number>, dG: ArrayLike<number>, M: number): Float64Array {
  const n = M + 1;
  const out = new Float64Array(M);
  for (let k = 0; k < M; k++) {
    let acc = 0;
    const row = (k + 1) * n;
    for (let q = 0; q < n; q++) acc += gBar[row + q]! * dG[k * n + q]!;
    out[k] = 2 * acc;
  }
  return out;
}
