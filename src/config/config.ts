/**
 * The validated, frozen settings of one `taan serve` process. Only `loadConfig` builds one; constructors receive
 * the slice they need (e.g. `{ size: config.workers }`), never the whole object.
 */

/** What TAAN_BACKEND may name (model/backend.ts loads it; config/ is the lower layer, so the list lives here). */
export const BACKEND_CHOICES = ['auto', 'native', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * Which OpenBLAS kernels the native path runs: `env` leaves OPENBLAS_CORETYPE as the environment sets it (a pin or
 * none), `detect` clears it so OpenBLAS picks the kernels of the CPU it runs on.
 */
export const BLAS_KERNEL_CHOICES = ['env', 'detect'] as const;
export type BlasKernelChoice = (typeof BLAS_KERNEL_CHOICES)[number];

/** pino's level names, plus 'silent' to turn logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** Interface the gRPC server binds. */
  readonly grpcHost: string;
  /** gRPC port; 0 picks a free one. */
  readonly grpcPort: number;
  /** Interface the Prometheus /metrics server binds. */
  readonly metricsHost: string;
  /** /metrics port; 0 picks a free one. */
  readonly metricsPort: number;
  /** Folder of the embedded job store and model artifacts. */
  readonly stateDir: string;
  /** Folders dataset paths may name; the state dir is allowed in addition (not listed here). */
  readonly dataRoots: readonly string[];
  /** Training/prediction worker threads. */
  readonly workers: number;
  /** Threads one training job's steps run on: 1, or 2 (data-parallel, one extra thread per running job). */
  readonly trainThreadsPerJob: number;
  readonly backend: BackendChoice;
  readonly blasKernels: BlasKernelChoice;
  readonly logLevel: LogLevel;
  /** Tokens file path; '' = authentication off. */
  readonly authTokensFile: string;
  /** PEM paths; '' = plaintext. Cert and key go together; a CA turns on client-certificate checks. */
  readonly tlsCert: string;
  readonly tlsKey: string;
  readonly tlsCa: string;
  /** '' = embedded SQLite under stateDir; a postgres:// URL = store shared by replicas. */
  readonly databaseUrl: string;
  readonly jobLeaseSeconds: number;
  /** Jobs waiting for a worker before Train answers RESOURCE_EXHAUSTED. */
  readonly maxQueuedJobs: number;
  /** Examples in one Predict request. */
  readonly maxPredictExamples: number;
  /** Largest gRPC message, bytes, each direction. */
  readonly maxMessageBytes: number;
  /** Seconds before a running job is failed. */
  readonly maxJobRuntimeSeconds: number;
  /** Largest single uploaded dataset file, bytes. */
  readonly maxUploadBytes: number;
  /** All uploaded datasets together, bytes. */
  readonly maxUploadTotalBytes: number;
  /** Concurrent WatchJob streams. */
  readonly maxWatchStreams: number;
  /** Models kept loaded per worker. */
  readonly modelCacheSize: number;
  /** Seconds to drain in-flight RPCs and checkpoint jobs on SIGTERM. */
  readonly shutdownGraceSeconds: number;
  /** Most examples the predict batcher merges into one forward pass. */
  readonly predictMaxBatch: number;
  /** Milliseconds the predict batcher waits for more requests. */
  readonly predictMaxDelayMs: number;
  /** Predict batches of one kind computing at once; 0 = one per core beyond the first. */
  readonly predictConcurrency: number;
  /** Name of this replica in logs and in the shared store. */
  readonly instanceName: string;
  /** Interface the Open Inference Protocol REST server binds. */
  readonly httpHost: string;
  /** OIP REST port; 0 picks a free one. */
  readonly httpPort: number;
}
