/**
 * The addon's packed product (Predict's products with a served model's weights: packB once, then sgemmPacked)
 * against a plain float64 product, over the row and column counts its kernel splits differently: tiles of up to 12
 * rows, pairs of 16-column strips, a last strip cut short. Where the CPU lacks AVX-512 the call must refuse, saying so.
 */
import { describe, expect, it } from 'vitest';
import { blas } from '../../src/model/blas.js';
import { requireNative } from '../helpers/backend.js';

requireNative();

function filled(len: number, seed: number): Float32Array {
  return Float32Array.from({ length: len }, (_, i) => Math.sin(i * 0.71 + seed) * 0.5);
}

const packedLength = (k: number, n: number): number => Math.ceil(n / 16) * 16 * k;

describe('native packed sgemm', () => {
  const B = blas();

  if (!B.info().packedGemm) {
    it('refuses without AVX-512', () => {
      const Bp = new Float32Array(packedLength(3, 5));
      B.packB(filled(15, 1), 3, 5, 5, Bp);
      expect(() => B.sgemmPacked(2, 5, 3, filled(6, 2), 3, Bp, new Float32Array(10), 5)).toThrow(/needs AVX-512/);
    });
    return;
  }

  for (const m of [1, 2, 11, 12, 13, 25, 40]) {
    for (const n of [1, 15, 16, 17, 33, 48, 70]) {
      it(`m=${m} n=${n}: C += A B with padded leading dimensions`, () => {
        const k = 37;
        const lda = k + 3;
        const ldb = n + 2;
        const ldc = n + 5;
        const A = filled(m * lda, 1);
        const W = filled(k * ldb, 2);
        const C = filled(m * ldc, 3);
        const want = Float64Array.from(C);
        for (let r = 0; r < m; r++) {
          for (let c = 0; c < n; c++) {
            let s = 0;
            for (let i = 0; i < k; i++) s += A[r * lda + i]! * W[i * ldb + c]!;
            want[r * ldc + c] = C[r * ldc + c]! + s;
          }
        }
        const Bp = new Float32Array(packedLength(k, n));
        B.packB(W, k, n, ldb, Bp);
        B.sgemmPacked(m, n, k, A, lda, Bp, C, ldc);
        const before = filled(m * ldc, 3);
        for (let r = 0; r < m; r++) {
          for (let c = 0; c < ldc; c++) {
            // Padding columns of C are left alone.
            expect(C[r * ldc + c]).toBeCloseTo(c < n ? want[r * ldc + c]! : before[r * ldc + c]!, 5);
          }
        }
      });
    }
  }

  it('checks the packed size and every array before writing', () => {
    const W = filled(4 * 20, 1);
    expect(() => B.packB(W, 4, 20, 20, new Float32Array(80))).toThrow(/ceil\(n \/ 16\) x 16 x k/);
    const Bp = new Float32Array(packedLength(4, 20));
    B.packB(W, 4, 20, 20, Bp);
    expect(() => B.sgemmPacked(3, 20, 4, filled(12, 2), 4, Bp.subarray(1), new Float32Array(60), 20)).toThrow(/not a packed/);
    expect(() => B.sgemmPacked(3, 20, 4, filled(11, 2), 4, Bp, new Float32Array(60), 20)).toThrow(/A is too small/);
    expect(() => B.sgemmPacked(3, 20, 4, filled(12, 2), 4, Bp, new Float32Array(59), 20)).toThrow(/C is too small/);
    expect(() => B.sgemmPacked(0, 20, 4, filled(12, 2), 4, Bp, new Float32Array(0), 20)).not.toThrow();
  });
});
