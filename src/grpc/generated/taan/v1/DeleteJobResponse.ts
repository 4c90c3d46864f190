// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteJobResponse {
  'freed_bytes'?: (number | string | Long);
}

export interface DeleteJobResponse__Output {
  'freed_bytes': (number);
}
