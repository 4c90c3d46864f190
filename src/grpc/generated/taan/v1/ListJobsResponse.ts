// Original file: proto/taan/v1/taan.proto

import type { Job as _taan_v1_Job, Job__Output as _taan_v1_Job__Output } from '../../taan/v1/Job.js';

export interface ListJobsResponse {
  'jobs'?: (_taan_v1_Job)[];
  'next_page_token'?: (string);
}

export interface ListJobsResponse__Output {
  'jobs': (_taan_v1_Job__Output)[];
  'next_page_token': (string);
}
