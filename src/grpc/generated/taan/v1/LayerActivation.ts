// Original file: proto/taan/v1/taan.proto

import type { Curves as _taan_v1_Curves, Curves__Output as _taan_v1_Curves__Output } from '../../taan/v1/Curves.js';

export interface LayerActivation {
  'layer'?: (number);
  'mu'?: (number | string);
  'sigma'?: (number | string);
  'basis_locations'?: (number | string)[];
  /**
   * T x M, row-major.
   */
  'alpha'?: (number | string)[];
  /**
   * T x T, D_ij, row-major.
   */
  'distance'?: (number | string)[];
  /**
   * T x T, C_ij, row-major.
   */
  'cosine'?: (number | string)[];
  'curves'?: (_taan_v1_Curves | null);
}

export interface LayerActivation__Output {
  'layer': (number);
  'mu': (number);
  'sigma': (number);
  'basis_locations': (number)[];
  /**
   * T x M, row-major.
   */
  'alpha': (number)[];
  /**
   * T x T, D_ij, row-major.
   */
  'distance': (number)[];
  /**
   * T x T, C_ij, row-major.
   */
  'cosine': (number)[];
  'curves': (_taan_v1_Curves__Output | null);
}
