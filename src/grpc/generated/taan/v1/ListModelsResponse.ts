// Original file: proto/taan/v1/taan.proto

import type { Model as _taan_v1_Model, Model__Output as _taan_v1_Model__Output } from '../../taan/v1/Model.js';

export interface ListModelsResponse {
  'models'?: (_taan_v1_Model)[];
}

export interface ListModelsResponse__Output {
  'models': (_taan_v1_Model__Output)[];
}
