// Original file: proto/taan/v1/taan.proto


export interface SetModelVersionLabelRequest {
  'name'?: (string);
  'version'?: (number);
  'label'?: (string);
}

export interface SetModelVersionLabelRequest__Output {
  'name': (string);
  'version': (number);
  'label': (string);
}
