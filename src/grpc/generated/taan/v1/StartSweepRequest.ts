// Original file: proto/taan/v1/taan.proto

import type { TrainJobRequest as _taan_v1_TrainJobRequest, TrainJobRequest__Output as _taan_v1_TrainJobRequest__Output } from '../../taan/v1/TrainJobRequest.js';
import type { SweepAxes as _taan_v1_SweepAxes, SweepAxes__Output as _taan_v1_SweepAxes__Output } from '../../taan/v1/SweepAxes.js';
import type { SweepObjective as _taan_v1_SweepObjective, SweepObjective__Output as _taan_v1_SweepObjective__Output } from '../../taan/v1/SweepObjective.js';
import type { Long } from '@grpc/proto-loader';

export interface StartSweepRequest {
  'submission_id'?: (string);
  /**
   * Every child's request, before the axes' values are applied (its submission_id and version_labels are ignored).
   */
  'base'?: (_taan_v1_TrainJobRequest | null);
  'axes'?: (_taan_v1_SweepAxes | null);
  /**
   * 0 = the whole grid; otherwise this many distinct points drawn from it with sample_seed.
   */
  'sample_count'?: (number);
  'sample_seed'?: (number | string | Long);
  'objective'?: (_taan_v1_SweepObjective);
  /**
   * The label moved to the best child's model version when the sweep ends; default "best".
   */
  'best_label'?: (string);
}

export interface StartSweepRequest__Output {
  'submission_id': (string);
  /**
   * Every child's request, before the axes' values are applied (its submission_id and version_labels are ignored).
   */
  'base': (_taan_v1_TrainJobRequest__Output | null);
  'axes': (_taan_v1_SweepAxes__Output | null);
  /**
   * 0 = the whole grid; otherwise this many distinct points drawn from it with sample_seed.
   */
  'sample_count': (number);
  'sample_seed': (number);
  'objective': (_taan_v1_SweepObjective__Output);
  /**
   * The label moved to the best child's model version when the sweep ends; default "best".
   */
  'best_label': (string);
}
