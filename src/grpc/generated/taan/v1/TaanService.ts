// Original file: proto/taan/v1/taan.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ActivationMetrics as _taan_v1_ActivationMetrics, ActivationMetrics__Output as _taan_v1_ActivationMetrics__Output } from '../../taan/v1/ActivationMetrics.js';
import type { CancelJobRequest as _taan_v1_CancelJobRequest, CancelJobRequest__Output as _taan_v1_CancelJobRequest__Output } from '../../taan/v1/CancelJobRequest.js';
import type { CancelSweepRequest as _taan_v1_CancelSweepRequest, CancelSweepRequest__Output as _taan_v1_CancelSweepRequest__Output } from '../../taan/v1/CancelSweepRequest.js';
import type { Dataset as _taan_v1_Dataset, Dataset__Output as _taan_v1_Dataset__Output } from '../../taan/v1/Dataset.js';
import type { DatasetChunk as _taan_v1_DatasetChunk, DatasetChunk__Output as _taan_v1_DatasetChunk__Output } from '../../taan/v1/DatasetChunk.js';
import type { DeleteDatasetRequest as _taan_v1_DeleteDatasetRequest, DeleteDatasetRequest__Output as _taan_v1_DeleteDatasetRequest__Output } from '../../taan/v1/DeleteDatasetRequest.js';
import type { DeleteDatasetResponse as _taan_v1_DeleteDatasetResponse, DeleteDatasetResponse__Output as _taan_v1_DeleteDatasetResponse__Output } from '../../taan/v1/DeleteDatasetResponse.js';
import type { DeleteJobRequest as _taan_v1_DeleteJobRequest, DeleteJobRequest__Output as _taan_v1_DeleteJobRequest__Output } from '../../taan/v1/DeleteJobRequest.js';
import type { DeleteJobResponse as _taan_v1_DeleteJobResponse, DeleteJobResponse__Output as _taan_v1_DeleteJobResponse__Output } from '../../taan/v1/DeleteJobResponse.js';
import type { DeleteModelRequest as _taan_v1_DeleteModelRequest, DeleteModelRequest__Output as _taan_v1_DeleteModelRequest__Output } from '../../taan/v1/DeleteModelRequest.js';
import type { DeleteModelResponse as _taan_v1_DeleteModelResponse, DeleteModelResponse__Output as _taan_v1_DeleteModelResponse__Output } from '../../taan/v1/DeleteModelResponse.js';
import type { DeleteModelVersionRequest as _taan_v1_DeleteModelVersionRequest, DeleteModelVersionRequest__Output as _taan_v1_DeleteModelVersionRequest__Output } from '../../taan/v1/DeleteModelVersionRequest.js';
import type { DeleteModelVersionResponse as _taan_v1_DeleteModelVersionResponse, DeleteModelVersionResponse__Output as _taan_v1_DeleteModelVersionResponse__Output } from '../../taan/v1/DeleteModelVersionResponse.js';
import type { GetActivationMetricsRequest as _taan_v1_GetActivationMetricsRequest, GetActivationMetricsRequest__Output as _taan_v1_GetActivationMetricsRequest__Output } from '../../taan/v1/GetActivationMetricsRequest.js';
import type { GetJobRequest as _taan_v1_GetJobRequest, GetJobRequest__Output as _taan_v1_GetJobRequest__Output } from '../../taan/v1/GetJobRequest.js';
import type { GetModelRequest as _taan_v1_GetModelRequest, GetModelRequest__Output as _taan_v1_GetModelRequest__Output } from '../../taan/v1/GetModelRequest.js';
import type { GetSweepRequest as _taan_v1_GetSweepRequest, GetSweepRequest__Output as _taan_v1_GetSweepRequest__Output } from '../../taan/v1/GetSweepRequest.js';
import type { Job as _taan_v1_Job, Job__Output as _taan_v1_Job__Output } from '../../taan/v1/Job.js';
import type { JobEvent as _taan_v1_JobEvent, JobEvent__Output as _taan_v1_JobEvent__Output } from '../../taan/v1/JobEvent.js';
import type { ListDatasetsRequest as _taan_v1_ListDatasetsRequest, ListDatasetsRequest__Output as _taan_v1_ListDatasetsRequest__Output } from '../../taan/v1/ListDatasetsRequest.js';
import type { ListDatasetsResponse as _taan_v1_ListDatasetsResponse, ListDatasetsResponse__Output as _taan_v1_ListDatasetsResponse__Output } from '../../taan/v1/ListDatasetsResponse.js';
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
  
  /**
   * Deletes an uploaded dataset; FAILED_PRECONDITION while a queued or running job uses it.
   */
  DeleteDataset(argument: _taan_v1_DeleteDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  DeleteDataset(argument: _taan_v1_DeleteDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  DeleteDataset(argument: _taan_v1_DeleteDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  DeleteDataset(argument: _taan_v1_DeleteDatasetRequest, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes an uploaded dataset; FAILED_PRECONDITION while a queued or running job uses it.
   */
  deleteDataset(argument: _taan_v1_DeleteDatasetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _taan_v1_DeleteDatasetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _taan_v1_DeleteDatasetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  deleteDataset(argument: _taan_v1_DeleteDatasetRequest, callback: grpc.requestCallback<_taan_v1_DeleteDatasetResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes a SUCCEEDED, FAILED or CANCELLED job with its checkpoints (FAILED_PRECONDITION otherwise); the model
   * version it published stays.
   */
  DeleteJob(argument: _taan_v1_DeleteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  DeleteJob(argument: _taan_v1_DeleteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  DeleteJob(argument: _taan_v1_DeleteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  DeleteJob(argument: _taan_v1_DeleteJobRequest, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes a SUCCEEDED, FAILED or CANCELLED job with its checkpoints (FAILED_PRECONDITION otherwise); the model
   * version it published stays.
   */
  deleteJob(argument: _taan_v1_DeleteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  deleteJob(argument: _taan_v1_DeleteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  deleteJob(argument: _taan_v1_DeleteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  deleteJob(argument: _taan_v1_DeleteJobRequest, callback: grpc.requestCallback<_taan_v1_DeleteJobResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes every version and label of a model.
   */
  DeleteModel(argument: _taan_v1_DeleteModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  DeleteModel(argument: _taan_v1_DeleteModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  DeleteModel(argument: _taan_v1_DeleteModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  DeleteModel(argument: _taan_v1_DeleteModelRequest, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes every version and label of a model.
   */
  deleteModel(argument: _taan_v1_DeleteModelRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _taan_v1_DeleteModelRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _taan_v1_DeleteModelRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  deleteModel(argument: _taan_v1_DeleteModelRequest, callback: grpc.requestCallback<_taan_v1_DeleteModelResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Lifecycle (admin role for the deletes). Version numbers are never reused: a version published after a delete
   * gets a higher number than any version the model ever had.
   * Deletes one version; FAILED_PRECONDITION while a label points at it, unless force (which removes those labels).
   */
  DeleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  DeleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Lifecycle (admin role for the deletes). Version numbers are never reused: a version published after a delete
   * gets a higher number than any version the model ever had.
   * Deletes one version; FAILED_PRECONDITION while a label points at it, unless force (which removes those labels).
   */
  deleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  deleteModelVersion(argument: _taan_v1_DeleteModelVersionRequest, callback: grpc.requestCallback<_taan_v1_DeleteModelVersionResponse__Output>): grpc.ClientUnaryCall;
  
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
   * Uploaded datasets, oldest first.
   */
  ListDatasets(argument: _taan_v1_ListDatasetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  ListDatasets(argument: _taan_v1_ListDatasetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  ListDatasets(argument: _taan_v1_ListDatasetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  ListDatasets(argument: _taan_v1_ListDatasetsRequest, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Uploaded datasets, oldest first.
   */
  listDatasets(argument: _taan_v1_ListDatasetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _taan_v1_ListDatasetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _taan_v1_ListDatasetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  listDatasets(argument: _taan_v1_ListDatasetsRequest, callback: grpc.requestCallback<_taan_v1_ListDatasetsResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  /**
   * Deletes an uploaded dataset; FAILED_PRECONDITION while a queued or running job uses it.
   */
  DeleteDataset: grpc.handleUnaryCall<_taan_v1_DeleteDatasetRequest__Output, _taan_v1_DeleteDatasetResponse>;
  
  /**
   * Deletes a SUCCEEDED, FAILED or CANCELLED job with its checkpoints (FAILED_PRECONDITION otherwise); the model
   * version it published stays.
   */
  DeleteJob: grpc.handleUnaryCall<_taan_v1_DeleteJobRequest__Output, _taan_v1_DeleteJobResponse>;
  
  /**
   * Deletes every version and label of a model.
   */
  DeleteModel: grpc.handleUnaryCall<_taan_v1_DeleteModelRequest__Output, _taan_v1_DeleteModelResponse>;
  
  /**
   * Lifecycle (admin role for the deletes). Version numbers are never reused: a version published after a delete
   * gets a higher number than any version the model ever had.
   * Deletes one version; FAILED_PRECONDITION while a label points at it, unless force (which removes those labels).
   */
  DeleteModelVersion: grpc.handleUnaryCall<_taan_v1_DeleteModelVersionRequest__Output, _taan_v1_DeleteModelVersionResponse>;
  
  GetActivationMetrics: grpc.handleUnaryCall<_taan_v1_GetActivationMetricsRequest__Output, _taan_v1_ActivationMetrics>;
  
  GetJob: grpc.handleUnaryCall<_taan_v1_GetJobRequest__Output, _taan_v1_Job>;
  
  GetModel: grpc.handleUnaryCall<_taan_v1_GetModelRequest__Output, _taan_v1_Model>;
  
  GetSweep: grpc.handleUnaryCall<_taan_v1_GetSweepRequest__Output, _taan_v1_Sweep>;
  
  /**
   * Uploaded datasets, oldest first.
   */
  ListDatasets: grpc.handleUnaryCall<_taan_v1_ListDatasetsRequest__Output, _taan_v1_ListDatasetsResponse>;
  
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
  DeleteDataset: MethodDefinition<_taan_v1_DeleteDatasetRequest, _taan_v1_DeleteDatasetResponse, _taan_v1_DeleteDatasetRequest__Output, _taan_v1_DeleteDatasetResponse__Output>
  DeleteJob: MethodDefinition<_taan_v1_DeleteJobRequest, _taan_v1_DeleteJobResponse, _taan_v1_DeleteJobRequest__Output, _taan_v1_DeleteJobResponse__Output>
  DeleteModel: MethodDefinition<_taan_v1_DeleteModelRequest, _taan_v1_DeleteModelResponse, _taan_v1_DeleteModelRequest__Output, _taan_v1_DeleteModelResponse__Output>
  DeleteModelVersion: MethodDefinition<_taan_v1_DeleteModelVersionRequest, _taan_v1_DeleteModelVersionResponse, _taan_v1_DeleteModelVersionRequest__Output, _taan_v1_DeleteModelVersionResponse__Output>
  GetActivationMetrics: MethodDefinition<_taan_v1_GetActivationMetricsRequest, _taan_v1_ActivationMetrics, _taan_v1_GetActivationMetricsRequest__Output, _taan_v1_ActivationMetrics__Output>
  GetJob: MethodDefinition<_taan_v1_GetJobRequest, _taan_v1_Job, _taan_v1_GetJobRequest__Output, _taan_v1_Job__Output>
  GetModel: MethodDefinition<_taan_v1_GetModelRequest, _taan_v1_Model, _taan_v1_GetModelRequest__Output, _taan_v1_Model__Output>
  GetSweep: MethodDefinition<_taan_v1_GetSweepRequest, _taan_v1_Sweep, _taan_v1_GetSweepRequest__Output, _taan_v1_Sweep__Output>
  ListDatasets: MethodDefinition<_taan_v1_ListDatasetsRequest, _taan_v1_ListDatasetsResponse, _taan_v1_ListDatasetsRequest__Output, _taan_v1_ListDatasetsResponse__Output>
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
