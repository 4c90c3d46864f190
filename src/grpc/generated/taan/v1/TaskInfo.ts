// Original file: proto/taan/v1/taan.proto


export interface TaskInfo {
  'name'?: (string);
  'labels'?: (string)[];
}

export interface TaskInfo__Output {
  'name': (string);
  'labels': (string)[];
}
