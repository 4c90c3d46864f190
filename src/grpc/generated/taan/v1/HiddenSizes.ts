// Original file: proto/taan/v1/taan.proto


export interface HiddenSizes {
  'sizes'?: (number)[];
}

export interface HiddenSizes__Output {
  'sizes': (number)[];
}
