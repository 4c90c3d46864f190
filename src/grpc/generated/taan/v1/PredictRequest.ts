// Original file: proto/taan/v1/taan.proto

import type { ModelSpec as _taan_v1_ModelSpec, ModelSpec__Output as _taan_v1_ModelSpec__Output } from '../../taan/v1/ModelSpec.js';
import type { Example as _taan_v1_Example, Example__Output as _taan_v1_Example__Output } from '../../taan/v1/Example.js';

export interface PredictRequest {
  'model'?: (_taan_v1_ModelSpec | null);
  'examples'?: (_taan_v1_Example)[];
  /**
   * Alternative to examples: num_examples rows of little-endian float32, packed.
   */
  'features_f32'?: (Buffer | Uint8Array | string);
  'num_examples'?: (number);
  /**
   * Task names; empty = all.
   */
  'tasks'?: (string)[];
  /**
   * Default 10; at most the task's classes are returned.
   */
  'top_k'?: (number);
  /**
   * Only classes scoring at least this.
   */
  'threshold'?: (number | string);
  '_threshold'?: "threshold";
}

export interface PredictRequest__Output {
  'model': (_taan_v1_ModelSpec__Output | null);
  'examples': (_taan_v1_Example__Output)[];
  /**
   * Alternative to examples: num_examples rows of little-endian float32, packed.
   */
  'features_f32': (Buffer);
  'num_examples': (number);
  /**
   * Task names; empty = all.
   */
  'tasks': (string)[];
  /**
   * Default 10; at most the task's classes are returned.
   */
  'top_k': (number);
  /**
   * Only classes scoring at least this.
   */
  'threshold'?: (number);
  '_threshold'?: "threshold";
}
