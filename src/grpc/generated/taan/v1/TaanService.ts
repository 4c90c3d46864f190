// Original file: proto/taan/v1/taan.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ActivationMetrics as _taan_v1_ActivationMetrics, ActivationMetrics__Output as _taan_v1_ActivationMetrics__Output } from '../../taan/v1/ActivationMetrics.js';
import type { CancelJobRequest as _taan_v1_CancelJobRequest, CancelJobRequest__Output as _taan_v1_CancelJobRequest__Output } from '../../taan/v1/CancelJobRequest.js';
import type { CancelSweepRequest as _taan_v1_CancelSweepRequest, CancelSweepRequest__Output as _taan_v1_CancelSweepRequest__Output } from '../../taan/v1/CancelSweepRequest.js';
import type { Dataset as _taan_v1_Dataset, Dataset__Output as _taan_v1_Dataset__Output } from '../../taan/v1/Dataset.js';
import type { DatasetChunk as _taan_v1_DatasetChunk, DatasetChunk__Output as _taan_v1_DatasetChunk__Output } from '../../taan/v1/DatasetChunk.js';
import type { GetActivationMetricsRequest as _taan_v1_GetActivationMetricsRequest, GetActivationMetricsRequest__Output as _taan_v1_GetActivationMetricsRequest__Output } from '../../taan/v1/GetActivationMetricsRequest.js';
import type { GetJobRequest as _taan_v1_GetJobRequest, GetJobRequest__Output as _taan_v1_GetJobRequest__Output } from '../../taan/v1/GetJobRequest.js';
import type { GetModelRequest as _taan_v1_GetModelRequest, GetModelRequest__Output as _taan_v1_GetModelRequest__Output } from '../../taan/v1/GetModelRequest.js';
import type { GetSweepRequest as _taan_v1_GetSweepRequest, GetSweepRequest__Output as _taan_v1_GetSweepRequest__Output } from '../../taan/v1/GetSweepRequest.js';
import type { Job as _taan_v1_Job, Job__Output as _taan_v1_Job__Output } from '../../taan/v1/Job.js';
import type { JobEvent as _taan_v1_JobEvent, JobEvent__Output as _taan_v1_JobEvent__Output } from '../../taan/v1/JobEvent.js';
import type { ListJobsRequest as _taan_v1_ListJobsRequest, ListJobsRequest__Output as _taan_v1_ListJobsRequest__Output } from '../../taan/v1/ListJobsRequest.js';
import type { ListJobsResponse as _taan_v1_ListJobsResponse, ListJobsResponse__Output as _taan_v1_ListJobsResponse__Output } from '../../taan/v1/ListJobsResponse.js';
import type { ListModelsRequest as _taan_v1_ListModelsRequest, ListModelsRequest__Output as _taan_v1_ListModelsRequest__Output } from '../../taan/v1/ListModelsRequest.js';
import type { ListModelsResponse as _taan_v1_ListModelsResponse, ListModelsResponse__Output as _taan_v1_ListModelsResponse__Output } from '../../taan/v1/ListModelsResponse.js';
import type { ListSweepsRequest as _taan_v1_ListSweepsRequest, ListSweepsRequest__Output as _taan_v1_ListSweepsRequest__Output } from '../../taan/v1/ListSweepsRequest.js';
import type { ListSweepsResponse as _taan_v1_ListSweepsResponse, ListSweepsResponse__Output as _taan_v1_ListSweepsResponse__Output } from '../../taan/v1/ListSweepsResponse.js';
import type { Model as _taan_v1_Model, Model__Output as _taan_v1_Model__Output } from '../../taan/v1/Model.js';
import type { PredictRequest as _taan_v1_PredictRequest, PredictRequest__Output as _taan_v1_PredictRequest__Output } from '../../taan/v1/PredictRequest.js';
import type { PredictResponse as _taan_v1_PredictResponse, PredictResponse__Output as _taan_v1_PredictResponse__Output } from '../../taan/v1/PredictResponse.js';
import type { SetModelVersionLabelRequest as _taan_v1_SetModelVersionLabelRequest, SetModelVersionLabelRequest__Output as _taan_v1_SetModelVersionLabelRequest__Output } from '../../taan/v1/SetModelVersionLabelRequest.js';
import type { StartSweepRequest as _taan_v1_StartSweepRequest, StartSweepRequest__Output as _taan_v1_StartSweepRequest__Output } from '../../taan/v1/StartSweepRequest.js';
import type { Sweep as _taan_v1_Sweep, Sweep__Output as _taan_v1_Sweep__Output } from '../../taan/v1/Sweep.js';
import type { TrainJobRequest as _taan_v1_TrainJobRequest, TrainJobRequest__Output as _taan_v1_TrainJobRequest__Output } from '../../taan/v1/TrainJobRequest.js';
import type { WatchJobRequest as _taan_v1_WatchJobRequest, WatchJobRequest__Output as _taan_v1_WatchJobRequest__Output } from '../../taan/v1/WatchJobRequest.js';
import type { WatchSweepRequest as _taan_v1_WatchSweepRequest, WatchSweepRequest__Output as _taan_v1_WatchSweepRequest__Output } from '../../taan/v1/WatchSweepRequest.js';

