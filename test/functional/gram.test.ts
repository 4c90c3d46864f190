import { describe, expect, it } from 'vitest';
import {
  eHingeHinge,
  eRelu2,
  eReluHinge,
  gramHingeDerivatives,
  gramMatrix,
  gramWithDerivatives,
  hingeGradient,
  STANDARD_NORMAL,
  type Measure,
} from '../../src/functional/gram.js';
import { expectClose, expectGradient, finiteDiff, gaussianExpectation, rng, uniform } from './helpers.js';

const HINGES = [-1.0, -0.25, 0.5, 1.5];

// method.md §4 (9 digits) and the same matrix from taan_reference.py at full precision.
const G_SPEC = [
  [0.5, 0.0, 0.0, 0.008008679, 0.165220622],
  [0.0, 0.075339783, 0.137826386, 0.200312989, 0.283628460],
  [0.0, 0.137826386, 0.329707500, 0.544466023, 0.830810722],
  [0.008008679, 0.200312989, 0.544466023, 1.040360740, 1.738157297],
  [0.165220622, 0.283628460, 0.830810722, 1.738157297, 3.227152989],
].flat();
const G_REF = [
  [0.5, 0.0, 0.0, 0.008008678926703233, 0.16522062187100717],
  [0.0, 0.07533978334377078, 0.1378263862845355, 0.20031298922530022, 0.2836284598129865],
  [0.0, 0.1378263862845355, 0.3297074997611812, 0.5444660234288664, 0.8308107216524465],
  [0.008008678926703233, 0.20031298922530022, 0.5444660234288664, 1.0403607399746662, 1.7381572973759722],
  [0.16522062187100717, 0.2836284598129865, 0.8308107216524465, 1.7381572973759722, 3.227152989375049],
].flat();

function basis(hinges: ArrayLike<number>): Array<(x: number) => number> {
  const fs = [(x: number) => Math.max(0, x)];
  for (let k = 0; k < hinges.length; k++) {
    const b = hinges[k]!;
    fs.push((x: number) => Math.max(0, b - x));
  }
  return fs;
}

function numericGram(hinges: ArrayLike<number>, m: Measure): Float64Array {
  const fs = basis(hinges);
  const n = fs.length;
  const kinks = [0, ...Array.from(hinges)];
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = gaussianExpectation((x) => fs[i]!(x) * fs[j]!(x), kinks, m.mu, m.sigma);
      G[i * n + j] = v;
      G[j * n + i] = v;
    }
  }
  return G;
}

describe('gramMatrix at N(0, 1) (method.md §4)', () => {
  it('equals the printed matrix to 1e-8 and the full-precision reference to 1e-14', () => {
    const G = gramMatrix(HINGES, STANDARD_NORMAL);
    expectClose(G, G_SPEC, 1e-8);
    expectClose(G, G_REF, 1e-14);
  });

  it('is exactly symmetric and agrees with the scalar closed forms', () => {
    const G = gramMatrix(HINGES, STANDARD_NORMAL);
    const n = HINGES.length + 1;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(G[i * n + j]).toBe(G[j * n + i]);
    expect(G[0]).toBeCloseTo(eRelu2(STANDARD_NORMAL), 15);
    for (let k = 0; k < HINGES.length; k++) {
      expect(Math.abs(G[k + 1]! - eReluHinge(HINGES[k]!, STANDARD_NORMAL))).toBeLessThan(1e-15);
      for (let l = 0; l < HINGES.length; l++) {
        const v = eHingeHinge(HINGES[k]!, HINGES[l]!, STANDARD_NORMAL);
        expect(Math.abs(G[(k + 1) * n + l + 1]! - v)).toBeLessThan(1e-15);
      }
    }
  });
});

