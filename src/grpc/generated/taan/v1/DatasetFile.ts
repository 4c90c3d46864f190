// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface DatasetFile {
  'file_name'?: (string);
  'size'?: (number | string | Long);
  'sha256'?: (string);
}

export interface DatasetFile__Output {
  'file_name': (string);
  'size': (number);
  'sha256': (string);
}
