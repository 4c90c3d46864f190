import { describe, expect, it } from 'vitest';
import { hitAt1, mapAtK, perClassMap } from '../../src/eval/average-precision.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('mapAtK', () => {
  // method.md §5 / taan_reference.py section 5.
  const logits = [
    [2.0, 1.5, 1.2, 1.0, 0.8, 0.6, 0.4, 0.2, 0.0, -0.2, -0.4, -0.6],
    [0.1, 2.2, -1.0, 1.7, 0.3, -0.5, 0.9, -0.1, 0.5, 1.1, -2.0, 0.7],
    [3.0, 2.0, 1.0, 0.5, 0.0, -0.5, -1.0, -1.5, -2.0, -2.5, -3.0, -3.5],
  ];
  const labels = Uint8Array.from(
    [
      [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1],
      [0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
    ].flat(),
  );

  it('reproduces the method.md §5 example (3 x 12, k = 10)', () => {
    // Ex 1: hits at ranks 1, 3 (rank 12 is cut) -> (1/1 + 2/3) / 2 = 0.8333333333 (not /3 = 0.5556).
    // Ex 2: order 1,3,9,6,11,8,4,0,7,5 | 2,10 -> hits at ranks 2 and 6 -> (1/2 + 2/6) / 2 = 0.4166666667.
    // Ex 3: positives at ranks 11 and 12 -> no hit in the top 10 -> 0.  mAP = 1.25 / 3 = 0.4166666667.
    const expected = [0.8333333333, 0.4166666667, 0];
    const probs = Float64Array.from(logits.flat(), sigmoid);
    for (const scores of [probs, Float64Array.from(logits.flat()), Float32Array.from(probs)]) {
      const { map, perExample } = mapAtK(scores, labels, 3, 12);
      expected.forEach((ap, i) => expect(Math.abs((perExample[i] as number) - ap)).toBeLessThan(1e-9));
      expect(Math.abs(map - 0.4166666667)).toBeLessThan(1e-9);
    }
  });

  it('breaks score ties by the lower class index', () => {
    // All 4 scores equal -> ranking 0,1,2,3. k = 2 keeps classes 0, 1: the only positive (class 2) is cut -> 0.
    // Ex 2, same scores, positives 1 and 3: k = 2 -> hit at rank 2 only -> (1/2)/1 = 0.5.
    // Taking the higher index first would give ex 1 AP 1/2 and ex 2 AP 1, so both would change.
    const scores = new Float64Array(8).fill(0.3);
    const labels = Uint8Array.from([0, 0, 1, 0, 0, 1, 0, 1]);
    const { perExample, map } = mapAtK(scores, labels, 2, 4, 2);
    expect(Array.from(perExample)).toEqual([0, 0.5]);
    expect(map).toBe(0.25);
  });

  it('counts a hit at rank k and drops one at rank k + 1', () => {
    // Scores descend with the class index, so rank = class + 1; k = 3.
    // Ex 1 positives at ranks 1, 3, 4: rank 4 is cut -> (1/1 + 2/3) / 2 = 5/6 (with it: (1 + 2/3 + 3/4)/3).
    // Ex 2 only positive at rank 4 = k + 1 -> 0.
    // Ex 3 only positive at rank 3 = k -> (1/3) / 1 = 1/3.
    // mAP = (5/6 + 0 + 1/3) / 3 = 7/18.
    const row = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const scores = Float64Array.from([...row, ...row, ...row]);
    const labels = Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
    const { perExample, map } = mapAtK(scores, labels, 3, 6, 3);
    expect(perExample[0]).toBeCloseTo(5 / 6, 12);
    expect(perExample[1]).toBe(0);
    expect(perExample[2]).toBeCloseTo(1 / 3, 12);
    expect(map).toBeCloseTo(7 / 18, 12);
  });

  it('ranks all classes when k > C', () => {
    // Order 1 (0.9), 2 (0.5), 0 (0.1); the positive class 0 sits at rank 3 <= C < k -> (1/3)/1.
    const { map } = mapAtK(Float64Array.from([0.1, 0.9, 0.5]), Uint8Array.from([1, 0, 0]), 1, 3, 10);
    expect(map).toBeCloseTo(1 / 3, 12);
  });

  it('returns NaN for n = 0', () => {
    const { map, perExample } = mapAtK(new Float32Array(0), new Uint8Array(0), 0, 5);
    expect(map).toBeNaN();
    expect(perExample.length).toBe(0);
  });

  it('rejects arrays shorter than n x C', () => {
    expect(() => mapAtK(new Float32Array(5), new Uint8Array(6), 2, 3)).toThrow(RangeError);
  });
});

