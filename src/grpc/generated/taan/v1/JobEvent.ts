// Original file: proto/taan/v1/taan.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { JobState as _taan_v1_JobState, JobState__Output as _taan_v1_JobState__Output } from '../../taan/v1/JobState.js';
import type { JobProgress as _taan_v1_JobProgress, JobProgress__Output as _taan_v1_JobProgress__Output } from '../../taan/v1/JobProgress.js';

export interface JobEvent {
  'time'?: (_google_protobuf_Timestamp | null);
  'state'?: (_taan_v1_JobState);
  'message'?: (string);
  'progress'?: (_taan_v1_JobProgress | null);
  'job_id'?: (string);
}

export interface JobEvent__Output {
  'time': (_google_protobuf_Timestamp__Output | null);
  'state': (_taan_v1_JobState__Output);
  'message': (string);
  'progress': (_taan_v1_JobProgress__Output | null);
  'job_id': (string);
}
