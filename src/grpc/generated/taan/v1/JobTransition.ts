// Original file: proto/taan/v1/taan.proto

import type { JobState as _taan_v1_JobState, JobState__Output as _taan_v1_JobState__Output } from '../../taan/v1/JobState.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';

export interface JobTransition {
  'state'?: (_taan_v1_JobState);
  'time'?: (_google_protobuf_Timestamp | null);
  'message'?: (string);
}

export interface JobTransition__Output {
  'state': (_taan_v1_JobState__Output);
  'time': (_google_protobuf_Timestamp__Output | null);
  'message': (string);
}
