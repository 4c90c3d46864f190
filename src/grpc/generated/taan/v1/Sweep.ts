// Original file: proto/taan/v1/taan.proto

import type { JobState as _taan_v1_JobState, JobState__Output as _taan_v1_JobState__Output } from '../../taan/v1/JobState.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { StartSweepRequest as _taan_v1_StartSweepRequest, StartSweepRequest__Output as _taan_v1_StartSweepRequest__Output } from '../../taan/v1/StartSweepRequest.js';
import type { SweepChild as _taan_v1_SweepChild, SweepChild__Output as _taan_v1_SweepChild__Output } from '../../taan/v1/SweepChild.js';
import type { SweepGroup as _taan_v1_SweepGroup, SweepGroup__Output as _taan_v1_SweepGroup__Output } from '../../taan/v1/SweepGroup.js';

export interface Sweep {
  'sweep_id'?: (string);
  'submission_id'?: (string);
  'model_name'?: (string);
  /**
   * RUNNING until every child has ended; SUCCEEDED when a child succeeded and the best is labelled.
   */
  'state'?: (_taan_v1_JobState);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'end_time'?: (_google_protobuf_Timestamp | null);
  'request'?: (_taan_v1_StartSweepRequest | null);
  'children'?: (_taan_v1_SweepChild)[];
  'groups'?: (_taan_v1_SweepGroup)[];
  /**
   * The axes that vary, in grid order.
   */
  'axes'?: (string)[];
  /**
   * The best child by the objective, chosen once every child has ended.
   */
  'best_job_id'?: (string);
  /**
   * The version the best label was moved to (0 until it has moved).
   */
  'best_model_version'?: (number);
  'message'?: (string);
}

export interface Sweep__Output {
  'sweep_id': (string);
  'submission_id': (string);
  'model_name': (string);
  /**
   * RUNNING until every child has ended; SUCCEEDED when a child succeeded and the best is labelled.
   */
  'state': (_taan_v1_JobState__Output);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'end_time': (_google_protobuf_Timestamp__Output | null);
  'request': (_taan_v1_StartSweepRequest__Output | null);
  'children': (_taan_v1_SweepChild__Output)[];
  'groups': (_taan_v1_SweepGroup__Output)[];
  /**
   * The axes that vary, in grid order.
   */
  'axes': (string)[];
  /**
   * The best child by the objective, chosen once every child has ended.
   */
  'best_job_id': (string);
  /**
   * The version the best label was moved to (0 until it has moved).
   */
  'best_model_version': (number);
  'message': (string);
}
