/**
 * Per-example and per-class average precision (method.md §5). Rank order and tie-breaking: see ranking.ts.
 */
import { checkBlock, checkK, outranks, topKIndices, type ScoreArray } from './ranking.js';

/**
 * The paper's mAP@k (the authors' Trainer.py compute_mAP): AP of each example over its own top-k classes,
 * normalised by the hits inside the top k — not by all of its positives, so a positive ranked past k costs
 * nothing unless it leaves the top k empty of hits, in which case the example scores 0.
 */
export function mapAtK(
  scores: ScoreArray,
  labels: Uint8Array,
  n: number,
  C: number,
  k = 10,
): { map: number; perExample: Float64Array } {
  checkBlock(scores, labels, n, C);
  checkK(k);
  const perExample = new Float64Array(n);
  let sum = 0;
  for (let e = 0; e < n; e++) {
    const offset = e * C;
    const top = topKIndices(scores, offset, C, k);
    let hits = 0;
    let acc = 0;
    for (let r = 0; r < top.length; r++) {
      if (labels[offset + (top[r] as number)] !== 0) {
        hits++;
        acc += hits / (r + 1);
      }
    }
    const ap = hits > 0 ? acc / hits : 0;
    perExample[e] = ap;
    sum += ap;
  }
  return { map: n > 0 ? sum / n : NaN, perExample };
}

/**
 * Mean over classes with at least one positive of the non-interpolated AP of ranking all n examples by that
 * class's score. Classes without positives have undefined AP (NaN) and are left out of the mean rather than
 * counted as 0 or 1, which would reward or punish the model for the label distribution.
 */
export function perClassMap(
  scores: ScoreArray,
  labels: Uint8Array,
  n: number,
  C: number,
): { map: number; perClass: Float64Array; classesWithPositives: number } {
  checkBlock(scores, labels, n, C);
  const perClass = new Float64Array(C).fill(NaN);
  const positives = new Uint32Array(n);
  const negativesAhead = new Uint32Array(n + 1);
  let sum = 0;
  let classesWithPositives = 0;
  for (let c = 0; c < C; c++) {
    const ap = classAp(scores, labels, n, C, c, positives, negativesAhead);
    if (Number.isNaN(ap)) continue;
    perClass[c] = ap;
    sum += ap;
    classesWithPositives++;
  }
  return { map: classesWithPositives > 0 ? sum / classesWithPositives : NaN, perClass, classesWithPositives };
}

/**
 * AP of class c over the n examples, NaN without positives. Only the overall rank of each positive matters,
 * so instead of sorting all n examples it sorts the P positives and binary-searches each negative into them:
 * O(n log P) per class, and P is tiny next to n for most YouTube-8M classes.
 * `positives` and `negativesAhead` are caller-owned scratch buffers of length n and n + 1.
 */
function classAp(
  scores: ScoreArray,
  labels: Uint8Array,
  n: number,
  C: number,
  c: number,
  positives: Uint32Array,
  negativesAhead: Uint32Array,
): number {
  const score = (e: number): number => scores[e * C + c] as number;
  let P = 0;
  for (let e = 0; e < n; e++) if (labels[e * C + c] !== 0) positives[P++] = e;
  if (P === 0) return NaN;
  const pos = positives.subarray(0, P);
  pos.sort((a, b) => (a === b ? 0 : outranks(score(a), a, score(b), b) ? -1 : 1));

  negativesAhead.fill(0, 0, P + 1);
  for (let e = 0; e < n; e++) {
    if (labels[e * C + c] !== 0) continue;
    // First q whose positive this negative outranks; the predicate is monotone along the best-first order.
    let lo = 0;
    let hi = P;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const q = pos[mid] as number;
      if (outranks(score(e), e, score(q), q)) hi = mid;
      else lo = mid + 1;
    }
    negativesAhead[lo] = (negativesAhead[lo] as number) + 1;
  }

  let ahead = 0;
  let acc = 0;
  for (let j = 0; j < P; j++) {
    ahead += negativesAhead[j] as number;
    acc += (j + 1) / (j + 1 + ahead);
  }
  return acc / P;
}

/** Fraction of examples whose top-ranked class is a positive; NaN when n = 0. */
export function hitAt1(scores: ScoreArray, labels: Uint8Array, n: number, C: number): number {
  checkBlock(scores, labels, n, C);
  let hits = 0;
  for (let e = 0; e < n; e++) {
    const best = topKIndices(scores, e * C, C, 1)[0] as number;
    if (labels[e * C + best] !== 0) hits++;
  }
  return n > 0 ? hits / n : NaN;
}
