// Original file: proto/taan/v1/taan.proto

import type { ModelSpec as _taan_v1_ModelSpec, ModelSpec__Output as _taan_v1_ModelSpec__Output } from '../../taan/v1/ModelSpec.js';

export interface GetActivationMetricsRequest {
  'model'?: (_taan_v1_ModelSpec | null);
  /**
   * Points of the curve grid (default 101, at most 2001).
   */
  'grid_points'?: (number);
}

export interface GetActivationMetricsRequest__Output {
  'model': (_taan_v1_ModelSpec__Output | null);
  /**
   * Points of the curve grid (default 101, at most 2001).
   */
  'grid_points': (number);
}
