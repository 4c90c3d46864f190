// Original file: proto/taan/v1/taan.proto

import type { JobState as _taan_v1_JobState, JobState__Output as _taan_v1_JobState__Output } from '../../taan/v1/JobState.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { JobProgress as _taan_v1_JobProgress, JobProgress__Output as _taan_v1_JobProgress__Output } from '../../taan/v1/JobProgress.js';
import type { JobTransition as _taan_v1_JobTransition, JobTransition__Output as _taan_v1_JobTransition__Output } from '../../taan/v1/JobTransition.js';
import type { JobMetrics as _taan_v1_JobMetrics, JobMetrics__Output as _taan_v1_JobMetrics__Output } from '../../taan/v1/JobMetrics.js';
import type { DatasetSummary as _taan_v1_DatasetSummary, DatasetSummary__Output as _taan_v1_DatasetSummary__Output } from '../../taan/v1/DatasetSummary.js';
import type { TrainJobRequest as _taan_v1_TrainJobRequest, TrainJobRequest__Output as _taan_v1_TrainJobRequest__Output } from '../../taan/v1/TrainJobRequest.js';

export interface Job {
  'job_id'?: (string);
  'submission_id'?: (string);
  'model_name'?: (string);
  'state'?: (_taan_v1_JobState);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'start_time'?: (_google_protobuf_Timestamp | null);
  'end_time'?: (_google_protobuf_Timestamp | null);
  'progress'?: (_taan_v1_JobProgress | null);
  'transitions'?: (_taan_v1_JobTransition)[];
  'failure_reason'?: (string);
  /**
   * The model version the job produced (0 until it succeeds).
   */
  'model_version'?: (number);
  'metrics'?: (_taan_v1_JobMetrics | null);
  'dataset_summary'?: (_taan_v1_DatasetSummary | null);
  /**
   * The server instance and worker that runs or last ran the job.
   */
  'runner'?: (string);
  /**
   * The request as accepted, defaults filled in.
   */
  'request'?: (_taan_v1_TrainJobRequest | null);
}

export interface Job__Output {
  'job_id': (string);
  'submission_id': (string);
  'model_name': (string);
  'state': (_taan_v1_JobState__Output);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'start_time': (_google_protobuf_Timestamp__Output | null);
  'end_time': (_google_protobuf_Timestamp__Output | null);
  'progress': (_taan_v1_JobProgress__Output | null);
  'transitions': (_taan_v1_JobTransition__Output)[];
  'failure_reason': (string);
  /**
   * The model version the job produced (0 until it succeeds).
   */
  'model_version': (number);
  'metrics': (_taan_v1_JobMetrics__Output | null);
  'dataset_summary': (_taan_v1_DatasetSummary__Output | null);
  /**
   * The server instance and worker that runs or last ran the job.
   */
  'runner': (string);
  /**
   * The request as accepted, defaults filled in.
   */
  'request': (_taan_v1_TrainJobRequest__Output | null);
}
