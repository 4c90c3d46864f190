import { describe, expect, it } from 'vitest';
import { erf, erfc, normalCdf, normalPdf } from '../../src/functional/gaussian.js';
import { ERF_TABLE, PHI_TABLE } from './gaussian-table.js';

function relErr(a: number, e: number): number {
  return e === 0 ? Math.abs(a) : Math.abs(a - e) / Math.abs(e);
}

describe('normalCdf', () => {
  it('is within 1e-14 absolute of the 60-digit reference over [-40, 40]', () => {
    for (const [z, phiRef] of PHI_TABLE) {
      const got = normalCdf(z);
      if (!(Math.abs(got - phiRef) <= 1e-14)) expect.fail(`Phi(${z}) = ${got}, expected ${phiRef}`);
    }
  });

  it('keeps ~1e-15 relative accuracy in the lower tail (normal range only)', () => {
    for (const [z, phiRef] of PHI_TABLE) {
      if (z > 0 || phiRef < 1e-300) continue;
      const e = relErr(normalCdf(z), phiRef);
      if (!(e < 2e-15)) expect.fail(`Phi(${z}) relative error ${e}`);
    }
  });

  it('is symmetric, monotone and saturates', () => {
    let prev = 0;
    for (let z = -40; z <= 40; z += 0.01) {
      const p = normalCdf(z);
      expect(p).toBeGreaterThanOrEqual(prev);
      prev = p;
      expect(Math.abs(p + normalCdf(-z) - 1)).toBeLessThanOrEqual(2e-16);
    }
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(0)).toBe(0.5);
    expect(Number.isNaN(normalCdf(NaN))).toBe(true);
  });
});

describe('normalPdf', () => {
  it('matches the reference to 1e-15 relative', () => {
    for (const [z, , pdfRef] of PHI_TABLE) {
      if (pdfRef < 1e-300) continue;
      const e = relErr(normalPdf(z), pdfRef);
      if (!(e < 1e-15)) expect.fail(`phi(${z}) relative error ${e}`);
    }
    expect(normalPdf(Infinity)).toBe(0);
    expect(normalPdf(-1e300)).toBe(0);
  });
});

describe('erf / erfc', () => {
  it('match the reference to ~1e-15 relative', () => {
    for (const [x, erfRef, erfcRef] of ERF_TABLE) {
      const a = erf(x);
      const c = erfc(x);
      if (!(relErr(a, erfRef) < 1e-15 || Math.abs(a - erfRef) < 1e-300)) expect.fail(`erf(${x}) = ${a} vs ${erfRef}`);
      if (erfcRef > 1e-300 && !(relErr(c, erfcRef) < 2e-15)) expect.fail(`erfc(${x}) = ${c} vs ${erfcRef}`);
    }
  });

  it('handles the extremes', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(0)).toBe(0);
  });
});
