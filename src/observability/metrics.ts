/**
 * Every Prometheus metric of the service, by the names api.md fixes (dashboards query them; nowhere else writes a
 * metric name). Each TaanMetrics owns a private Registry, never prom-client's global one, so two apps in one test
 * process, or two test files, cannot collide on registration.
 *
 * Labels stay low-cardinality: model, task, state and gRPC method names only. Never label by job id, example or
 * class: each distinct value is a new time series kept forever by Prometheus.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Seconds. One step is ~1 ms for a tiny test net and up to tens of seconds for a large batch on the cpu backend.
const TRAIN_STEP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// Seconds. A batched forward pass of one example is sub-millisecond; 10 s catches a stuck worker.
const PREDICT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// Rows per Predict forward pass: 1 for a lone client, up to TAAN_PREDICT_MAX_BATCH under load.
const BATCH_ROWS_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];
// Seconds. Unary RPCs land low; WatchJob streams last as long as a job and all fall in +Inf, which is expected.
const GRPC_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type GrpcLabel = 'grpc_service' | 'grpc_method' | 'grpc_type';

/** What one worker reports about its tfjs instance (workers/protocol.ts WorkerStats). */
export interface WorkerMemory {
  worker: number;
  numTensors: number;
  numBytes: number;
  wasmHeapBytes: number;
  jsHeapBytes: number;
}

export class TaanMetrics {
  readonly registry: Registry;
  /** Seconds per training step (forward, backward, optimizer update). */
  readonly trainStepDuration: Histogram;
  readonly trainStepsTotal: Counter;
  /** Latest training loss per model. */
  readonly trainLoss: Gauge<'model'>;
  /** Latest evaluation mAP@10 of each model's tasks. */
  readonly evalMapAt10: Gauge<'model' | 'task'>;
  /** Jobs per state (queued, running, ...). Set from the store's counts, not inc()/dec(), to stay right after a restart. */
  readonly jobs: Gauge<'state'>;
  readonly jobQueueDepth: Gauge;
  /** Workers currently running a job or a predict batch. */
  readonly workerBusy: Gauge;
  readonly predictDuration: Histogram<'model'>;
  readonly predictExamples: Counter<'model'>;
  /** Rows of each Predict forward pass (how well dynamic batching coalesces). */
  readonly predictBatchRows: Histogram;
  /** Live tensors per worker; flat under a steady load, or tensors leak. */
  readonly workerTensors: Gauge<'worker'>;
  readonly workerTensorBytes: Gauge<'worker'>;
  /** Linear memory of each worker's wasm backend (it never shrinks: its peak is the largest batch seen). */
  readonly workerWasmHeapBytes: Gauge<'worker'>;
  readonly workerJsHeapBytes: Gauge<'worker'>;
  /** 1 for the compute path the workers run (native-blas or tfjs-<backend>), labelled with what provides it. */
  readonly computeInfo: Gauge<'path' | 'provider'>;
  /**
   * 1 while the job and model store answers, 0 from a call that found it unreachable until one that reaches it (the
   * embedded SQLite store is always 1). Predict keeps serving loaded models meanwhile; jobs and uploads wait.
   */
  readonly storeUp: Gauge;
  /** go-grpc-prometheus names, so stock gRPC dashboards work unchanged. */
  readonly grpcStarted: Counter<GrpcLabel>;
  readonly grpcHandled: Counter<GrpcLabel | 'grpc_code'>;
  readonly grpcHandlingSeconds: Histogram<GrpcLabel>;
  /** Open Inference Protocol REST requests by route (its pattern, not the path) and HTTP status code. */
  readonly httpRequests: Counter<'route' | 'code'>;
  readonly httpRequestSeconds: Histogram<'route'>;
  /** Bytes of the state dir by kind (models, checkpoints, datasets, jobs), set on a timer and after deletes. */
  readonly stateBytes: Gauge<'kind'>;

