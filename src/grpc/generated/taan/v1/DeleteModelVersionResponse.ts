// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteModelVersionResponse {
  /**
   * Labels removed along with the version (force).
   */
  'removed_labels'?: (string)[];
  /**
   * Bytes freed in this server's state dir.
   */
  'freed_bytes'?: (number | string | Long);
}

export interface DeleteModelVersionResponse__Output {
  /**
   * Labels removed along with the version (force).
   */
  'removed_labels': (string)[];
  /**
   * Bytes freed in this server's state dir.
   */
  'freed_bytes': (number);
}
