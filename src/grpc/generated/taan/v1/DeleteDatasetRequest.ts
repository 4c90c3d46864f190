// Original file: proto/taan/v1/taan.proto


export interface DeleteDatasetRequest {
  'dataset_id'?: (string);
}

export interface DeleteDatasetRequest__Output {
  'dataset_id': (string);
}
