import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { ActivationMetrics as _taan_v1_ActivationMetrics, ActivationMetrics__Output as _taan_v1_ActivationMetrics__Output } from './taan/v1/ActivationMetrics.js';
import type { ArffDataset as _taan_v1_ArffDataset, ArffDataset__Output as _taan_v1_ArffDataset__Output } from './taan/v1/ArffDataset.js';
import type { CancelJobRequest as _taan_v1_CancelJobRequest, CancelJobRequest__Output as _taan_v1_CancelJobRequest__Output } from './taan/v1/CancelJobRequest.js';
import type { CancelSweepRequest as _taan_v1_CancelSweepRequest, CancelSweepRequest__Output as _taan_v1_CancelSweepRequest__Output } from './taan/v1/CancelSweepRequest.js';
import type { ClassScore as _taan_v1_ClassScore, ClassScore__Output as _taan_v1_ClassScore__Output } from './taan/v1/ClassScore.js';
import type { Curves as _taan_v1_Curves, Curves__Output as _taan_v1_Curves__Output } from './taan/v1/Curves.js';
import type { Dataset as _taan_v1_Dataset, Dataset__Output as _taan_v1_Dataset__Output } from './taan/v1/Dataset.js';
import type { DatasetChunk as _taan_v1_DatasetChunk, DatasetChunk__Output as _taan_v1_DatasetChunk__Output } from './taan/v1/DatasetChunk.js';
import type { DatasetFile as _taan_v1_DatasetFile, DatasetFile__Output as _taan_v1_DatasetFile__Output } from './taan/v1/DatasetFile.js';
import type { DatasetSummary as _taan_v1_DatasetSummary, DatasetSummary__Output as _taan_v1_DatasetSummary__Output } from './taan/v1/DatasetSummary.js';
import type { DeleteDatasetRequest as _taan_v1_DeleteDatasetRequest, DeleteDatasetRequest__Output as _taan_v1_DeleteDatasetRequest__Output } from './taan/v1/DeleteDatasetRequest.js';
import type { DeleteDatasetResponse as _taan_v1_DeleteDatasetResponse, DeleteDatasetResponse__Output as _taan_v1_DeleteDatasetResponse__Output } from './taan/v1/DeleteDatasetResponse.js';
import type { DeleteJobRequest as _taan_v1_DeleteJobRequest, DeleteJobRequest__Output as _taan_v1_DeleteJobRequest__Output } from './taan/v1/DeleteJobRequest.js';
import type { DeleteJobResponse as _taan_v1_DeleteJobResponse, DeleteJobResponse__Output as _taan_v1_DeleteJobResponse__Output } from './taan/v1/DeleteJobResponse.js';
import type { DeleteModelRequest as _taan_v1_DeleteModelRequest, DeleteModelRequest__Output as _taan_v1_DeleteModelRequest__Output } from './taan/v1/DeleteModelRequest.js';
import type { DeleteModelResponse as _taan_v1_DeleteModelResponse, DeleteModelResponse__Output as _taan_v1_DeleteModelResponse__Output } from './taan/v1/DeleteModelResponse.js';
import type { DeleteModelVersionRequest as _taan_v1_DeleteModelVersionRequest, DeleteModelVersionRequest__Output as _taan_v1_DeleteModelVersionRequest__Output } from './taan/v1/DeleteModelVersionRequest.js';
import type { DeleteModelVersionResponse as _taan_v1_DeleteModelVersionResponse, DeleteModelVersionResponse__Output as _taan_v1_DeleteModelVersionResponse__Output } from './taan/v1/DeleteModelVersionResponse.js';
import type { EpochRecord as _taan_v1_EpochRecord, EpochRecord__Output as _taan_v1_EpochRecord__Output } from './taan/v1/EpochRecord.js';
import type { Example as _taan_v1_Example, Example__Output as _taan_v1_Example__Output } from './taan/v1/Example.js';
import type { ExampleResult as _taan_v1_ExampleResult, ExampleResult__Output as _taan_v1_ExampleResult__Output } from './taan/v1/ExampleResult.js';
import type { GetActivationMetricsRequest as _taan_v1_GetActivationMetricsRequest, GetActivationMetricsRequest__Output as _taan_v1_GetActivationMetricsRequest__Output } from './taan/v1/GetActivationMetricsRequest.js';
import type { GetJobRequest as _taan_v1_GetJobRequest, GetJobRequest__Output as _taan_v1_GetJobRequest__Output } from './taan/v1/GetJobRequest.js';
import type { GetModelRequest as _taan_v1_GetModelRequest, GetModelRequest__Output as _taan_v1_GetModelRequest__Output } from './taan/v1/GetModelRequest.js';
import type { GetSweepRequest as _taan_v1_GetSweepRequest, GetSweepRequest__Output as _taan_v1_GetSweepRequest__Output } from './taan/v1/GetSweepRequest.js';
import type { HiddenSizes as _taan_v1_HiddenSizes, HiddenSizes__Output as _taan_v1_HiddenSizes__Output } from './taan/v1/HiddenSizes.js';
import type { Job as _taan_v1_Job, Job__Output as _taan_v1_Job__Output } from './taan/v1/Job.js';
import type { JobEvent as _taan_v1_JobEvent, JobEvent__Output as _taan_v1_JobEvent__Output } from './taan/v1/JobEvent.js';
import type { JobMetrics as _taan_v1_JobMetrics, JobMetrics__Output as _taan_v1_JobMetrics__Output } from './taan/v1/JobMetrics.js';
import type { JobProgress as _taan_v1_JobProgress, JobProgress__Output as _taan_v1_JobProgress__Output } from './taan/v1/JobProgress.js';
import type { JobTransition as _taan_v1_JobTransition, JobTransition__Output as _taan_v1_JobTransition__Output } from './taan/v1/JobTransition.js';
import type { LabelGroup as _taan_v1_LabelGroup, LabelGroup__Output as _taan_v1_LabelGroup__Output } from './taan/v1/LabelGroup.js';
import type { LayerActivation as _taan_v1_LayerActivation, LayerActivation__Output as _taan_v1_LayerActivation__Output } from './taan/v1/LayerActivation.js';
import type { ListDatasetsRequest as _taan_v1_ListDatasetsRequest, ListDatasetsRequest__Output as _taan_v1_ListDatasetsRequest__Output } from './taan/v1/ListDatasetsRequest.js';
import type { ListDatasetsResponse as _taan_v1_ListDatasetsResponse, ListDatasetsResponse__Output as _taan_v1_ListDatasetsResponse__Output } from './taan/v1/ListDatasetsResponse.js';
import type { ListJobsRequest as _taan_v1_ListJobsRequest, ListJobsRequest__Output as _taan_v1_ListJobsRequest__Output } from './taan/v1/ListJobsRequest.js';
import type { ListJobsResponse as _taan_v1_ListJobsResponse, ListJobsResponse__Output as _taan_v1_ListJobsResponse__Output } from './taan/v1/ListJobsResponse.js';
import type { ListModelsRequest as _taan_v1_ListModelsRequest, ListModelsRequest__Output as _taan_v1_ListModelsRequest__Output } from './taan/v1/ListModelsRequest.js';
import type { ListModelsResponse as _taan_v1_ListModelsResponse, ListModelsResponse__Output as _taan_v1_ListModelsResponse__Output } from './taan/v1/ListModelsResponse.js';
import type { ListSweepsRequest as _taan_v1_ListSweepsRequest, ListSweepsRequest__Output as _taan_v1_ListSweepsRequest__Output } from './taan/v1/ListSweepsRequest.js';
import type { ListSweepsResponse as _taan_v1_ListSweepsResponse, ListSweepsResponse__Output as _taan_v1_ListSweepsResponse__Output } from './taan/v1/ListSweepsResponse.js';
import type { Model as _taan_v1_Model, Model__Output as _taan_v1_Model__Output } from './taan/v1/Model.js';
import type { ModelSpec as _taan_v1_ModelSpec, ModelSpec__Output as _taan_v1_ModelSpec__Output } from './taan/v1/ModelSpec.js';
import type { PredictRequest as _taan_v1_PredictRequest, PredictRequest__Output as _taan_v1_PredictRequest__Output } from './taan/v1/PredictRequest.js';
import type { PredictResponse as _taan_v1_PredictResponse, PredictResponse__Output as _taan_v1_PredictResponse__Output } from './taan/v1/PredictResponse.js';
import type { SetModelVersionLabelRequest as _taan_v1_SetModelVersionLabelRequest, SetModelVersionLabelRequest__Output as _taan_v1_SetModelVersionLabelRequest__Output } from './taan/v1/SetModelVersionLabelRequest.js';
import type { StartSweepRequest as _taan_v1_StartSweepRequest, StartSweepRequest__Output as _taan_v1_StartSweepRequest__Output } from './taan/v1/StartSweepRequest.js';
import type { Sweep as _taan_v1_Sweep, Sweep__Output as _taan_v1_Sweep__Output } from './taan/v1/Sweep.js';
import type { SweepAxes as _taan_v1_SweepAxes, SweepAxes__Output as _taan_v1_SweepAxes__Output } from './taan/v1/SweepAxes.js';
import type { SweepChild as _taan_v1_SweepChild, SweepChild__Output as _taan_v1_SweepChild__Output } from './taan/v1/SweepChild.js';
import type { SweepGroup as _taan_v1_SweepGroup, SweepGroup__Output as _taan_v1_SweepGroup__Output } from './taan/v1/SweepGroup.js';
import type { SyntheticDataset as _taan_v1_SyntheticDataset, SyntheticDataset__Output as _taan_v1_SyntheticDataset__Output } from './taan/v1/SyntheticDataset.js';
import type { TaanServiceClient as _taan_v1_TaanServiceClient, TaanServiceDefinition as _taan_v1_TaanServiceDefinition } from './taan/v1/TaanService.js';
import type { TaskInfo as _taan_v1_TaskInfo, TaskInfo__Output as _taan_v1_TaskInfo__Output } from './taan/v1/TaskInfo.js';
import type { TaskPrediction as _taan_v1_TaskPrediction, TaskPrediction__Output as _taan_v1_TaskPrediction__Output } from './taan/v1/TaskPrediction.js';
import type { TaskSummary as _taan_v1_TaskSummary, TaskSummary__Output as _taan_v1_TaskSummary__Output } from './taan/v1/TaskSummary.js';
import type { TrainJobRequest as _taan_v1_TrainJobRequest, TrainJobRequest__Output as _taan_v1_TrainJobRequest__Output } from './taan/v1/TrainJobRequest.js';
import type { WatchJobRequest as _taan_v1_WatchJobRequest, WatchJobRequest__Output as _taan_v1_WatchJobRequest__Output } from './taan/v1/WatchJobRequest.js';
import type { WatchSweepRequest as _taan_v1_WatchSweepRequest, WatchSweepRequest__Output as _taan_v1_WatchSweepRequest__Output } from './taan/v1/WatchSweepRequest.js';
import type { Yt8mDataset as _taan_v1_Yt8mDataset, Yt8mDataset__Output as _taan_v1_Yt8mDataset__Output } from './taan/v1/Yt8mDataset.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  taan: {
    v1: {
      ActivationMetrics: MessageTypeDefinition<_taan_v1_ActivationMetrics, _taan_v1_ActivationMetrics__Output>
      Architecture: EnumTypeDefinition
      ArffDataset: MessageTypeDefinition<_taan_v1_ArffDataset, _taan_v1_ArffDataset__Output>
      CancelJobRequest: MessageTypeDefinition<_taan_v1_CancelJobRequest, _taan_v1_CancelJobRequest__Output>
      CancelSweepRequest: MessageTypeDefinition<_taan_v1_CancelSweepRequest, _taan_v1_CancelSweepRequest__Output>
      ClassScore: MessageTypeDefinition<_taan_v1_ClassScore, _taan_v1_ClassScore__Output>
      Curves: MessageTypeDefinition<_taan_v1_Curves, _taan_v1_Curves__Output>
      Dataset: MessageTypeDefinition<_taan_v1_Dataset, _taan_v1_Dataset__Output>
      DatasetChunk: MessageTypeDefinition<_taan_v1_DatasetChunk, _taan_v1_DatasetChunk__Output>
      DatasetFile: MessageTypeDefinition<_taan_v1_DatasetFile, _taan_v1_DatasetFile__Output>
      DatasetSummary: MessageTypeDefinition<_taan_v1_DatasetSummary, _taan_v1_DatasetSummary__Output>
      DeleteDatasetRequest: MessageTypeDefinition<_taan_v1_DeleteDatasetRequest, _taan_v1_DeleteDatasetRequest__Output>
      DeleteDatasetResponse: MessageTypeDefinition<_taan_v1_DeleteDatasetResponse, _taan_v1_DeleteDatasetResponse__Output>
      DeleteJobRequest: MessageTypeDefinition<_taan_v1_DeleteJobRequest, _taan_v1_DeleteJobRequest__Output>
      DeleteJobResponse: MessageTypeDefinition<_taan_v1_DeleteJobResponse, _taan_v1_DeleteJobResponse__Output>
      DeleteModelRequest: MessageTypeDefinition<_taan_v1_DeleteModelRequest, _taan_v1_DeleteModelRequest__Output>
      DeleteModelResponse: MessageTypeDefinition<_taan_v1_DeleteModelResponse, _taan_v1_DeleteModelResponse__Output>
      DeleteModelVersionRequest: MessageTypeDefinition<_taan_v1_DeleteModelVersionRequest, _taan_v1_DeleteModelVersionRequest__Output>
      DeleteModelVersionResponse: MessageTypeDefinition<_taan_v1_DeleteModelVersionResponse, _taan_v1_DeleteModelVersionResponse__Output>
      EpochRecord: MessageTypeDefinition<_taan_v1_EpochRecord, _taan_v1_EpochRecord__Output>
      Example: MessageTypeDefinition<_taan_v1_Example, _taan_v1_Example__Output>
      ExampleResult: MessageTypeDefinition<_taan_v1_ExampleResult, _taan_v1_ExampleResult__Output>
      GetActivationMetricsRequest: MessageTypeDefinition<_taan_v1_GetActivationMetricsRequest, _taan_v1_GetActivationMetricsRequest__Output>
      GetJobRequest: MessageTypeDefinition<_taan_v1_GetJobRequest, _taan_v1_GetJobRequest__Output>
      GetModelRequest: MessageTypeDefinition<_taan_v1_GetModelRequest, _taan_v1_GetModelRequest__Output>
      GetSweepRequest: MessageTypeDefinition<_taan_v1_GetSweepRequest, _taan_v1_GetSweepRequest__Output>
      HiddenSizes: MessageTypeDefinition<_taan_v1_HiddenSizes, _taan_v1_HiddenSizes__Output>
      Job: MessageTypeDefinition<_taan_v1_Job, _taan_v1_Job__Output>
      JobEvent: MessageTypeDefinition<_taan_v1_JobEvent, _taan_v1_JobEvent__Output>
      JobMetrics: MessageTypeDefinition<_taan_v1_JobMetrics, _taan_v1_JobMetrics__Output>
      JobProgress: MessageTypeDefinition<_taan_v1_JobProgress, _taan_v1_JobProgress__Output>
      JobState: EnumTypeDefinition
      JobTransition: MessageTypeDefinition<_taan_v1_JobTransition, _taan_v1_JobTransition__Output>
      LabelGroup: MessageTypeDefinition<_taan_v1_LabelGroup, _taan_v1_LabelGroup__Output>
      LayerActivation: MessageTypeDefinition<_taan_v1_LayerActivation, _taan_v1_LayerActivation__Output>
      ListDatasetsRequest: MessageTypeDefinition<_taan_v1_ListDatasetsRequest, _taan_v1_ListDatasetsRequest__Output>
      ListDatasetsResponse: MessageTypeDefinition<_taan_v1_ListDatasetsResponse, _taan_v1_ListDatasetsResponse__Output>
      ListJobsRequest: MessageTypeDefinition<_taan_v1_ListJobsRequest, _taan_v1_ListJobsRequest__Output>
      ListJobsResponse: MessageTypeDefinition<_taan_v1_ListJobsResponse, _taan_v1_ListJobsResponse__Output>
      ListModelsRequest: MessageTypeDefinition<_taan_v1_ListModelsRequest, _taan_v1_ListModelsRequest__Output>
      ListModelsResponse: MessageTypeDefinition<_taan_v1_ListModelsResponse, _taan_v1_ListModelsResponse__Output>
      ListSweepsRequest: MessageTypeDefinition<_taan_v1_ListSweepsRequest, _taan_v1_ListSweepsRequest__Output>
      ListSweepsResponse: MessageTypeDefinition<_taan_v1_ListSweepsResponse, _taan_v1_ListSweepsResponse__Output>
      LossWeighting: EnumTypeDefinition
      Measure: EnumTypeDefinition
      Model: MessageTypeDefinition<_taan_v1_Model, _taan_v1_Model__Output>
      ModelSpec: MessageTypeDefinition<_taan_v1_ModelSpec, _taan_v1_ModelSpec__Output>
      PredictRequest: MessageTypeDefinition<_taan_v1_PredictRequest, _taan_v1_PredictRequest__Output>
      PredictResponse: MessageTypeDefinition<_taan_v1_PredictResponse, _taan_v1_PredictResponse__Output>
      Regularizer: EnumTypeDefinition
      SetModelVersionLabelRequest: MessageTypeDefinition<_taan_v1_SetModelVersionLabelRequest, _taan_v1_SetModelVersionLabelRequest__Output>
      StartSweepRequest: MessageTypeDefinition<_taan_v1_StartSweepRequest, _taan_v1_StartSweepRequest__Output>
      Sweep: MessageTypeDefinition<_taan_v1_Sweep, _taan_v1_Sweep__Output>
      SweepAxes: MessageTypeDefinition<_taan_v1_SweepAxes, _taan_v1_SweepAxes__Output>
      SweepChild: MessageTypeDefinition<_taan_v1_SweepChild, _taan_v1_SweepChild__Output>
      SweepGroup: MessageTypeDefinition<_taan_v1_SweepGroup, _taan_v1_SweepGroup__Output>
      SweepObjective: EnumTypeDefinition
      SyntheticDataset: MessageTypeDefinition<_taan_v1_SyntheticDataset, _taan_v1_SyntheticDataset__Output>
      TaanService: SubtypeConstructor<typeof grpc.Client, _taan_v1_TaanServiceClient> & { service: _taan_v1_TaanServiceDefinition }
      TaskInfo: MessageTypeDefinition<_taan_v1_TaskInfo, _taan_v1_TaskInfo__Output>
      TaskPrediction: MessageTypeDefinition<_taan_v1_TaskPrediction, _taan_v1_TaskPrediction__Output>
      TaskSummary: MessageTypeDefinition<_taan_v1_TaskSummary, _taan_v1_TaskSummary__Output>
      TrainJobRequest: MessageTypeDefinition<_taan_v1_TrainJobRequest, _taan_v1_TrainJobRequest__Output>
      WatchJobRequest: MessageTypeDefinition<_taan_v1_WatchJobRequest, _taan_v1_WatchJobRequest__Output>
      WatchSweepRequest: MessageTypeDefinition<_taan_v1_WatchSweepRequest, _taan_v1_WatchSweepRequest__Output>
      Yt8mDataset: MessageTypeDefinition<_taan_v1_Yt8mDataset, _taan_v1_Yt8mDataset__Output>
    }
  }
}

