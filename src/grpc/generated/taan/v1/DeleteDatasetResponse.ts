// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteDatasetResponse {
  'freed_bytes'?: (number | string | Long);
}

export interface DeleteDatasetResponse__Output {
  'freed_bytes': (number);
}
