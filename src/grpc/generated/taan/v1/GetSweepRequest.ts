// Original file: proto/taan/v1/taan.proto


export interface GetSweepRequest {
  'sweep_id'?: (string);
}

export interface GetSweepRequest__Output {
  'sweep_id': (string);
}
