import { expect } from 'vitest';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function uniform(r: () => number, n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * r());
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= tol)) expect.fail(`index ${i}: ${a} vs ${e} (tol ${tol})`);
  }
}

/** Central differences of f at x (a copy is perturbed), one coordinate at a time. */
export function finiteDiff(f: (x: Float64Array) => number, x: ArrayLike<number>, h = 1e-5): Float64Array {
  const xs = Float64Array.from(x);
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x0 = xs[i]!;
    xs[i] = x0 + h;
    const fp = f(xs);
    xs[i] = x0 - h;
    const fm = f(xs);
    xs[i] = x0;
    out[i] = (fp - fm) / (2 * h);
  }
  return out;
}

/** Entry-wise relative error against finite differences, floored so exact zeros compare absolutely. */
export function expectGradient(analytic: ArrayLike<number>, fd: ArrayLike<number>, rel = 1e-6): void {
  expect(analytic.length).toBe(fd.length);
  let scale = 0;
  for (let i = 0; i < fd.length; i++) scale = Math.max(scale, Math.abs(fd[i]!));
  const floor = Math.max(scale * 1e-4, 1e-9);
  for (let i = 0; i < fd.length; i++) {
    const a = analytic[i]!;
    const e = fd[i]!;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), floor);
    if (!(err < rel)) expect.fail(`gradient index ${i}: analytic ${a} vs finite difference ${e} (rel ${err})`);
  }
}

/** Composite Simpson of g * N(mu, sigma^2) density over mu +- 12 sigma, split at the kinks. */
export function gaussianExpectation(g: (x: number) => number, kinks: number[], mu: number, sigma: number, n = 4000): number {
  const lo = mu - 12 * sigma;
  const hi = mu + 12 * sigma;
  const pts = [...new Set([lo, hi, ...kinks.filter((k) => k > lo && k < hi)])].sort((a, b) => a - b);
  const dens = (x: number): number => Math.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * Math.sqrt(2 * Math.PI));
  const f = (x: number): number => g(x) * dens(x);
  let total = 0;
  for (let p = 0; p + 1 < pts.length; p++) {
    const a = pts[p]!;
    const b = pts[p + 1]!;
    const h = (b - a) / n;
    let acc = f(a) + f(b);
    for (let k = 1; k < n; k++) acc += (k % 2 ? 4 : 2) * f(a + k * h);
    total += (acc * h) / 3;
  }
  return total;
}
