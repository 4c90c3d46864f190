// Original file: proto/taan/v1/taan.proto

import type { ModelSpec as _taan_v1_ModelSpec, ModelSpec__Output as _taan_v1_ModelSpec__Output } from '../../taan/v1/ModelSpec.js';

export interface GetModelRequest {
  'model'?: (_taan_v1_ModelSpec | null);
}

export interface GetModelRequest__Output {
  'model': (_taan_v1_ModelSpec__Output | null);
}
