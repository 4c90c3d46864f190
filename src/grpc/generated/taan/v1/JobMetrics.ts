// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface JobMetrics {
  'test_map_at_10'?: ({[key: string]: number | string});
  'mean_test_map_at_10'?: (number | string);
  /**
   * Task-restricted GAP@20: each test example ranks only its own tasks' classes (oracle task membership, as every
   * metric here), so it is not the YouTube-8M leaderboard GAP, which ranks the whole vocabulary.
   */
  'gap_at_20'?: (number | string);
  /**
   * Mean over tasks of per-class mAP.
   */
  'per_class_map'?: (number | string);
  'loss'?: (number | string);
  'per_class_map_by_task'?: ({[key: string]: number | string});
  'hit_at_1'?: ({[key: string]: number | string});
  /**
   * Trainable parameters of the model, so that budgets can be matched across architectures.
   */
  'parameter_count'?: (number | string | Long);
}

export interface JobMetrics__Output {
  'test_map_at_10': ({[key: string]: number});
  'mean_test_map_at_10': (number);
  /**
   * Task-restricted GAP@20: each test example ranks only its own tasks' classes (oracle task membership, as every
   * metric here), so it is not the YouTube-8M leaderboard GAP, which ranks the whole vocabulary.
   */
  'gap_at_20': (number);
  /**
   * Mean over tasks of per-class mAP.
   */
  'per_class_map': (number);
  'loss': (number);
  'per_class_map_by_task': ({[key: string]: number});
  'hit_at_1': ({[key: string]: number});
  /**
   * Trainable parameters of the model, so that budgets can be matched across architectures.
   */
  'parameter_count': (number);
}
