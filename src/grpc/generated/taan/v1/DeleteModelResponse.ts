// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteModelResponse {
  'deleted_versions'?: (number)[];
  'freed_bytes'?: (number | string | Long);
}

export interface DeleteModelResponse__Output {
  'deleted_versions': (number)[];
  'freed_bytes': (number);
}
