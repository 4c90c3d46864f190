/** The metric names api.md makes part of the contract (dashboards and alerts query them). */
export const API_METRIC_NAMES: readonly string[] = [
  'taan_train_step_duration_seconds',
  'taan_train_steps_total',
  'taan_train_loss',
  'taan_eval_map_at_10',
  'taan_jobs',
  'taan_job_queue_depth',
  'taan_worker_busy',
  'taan_predict_duration_seconds',
  'taan_predict_examples_total',
  'grpc_server_started_total',
  'grpc_server_handled_total',
  'grpc_server_handling_seconds',
];
