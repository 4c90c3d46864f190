/**
 * A sweep's plan: the grid of its axes, a seeded sample of it, and each child's training request. Deterministic:
 * the same spec gives the same children in the same order, so a driver that restarts re-derives them, and a child's
 * submission id (sweep id + index) makes re-creating it return the job that already exists.
 */
import { MAX_SWEEP_CHILDREN, SWEEP_AXES, type SweepAxes, type SweepPoint, type SweepSpec } from '../domain/sweep.js';
import { validateTrainRequest, type TrainRequest } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../util/rng.js';

/** The axes with at least one value, in grid order. */
export function variedAxes(axes: SweepAxes): Array<(typeof SWEEP_AXES)[number]> {
  return SWEEP_AXES.filter(({ axis }) => (axes[axis]?.length ?? 0) > 0);
}

/** Number of points of the full grid. */
export function gridSize(axes: SweepAxes): number {
  return variedAxes(axes).reduce((n, { axis }) => n * axes[axis]!.length, 1);
}

/** Every combination, the first axis varying slowest. No axes: one point (the base request itself). */
export function expandGrid(axes: SweepAxes): SweepPoint[] {
  let points: SweepPoint[] = [{}];
  for (const { axis } of variedAxes(axes)) {
    const values = axes[axis]! as Array<SweepPoint[typeof axis]>;
    points = points.flatMap((p) => values.map((v) => ({ ...p, [axis]: v })));
  }
  return points;
}

/** `count` distinct points drawn without replacement (partial Fisher-Yates), kept in grid order; 0 = all. */
export function samplePoints(points: SweepPoint[], count: number, seed: number): SweepPoint[] {
  if (count === 0 || count >= points.length) return points;
  const rng = new Rng(seed, 0x5eeb);
  const order = points.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, count).sort((a, b) => a - b).map((i) => points[i]!);
}

/** The points a spec's children train, in child-index order. */
export function planPoints(spec: SweepSpec): SweepPoint[] {
  return samplePoints(expandGrid(spec.axes), spec.sampleCount, spec.sampleSeed);
}

/** A child's submission id: the same for every driver that derives it, so its creation is idempotent. */
export function childSubmissionId(sweepId: string, index: number): string {
  return `${sweepId}/child-${index}`;
}

/** The base request with the point's values; labels are the sweep's to move, once, at its end. */
export function childRequest(spec: SweepSpec, point: SweepPoint, sweepId: string, index: number): TrainRequest {
  const r: TrainRequest = { ...spec.base, submissionId: childSubmissionId(sweepId, index), versionLabels: [] };
  if (point.architecture !== undefined) r.architecture = point.architecture;
  if (point.regularizer !== undefined) r.regularizer = point.regularizer;
  if (point.regCoefficient !== undefined) r.regCoefficient = point.regCoefficient;
  if (point.learningRate !== undefined) r.learningRate = point.learningRate;
  if (point.weightDecay !== undefined) r.weightDecay = point.weightDecay;
  if (point.hiddenSizes !== undefined) r.hiddenSizes = [...point.hiddenSizes];
  if (point.numBasis !== undefined) r.numBasis = point.numBasis;
  if (point.seed !== undefined) r.seed = point.seed;
  return r;
}

/** Axis name -> value as text ("hidden_sizes" -> "64x64"), for tables, grouping and the report. */
export function pointText(point: SweepPoint): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { axis, name } of SWEEP_AXES) {
    const v = point[axis];
    if (v === undefined) continue;
    out[name] = Array.isArray(v) ? v.join('x') : String(v);
  }
  return out;
}

/** Checks the grid's size and every child's request (all problems of the first bad child at once). */
export function validateSweepSpec(spec: SweepSpec): void {
  for (const { axis, name } of variedAxes(spec.axes)) {
    const texts = (spec.axes[axis]! as unknown[]).map((v) => JSON.stringify(v));
    if (new Set(texts).size !== texts.length) throw InvalidArgumentError.field(`axes.${name}`, 'has a value twice');
  }
  const size = gridSize(spec.axes);
  if (size > MAX_SWEEP_CHILDREN && !(spec.sampleCount > 0 && spec.sampleCount <= MAX_SWEEP_CHILDREN)) {
    throw InvalidArgumentError.field('axes', `the grid has ${size} points; at most ${MAX_SWEEP_CHILDREN} (or set sample_count)`);
  }
  if (!Number.isInteger(spec.sampleCount) || spec.sampleCount < 0) throw InvalidArgumentError.field('sample_count', 'must be >= 0');
  if (spec.sampleCount > size) throw InvalidArgumentError.field('sample_count', `must be at most the grid's ${size} points`);
  // Children differ only in the axes' values: checking each distinct value once (on the base) covers them all.
  for (const { axis, name } of variedAxes(spec.axes)) {
    for (const v of spec.axes[axis]! as Array<SweepPoint[typeof axis]>) {
      try {
        validateTrainRequest(childRequest(spec, { [axis]: v }, 'check', 0));
      } catch (err) {
        if (err instanceof InvalidArgumentError) throw InvalidArgumentError.field(`axes.${name}`, `value ${JSON.stringify(v)}: ${err.message}`);
        throw err;
      }
    }
  }
}
