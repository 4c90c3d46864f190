// Original file: proto/taan/v1/taan.proto

import type { Architecture as _taan_v1_Architecture, Architecture__Output as _taan_v1_Architecture__Output } from '../../taan/v1/Architecture.js';
import type { Regularizer as _taan_v1_Regularizer, Regularizer__Output as _taan_v1_Regularizer__Output } from '../../taan/v1/Regularizer.js';
import type { HiddenSizes as _taan_v1_HiddenSizes, HiddenSizes__Output as _taan_v1_HiddenSizes__Output } from '../../taan/v1/HiddenSizes.js';
import type { Long } from '@grpc/proto-loader';

/**
 * The values a sweep tries; an empty axis keeps the base request's value. The grid is every combination.
 */
export interface SweepAxes {
  'architecture'?: (_taan_v1_Architecture)[];
  'regularizer'?: (_taan_v1_Regularizer)[];
  'reg_coefficient'?: (number | string)[];
  'learning_rate'?: (number | string)[];
  'weight_decay'?: (number | string)[];
  'hidden_sizes'?: (_taan_v1_HiddenSizes)[];
  'num_basis'?: (number)[];
  'seed'?: (number | string | Long)[];
}

/**
 * The values a sweep tries; an empty axis keeps the base request's value. The grid is every combination.
 */
export interface SweepAxes__Output {
  'architecture': (_taan_v1_Architecture__Output)[];
  'regularizer': (_taan_v1_Regularizer__Output)[];
  'reg_coefficient': (number)[];
  'learning_rate': (number)[];
  'weight_decay': (number)[];
  'hidden_sizes': (_taan_v1_HiddenSizes__Output)[];
  'num_basis': (number)[];
  'seed': (number)[];
}
