// Original file: proto/taan/v1/taan.proto


export interface GetJobRequest {
  'job_id'?: (string);
}

export interface GetJobRequest__Output {
  'job_id': (string);
}
