// Original file: proto/taan/v1/taan.proto

import type { JobState as _taan_v1_JobState, JobState__Output as _taan_v1_JobState__Output } from '../../taan/v1/JobState.js';

export interface ListJobsRequest {
  /**
   * default 50, at most 1000
   */
  'page_size'?: (number);
  'page_token'?: (string);
  /**
   * JOB_STATE_UNSPECIFIED = all
   */
  'state'?: (_taan_v1_JobState);
}

export interface ListJobsRequest__Output {
  /**
   * default 50, at most 1000
   */
  'page_size': (number);
  'page_token': (string);
  /**
   * JOB_STATE_UNSPECIFIED = all
   */
  'state': (_taan_v1_JobState__Output);
}
