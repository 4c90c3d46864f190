/**
 * Task-restricted GAP@k: the global average precision of YouTube-8M's evaluation (method.md §5), computed over each
 * example's top-k classes *within its tasks' classes only*. Evaluation here uses oracle task membership (an example is
 * scored by the tasks it has a label of, as the paper does), so this is not the leaderboard GAP, which ranks all
 * classes of the vocabulary for every video; the two are not comparable.
 */
import { checkBlock, checkK, outranks, topKIndices, type ScoreBlock } from './ranking.js';

/**
 * Keeps each example's top-k classes within its own block (a block is one task's n x C matrix), pools the
 * kept (score, label) pairs of all blocks and computes AP over that single pooled ranking. Equal scores keep
 * their pooled order (block, then example, then within-example rank), as the stable sort of the official
 * Python implementation does. The denominator is every positive in the labels, including those cut by the
 * top-k, so GAP — unlike the paper's mAP@k — penalises positives the model failed to surface. 0 when there
 * are no positives at all.
 */
export function gapAtK(blocks: ScoreBlock[], k = 20): number {
  checkK(k);
  let pooledSize = 0;
  let totalPositives = 0;
  for (const { scores, labels, n, C } of blocks) {
    checkBlock(scores, labels, n, C);
    pooledSize += n * Math.min(k, C);
    for (let i = 0; i < n * C; i++) if (labels[i] !== 0) totalPositives++;
  }
  if (totalPositives === 0) return 0;

  const pooledScores = new Float64Array(pooledSize);
  const pooledLabels = new Uint8Array(pooledSize);
  let p = 0;
  for (const { scores, labels, n, C } of blocks) {
    for (let e = 0; e < n; e++) {
      const offset = e * C;
      for (const c of topKIndices(scores, offset, C, k)) {
        pooledScores[p] = scores[offset + c] as number;
        pooledLabels[p] = labels[offset + c] !== 0 ? 1 : 0;
        p++;
      }
    }
  }

  const order = new Uint32Array(pooledSize);
  for (let i = 0; i < pooledSize; i++) order[i] = i;
  order.sort((a, b) => {
    if (a === b) return 0;
    return outranks(pooledScores[a] as number, a, pooledScores[b] as number, b) ? -1 : 1;
  });

  let hits = 0;
  let acc = 0;
  for (let r = 0; r < pooledSize; r++) {
    if (pooledLabels[order[r] as number] === 1) {
      hits++;
      acc += hits / (r + 1);
    }
  }
  return acc / totalPositives;
}
