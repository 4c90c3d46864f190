// Original file: proto/taan/v1/taan.proto

import type { TaskInfo as _taan_v1_TaskInfo, TaskInfo__Output as _taan_v1_TaskInfo__Output } from '../../taan/v1/TaskInfo.js';
import type { Architecture as _taan_v1_Architecture, Architecture__Output as _taan_v1_Architecture__Output } from '../../taan/v1/Architecture.js';
import type { JobMetrics as _taan_v1_JobMetrics, JobMetrics__Output as _taan_v1_JobMetrics__Output } from '../../taan/v1/JobMetrics.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { Measure as _taan_v1_Measure, Measure__Output as _taan_v1_Measure__Output } from '../../taan/v1/Measure.js';
import type { EpochRecord as _taan_v1_EpochRecord, EpochRecord__Output as _taan_v1_EpochRecord__Output } from '../../taan/v1/EpochRecord.js';
import type { LossWeighting as _taan_v1_LossWeighting, LossWeighting__Output as _taan_v1_LossWeighting__Output } from '../../taan/v1/LossWeighting.js';
import type { Long } from '@grpc/proto-loader';

export interface Model {
  'name'?: (string);
  'version'?: (number);
  /**
   * All versions of this model, ascending.
   */
  'versions'?: (number)[];
  /**
   * label -> version, for every label of this model.
   */
  'version_labels'?: ({[key: string]: number});
  'tasks'?: (_taan_v1_TaskInfo)[];
  'input_dim'?: (number);
  'architecture'?: (_taan_v1_Architecture);
  'parameter_count'?: (number | string | Long);
  'test_metrics'?: (_taan_v1_JobMetrics | null);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'hidden_sizes'?: (number)[];
  'num_basis'?: (number);
  'job_id'?: (string);
  'measure'?: (_taan_v1_Measure);
  /**
   * Per epoch of the training run that produced this version.
   */
  'history'?: (_taan_v1_EpochRecord)[];
  'loss_weighting'?: (_taan_v1_LossWeighting);
  /**
   * MMOE only
   */
  'num_experts'?: (number);
  /**
   * MMOE only
   */
  'tower_hidden_sizes'?: (number)[];
}

export interface Model__Output {
  'name': (string);
  'version': (number);
  /**
   * All versions of this model, ascending.
   */
  'versions': (number)[];
  /**
   * label -> version, for every label of this model.
   */
  'version_labels': ({[key: string]: number});
  'tasks': (_taan_v1_TaskInfo__Output)[];
  'input_dim': (number);
  'architecture': (_taan_v1_Architecture__Output);
  'parameter_count': (number);
  'test_metrics': (_taan_v1_JobMetrics__Output | null);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'hidden_sizes': (number)[];
  'num_basis': (number);
  'job_id': (string);
  'measure': (_taan_v1_Measure__Output);
  /**
   * Per epoch of the training run that produced this version.
   */
  'history': (_taan_v1_EpochRecord__Output)[];
  'loss_weighting': (_taan_v1_LossWeighting__Output);
  /**
   * MMOE only
   */
  'num_experts': (number);
  /**
   * MMOE only
   */
  'tower_hidden_sizes': (number)[];
}