describe('perClassMap', () => {
  it('averages AP over classes with positives only, ties by lower example index', () => {
    // rows = examples e0..e3, columns = classes 0..2.
    // Class 0 scores .9 .8 .3 .1 -> order e0 e1 e2 e3, positives e1 (rank 2), e2 (rank 3): (1/2 + 2/3)/2 = 7/12.
    // Class 1 scores .2 .7 .6 .6 -> order e1 e2 e3 e0 (e2 before e3 on the tie), positives e2 (rank 2),
    //   e0 (rank 4): (1/2 + 2/4)/2 = 1/2 (with e3 first it would be (1/3 + 2/4)/2 = 5/12).
    // Class 2 has no positive -> NaN, excluded.  mAP = (7/12 + 1/2) / 2 = 13/24.
    const scores = Float64Array.from([0.9, 0.2, 0.5, 0.8, 0.7, 0.1, 0.3, 0.6, 0.4, 0.1, 0.6, 0.9]);
    const labels = Uint8Array.from([0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0]);
    const { map, perClass, classesWithPositives } = perClassMap(scores, labels, 4, 3);
    expect(perClass[0]).toBeCloseTo(7 / 12, 12);
    expect(perClass[1]).toBeCloseTo(1 / 2, 12);
    expect(perClass[2]).toBeNaN();
    expect(classesWithPositives).toBe(2);
    expect(map).toBeCloseTo(13 / 24, 12);
  });

  it('is NaN when no class has a positive', () => {
    const r = perClassMap(new Float64Array(4), new Uint8Array(4), 2, 2);
    expect(r.map).toBeNaN();
    expect(r.classesWithPositives).toBe(0);
  });
});

describe('hitAt1', () => {
  it('is the fraction of examples whose top class is positive', () => {
    // e0: top class 1 (0.9), positive -> hit.  e1: classes 0 and 1 tie at 0.5, class 0 wins, negative -> miss.
    // e2: top class 2 (0.7), negative -> miss.  Hit@1 = 1/3.
    const scores = Float32Array.from([0.1, 0.9, 0.3, 0.5, 0.5, 0.2, 0.2, 0.1, 0.7]);
    const labels = Uint8Array.from([0, 1, 0, 0, 1, 0, 1, 1, 0]);
    expect(hitAt1(scores, labels, 3, 3)).toBeCloseTo(1 / 3, 12);
  });

  it('is NaN for n = 0', () => {
    expect(hitAt1(new Float64Array(0), new Uint8Array(0), 0, 3)).toBeNaN();
  });
});

describe('randomized against full-sort references', () => {
  /** Deterministic LCG so a failure is reproducible from the seed. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }
  /** Indices best-first by full sort: descending score, lower index on ties. */
  const fullOrder = (len: number, at: (i: number) => number): number[] =>
    Array.from({ length: len }, (_, i) => i).sort((a, b) => at(b) - at(a) || a - b);
  const apOver = (order: number[], isPos: (i: number) => boolean, denom: number): number => {
    let hits = 0;
    let acc = 0;
    order.forEach((i, r) => {
      if (isPos(i)) acc += ++hits / (r + 1);
    });
    return denom > 0 ? acc / denom : hits > 0 ? acc / hits : 0;
  };

  it('mapAtK and perClassMap agree with naive sorting on tied scores', () => {
    const rand = rng(777);
    for (let trial = 0; trial < 100; trial++) {
      const n = 1 + Math.floor(rand() * 40);
      const C = 1 + Math.floor(rand() * 30);
      const k = 1 + Math.floor(rand() * 12);
      // 8 score levels force ties in both directions (within a row and within a column).
      const scores = Float64Array.from({ length: n * C }, () => Math.floor(rand() * 8) / 8);
      const labels = Uint8Array.from({ length: n * C }, () => (rand() < 0.2 ? 1 : 0));

      const { perExample } = mapAtK(scores, labels, n, C, k);
      for (let e = 0; e < n; e++) {
        const top = fullOrder(C, (c) => scores[e * C + c] as number).slice(0, k);
        expect(perExample[e]).toBeCloseTo(apOver(top, (c) => labels[e * C + c] === 1, 0), 12);
      }

      const { perClass } = perClassMap(scores, labels, n, C);
      for (let c = 0; c < C; c++) {
        let P = 0;
        for (let e = 0; e < n; e++) P += labels[e * C + c] as number;
        const order = fullOrder(n, (e) => scores[e * C + c] as number);
        if (P === 0) expect(perClass[c]).toBeNaN();
        else expect(perClass[c]).toBeCloseTo(apOver(order, (e) => labels[e * C + c] === 1, P), 12);
      }
    }
  });
});