export interface TaanServiceClient extends grpc.Client {
  /**
   * QUEUED -> CANCELLED at once; RUNNING -> CANCELLING -> CANCELLED at the next step boundary.
   */
  CancelJob(argument: _taan_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _taan_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _taan_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _taan_v1_CancelJobRequest, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * QUEUED -> CANCELLED at once; RUNNING -> CANCELLING -> CANCELLED at the next step boundary.
   */
  cancelJob(argument: _taan_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _taan_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _taan_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _taan_v1_CancelJobRequest, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  
  /**
   * Cancels the children that have not ended; the sweep ends CANCELLED once they have.
   */
  CancelSweep(argument: _taan_v1_CancelSweepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  CancelSweep(argument: _taan_v1_CancelSweepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  CancelSweep(argument: _taan_v1_CancelSweepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  CancelSweep(argument: _taan_v1_CancelSweepRequest, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  /**
   * Cancels the children that have not ended; the sweep ends CANCELLED once they have.
   */
  cancelSweep(argument: _taan_v1_CancelSweepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  cancelSweep(argument: _taan_v1_CancelSweepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  cancelSweep(argument: _taan_v1_CancelSweepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  cancelSweep(argument: _taan_v1_CancelSweepRequest, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  
  GetActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  GetActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  GetActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  GetActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  getActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  getActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  getActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  getActivationMetrics(argument: _taan_v1_GetActivationMetricsRequest, callback: grpc.requestCallback<_taan_v1_ActivationMetrics__Output>): grpc.ClientUnaryCall;
  
  GetJob(argument: _taan_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _taan_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _taan_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _taan_v1_GetJobRequest, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _taan_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _taan_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _taan_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  getJob(argument: _taan_v1_GetJobRequest, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  
  GetModel(argument: _taan_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _taan_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _taan_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  GetModel(argument: _taan_v1_GetModelRequest, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  getModel(argument: _taan_v1_GetModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  getModel(argument: _taan_v1_GetModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  getModel(argument: _taan_v1_GetModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  getModel(argument: _taan_v1_GetModelRequest, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  
  GetSweep(argument: _taan_v1_GetSweepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  GetSweep(argument: _taan_v1_GetSweepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  GetSweep(argument: _taan_v1_GetSweepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  GetSweep(argument: _taan_v1_GetSweepRequest, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  getSweep(argument: _taan_v1_GetSweepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  getSweep(argument: _taan_v1_GetSweepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  getSweep(argument: _taan_v1_GetSweepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  getSweep(argument: _taan_v1_GetSweepRequest, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  
  /**
   * Newest first.
   */
  ListJobs(argument: _taan_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _taan_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _taan_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _taan_v1_ListJobsRequest, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Newest first.
   */
  listJobs(argument: _taan_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _taan_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _taan_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _taan_v1_ListJobsRequest, callback: grpc.requestCallback<_taan_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  ListModels(argument: _taan_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _taan_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _taan_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  ListModels(argument: _taan_v1_ListModelsRequest, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _taan_v1_ListModelsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _taan_v1_ListModelsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _taan_v1_ListModelsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  listModels(argument: _taan_v1_ListModelsRequest, callback: grpc.requestCallback<_taan_v1_ListModelsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Newest first.
   */
  ListSweeps(argument: _taan_v1_ListSweepsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  ListSweeps(argument: _taan_v1_ListSweepsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  ListSweeps(argument: _taan_v1_ListSweepsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  ListSweeps(argument: _taan_v1_ListSweepsRequest, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Newest first.
   */
  listSweeps(argument: _taan_v1_ListSweepsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  listSweeps(argument: _taan_v1_ListSweepsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  listSweeps(argument: _taan_v1_ListSweepsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  listSweeps(argument: _taan_v1_ListSweepsRequest, callback: grpc.requestCallback<_taan_v1_ListSweepsResponse__Output>): grpc.ClientUnaryCall;
  
  Predict(argument: _taan_v1_PredictRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  Predict(argument: _taan_v1_PredictRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  Predict(argument: _taan_v1_PredictRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  Predict(argument: _taan_v1_PredictRequest, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _taan_v1_PredictRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _taan_v1_PredictRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _taan_v1_PredictRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  predict(argument: _taan_v1_PredictRequest, callback: grpc.requestCallback<_taan_v1_PredictResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Moves a version label (e.g. "stable") of a model to a version.
   */
  SetModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  SetModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  SetModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  SetModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  /**
   * Moves a version label (e.g. "stable") of a model to a version.
   */
  setModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  setModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  setModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  setModelVersionLabel(argument: _taan_v1_SetModelVersionLabelRequest, callback: grpc.requestCallback<_taan_v1_Model__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a sweep: one child TrainJob per point of the grid (or of a seeded random sample of it). A repeat with the
   * same submission_id returns the existing sweep.
   */
  StartSweep(argument: _taan_v1_StartSweepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  StartSweep(argument: _taan_v1_StartSweepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  StartSweep(argument: _taan_v1_StartSweepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  StartSweep(argument: _taan_v1_StartSweepRequest, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a sweep: one child TrainJob per point of the grid (or of a seeded random sample of it). A repeat with the
   * same submission_id returns the existing sweep.
   */
  startSweep(argument: _taan_v1_StartSweepRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  startSweep(argument: _taan_v1_StartSweepRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  startSweep(argument: _taan_v1_StartSweepRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  startSweep(argument: _taan_v1_StartSweepRequest, callback: grpc.requestCallback<_taan_v1_Sweep__Output>): grpc.ClientUnaryCall;
  
  /**
   * Validates and queues a training job; returns at once (state QUEUED). A repeat with the same submission_id
   * returns the existing job.
   */
  TrainJob(argument: _taan_v1_TrainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  TrainJob(argument: _taan_v1_TrainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  TrainJob(argument: _taan_v1_TrainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  TrainJob(argument: _taan_v1_TrainJobRequest, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  /**
   * Validates and queues a training job; returns at once (state QUEUED). A repeat with the same submission_id
   * returns the existing job.
   */
  trainJob(argument: _taan_v1_TrainJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  trainJob(argument: _taan_v1_TrainJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  trainJob(argument: _taan_v1_TrainJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  trainJob(argument: _taan_v1_TrainJobRequest, callback: grpc.requestCallback<_taan_v1_Job__Output>): grpc.ClientUnaryCall;
  
  UploadDataset(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  UploadDataset(metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  UploadDataset(options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  UploadDataset(callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  uploadDataset(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  uploadDataset(metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  uploadDataset(options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  uploadDataset(callback: grpc.requestCallback<_taan_v1_Dataset__Output>): grpc.ClientWritableStream<_taan_v1_DatasetChunk>;
  
  /**
   * The job's current state and latest progress, then every state change and progress event; ends after the
   * terminal state.
   */
  WatchJob(argument: _taan_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_JobEvent__Output>;
  WatchJob(argument: _taan_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_JobEvent__Output>;
  /**
   * The job's current state and latest progress, then every state change and progress event; ends after the
   * terminal state.
   */
  watchJob(argument: _taan_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_JobEvent__Output>;
  watchJob(argument: _taan_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_JobEvent__Output>;
  
  /**
   * The sweep now, then again whenever it changes; ends after its terminal state.
   */
  WatchSweep(argument: _taan_v1_WatchSweepRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_Sweep__Output>;
  WatchSweep(argument: _taan_v1_WatchSweepRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_Sweep__Output>;
  /**
   * The sweep now, then again whenever it changes; ends after its terminal state.
   */
  watchSweep(argument: _taan_v1_WatchSweepRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_Sweep__Output>;
  watchSweep(argument: _taan_v1_WatchSweepRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_taan_v1_Sweep__Output>;
  
}

export interface TaanServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * QUEUED -> CANCELLED at once; RUNNING -> CANCELLING -> CANCELLED at the next step boundary.
   */
  CancelJob: grpc.handleUnaryCall<_taan_v1_CancelJobRequest__Output, _taan_v1_Job>;
  
  /**
   * Cancels the children that have not ended; the sweep ends CANCELLED once they have.
   */
  CancelSweep: grpc.handleUnaryCall<_taan_v1_CancelSweepRequest__Output, _taan_v1_Sweep>;
  
  GetActivationMetrics: grpc.handleUnaryCall<_taan_v1_GetActivationMetricsRequest__Output, _taan_v1_ActivationMetrics>;
  
  GetJob: grpc.handleUnaryCall<_taan_v1_GetJobRequest__Output, _taan_v1_Job>;
  
  GetModel: grpc.handleUnaryCall<_taan_v1_GetModelRequest__Output, _taan_v1_Model>;
  
  GetSweep: grpc.handleUnaryCall<_taan_v1_GetSweepRequest__Output, _taan_v1_Sweep>;
  
  /**
   * Newest first.
   */
  ListJobs: grpc.handleUnaryCall<_taan_v1_ListJobsRequest__Output, _taan_v1_ListJobsResponse>;
  
  ListModels: grpc.handleUnaryCall<_taan_v1_ListModelsRequest__Output, _taan_v1_ListModelsResponse>;
  
  /**
   * Newest first.
   */
  ListSweeps: grpc.handleUnaryCall<_taan_v1_ListSweepsRequest__Output, _taan_v1_ListSweepsResponse>;
  
  Predict: grpc.handleUnaryCall<_taan_v1_PredictRequest__Output, _taan_v1_PredictResponse>;
  
  /**
   * Moves a version label (e.g. "stable") of a model to a version.
   */
  SetModelVersionLabel: grpc.handleUnaryCall<_taan_v1_SetModelVersionLabelRequest__Output, _taan_v1_Model>;
  
  /**
   * Starts a sweep: one child TrainJob per point of the grid (or of a seeded random sample of it). A repeat with the
   * same submission_id returns the existing sweep.
   */
  StartSweep: grpc.handleUnaryCall<_taan_v1_StartSweepRequest__Output, _taan_v1_Sweep>;
  
  /**
   * Validates and queues a training job; returns at once (state QUEUED). A repeat with the same submission_id
   * returns the existing job.
   */
  TrainJob: grpc.handleUnaryCall<_taan_v1_TrainJobRequest__Output, _taan_v1_Job>;
  
  UploadDataset: grpc.handleClientStreamingCall<_taan_v1_DatasetChunk__Output, _taan_v1_Dataset>;
  
  /**
   * The job's current state and latest progress, then every state change and progress event; ends after the
   * terminal state.
   */
  WatchJob: grpc.handleServerStreamingCall<_taan_v1_WatchJobRequest__Output, _taan_v1_JobEvent>;
  
  /**
   * The sweep now, then again whenever it changes; ends after its terminal state.
   */
  WatchSweep: grpc.handleServerStreamingCall<_taan_v1_WatchSweepRequest__Output, _taan_v1_Sweep>;
  
}

export interface TaanServiceDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_taan_v1_CancelJobRequest, _taan_v1_Job, _taan_v1_CancelJobRequest__Output, _taan_v1_Job__Output>
  CancelSweep: MethodDefinition<_taan_v1_CancelSweepRequest, _taan_v1_Sweep, _taan_v1_CancelSweepRequest__Output, _taan_v1_Sweep__Output>
  GetActivationMetrics: MethodDefinition<_taan_v1_GetActivationMetricsRequest, _taan_v1_ActivationMetrics, _taan_v1_GetActivationMetricsRequest__Output, _taan_v1_ActivationMetrics__Output>
  GetJob: MethodDefinition<_taan_v1_GetJobRequest, _taan_v1_Job, _taan_v1_GetJobRequest__Output, _taan_v1_Job__Output>
  GetModel: MethodDefinition<_taan_v1_GetModelRequest, _taan_v1_Model, _taan_v1_GetModelRequest__Output, _taan_v1_Model__Output>
  GetSweep: MethodDefinition<_taan_v1_GetSweepRequest, _taan_v1_Sweep, _taan_v1_GetSweepRequest__Output, _taan_v1_Sweep__Output>
  ListJobs: MethodDefinition<_taan_v1_ListJobsRequest, _taan_v1_ListJobsResponse, _taan_v1_ListJobsRequest__Output, _taan_v1_ListJobsResponse__Output>
  ListModels: MethodDefinition<_taan_v1_ListModelsRequest, _taan_v1_ListModelsResponse, _taan_v1_ListModelsRequest__Output, _taan_v1_ListModelsResponse__Output>
  ListSweeps: MethodDefinition<_taan_v1_ListSweepsRequest, _taan_v1_ListSweepsResponse, _taan_v1_ListSweepsRequest__Output, _taan_v1_ListSweepsResponse__Output>
  Predict: MethodDefinition<_taan_v1_PredictRequest, _taan_v1_PredictResponse, _taan_v1_PredictRequest__Output, _taan_v1_PredictResponse__Output>
  SetModelVersionLabel: MethodDefinition<_taan_v1_SetModelVersionLabelRequest, _taan_v1_Model, _taan_v1_SetModelVersionLabelRequest__Output, _taan_v1_Model__Output>
  StartSweep: MethodDefinition<_taan_v1_StartSweepRequest, _taan_v1_Sweep, _taan_v1_StartSweepRequest__Output, _taan_v1_Sweep__Output>
  TrainJob: MethodDefinition<_taan_v1_TrainJobRequest, _taan_v1_Job, _taan_v1_TrainJobRequest__Output, _taan_v1_Job__Output>
  UploadDataset: MethodDefinition<_taan_v1_DatasetChunk, _taan_v1_Dataset, _taan_v1_DatasetChunk__Output, _taan_v1_Dataset__Output>
  WatchJob: MethodDefinition<_taan_v1_WatchJobRequest, _taan_v1_JobEvent, _taan_v1_WatchJobRequest__Output, _taan_v1_JobEvent__Output>
  WatchSweep: MethodDefinition<_taan_v1_WatchSweepRequest, _taan_v1_Sweep, _taan_v1_WatchSweepRequest__Output, _taan_v1_Sweep__Output>
}
