// Original file: proto/taan/v1/taan.proto


export interface CancelSweepRequest {
  'sweep_id'?: (string);
}

export interface CancelSweepRequest__Output {
  'sweep_id': (string);
}
