/**
 * The addon's sgemm against a plain float64 product, for every transpose and leading dimension, on both of its
 * routes: sgemv row by row (1-2 rows, Predict's batch 1) and cblas_sgemm (more rows).
 */
import { describe, expect, it } from 'vitest';
import { blas } from '../../src/model/blas.js';
import { requireNative } from '../helpers/backend.js';

requireNative();

function filled(len: number, seed: number): Float32Array {
  return Float32Array.from({ length: len }, (_, i) => Math.sin(i * 0.71 + seed) * 0.5);
}

describe('native sgemm', () => {
  for (const m of [1, 2, 3, 7]) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`m=${m} transA=${ta} transB=${tb} with padded leading dimensions, alpha and beta`, () => {
        const n = 13;
        const k = 9;
        const lda = (ta ? m : k) + 2;
        const ldb = (tb ? k : n) + 3;
        const ldc = n + 1;
        const A = filled((ta ? k : m) * lda, 1);
        const B = filled((tb ? n : k) * ldb, 2);
        const C = filled(m * ldc, 3);
        const want = Float64Array.from(C);
        for (let r = 0; r < m; r++) {
          for (let c = 0; c < n; c++) {
            let s = 0;
            for (let i = 0; i < k; i++) s += A[ta ? i * lda + r : r * lda + i]! * B[tb ? c * ldb + i : i * ldb + c]!;
            want[r * ldc + c] = 0.7 * s + 0.3 * C[r * ldc + c]!;
          }
        }
        blas().sgemm(ta, tb, m, n, k, 0.7, A, lda, B, ldb, 0.3, C, ldc);
        for (let r = 0; r < m; r++) {
          for (let c = 0; c < ldc; c++) {
            // Padding columns of C are left alone.
            expect(C[r * ldc + c]).toBeCloseTo(c < n ? want[r * ldc + c]! : filled(m * ldc, 3)[r * ldc + c]!, 5);
          }
        }
      });
    }
  }
});
