// Original file: proto/taan/v1/taan.proto


export interface LabelGroup {
  'task'?: (string);
  'labels'?: (string)[];
}

export interface LabelGroup__Output {
  'task': (string);
  'labels': (string)[];
}
