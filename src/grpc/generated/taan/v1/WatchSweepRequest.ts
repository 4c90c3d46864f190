// Original file: proto/taan/v1/taan.proto


export interface WatchSweepRequest {
  'sweep_id'?: (string);
}

export interface WatchSweepRequest__Output {
  'sweep_id': (string);
}
