import { describe, expect, it } from 'vitest';
import { blas } from '../../src/model/blas.js';
import { buildTables } from '../../src/model/piecewise-tables.js';
import { requireNative } from '../helpers/backend.js';

requireNative();

// Predict's form of the TAAN activation (no bins kept, no moments: registers and permutes on AVX-512 machines)
// against the training form (intervals counted one element at a time and kept for the backward pass): the same
// float32 values, bit for bit, including at the hinges themselves, signed zeros, infinities and NaN.
describe('taanForward: inference form equals training form', () => {
  const B = blas();

  function both(M: number, tasks: number, H: number, rowsPerTask: number, special: number[]): { train: Float32Array; infer: Float32Array } {
    const alpha = Float32Array.from({ length: tasks * M }, (_, i) => Math.sin(1.7 * i) * 0.3);
    const beta = Float32Array.from({ length: M }, (_, i) => Math.cos(0.9 * i) * 2);
    if (M > 3) beta[3] = beta[1]!; // a repeated hinge
    const tb = buildTables(alpha, beta, tasks);
    const n = tasks * rowsPerTask * H;
    const z = Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i) * 3);
    special.forEach((v, i) => (z[(i * 7919) % n] = v));
    tb.sorted.forEach((h, i) => (z[(i * 104729 + 13) % n] = h)); // exactly at each hinge
    const segs = Int32Array.from(Array.from({ length: tasks }, (_, t) => [t, rowsPerTask]).flat());
    const train = new Float32Array(n);
    B.taanForward(z, train, new Uint16Array(n), H, tb.sorted, tb.S, tb.P, segs, new Float64Array(2));
    const infer = new Float32Array(n);
    B.taanForward(z, infer, null, H, tb.sorted, tb.S, tb.P, segs, null);
    const inPlace = z.slice();
    B.taanForward(inPlace, inPlace, null, H, tb.sorted, tb.S, tb.P, segs, null);
    expect(inPlace).toEqual(infer);
    return { train, infer };
  }

  const special = [0, -0, Infinity, -Infinity, Number.NaN, 1e-30, -1e-30, 3.4e38, -3.4e38];

  it.each([
    [64, 16, 512, 3],
    [64, 3, 37, 5],
    [5, 2, 20, 3],
    [1, 1, 17, 2],
    [80, 2, 48, 2],
  ])('M = %i, %i tasks, H = %i, %i rows each', (M, tasks, H, rows) => {
    const { train, infer } = both(M, tasks, H, rows, special);
    expect(Buffer.from(infer.buffer).equals(Buffer.from(train.buffer))).toBe(true);
  });
});
