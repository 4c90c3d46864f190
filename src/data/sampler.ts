/**
 * The authors' sampling: every step takes one mini-batch from every task. An epoch is as many steps as the
 * largest task needs to be seen once; smaller tasks cycle through their own shuffled order. Each epoch's order
 * is a pure function of (seed, epoch), so a job resumed from a checkpoint replays exactly the same batches.
 */
import { Rng } from '../util/rng.js';
import type { TaskBatch } from '../domain/batch.js';
import type { Split } from './dataset.js';

export class EpochSampler {
  readonly stepsPerEpoch: number;
  readonly counts: number[];
  private readonly orders: Int32Array[];

  constructor(
    private readonly split: Split,
    private readonly inputDim: number,
    private readonly classes: number[],
    batchSizePerTask: number,
    seed: number,
    epoch: number,
  ) {
    const sizes = split.tasks.map((t) => t.rows.length);
    this.counts = sizes.map((n) => Math.min(n, batchSizePerTask));
    this.stepsPerEpoch = Math.max(1, ...sizes.map((n) => Math.ceil(n / batchSizePerTask)));
    const rng = new Rng(seed, 0x5a17 + epoch);
    this.orders = sizes.map((n) => {
      const o = new Int32Array(n);
      for (let i = 0; i < n; i++) o[i] = i;
      return rng.shuffle(o);
    });
  }

  /** Batch `step` (0-based within the epoch). */
  batch(step: number): TaskBatch {
    const D = this.inputDim;
    const total = this.counts.reduce((a, b) => a + b, 0);
    const x = new Float32Array(total * D);
    const y: Float32Array[] = [];
    let r = 0;
    this.split.tasks.forEach((task, t) => {
      const count = this.counts[t] ?? 0;
      const order = this.orders[t] as Int32Array;
      const C = this.classes[t] ?? 0;
      const yt = new Float32Array(count * C);
      for (let i = 0; i < count; i++, r++) {
        const local = order[(step * count + i) % order.length] as number;
        const row = task.rows[local] as number;
        x.set(this.split.x.subarray(row * D, row * D + D), r * D);
        for (let c = 0; c < C; c++) yt[i * C + c] = task.labels[local * C + c] as number;
      }
      y.push(yt);
    });
    return { x, y, counts: this.counts };
  }
}
