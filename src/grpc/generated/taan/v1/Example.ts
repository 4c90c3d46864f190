// Original file: proto/taan/v1/taan.proto


export interface Example {
  'id'?: (string);
  'features'?: (number | string)[];
}

export interface Example__Output {
  'id': (string);
  'features': (number)[];
}
