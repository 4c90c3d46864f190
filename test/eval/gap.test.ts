import { describe, expect, it } from 'vitest';
import { gapAtK } from '../../src/eval/gap.js';

describe('gapAtK', () => {
  it('counts positives outside the top 20 in the denominator', () => {
    // One example, 25 classes, score (25 - c)/25 so rank = c + 1. Positives at ranks 1, 20, 21, 25.
    // Top-20 pool holds the hits at ranks 1 and 20: (1/1 + 2/20) / 4 positives = 1.1 / 4 = 0.275
    // (dividing by the 2 pooled hits would give 0.55).
    const C = 25;
    const scores = Float64Array.from({ length: C }, (_, c) => (C - c) / C);
    const labels = new Uint8Array(C);
    for (const c of [0, 19, 20, 24]) labels[c] = 1;
    expect(gapAtK([{ scores, labels, n: 1, C }])).toBeCloseTo(0.275, 12);
  });

  it('pools the per-example top-k of two blocks into one ranking', () => {
    // k = 2.  Block A (n = 2, C = 3):
    //   e0 scores .9 .3 .6, labels 1 1 0 -> keeps (.9, 1), (.6, 0); the positive at .3 is cut.
    //   e1 scores .2 .8 .7, labels 0 0 1 -> keeps (.8, 0), (.7, 1).
    // Block B (n = 1, C = 2): scores .65 .1, labels 1 1 -> keeps (.65, 1), (.1, 1).
    // Pooled: .9+ .8- .7+ .65+ .6- .1+ -> hits at ranks 1, 3, 4, 6:
    //   1/1 + 2/3 + 3/4 + 4/6 = 37/12; total positives 3 + 2 = 5 -> GAP = 37/60.
    const a = {
      scores: Float32Array.from([0.9, 0.3, 0.6, 0.2, 0.8, 0.7]),
      labels: Uint8Array.from([1, 1, 0, 0, 0, 1]),
      n: 2,
      C: 3,
    };
    const b = { scores: Float64Array.from([0.65, 0.1]), labels: Uint8Array.from([1, 1]), n: 1, C: 2 };
    expect(gapAtK([a, b], 2)).toBeCloseTo(37 / 60, 6);
  });

  it('keeps pooled order among equal scores', () => {
    // Both pooled pairs score 0.5; the negative comes first in pool order -> hit at rank 2 -> (1/2)/1.
    const neg = { scores: Float64Array.from([0.5]), labels: Uint8Array.from([0]), n: 1, C: 1 };
    const pos = { scores: Float64Array.from([0.5]), labels: Uint8Array.from([1]), n: 1, C: 1 };
    expect(gapAtK([neg, pos])).toBe(0.5);
    expect(gapAtK([pos, neg])).toBe(1);
  });

  it('is 0 without positives and ignores empty blocks', () => {
    const none = { scores: Float64Array.from([0.4, 0.2]), labels: new Uint8Array(2), n: 1, C: 2 };
    const empty = { scores: new Float64Array(0), labels: new Uint8Array(0), n: 0, C: 4 };
    expect(gapAtK([none, empty])).toBe(0);
    expect(gapAtK([])).toBe(0);
  });
});
