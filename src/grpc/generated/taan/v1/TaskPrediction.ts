// Original file: proto/taan/v1/taan.proto

import type { ClassScore as _taan_v1_ClassScore, ClassScore__Output as _taan_v1_ClassScore__Output } from '../../taan/v1/ClassScore.js';

export interface TaskPrediction {
  'task'?: (string);
  /**
   * Sorted by score, highest first.
   */
  'classes'?: (_taan_v1_ClassScore)[];
}

export interface TaskPrediction__Output {
  'task': (string);
  /**
   * Sorted by score, highest first.
   */
  'classes': (_taan_v1_ClassScore__Output)[];
}
