// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface EpochRecord {
  'epoch'?: (number);
  'step'?: (number | string | Long);
  'train_loss'?: (number | string);
  'mean_valid_map_at_10'?: (number | string);
  'valid_map_at_10'?: ({[key: string]: number | string});
  'seconds'?: (number | string);
}

export interface EpochRecord__Output {
  'epoch': (number);
  'step': (number);
  'train_loss': (number);
  'mean_valid_map_at_10': (number);
  'valid_map_at_10': ({[key: string]: number});
  'seconds': (number);
}
