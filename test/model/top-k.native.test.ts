/**
 * The addon's top-k (Predict's ranking on the native path) against eval/ranking.ts: the same classes in the same
 * order, ties to the lower index, NaN last, k beyond C, thresholds on the probabilities.
 */
import { describe, expect, it } from 'vitest';
import { topKIndices } from '../../src/eval/ranking.js';
import { blas } from '../../src/model/blas.js';
import { requireNative } from '../helpers/backend.js';

requireNative();

function nativeTopK(logits: Float32Array, rows: number, C: number, k: number, threshold: number | null) {
  const m = Math.min(k, C);
  const indices = new Int32Array(rows * m);
  const top = new Float32Array(rows * m);
  const counts = new Int32Array(rows);
  blas().topK(logits, rows, C, k, threshold ?? Number.NaN, true, indices, top, counts);
  return { m, indices, top, counts };
}

const sigmoid = (v: number): number => Math.fround(1 / (1 + Math.exp(-v)));

describe('native topK', () => {
  it('ranks like eval/ranking.ts on logits with ties and NaN, and returns probabilities', () => {
    const rows = 7;
    const C = 301;
    // Coarse values make many ties; a few NaN.
    const logits = Float32Array.from({ length: rows * C }, (_, i) => (i % 97 === 5 ? Number.NaN : Math.round(Math.sin(i * 1.7) * 8) / 2));
    for (const k of [1, 3, 10, 64, 301, 500]) {
      const got = nativeTopK(logits, rows, C, k, null);
      for (let r = 0; r < rows; r++) {
        const want = Array.from(topKIndices(logits, r * C, C, k));
        expect(Array.from(got.indices.subarray(r * got.m, (r + 1) * got.m))).toEqual(want);
        expect(got.counts[r]).toBe(got.m);
        want.forEach((cls, c) => {
          const p = got.top[r * got.m + c]!;
          const l = logits[r * C + cls]!;
          if (Number.isNaN(l)) expect(p).toBeNaN();
          else expect(p).toBeCloseTo(sigmoid(l), 6);
        });
      }
    }
  });

  it('ranks long rows in any order like eval/ranking.ts: rising, falling, flat, ties at the cut, mostly NaN', () => {
    const C = 3557;
    const kinds: Array<(c: number) => number> = [
      (c) => c * 1e-3, // rising: every class beats the one before
      (c) => -c * 1e-3,
      () => 0.25, // one value: the lowest indices win
      (c) => Math.round(Math.sin(c * 12.9898) * 4) / 4, // few distinct values, many ties at the cut
      (c) => (c % 40 === 7 ? c : Number.NaN), // few numbers, in few blocks: NaN fills the top
      (c) => (c % 400 === 3 ? Number.NaN : Math.sin(c * 0.37) * 30),
      (c) => (c === 5 ? Number.POSITIVE_INFINITY : c % 3 === 0 ? Number.NEGATIVE_INFINITY : Math.cos(c)),
    ];
    const rows = kinds.length;
    const logits = new Float32Array(rows * C);
    kinds.forEach((f, r) => {
      for (let c = 0; c < C; c++) logits[r * C + c] = f(c);
    });
    for (const k of [1, 10, 100]) {
      const got = nativeTopK(logits, rows, C, k, null);
      for (let r = 0; r < rows; r++) {
        expect(Array.from(got.indices.subarray(r * k, (r + 1) * k)), `row ${r} top ${k}`).toEqual(Array.from(topKIndices(logits, r * C, C, k)));
      }
    }
  });

  it('cuts each row at the threshold on the probability', () => {
    const C = 50;
    const logits = Float32Array.from({ length: 2 * C }, (_, i) => (i % C) / 5 - 5); // -5 .. 4.8, increasing
    const got = nativeTopK(logits, 2, C, 20, 0.9);
    // sigmoid(z) >= 0.9 for z >= ln 9 = 2.197: logits 2.2 .. 4.8, i.e. 14 classes.
    expect(Array.from(got.counts)).toEqual([14, 14]);
    expect(got.indices[0]).toBe(C - 1);
    expect(got.top[13]).toBeGreaterThanOrEqual(0.9);
    expect(got.top[14]).toBeLessThan(0.9);
  });

  it('refuses arrays that are too small', () => {
    expect(() => blas().topK(new Float32Array(10), 2, 10, 3, Number.NaN, true, new Int32Array(6), new Float32Array(6), new Int32Array(2))).toThrow(/smaller than rows x C/);
    expect(() => blas().topK(new Float32Array(20), 2, 10, 3, Number.NaN, true, new Int32Array(5), new Float32Array(6), new Int32Array(2))).toThrow(/too small/);
  });
});
