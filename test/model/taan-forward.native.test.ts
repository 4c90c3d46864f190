import { describe, expect, it } from 'vitest';
import { blas } from '../../src/model/blas.js';
import { buildTables } from '../../src/model/piecewise-tables.js';
import { requireNative } from '../helpers/backend.js';

requireNative();

/**
 * The addon's TAAN activation (AVX-512 registers and permutes where the CPU has them, element by element otherwise)
 * against the definition in float32, computed here in JS: the same bins and the same y bit for bit, including at the
 * hinges themselves, repeated hinges, signed zeros, infinities and NaN, in both forms (training: bins and moments
 * kept; Predict: neither), in place too. Moments are float64 sums, equal up to summation order.
 */
describe('taanForward against its definition', () => {
  const B = blas();
  const f = Math.fround;

  function reference(z: Float32Array, H: number, sorted: Float32Array, S: Float32Array, P: Float32Array, segs: number[]) {
    const M = sorted.length;
    const y = new Float32Array(z.length);
    const bins = new Uint16Array(z.length);
    let s1 = 0;
    let s2 = 0;
    let i = 0;
    for (let s = 0; s < segs.length; s += 2) {
      const off = segs[s]! * (M + 1);
      for (const end = i + segs[s + 1]! * H; i < end; i++) {
        const v = z[i]!;
        let c = 0;
        for (const h of sorted) if (h <= v) c++;
        bins[i] = c;
        s1 += v;
        s2 += v * v;
        y[i] = f(f((v > 0 ? v : 0) + P[off + c]!) - f(S[off + c]! * v));
      }
    }
    return { y, bins, s1, s2 };
  }

  const special = [0, -0, Infinity, -Infinity, Number.NaN, 1e-30, -1e-30, 3.4e38, -3.4e38];

  it.each([
    [64, 16, 512, 3],
    [64, 3, 37, 5],
    [63, 2, 40, 2],
    [33, 2, 40, 2],
    [32, 2, 40, 2],
    [16, 2, 40, 2],
    [5, 2, 20, 3],
    [1, 1, 17, 2],
    [80, 2, 48, 2],
  ])('M = %i, %i tasks, H = %i, %i rows each', (M, tasks, H, rowsPerTask) => {
    const alpha = Float32Array.from({ length: tasks * M }, (_, i) => Math.sin(1.7 * i) * 0.3);
    const beta = Float32Array.from({ length: M }, (_, i) => Math.cos(0.9 * i) * 2);
    if (M > 3) beta[3] = beta[1]!; // a repeated hinge
    const tb = buildTables(alpha, beta, tasks);
    const n = tasks * rowsPerTask * H;
    const z = Float32Array.from({ length: n }, (_, i) => Math.sin(0.37 * i) * 3);
    special.forEach((v, i) => (z[(i * 7919) % n] = v));
    tb.sorted.forEach((h, i) => (z[(i * 104729 + 13) % n] = h)); // exactly at each hinge
    const segList = Array.from({ length: tasks }, (_, t) => [tasks - 1 - t, rowsPerTask]).flat(); // tasks out of order
    const segs = Int32Array.from(segList);
    const want = reference(z, H, tb.sorted, tb.S, tb.P, segList);
    const same = (a: Float32Array, b: Float32Array): boolean => Buffer.from(a.buffer).equals(Buffer.from(b.buffer));

    const y = new Float32Array(n);
    const bins = new Uint16Array(n);
    // The moments of these values (3.4e38 beside small ones) depend on the order of summation: the next test checks them.
    B.taanForward(z, y, bins, H, tb.sorted, tb.S, tb.P, segs, new Float64Array(2));
    expect(same(y, want.y)).toBe(true);
    expect(bins).toEqual(want.bins);

    const infer = new Float32Array(n);
    B.taanForward(z, infer, null, H, tb.sorted, tb.S, tb.P, segs, null);
    expect(same(infer, want.y)).toBe(true);
    const inPlace = z.slice();
    B.taanForward(inPlace, inPlace, null, H, tb.sorted, tb.S, tb.P, segs, null);
    expect(same(inPlace, want.y)).toBe(true);
  });

  it('sums the moments of finite inputs like the definition', () => {
    const M = 64;
    const H = 64;
    const tb = buildTables(Float32Array.from({ length: 2 * M }, (_, i) => Math.sin(i)), Float32Array.from({ length: M }, (_, i) => Math.cos(i)), 2);
    const z = Float32Array.from({ length: 2 * 7 * H }, (_, i) => Math.sin(0.11 * i) * 2.5);
    const segList = [0, 7, 1, 7];
    const want = reference(z, H, tb.sorted, tb.S, tb.P, segList);
    const moments = new Float64Array(2);
    B.taanForward(z, new Float32Array(z.length), new Uint16Array(z.length), H, tb.sorted, tb.S, tb.P, Int32Array.from(segList), moments);
    expect(moments[0]).toBeCloseTo(want.s1, 9);
    expect(moments[1]).toBeCloseTo(want.s2, 9);
  });
});
