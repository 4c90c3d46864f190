/**
 * Shared ranking primitives for the evaluation metrics.
 *
 * Rank order used by every metric in src/eval: higher score first; equal scores go to the lower index first
 * (class index within a row, example index within a column). NaN ranks below every number, so a diverged
 * model cannot claim hits through NaN comparisons that are always false. A fixed total order keeps metrics
 * reproducible across runs and platforms, which sklearn-style tie averaging would not buy us here.
 */

export type ScoreArray = Float32Array | Float64Array;

/** One n x C row-major block of scores with its 0/1 labels (nonzero = positive). */
export interface ScoreBlock {
  scores: ScoreArray;
  labels: Uint8Array;
  n: number;
  C: number;
}

/** True when (sa, ia) ranks strictly ahead of (sb, ib) in the order documented above. */
export function outranks(sa: number, ia: number, sb: number, ib: number): boolean {
  const aNaN = Number.isNaN(sa);
  const bNaN = Number.isNaN(sb);
  if (aNaN || bNaN) return aNaN && bNaN ? ia < ib : bNaN;
  return sa > sb || (sa === sb && ia < ib);
}

export function checkBlock(scores: ScoreArray, labels: Uint8Array, n: number, C: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(C) || C < 1) throw new RangeError(`C must be a positive integer, got ${C}`);
  if (scores.length < n * C) throw new RangeError(`scores has ${scores.length} entries, need n*C = ${n * C}`);
  if (labels.length < n * C) throw new RangeError(`labels has ${labels.length} entries, need n*C = ${n * C}`);
}

export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
}

/**
 * Class indices (0..C-1) of the min(k, C) best entries of scores[offset .. offset+C), best first.
 *
 * A bounded heap keeps the current worst of the kept entries at its root, so the cost is O(C log k) rather
 * than a full O(C log C) sort — k = 10 or 20 against thousands of YouTube-8M classes.
 */
export function topKIndices(scores: ScoreArray, offset: number, C: number, k: number): Int32Array {
  checkK(k);
  const m = Math.min(k, C);
  const heap = new Int32Array(m);
  // "worse(a, b)": a should sit nearer the root of the worst-at-root heap than b.
  const worse = (a: number, b: number): boolean =>
    outranks(scores[offset + b] as number, b, scores[offset + a] as number, a);

  const siftDown = (start: number, size: number): void => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) return;
      const r = l + 1;
      let w = l;
      if (r < size && worse(heap[r] as number, heap[l] as number)) w = r;
      if (!worse(heap[w] as number, heap[i] as number)) return;
      const t = heap[i] as number;
      heap[i] = heap[w] as number;
      heap[w] = t;
      i = w;
    }
  };

  for (let c = 0; c < m; c++) heap[c] = c;
  for (let i = (m >> 1) - 1; i >= 0; i--) siftDown(i, m);
  // Most entries score below the worst one kept: one comparison with its score skips them (a NaN on either side
  // compares false and takes the full test).
  let floor = scores[offset + (heap[0] as number)] as number;
  for (let c = m; c < C; c++) {
    if ((scores[offset + c] as number) < floor) continue;
    if (worse(heap[0] as number, c)) {
      heap[0] = c;
      siftDown(0, m);
      floor = scores[offset + (heap[0] as number)] as number;
    }
  }
  // Heap-sort in place: popping the worst to the tail leaves the array best-first.
  for (let end = m - 1; end > 0; end--) {
    const t = heap[0] as number;
    heap[0] = heap[end] as number;
    heap[end] = t;
    siftDown(0, end);
  }
  return heap;
}