  constructor(registry: Registry = new Registry()) {
    this.registry = registry;
    const registers = [registry];

    this.trainStepDuration = new Histogram({
      name: 'taan_train_step_duration_seconds',
      help: 'Duration of one training step in seconds.',
      buckets: TRAIN_STEP_BUCKETS,
      registers,
    });
    this.trainStepsTotal = new Counter({
      name: 'taan_train_steps_total',
      help: 'Training steps completed.',
      registers,
    });
    this.trainLoss = new Gauge({
      name: 'taan_train_loss',
      help: 'Latest training loss of each model.',
      labelNames: ['model'],
      registers,
    });
    this.evalMapAt10 = new Gauge({
      name: 'taan_eval_map_at_10',
      help: 'Latest mAP@10 of each task of each model.',
      labelNames: ['model', 'task'],
      registers,
    });
    this.jobs = new Gauge({ name: 'taan_jobs', help: 'Jobs in each state.', labelNames: ['state'], registers });
    this.jobQueueDepth = new Gauge({
      name: 'taan_job_queue_depth',
      help: 'Jobs waiting for a worker.',
      registers,
    });
    this.workerBusy = new Gauge({ name: 'taan_worker_busy', help: 'Workers currently busy.', registers });
    this.predictDuration = new Histogram({
      name: 'taan_predict_duration_seconds',
      help: 'Duration of one Predict call in seconds.',
      labelNames: ['model'],
      buckets: PREDICT_BUCKETS,
      registers,
    });
    this.predictExamples = new Counter({
      name: 'taan_predict_examples_total',
      help: 'Examples scored by Predict.',
      labelNames: ['model'],
      registers,
    });
    this.predictBatchRows = new Histogram({
      name: 'taan_predict_batch_rows',
      help: 'Rows of each Predict forward pass after dynamic batching.',
      buckets: BATCH_ROWS_BUCKETS,
      registers,
    });
    // Filled at scrape time from the worker pool (watchWorkers); empty until a source is set.
    const stats = (): Promise<WorkerMemory[]> | undefined => this.workerStats();
    const workerGauge = (name: string, help: string, pick: (w: WorkerMemory) => number): Gauge<'worker'> =>
      new Gauge({
        name,
        help,
        labelNames: ['worker'],
        registers,
        async collect() {
          const workers = await stats();
          if (!workers) return;
          this.reset();
          for (const w of workers) this.set({ worker: String(w.worker) }, pick(w));
        },
      });
    this.workerTensors = workerGauge('taan_worker_tensors', 'Live tfjs tensors in each worker.', (w) => w.numTensors);
    this.workerTensorBytes = workerGauge('taan_worker_tensor_bytes', 'Bytes held by live tfjs tensors in each worker.', (w) => w.numBytes);
    this.workerWasmHeapBytes = workerGauge('taan_worker_wasm_heap_bytes', 'Linear memory of the wasm backend in each worker (0 on other backends).', (w) => w.wasmHeapBytes);
    this.workerJsHeapBytes = workerGauge('taan_worker_js_heap_bytes', 'V8 heap in use in each worker thread.', (w) => w.jsHeapBytes);
    this.computeInfo = new Gauge({
      name: 'taan_compute_info',
      help: 'Compute path of the workers (value 1): native-blas (OpenBLAS host step) or tfjs-<backend>.',
      labelNames: ['path', 'provider'],
      registers,
    });
    this.storeUp = new Gauge({
      name: 'taan_store_up',
      help: 'Whether the last call to the job and model store reached it (1) or found it unreachable (0).',
      registers,
    });
    this.grpcStarted = new Counter({
      name: 'grpc_server_started_total',
      help: 'RPCs started on the server.',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type'],
      registers,
    });
    this.grpcHandled = new Counter({
      name: 'grpc_server_handled_total',
      help: 'RPCs completed on the server, by status code.',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type', 'grpc_code'],
      registers,
    });
    this.grpcHandlingSeconds = new Histogram({
      name: 'grpc_server_handling_seconds',
      help: 'Time from RPC start to its final status, in seconds.',
      labelNames: ['grpc_service', 'grpc_method', 'grpc_type'],
      buckets: GRPC_BUCKETS,
      registers,
    });
    this.httpRequests = new Counter({
      name: 'taan_http_requests_total',
      help: 'Open Inference Protocol REST requests answered, by route pattern and HTTP status code.',
      labelNames: ['route', 'code'],
      registers,
    });
    this.httpRequestSeconds = new Histogram({
      name: 'taan_http_request_duration_seconds',
      help: 'Time from an Open Inference Protocol REST request to its answer, in seconds.',
      labelNames: ['route'],
      buckets: GRPC_BUCKETS,
      registers,
    });

    this.stateBytes = new Gauge({
      name: 'taan_state_bytes',
      help: "Bytes of the state dir by kind: models (registry), checkpoints (jobs' working folders), datasets (uploads), jobs (job database).",
      labelNames: ['kind'],
      registers,
    });

    // 10 ms resolution is enough for nodejs_eventloop_lag_p99_seconds to show a tfjs call blocking the main thread.
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  }

  private workerSource: (() => Promise<WorkerMemory[]>) | undefined;
  private workerScrape: Promise<WorkerMemory[]> | undefined;

  /** Where the taan_worker_* gauges read from at scrape time (the worker pool). */
  watchWorkers(source: () => Promise<WorkerMemory[]>): void {
    this.workerSource = source;
  }

  /** One question to the workers per scrape, shared by the four gauges; undefined until a source is set. */
  private workerStats(): Promise<WorkerMemory[]> | undefined {
    if (!this.workerSource) return undefined;
    this.workerScrape ??= this.workerSource().finally(() => {
      this.workerScrape = undefined;
    });
    return this.workerScrape;
  }
}
