/** Proto <-> domain for sweeps (StartSweep in, Sweep out); the base request goes through the TrainJob mappers. */
import { ARCHITECTURES, REGULARIZERS, type Architecture, type Regularizer } from '../domain/model-spec.js';
import type { SweepAxes } from '../domain/sweep.js';
import { InvalidArgumentError } from '../errors/errors.js';
import type { StartSweep } from '../jobs/sweep-service.js';
import type { SweepView } from '../jobs/sweep-view.js';
import type { StartSweepRequest__Output } from './generated/taan/v1/StartSweepRequest.js';
import type { Sweep } from './generated/taan/v1/Sweep.js';
import type { SweepAxes as SweepAxesProto } from './generated/taan/v1/SweepAxes.js';
import { timestamp, trainRequestFromProto, trainRequestToProto } from './mappers.js';

export function startSweepFromProto(m: StartSweepRequest__Output): StartSweep {
  if (!m.base) throw InvalidArgumentError.field('base', 'is required: the request every child starts from');
  if (m.objective !== 'SWEEP_OBJECTIVE_UNSPECIFIED' && m.objective !== 'VALID_MEAN_MAP_AT_10') {
    throw InvalidArgumentError.field('objective', 'must be VALID_MEAN_MAP_AT_10 (validation only)');
  }
  if (!Number.isInteger(m.sample_count) || m.sample_count < 0) throw InvalidArgumentError.field('sample_count', 'must be >= 0');
  const a = m.axes;
  const axes: SweepAxes = {};
  if (a) {
    axes.architecture = a.architecture.map((v, i) => {
      const arch = v === 'ARCHITECTURE_UNSPECIFIED' ? 'TAAN' : v;
      if (!ARCHITECTURES.includes(arch as Architecture)) throw InvalidArgumentError.field(`axes.architecture[${i}]`, `unknown architecture ${String(v)}`);
      return arch as Architecture;
    });
    axes.regularizer = a.regularizer.map((v, i) => {
      const reg = v === 'REGULARIZER_UNSPECIFIED' ? 'NONE' : v;
      if (!REGULARIZERS.includes(reg as Regularizer)) throw InvalidArgumentError.field(`axes.regularizer[${i}]`, `unknown regularizer ${String(v)}`);
      return reg as Regularizer;
    });
    axes.regCoefficient = a.reg_coefficient;
    axes.learningRate = a.learning_rate;
    axes.weightDecay = a.weight_decay;
    axes.hiddenSizes = a.hidden_sizes.map((h, i) => {
      if (!h.sizes.length) throw InvalidArgumentError.field(`axes.hidden_sizes[${i}]`, 'needs at least one layer size');
      return h.sizes;
    });
    axes.numBasis = a.num_basis;
    axes.seed = a.seed;
  }
  return {
    submissionId: m.submission_id,
    base: trainRequestFromProto(m.base),
    axes,
    sampleCount: m.sample_count,
    sampleSeed: m.sample_seed,
    bestLabel: m.best_label,
  };
}

function axesToProto(a: SweepAxes): SweepAxesProto {
  return {
    architecture: a.architecture ?? [],
    regularizer: a.regularizer ?? [],
    reg_coefficient: a.regCoefficient ?? [],
    learning_rate: a.learningRate ?? [],
    weight_decay: a.weightDecay ?? [],
    hidden_sizes: (a.hiddenSizes ?? []).map((sizes) => ({ sizes })),
    num_basis: a.numBasis ?? [],
    seed: a.seed ?? [],
  };
}

export function sweepToProto(v: SweepView): Sweep {
  const s = v.sweep;
  return {
    sweep_id: s.sweepId,
    submission_id: s.submissionId,
    model_name: s.modelName,
    state: s.state,
    create_time: timestamp(s.createTime),
    end_time: timestamp(s.endTime),
    request: {
      submission_id: s.submissionId,
      base: trainRequestToProto(s.spec.base),
      axes: axesToProto(s.spec.axes),
      sample_count: s.spec.sampleCount,
      sample_seed: s.spec.sampleSeed,
      objective: s.spec.objective,
      best_label: s.spec.bestLabel,
    },
    children: v.children.map((c) => ({
      index: c.index,
      config: c.config,
      job_id: c.jobId,
      state: c.state,
      ...(c.validObjective !== null ? { valid_objective: c.validObjective } : {}),
      ...(c.testMapAt10 !== null ? { test_map_at_10: c.testMapAt10 } : {}),
      seconds: c.seconds,
      model_version: c.modelVersion,
      runner: c.runner,
    })),
    groups: v.groups.map((g) => ({
      config: g.config,
      seeds: g.seeds,
      mean: g.mean,
      ci_low: g.low,
      ci_high: g.high,
      mean_test_map_at_10: g.meanTestMapAt10,
    })),
    axes: v.axes,
    best_job_id: s.best?.jobId ?? '',
    best_model_version: s.labelled ? (s.best?.modelVersion ?? 0) : 0,
    message: s.message,
  };
}
