// Original file: proto/taan/v1/taan.proto

import type { Long } from '@grpc/proto-loader';

export interface SyntheticDataset {
  /**
   * default 8
   */
  'tasks'?: (number);
  /**
   * default 2
   */
  'clusters'?: (number);
  /**
   * default 32
   */
  'features'?: (number);
  /**
   * default 10
   */
  'labels_per_task'?: (number);
  /**
   * default 600
   */
  'examples_per_task'?: (number);
  /**
   * default 0.3
   */
  'noise'?: (number | string);
  'seed'?: (number | string | Long);
  /**
   * default 4
   */
  'latent_dim'?: (number);
  '_noise'?: "noise";
}

export interface SyntheticDataset__Output {
  /**
   * default 8
   */
  'tasks': (number);
  /**
   * default 2
   */
  'clusters': (number);
  /**
   * default 32
   */
  'features': (number);
  /**
   * default 10
   */
  'labels_per_task': (number);
  /**
   * default 600
   */
  'examples_per_task': (number);
  /**
   * default 0.3
   */
  'noise'?: (number);
  'seed': (number);
  /**
   * default 4
   */
  'latent_dim': (number);
  '_noise'?: "noise";
}
