// Original file: proto/taan/v1/taan.proto

import type { SyntheticDataset as _taan_v1_SyntheticDataset, SyntheticDataset__Output as _taan_v1_SyntheticDataset__Output } from '../../taan/v1/SyntheticDataset.js';
import type { Yt8mDataset as _taan_v1_Yt8mDataset, Yt8mDataset__Output as _taan_v1_Yt8mDataset__Output } from '../../taan/v1/Yt8mDataset.js';
import type { ArffDataset as _taan_v1_ArffDataset, ArffDataset__Output as _taan_v1_ArffDataset__Output } from '../../taan/v1/ArffDataset.js';
import type { Architecture as _taan_v1_Architecture, Architecture__Output as _taan_v1_Architecture__Output } from '../../taan/v1/Architecture.js';
import type { Regularizer as _taan_v1_Regularizer, Regularizer__Output as _taan_v1_Regularizer__Output } from '../../taan/v1/Regularizer.js';
import type { Measure as _taan_v1_Measure, Measure__Output as _taan_v1_Measure__Output } from '../../taan/v1/Measure.js';
import type { LossWeighting as _taan_v1_LossWeighting, LossWeighting__Output as _taan_v1_LossWeighting__Output } from '../../taan/v1/LossWeighting.js';
import type { Long } from '@grpc/proto-loader';

export interface TrainJobRequest {
  'model_name'?: (string);
  'submission_id'?: (string);
  'synthetic'?: (_taan_v1_SyntheticDataset | null);
  'yt8m'?: (_taan_v1_Yt8mDataset | null);
  'arff'?: (_taan_v1_ArffDataset | null);
  /**
   * An uploaded dataset; its layout (TFRecords + vocabulary, or ARFF) is detected from its files.
   */
  'dataset_id'?: (string);
  'architecture'?: (_taan_v1_Architecture);
  /**
   * Default [1024, 1024, 1024].
   */
  'hidden_sizes'?: (number)[];
  /**
   * M, hinges per layer (TAAN); default 64.
   */
  'num_basis'?: (number);
  'regularizer'?: (_taan_v1_Regularizer);
  /**
   * default 0.1
   */
  'reg_coefficient'?: (number | string);
  /**
   * default 3e-4 (docs/results/recipe.md)
   */
  'learning_rate'?: (number | string);
  /**
   * default 0
   */
  'weight_decay'?: (number | string);
  /**
   * default 64
   */
  'batch_size_per_task'?: (number);
  /**
   * default 10
   */
  'max_epochs'?: (number);
  /**
   * default 3; 0 disables
   */
  'early_stopping_patience'?: (number);
  'seed'?: (number | string | Long);
  /**
   * 0 = the server's limit.
   */
  'max_runtime_seconds'?: (number | string);
  'measure'?: (_taan_v1_Measure);
  /**
   * Labels moved to the version this job publishes.
   */
  'version_labels'?: (string)[];
  'loss_weighting'?: (_taan_v1_LossWeighting);
  /**
   * MMOE: experts (each an MLP of hidden_sizes); default 8.
   */
  'num_experts'?: (number);
  /**
   * MMOE: hidden layers of every task's tower between the mixture and its head; default none.
   */
  'tower_hidden_sizes'?: (number)[];
  'dataset'?: "synthetic"|"yt8m"|"arff"|"dataset_id";
  '_reg_coefficient'?: "reg_coefficient";
  '_learning_rate'?: "learning_rate";
  '_weight_decay'?: "weight_decay";
  '_early_stopping_patience'?: "early_stopping_patience";
}

export interface TrainJobRequest__Output {
  'model_name': (string);
  'submission_id': (string);
  'synthetic'?: (_taan_v1_SyntheticDataset__Output | null);
  'yt8m'?: (_taan_v1_Yt8mDataset__Output | null);
  'arff'?: (_taan_v1_ArffDataset__Output | null);
  /**
   * An uploaded dataset; its layout (TFRecords + vocabulary, or ARFF) is detected from its files.
   */
  'dataset_id'?: (string);
  'architecture': (_taan_v1_Architecture__Output);
  /**
   * Default [1024, 1024, 1024].
   */
  'hidden_sizes': (number)[];
  /**
   * M, hinges per layer (TAAN); default 64.
   */
  'num_basis': (number);
  'regularizer': (_taan_v1_Regularizer__Output);
  /**
   * default 0.1
   */
  'reg_coefficient'?: (number);
  /**
   * default 3e-4 (docs/results/recipe.md)
   */
  'learning_rate'?: (number);
  /**
   * default 0
   */
  'weight_decay'?: (number);
  /**
   * default 64
   */
  'batch_size_per_task': (number);
  /**
   * default 10
   */
  'max_epochs': (number);
  /**
   * default 3; 0 disables
   */
  'early_stopping_patience'?: (number);
  'seed': (number);
  /**
   * 0 = the server's limit.
   */
  'max_runtime_seconds': (number);
  'measure': (_taan_v1_Measure__Output);
  /**
   * Labels moved to the version this job publishes.
   */
  'version_labels': (string)[];
  'loss_weighting': (_taan_v1_LossWeighting__Output);
  /**
   * MMOE: experts (each an MLP of hidden_sizes); default 8.
   */
  'num_experts': (number);
  /**
   * MMOE: hidden layers of every task's tower between the mixture and its head; default none.
   */
  'tower_hidden_sizes': (number)[];
  'dataset'?: "synthetic"|"yt8m"|"arff"|"dataset_id";
  '_reg_coefficient'?: "reg_coefficient";
  '_learning_rate'?: "learning_rate";
  '_weight_decay'?: "weight_decay";
  '_early_stopping_patience'?: "early_stopping_patience";
}
