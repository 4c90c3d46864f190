import { describe, expect, it } from 'vitest';
import { outranks, topKIndices } from '../../src/eval/ranking.js';

/** Reference: full sort by descending score, lower index first on ties, NaN last. */
function fullSortTopK(row: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: row.length }, (_, i) => i);
  const key = (i: number): number => (Number.isNaN(row[i] as number) ? -Infinity : (row[i] as number));
  idx.sort((a, b) => {
    const na = Number.isNaN(row[a] as number);
    const nb = Number.isNaN(row[b] as number);
    if (na !== nb) return na ? 1 : -1;
    return key(b) - key(a) || a - b;
  });
  return idx.slice(0, k);
}

/** Deterministic LCG so a failure is reproducible from the seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('topKIndices', () => {
  it('breaks ties by the lower class index', () => {
    // scores 1,3,3,2,3: the three 3s (classes 1, 2, 4) fill the top 3 in index order.
    expect(Array.from(topKIndices(new Float64Array([1, 3, 3, 2, 3]), 0, 5, 3))).toEqual([1, 2, 4]);
    // Among the tied 3s only classes 1 and 2 fit into k = 2.
    expect(Array.from(topKIndices(new Float64Array([1, 3, 3, 2, 3]), 0, 5, 2))).toEqual([1, 2]);
  });

  it('reads only the row at the given offset', () => {
    const m = new Float32Array([9, 9, 9, 0.1, 0.7, 0.4, 9, 9, 9]);
    expect(Array.from(topKIndices(m, 3, 3, 2))).toEqual([1, 2]);
  });

  it('returns all C classes when k > C', () => {
    expect(Array.from(topKIndices(new Float64Array([0.1, 0.9, 0.5]), 0, 3, 10))).toEqual([1, 2, 0]);
  });

  it('ranks NaN below every number, including -Infinity', () => {
    expect(Array.from(topKIndices(new Float64Array([NaN, -Infinity, 0, NaN]), 0, 4, 4))).toEqual([2, 1, 0, 3]);
    expect(outranks(-Infinity, 5, NaN, 0)).toBe(true);
    expect(outranks(NaN, 0, NaN, 1)).toBe(true);
  });

  it('rejects k < 1 and non-integer k', () => {
    expect(() => topKIndices(new Float64Array(3), 0, 3, 0)).toThrow(RangeError);
    expect(() => topKIndices(new Float64Array(3), 0, 3, 1.5)).toThrow(RangeError);
  });

  it('matches a full sort on random rows with many ties', () => {
    const rand = rng(12345);
    for (let trial = 0; trial < 500; trial++) {
      const C = 1 + Math.floor(rand() * 300);
      const k = 1 + Math.floor(rand() * 40);
      const rows = 3;
      const useF32 = rand() < 0.5;
      const m = useF32 ? new Float32Array(rows * C) : new Float64Array(rows * C);
      // Quantising to 16 levels forces ties; an occasional NaN exercises the bottom of the order.
      for (let i = 0; i < m.length; i++) m[i] = rand() < 0.02 ? NaN : Math.floor(rand() * 16) / 16;
      const r = Math.floor(rand() * rows);
      const row = m.subarray(r * C, (r + 1) * C);
      expect(Array.from(topKIndices(m, r * C, C, k))).toEqual(fullSortTopK(row, k));
    }
  });
});
