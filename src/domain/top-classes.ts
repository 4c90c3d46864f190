/**
 * One task's best classes for each row of a Predict batch: what a worker answers and the service encodes. With
 * all scores asked for (PredictCall.allScores), `scores` is rows x C, every class in class order, and `indices` and
 * `counts` are empty.
 */
export interface TaskTopClasses {
  /** Task index in the model. */
  task: number;
  /** Row i has counts[i] classes at [i * k, i * k + counts[i]), best first; k = indices.length / rows. */
  indices: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
}
