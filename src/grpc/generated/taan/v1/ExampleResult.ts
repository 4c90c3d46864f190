// Original file: proto/taan/v1/taan.proto

import type { TaskPrediction as _taan_v1_TaskPrediction, TaskPrediction__Output as _taan_v1_TaskPrediction__Output } from '../../taan/v1/TaskPrediction.js';

export interface ExampleResult {
  'id'?: (string);
  'tasks'?: (_taan_v1_TaskPrediction)[];
}

export interface ExampleResult__Output {
  'id': (string);
  'tasks': (_taan_v1_TaskPrediction__Output)[];
}
