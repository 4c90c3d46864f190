import { describe, expect, it } from 'vitest';
import { nuclearNorm, svd } from '../../src/functional/svd.js';
import { rng, uniform } from './helpers.js';

/** Checks a = U diag(S) V^T, orthonormal U and V columns, S non-negative and descending. */
function checkSvd(a: Float64Array, rows: number, cols: number): void {
  const { U, S, V } = svd(a, rows, cols);
  const k = Math.min(rows, cols);
  expect(U.length).toBe(rows * k);
  expect(V.length).toBe(cols * k);
  expect(S.length).toBe(k);
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let j = 0; j < k; j++) {
    expect(S[j]).toBeGreaterThanOrEqual(0);
    if (j > 0) expect(S[j]).toBeLessThanOrEqual(S[j - 1]!);
  }
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += U[i * k + j]! * S[j]! * V[c * k + j]!;
      expect(Math.abs(acc - a[i * cols + c]!)).toBeLessThan(1e-13 * Math.max(scale, 1));
    }
  }
  for (const [Q, n] of [[U, rows], [V, cols]] as const) {
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += Q[i * k + p]! * Q[i * k + q]!;
        expect(Math.abs(dot - (p === q ? 1 : 0))).toBeLessThan(1e-13);
      }
    }
  }
}

describe('svd', () => {
  const r = rng(5);
  it.each([
    [5, 7],
    [7, 5],
    [1, 6],
    [6, 1],
    [4, 4],
    [16, 64],
    [64, 16],
  ])('random %i x %i', (rows, cols) => checkSvd(uniform(r, rows * cols, -1, 1), rows, cols));

  it('rank-deficient and zero matrices still give orthonormal factors', () => {
    const a = uniform(r, 4 * 6, -1, 1);
    a.set(a.subarray(0, 6), 18); // row 3 = row 0
    checkSvd(a, 4, 6);
    expect(svd(a, 4, 6).S[3]).toBeLessThan(1e-14);
    checkSvd(new Float64Array(12), 3, 4);
    checkSvd(new Float64Array(12), 4, 3);
  });

  it('nuclear norm of the §4 alpha', () => {
    const alpha = [0.2, -0.1, 0.05, 0.3, 0.15, -0.05, 0.0, 0.25, -0.3, 0.4, -0.2, 0.1];
    expect(Math.abs(nuclearNorm(alpha, 3, 4) - 1.0328402318)).toBeLessThan(1e-8);
    expect(Math.abs(nuclearNorm(alpha, 3, 4) - 1.0328402317794594)).toBeLessThan(1e-14);
  });

  it('known singular values', () => {
    // diag(3, -2) padded: singular values 3 and 2.
    const { S } = svd([3, 0, 0, 0, -2, 0], 2, 3);
    expect(Array.from(S)).toEqual([3, 2]);
  });

  it('rejects a wrong length', () => {
    expect(() => svd([1, 2, 3], 2, 2)).toThrow();
  });
});
