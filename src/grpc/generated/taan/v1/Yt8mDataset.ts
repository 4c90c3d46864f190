// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface Yt8mDataset {
  /**
   * Paths or globs, under an allowed data root, or relative to dataset_id.
   */
  'train_files'?: (string)[];
  'valid_files'?: (string)[];
  'test_files'?: (string)[];
  'vocabulary_path'?: (string);
  /**
   * Vertical1 names used as tasks; empty = the paper's 16.
   */
  'verticals'?: (string)[];
  /**
   * Without valid/test files: the train files' videos are split by a hash of their ids (md5, see the README), the
   * same for every method and training seed and unmoved when shards are added (defaults 0.1 and 0.1: 80/10/10).
   */
  'valid_fraction'?: (number | string);
  'test_fraction'?: (number | string);
  /**
   * Salts the id hash (0: the id alone); a different split of the same videos.
   */
  'split_seed'?: (number | string | Long);
  /**
   * Names an uploaded dataset; the paths above are then relative to it.
   */
  'dataset_id'?: (string);
  '_valid_fraction'?: "valid_fraction";
  '_test_fraction'?: "test_fraction";
}

export interface Yt8mDataset__Output {
  /**
   * Paths or globs, under an allowed data root, or relative to dataset_id.
   */
  'train_files': (string)[];
  'valid_files': (string)[];
  'test_files': (string)[];
  'vocabulary_path': (string);
  /**
   * Vertical1 names used as tasks; empty = the paper's 16.
   */
  'verticals': (string)[];
  /**
   * Without valid/test files: the train files' videos are split by a hash of their ids (md5, see the README), the
   * same for every method and training seed and unmoved when shards are added (defaults 0.1 and 0.1: 80/10/10).
   */
  'valid_fraction'?: (number);
  'test_fraction'?: (number);
  /**
   * Salts the id hash (0: the id alone); a different split of the same videos.
   */
  'split_seed': (number);
  /**
   * Names an uploaded dataset; the paths above are then relative to it.
   */
  'dataset_id': (string);
  '_valid_fraction'?: "valid_fraction";
  '_test_fraction'?: "test_fraction";
}
