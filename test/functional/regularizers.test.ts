import { describe, expect, it } from 'vitest';
import { STANDARD_NORMAL, type Measure } from '../../src/functional/gram.js';
import { REGULARIZER_KINDS, regularizer, type RegularizerKind } from '../../src/functional/regularizers.js';
import { taskMatrices } from '../../src/functional/task-matrices.js';
import { expectGradient, finiteDiff, rng, uniform } from './helpers.js';

const HINGES = [-1.0, -0.25, 0.5, 1.5];
const ALPHA = [0.2, -0.1, 0.05, 0.3, 0.15, -0.05, 0.0, 0.25, -0.3, 0.4, -0.2, 0.1];

describe('regularizer values (method.md §4)', () => {
  const value = (kind: RegularizerKind): number => regularizer(kind, ALPHA, 3, 4, HINGES, STANDARD_NORMAL).value;
  it('COSINE', () => {
    expect(Math.abs(value('COSINE') - -0.959879414)).toBeLessThan(1e-8);
    expect(Math.abs(value('COSINE') - -0.9598794140281872)).toBeLessThan(1e-14);
  });
  it('DISTANCE', () => {
    expect(Math.abs(value('DISTANCE') - 0.0730943865)).toBeLessThan(1e-8);
    expect(Math.abs(value('DISTANCE') - 0.07309438654746926)).toBeLessThan(1e-14);
  });
  it('TRACE_NORM is the nuclear norm', () => {
    expect(Math.abs(value('TRACE_NORM') - 1.0328402318)).toBeLessThan(1e-8);
  });
  it('ROW_NORM is the authors\' row-norm sum', () => {
    expect(Math.abs(value('ROW_NORM') - 1.2210182684)).toBeLessThan(1e-8);
  });
  it('NONE', () => {
    const r = regularizer('NONE', ALPHA, 3, 4, HINGES, STANDARD_NORMAL);
    expect(r.value).toBe(0);
    expect(r.dAlpha.every((v) => v === 0)).toBe(true);
    expect(r.dHinges.every((v) => v === 0)).toBe(true);
  });

  it('COSINE and DISTANCE equal the means of C and D under a general measure', () => {
    const m = { mu: 0.7, sigma: 1.3 };
    const { C, D } = taskMatrices(ALPHA, 3, 4, HINGES, m);
    const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / 9;
    expect(Math.abs(regularizer('COSINE', ALPHA, 3, 4, HINGES, m).value + mean(C))).toBeLessThan(1e-14);
    expect(Math.abs(regularizer('DISTANCE', ALPHA, 3, 4, HINGES, m).value - mean(D))).toBeLessThan(1e-14);
  });
});

describe('regularizer gradients vs central finite differences', () => {
  const T = 4;
  const M = 5;
  const measures: Array<[string, Measure]> = [
    ['N(0, 1)', STANDARD_NORMAL],
    ['N(0.35, 1.6^2)', { mu: 0.35, sigma: 1.6 }],
  ];
  for (const [name, m] of measures) {
    for (const kind of REGULARIZER_KINDS) {
      it(`${kind} at ${name}`, () => {
        const r = rng(kind.length * 31 + Math.round(m.sigma * 10));
        const alpha = uniform(r, T * M, -0.6, 0.6);
        const hinges = uniform(r, M, -1.5, 1.5);
        const res = regularizer(kind, alpha, T, M, hinges, m);
        expect(res.dAlpha.length).toBe(T * M);
        expect(res.dHinges.length).toBe(M);
        const fa = finiteDiff((a) => regularizer(kind, a, T, M, hinges, m).value, alpha);
        const fh = finiteDiff((b) => regularizer(kind, alpha, T, M, b, m).value, hinges);
        expectGradient(res.dAlpha, fa);
        expectGradient(res.dHinges, fh);
        if (kind === 'COSINE' || kind === 'DISTANCE') expect(res.dHinges.some((v) => v !== 0)).toBe(true);
      });
    }
  }

  it('TRACE_NORM with well-separated singular values, tall and wide', () => {
    const r = rng(77);
    for (const [T2, M2] of [[3, 6], [6, 3], [4, 4]] as const) {
      const alpha = uniform(r, T2 * M2, -1, 1);
      const res = regularizer('TRACE_NORM', alpha, T2, M2, uniform(r, M2, -1, 1), STANDARD_NORMAL);
      expectGradient(res.dAlpha, finiteDiff((a) => regularizer('TRACE_NORM', a, T2, M2, new Float64Array(M2), STANDARD_NORMAL).value, alpha));
    }
  });

  it('ROW_NORM gives 0 for a zero row, DISTANCE is 0 with zero gradient for identical tasks', () => {
    const alpha = new Float64Array(2 * 3);
    alpha.set([0.3, -0.2, 0.1], 3);
    expect(Array.from(regularizer('ROW_NORM', alpha, 2, 3, [0, 0.5, 1], STANDARD_NORMAL).dAlpha.subarray(0, 3))).toEqual([0, 0, 0]);
    const same = Float64Array.from([0.1, 0.2, 0.3, 0.1, 0.2, 0.3]);
    const d = regularizer('DISTANCE', same, 2, 3, [0, 0.5, 1], STANDARD_NORMAL);
    expect(d.value).toBe(0);
    expect(d.dAlpha.every((v) => v === 0)).toBe(true);
    expect(d.dHinges.every((v) => v === 0)).toBe(true);
  });
});

describe('regularizer cost at T = 16, M = 64', () => {
  it('stays in the sub-millisecond range per call', () => {
    const r = rng(1);
    const T = 16;
    const M = 64;
    const alpha = uniform(r, T * M, -0.05, 0.05);
    const hinges = uniform(r, M, -0.5, 0.5);
    const m = { mu: 0.1, sigma: 0.9 };
    for (const kind of REGULARIZER_KINDS) {
      for (let i = 0; i < 50; i++) regularizer(kind, alpha, T, M, hinges, m); // warm-up for the JIT
      const times: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        regularizer(kind, alpha, T, M, hinges, m);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      // Generous bound: the suite shares 2 cores with other test files.
      expect(times[100]!, `${kind} median ms`).toBeLessThan(5);
    }
  });
});
