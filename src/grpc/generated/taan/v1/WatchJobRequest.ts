// Original file: proto/taan/v1/taan.proto


export interface WatchJobRequest {
  'job_id'?: (string);
}

export interface WatchJobRequest__Output {
  'job_id': (string);
}
