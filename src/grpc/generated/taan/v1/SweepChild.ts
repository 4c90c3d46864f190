// Original file: proto/taan/v1/taan.proto

import type { JobState as _taan_v1_JobState, JobState__Output as _taan_v1_JobState__Output } from '../../taan/v1/JobState.js';

export interface SweepChild {
  'index'?: (number);
  /**
   * Axis name -> the value this child uses, as text (e.g. "reg_coefficient" -> "0.1", "hidden_sizes" -> "64x64").
   */
  'config'?: ({[key: string]: string});
  'job_id'?: (string);
  'state'?: (_taan_v1_JobState);
  /**
   * The objective on validation data (while it runs: at its last epoch).
   */
  'valid_objective'?: (number | string);
  /**
   * Shown, never used to choose.
   */
  'test_map_at_10'?: (number | string);
  'seconds'?: (number | string);
  'model_version'?: (number);
  'runner'?: (string);
  '_valid_objective'?: "valid_objective";
  '_test_map_at_10'?: "test_map_at_10";
}

export interface SweepChild__Output {
  'index': (number);
  /**
   * Axis name -> the value this child uses, as text (e.g. "reg_coefficient" -> "0.1", "hidden_sizes" -> "64x64").
   */
  'config': ({[key: string]: string});
  'job_id': (string);
  'state': (_taan_v1_JobState__Output);
  /**
   * The objective on validation data (while it runs: at its last epoch).
   */
  'valid_objective'?: (number);
  /**
   * Shown, never used to choose.
   */
  'test_map_at_10'?: (number);
  'seconds': (number);
  'model_version': (number);
  'runner': (string);
  '_valid_objective'?: "valid_objective";
  '_test_map_at_10'?: "test_map_at_10";
}
