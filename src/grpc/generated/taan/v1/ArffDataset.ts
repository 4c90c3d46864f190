// Original file: proto/taan/v1/taan.proto

import type { LabelGroup as _taan_v1_LabelGroup, LabelGroup__Output as _taan_v1_LabelGroup__Output } from '../../taan/v1/LabelGroup.js';
import type { Long } from '@grpc/proto-loader';

export interface ArffDataset {
  'path'?: (string);
  /**
   * Optional; otherwise a seeded split with valid_fraction 0.1 and test_fraction 0.2.
   */
  'test_path'?: (string);
  'labels_xml_path'?: (string);
  /**
   * single | prefix | cal500 | cal500-6 | explicit (with groups).
   */
  'task_grouping'?: (string);
  'groups'?: (_taan_v1_LabelGroup)[];
  'valid_fraction'?: (number | string);
  'test_fraction'?: (number | string);
  'split_seed'?: (number | string | Long);
  'dataset_id'?: (string);
  '_valid_fraction'?: "valid_fraction";
  '_test_fraction'?: "test_fraction";
}

export interface ArffDataset__Output {
  'path': (string);
  /**
   * Optional; otherwise a seeded split with valid_fraction 0.1 and test_fraction 0.2.
   */
  'test_path': (string);
  'labels_xml_path': (string);
  /**
   * single | prefix | cal500 | cal500-6 | explicit (with groups).
   */
  'task_grouping': (string);
  'groups': (_taan_v1_LabelGroup__Output)[];
  'valid_fraction'?: (number);
  'test_fraction'?: (number);
  'split_seed': (number);
  'dataset_id': (string);
  '_valid_fraction'?: "valid_fraction";
  '_test_fraction'?: "test_fraction";
}
