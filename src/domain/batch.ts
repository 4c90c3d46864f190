/** One training step's rows: every task's mini-batch, grouped by task in task order. */
export interface TaskBatch {
  /** sum(counts) x inputDim, row-major. */
  x: Float32Array;
  /** Per task: counts[t] x classes_t labels as 0/1 floats. */
  y: Float32Array[];
  /** Rows per task. */
  counts: number[];
}
