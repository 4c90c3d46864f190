// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface JobProgress {
  /**
   * 1-based epoch in progress.
   */
  'epoch'?: (number);
  /**
   * Optimizer steps since the job started; continues across a resume.
   */
  'step'?: (number | string | Long);
  'total_steps'?: (number | string | Long);
  'fraction'?: (number | string);
  'loss'?: (number | string);
  'step_seconds'?: (number | string);
  'valid_map_at_10'?: ({[key: string]: number | string});
}

export interface JobProgress__Output {
  /**
   * 1-based epoch in progress.
   */
  'epoch': (number);
  /**
   * Optimizer steps since the job started; continues across a resume.
   */
  'step': (number);
  'total_steps': (number);
  'fraction': (number);
  'loss': (number);
  'step_seconds': (number);
  'valid_map_at_10': ({[key: string]: number});
}
