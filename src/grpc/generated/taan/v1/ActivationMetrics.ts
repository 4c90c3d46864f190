// Original file: proto/taan/v1/taan.proto

import type { ModelSpec as _taan_v1_ModelSpec, ModelSpec__Output as _taan_v1_ModelSpec__Output } from '../../taan/v1/ModelSpec.js';
import type { LayerActivation as _taan_v1_LayerActivation, LayerActivation__Output as _taan_v1_LayerActivation__Output } from '../../taan/v1/LayerActivation.js';
import type { Measure as _taan_v1_Measure, Measure__Output as _taan_v1_Measure__Output } from '../../taan/v1/Measure.js';

export interface ActivationMetrics {
  'model'?: (_taan_v1_ModelSpec | null);
  /**
   * Task names, in index order.
   */
  'tasks'?: (string)[];
  'layers'?: (_taan_v1_LayerActivation)[];
  /**
   * Task indices in an order (hierarchical clustering of D) that puts related tasks together.
   */
  'task_order'?: (number)[];
  'measure'?: (_taan_v1_Measure);
}

export interface ActivationMetrics__Output {
  'model': (_taan_v1_ModelSpec__Output | null);
  /**
   * Task names, in index order.
   */
  'tasks': (string)[];
  'layers': (_taan_v1_LayerActivation__Output)[];
  /**
   * Task indices in an order (hierarchical clustering of D) that puts related tasks together.
   */
  'task_order': (number)[];
  'measure': (_taan_v1_Measure__Output);
}
