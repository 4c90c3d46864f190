import { describe, expect, it } from 'vitest';
import { activationCurves, activationValue } from '../../src/functional/activation.js';
import { STANDARD_NORMAL, type Measure } from '../../src/functional/gram.js';
import { taskMatrices } from '../../src/functional/task-matrices.js';
import { expectClose, gaussianExpectation, rng, uniform } from './helpers.js';

const HINGES = [-1.0, -0.25, 0.5, 1.5];
const ALPHA = [0.2, -0.1, 0.05, 0.3, 0.15, -0.05, 0.0, 0.25, -0.3, 0.4, -0.2, 0.1];
const T = 3;
const M = 4;

// method.md §4, with the full-precision values of taan_reference.py alongside.
const K_REF = [
  0.928668613138855, 0.8493517449144765, 0.6354481070600724,
  0.8493517449144765, 0.7852612572964768, 0.6116935619864693,
  0.6354481070600724, 0.6116935619864693, 0.5470259132574922,
];
const C_REF = [
  1, 0.9946037995989708, 0.8915501072038732,
  0.9946037995989708, 1, 0.9333034563239982,
  0.8915501072038732, 0.9333034563239982, 1,
];
const D_REF = [
  0, 0.015226380606378717, 0.2047983122762025,
  0.015226380606378717, 0, 0.10890004658103045,
  0.2047983122762025, 0.10890004658103045, 0,
];

describe('taskMatrices at the §4 test vector', () => {
  const { K, C, D } = taskMatrices(ALPHA, T, M, HINGES, STANDARD_NORMAL);

  it('K, C, D match the printed values to 1e-8 and the reference to 1e-13', () => {
    expectClose(K, [0.928668613, 0.849351745, 0.635448107, 0.849351745, 0.785261257, 0.611693562,
      0.635448107, 0.611693562, 0.547025913], 1e-8);
    expectClose(C, [1, 0.9946038, 0.891550107, 0.9946038, 1, 0.933303456, 0.891550107, 0.933303456, 1], 1e-8);
    expectClose(D, [0, 0.015226381, 0.204798312, 0.015226381, 0, 0.108900047, 0.204798312, 0.108900047, 0], 1e-8);
    expectClose(K, K_REF, 1e-13);
    expectClose(C, C_REF, 1e-13);
    expectClose(D, D_REF, 1e-13);
  });

  it('L_cos and L_dis as means of C and D', () => {
    const mean = (a: Float64Array): number => a.reduce((s, v) => s + v, 0) / (T * T);
    expect(Math.abs(-mean(C) - -0.959879414)).toBeLessThan(1e-8);
    expect(Math.abs(mean(D) - 0.0730943865)).toBeLessThan(1e-8);
  });
});

describe('taskMatrices structure', () => {
  const r = rng(99);
  const measures: Measure[] = [STANDARD_NORMAL, { mu: 0.4, sigma: 2.2 }];
  for (const m of measures) {
    it(`D symmetric with zero diagonal, C unit diagonal, K symmetric (mu=${m.mu})`, () => {
      const T2 = 6;
      const M2 = 7;
      const alpha = uniform(r, T2 * M2, -0.5, 0.5);
      alpha.set(alpha.subarray(0, M2), 5 * M2); // a duplicated task must be at distance exactly 0
      const { K, C, D } = taskMatrices(alpha, T2, M2, uniform(r, M2, -1, 1), m);
      for (let i = 0; i < T2; i++) {
        expect(D[i * T2 + i]).toBe(0);
        expect(C[i * T2 + i]).toBe(1);
        for (let j = 0; j < T2; j++) {
          expect(D[i * T2 + j]).toBe(D[j * T2 + i]);
          expect(K[i * T2 + j]).toBe(K[j * T2 + i]);
          expect(C[i * T2 + j]).toBe(C[j * T2 + i]);
          expect(Math.abs(C[i * T2 + j]!)).toBeLessThanOrEqual(1 + 1e-15);
          expect(D[i * T2 + j]).toBeGreaterThanOrEqual(0);
        }
      }
      expect(D[0 * T2 + 5]).toBe(0);
    });
  }

  it('K and D agree with direct integration of the activations under a general measure', () => {
    const m = { mu: 0.7, sigma: 1.3 };
    const { K, D } = taskMatrices(ALPHA, T, M, HINGES, m);
    const f = (t: number) => (x: number) => activationValue(ALPHA, t, M, HINGES, x);
    const kinks = [0, ...HINGES];
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        const k = gaussianExpectation((x) => f(i)(x) * f(j)(x), kinks, m.mu, m.sigma);
        const d = gaussianExpectation((x) => (f(i)(x) - f(j)(x)) ** 2, kinks, m.mu, m.sigma);
        expect(Math.abs(K[i * T + j]! - k)).toBeLessThan(1e-8);
        expect(Math.abs(D[i * T + j]! - d)).toBeLessThan(1e-8);
      }
    }
  });

  it('rejects mismatched shapes', () => {
    expect(() => taskMatrices(ALPHA, 4, M, HINGES, STANDARD_NORMAL)).toThrow(/alpha/);
    expect(() => taskMatrices(ALPHA, T, M, [0, 1], STANDARD_NORMAL)).toThrow(/hinges/);
  });
});

describe('activation values (method.md §4 table)', () => {
  const xs = [-2.0, -0.5, 0.0, 0.3, 1.0, 2.0];
  const table = [
    [1.2, 0.625, 0.475, 0.67, 1.15, 2.0],
    [0.9375, 0.4875, 0.375, 0.6, 1.125, 2.0],
    [0.25, 0.1, 0.05, 0.38, 1.05, 2.0],
  ];

  it('activationValue', () => {
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < xs.length; i++) {
        expect(Math.abs(activationValue(ALPHA, t, M, HINGES, xs[i]!) - table[t]![i]!)).toBeLessThan(1e-6);
      }
    }
  });

  it('activationCurves', () => {
    expectClose(activationCurves(ALPHA, T, M, HINGES, xs), table.flat(), 1e-6);
  });

  it('rejects a task outside alpha', () => {
    expect(() => activationValue(ALPHA, 3, M, HINGES, 0)).toThrow(/task/);
  });
});
