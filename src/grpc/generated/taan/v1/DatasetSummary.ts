// Original file: proto/taan/v1/taan.proto

import type { TaskSummary as _taan_v1_TaskSummary, TaskSummary__Output as _taan_v1_TaskSummary__Output } from '../../taan/v1/TaskSummary.js';

export interface DatasetSummary {
  'name'?: (string);
  'tasks'?: (_taan_v1_TaskSummary)[];
}

export interface DatasetSummary__Output {
  'name': (string);
  'tasks': (_taan_v1_TaskSummary__Output)[];
}