describe('closed forms under a general measure (method.md §4)', () => {
  it('mu = 0.7, sigma = 1.3', () => {
    const m = { mu: 0.7, sigma: 1.3 };
    expect(Math.abs(eReluHinge(1.1, m) - 0.0664521704)).toBeLessThan(1e-8);
    expect(Math.abs(eRelu2(m) - 1.8506630884)).toBeLessThan(1e-8);
    expect(Math.abs(eHingeHinge(1.1, 0.3, m) - 0.7779707747)).toBeLessThan(1e-8);
    // Not the paper's (b - 3 mu) form, which prints -0.5616374303 here.
    expect(Math.abs(eReluHinge(1.1, m) + 0.5616374303)).toBeGreaterThan(0.1);
  });

  it('mu = -0.4, sigma = 0.8', () => {
    const m = { mu: -0.4, sigma: 0.8 };
    expect(Math.abs(eReluHinge(0.9, m) - 0.0345664332)).toBeLessThan(1e-8);
    expect(Math.abs(eRelu2(m) - 0.1341691264)).toBeLessThan(1e-8);
    expect(Math.abs(eHingeHinge(0.9, 0.3, m) - 1.5372174214)).toBeLessThan(1e-8);
  });

  it('uses the indicator [b > 0] for the ReLU-hinge term', () => {
    expect(eReluHinge(0, STANDARD_NORMAL)).toBe(0);
    expect(eReluHinge(-0.3, { mu: 2, sigma: 0.5 })).toBe(0);
  });

  it('rejects a degenerate measure', () => {
    expect(() => gramMatrix(HINGES, { mu: 0, sigma: 0 })).toThrow(/sigma/);
    expect(() => gramMatrix(HINGES, { mu: NaN, sigma: 1 })).toThrow(/mu/);
  });
});

describe('closed forms vs Simpson integration split at the kinks', () => {
  const r = rng(20240611);
  for (let trial = 0; trial < 4; trial++) {
    const m = { mu: -1 + 2 * r(), sigma: 0.4 + 1.6 * r() };
    const hinges = uniform(r, 5, -2, 2);
    it(`mu=${m.mu.toFixed(3)} sigma=${m.sigma.toFixed(3)}`, () => {
      expectClose(gramMatrix(hinges, m), numericGram(hinges, m), 1e-8);
    });
  }
});

describe('hinge derivatives', () => {
  const cases: Array<[string, Measure, number]> = [
    ['N(0, 1)', STANDARD_NORMAL, 7],
    ['N(0.6, 1.7^2)', { mu: 0.6, sigma: 1.7 }, 8],
    ['N(-0.9, 0.5^2)', { mu: -0.9, sigma: 0.5 }, 9],
  ];
  for (const [name, m, seed] of cases) {
    it(`match finite differences of every Gram entry (${name})`, () => {
      const r = rng(seed);
      const M = 5;
      const n = M + 1;
      const hinges = uniform(r, M, -1.5, 1.5);
      const R = gramHingeDerivatives(hinges, m);
      for (let p = 0; p < n; p++) {
        for (let q = 0; q < n; q++) {
          const fd = finiteDiff((b) => gramMatrix(b, m)[p * n + q]!, hinges);
          const analytic = new Float64Array(M);
          for (let k = 0; k < M; k++) {
            if (p === k + 1) analytic[k] = analytic[k]! + R[k * n + q]!;
            if (q === k + 1) analytic[k] = analytic[k]! + R[k * n + p]!;
          }
          expectGradient(analytic, fd);
        }
      }
    });

    it(`hingeGradient contracts a symmetric upstream gradient (${name})`, () => {
      const r = rng(seed + 100);
      const M = 6;
      const n = M + 1;
      const hinges = uniform(r, M, -1.5, 1.5);
      const gBar = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          const v = 2 * r() - 1;
          gBar[i * n + j] = v;
          gBar[j * n + i] = v;
        }
      }
      const loss = (b: Float64Array): number => gramMatrix(b, m).reduce((acc, g, i) => acc + g * gBar[i]!, 0);
      const { G, dG } = gramWithDerivatives(hinges, m);
      expectClose(G, gramMatrix(hinges, m), 0);
      expectGradient(hingeGradient(gBar, dG, M), finiteDiff(loss, hinges));
    });
  }
});
