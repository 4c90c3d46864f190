// Original file: proto/taan/v1/taan.proto

import type { ModelSpec as _taan_v1_ModelSpec, ModelSpec__Output as _taan_v1_ModelSpec__Output } from '../../taan/v1/ModelSpec.js';
import type { ExampleResult as _taan_v1_ExampleResult, ExampleResult__Output as _taan_v1_ExampleResult__Output } from '../../taan/v1/ExampleResult.js';

export interface PredictResponse {
  /**
   * The effective version.
   */
  'model'?: (_taan_v1_ModelSpec | null);
  'results'?: (_taan_v1_ExampleResult)[];
}

export interface PredictResponse__Output {
  /**
   * The effective version.
   */
  'model': (_taan_v1_ModelSpec__Output | null);
  'results': (_taan_v1_ExampleResult__Output)[];
}
