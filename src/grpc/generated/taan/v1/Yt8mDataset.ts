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
   * Without valid/test files: a seeded split of the train videos (defaults 0.1 and 0.2).
   */
  'valid_fraction'?: (number | string);
  'test_fraction'?: (number | string);
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
   * Without valid/test files: a seeded split of the train videos (defaults 0.1 and 0.2).
   */
  'valid_fraction'?: (number);
  'test_fraction'?: (number);
  'split_seed': (number);
  /**
   * Names an uploaded dataset; the paths above are then relative to it.
   */
  'dataset_id': (string);
  '_valid_fraction'?: "valid_fraction";
  '_test_fraction'?: "test_fraction";
}
