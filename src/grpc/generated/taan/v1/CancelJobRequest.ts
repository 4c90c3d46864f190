// Original file: proto/taan/v1/taan.proto


export interface CancelJobRequest {
  'job_id'?: (string);
}

export interface CancelJobRequest__Output {
  'job_id': (string);
}
