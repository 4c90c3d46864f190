/**
 * The task-relationship view of a trained TAAN (GetActivationMetrics): per layer the measure, hinges, alpha, the
 * distance and cosine matrices and each task's activation curve on a grid, plus a task order from hierarchical
 * clustering of the layers' distances (each layer scaled by its largest distance so that no layer dominates).
 */
import { activationCurves } from './activation.js';
import { taskMatrices } from './task-matrices.js';
import { clusterOrder } from './task-order.js';

export interface LayerInput {
  alpha: ArrayLike<number>;
  hinges: ArrayLike<number>;
  mu: number;
  sigma: number;
}

export interface LayerReport {
  layer: number;
  mu: number;
  sigma: number;
  basisLocations: number[];
  alpha: number[];
  distance: number[];
  cosine: number[];
  curves: { x: number[]; y: number[] };
}

export type ActivationReport = ReturnType<typeof activationReport>;

export function activationReport(layers: LayerInput[], T: number, gridPoints: number): { layers: LayerReport[]; taskOrder: number[] } {
  const combined = new Float64Array(T * T);
  const reports = layers.map((l, i) => {
    const M = l.hinges.length;
    const m = { mu: l.mu, sigma: l.sigma };
    const { C, D } = taskMatrices(l.alpha, T, M, l.hinges, m);
    const maxD = Math.max(...D);
    if (maxD > 0) for (let k = 0; k < D.length; k++) combined[k] = (combined[k] as number) + (D[k] as number) / maxD;
    // The grid covers the measure's bulk (mu +- 4 sigma) and every hinge.
    const lo = Math.min(l.mu - 4 * l.sigma, ...Array.from(l.hinges));
    const hi = Math.max(l.mu + 4 * l.sigma, ...Array.from(l.hinges));
    const x = Array.from({ length: gridPoints }, (_, g) => lo + ((hi - lo) * g) / Math.max(1, gridPoints - 1));
    return {
      layer: i,
      mu: l.mu,
      sigma: l.sigma,
      basisLocations: Array.from(l.hinges),
      alpha: Array.from(l.alpha),
      distance: Array.from(D),
      cosine: Array.from(C),
      curves: { x, y: Array.from(activationCurves(l.alpha, T, M, l.hinges, x)) },
    };
  });
  return { layers: reports, taskOrder: clusterOrder(combined, T) };
}
