// Original file: proto/taan/v1/taan.proto


export interface DeleteJobRequest {
  'job_id'?: (string);
}

export interface DeleteJobRequest__Output {
  'job_id': (string);
}
