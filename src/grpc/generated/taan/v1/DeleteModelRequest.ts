// Original file: proto/taan/v1/taan.proto


export interface DeleteModelRequest {
  'name'?: (string);
}

export interface DeleteModelRequest__Output {
  'name': (string);
}
