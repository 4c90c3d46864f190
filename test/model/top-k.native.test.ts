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
