// Original file: proto/taan/v1/taan.proto

import type { Dataset as _taan_v1_Dataset, Dataset__Output as _taan_v1_Dataset__Output } from '../../taan/v1/Dataset.js';

export interface ListDatasetsResponse {
  'datasets'?: (_taan_v1_Dataset)[];
}

export interface ListDatasetsResponse__Output {
  'datasets': (_taan_v1_Dataset__Output)[];
}
