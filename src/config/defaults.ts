/**
 * Every setting's default (with unit and reason) and its description: env var, flag, type, bounds, doc line.
 * `loadConfig` validates from SETTINGS and `configTable()` renders the README table from it, so the docs and
 * the validator cannot drift apart.
 */
import os from 'node:os';
import { BACKEND_CHOICES, BLAS_KERNEL_CHOICES, LOG_LEVELS, type Config } from './config.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const DEFAULTS: Config = Object.freeze({
  grpcHost: '0.0.0.0', // interface; all of them, so a container's published port reaches the server
  grpcPort: 50051, // TCP port; the customary gRPC port
  metricsHost: '0.0.0.0', // interface; Prometheus scrapes from another host or container
  metricsPort: 9464, // TCP port; the OpenTelemetry/Prometheus exporter convention, and api.md's contract
  stateDir: './var', // path; job store + model artifacts, relative to the working directory
  dataRoots: Object.freeze([]) as readonly string[], // paths; none besides stateDir: nothing else readable by default
  // threads; one tfjs instance each (~450 MB RSS at batch 1024); at least 2 so a long training run cannot starve Predict
  workers: Math.max(2, os.availableParallelism()),
  // threads; 2 trains a paper-size job ~1.3-1.6x faster on 2 cores, for one more tfjs instance while the job runs
  trainThreadsPerJob: os.availableParallelism() >= 2 ? 2 : 1,
  backend: 'auto', // enum; tfjs-node-gpu, the native BLAS addon, tfjs-node, wasm, cpu: the first that loads
  blasKernels: 'detect', // enum; the kernels of the CPU it runs on, whatever an environment pin says (docs/compute.md, Kernels)
  logLevel: 'info', // pino level; one line per RPC and per job transition
  authTokensFile: '', // path; '' = no authentication, for local use
  tlsCert: '', // PEM path; '' = plaintext, TLS is usually terminated by the mesh
  tlsKey: '', // PEM path; goes with tlsCert
  tlsCa: '', // PEM path; '' = no client certificates required
  databaseUrl: '', // URL; '' = embedded SQLite under stateDir, enough for one replica
  jobLeaseSeconds: 15, // seconds; with a shared store, how soon another replica takes over the job of a dead one
  maxQueuedJobs: 100, // jobs; beyond this Train answers RESOURCE_EXHAUSTED instead of queueing for hours
  maxPredictExamples: 4096, // examples per Predict; 4096 x 1152 float32 features is ~19 MB, well under maxMessageBytes
  maxMessageBytes: 64 * MiB, // bytes; grpc-js's 4 MiB receive default is too small for feature batches
  maxJobRuntimeSeconds: 86_400, // seconds; one day, so a hung job frees its worker eventually
  maxUploadBytes: 1 * GiB, // bytes; above any single TFRecord shard, small enough to stage on disk per request
  maxUploadTotalBytes: 10 * GiB, // bytes; keeps uploads from filling the state volume
  maxWatchStreams: 256, // streams; each holds a listener and a socket
  modelCacheSize: 4, // models per worker; weights stay resident in every worker, so keep a few, not all
  shutdownGraceSeconds: 20, // seconds; under Kubernetes' default 30 s terminationGracePeriod
  predictMaxBatch: 256, // examples per forward pass; bounds one pass's latency and tensor memory
  predictMaxDelayMs: 2, // milliseconds; small next to a forward pass, so batching adds little latency
  predictConcurrency: 0, // batches; 0 = cores - 1, leaving a core to the event loop that decodes requests
  instanceName: os.hostname(), // name; the pod name under Kubernetes
  httpHost: '0.0.0.0', // interface; like gRPC's, reachable from other hosts and containers
  httpPort: 8080, // TCP port; KServe's and Seldon's customary HTTP port of the V2 protocol
});

export type SettingType = 'int' | 'number' | 'string' | 'bool' | 'list' | 'enum';

export interface Setting {
  readonly key: keyof Config;
  /** `TAAN_` + SCREAMING_SNAKE of the key. */
  readonly env: `TAAN_${string}`;
  /** `--` + kebab-case of the key. */
  readonly flag: `--${string}`;
  readonly type: SettingType;
  /** Allowed values of an 'enum'. */
  readonly values?: readonly string[];
  /** Inclusive bounds of an 'int' or 'number'. */
  readonly min?: number;
  readonly max?: number;
  /** A 'string' that may be '' (meaning "off" or "embedded"); other strings must be non-empty. */
  readonly emptyAllowed?: boolean;
  /** What the README shows when the default depends on the machine. */
  readonly defaultText?: string;
  /** One line for operators: what it does, with unit. */
  readonly doc: string;
}

type SettingSpec = Omit<Setting, 'key'>;

const PORT = { type: 'int', min: 0, max: 65_535 } as const;
// grpc-js keeps message limits in an int32.
const INT32_MAX = 2_147_483_647;

// A mapped type rather than an array literal so that forgetting a Config field is a compile error.
const SPECS: { readonly [K in keyof Config]: SettingSpec } = {
  grpcHost: { env: 'TAAN_GRPC_HOST', flag: '--grpc-host', type: 'string', doc: 'Interface the gRPC server binds.' },
  grpcPort: { env: 'TAAN_GRPC_PORT', flag: '--grpc-port', ...PORT, doc: 'gRPC port; 0 picks a free port.' },
  metricsHost: {
    env: 'TAAN_METRICS_HOST',
    flag: '--metrics-host',
    type: 'string',
    doc: 'Interface the Prometheus /metrics server binds.',
  },
  metricsPort: {
    env: 'TAAN_METRICS_PORT',
    flag: '--metrics-port',
    ...PORT,
    doc: 'Port of /metrics; 0 picks a free port.',
  },
  stateDir: {
    env: 'TAAN_STATE_DIR',
    flag: '--state-dir',
    type: 'string',
    doc: 'Folder of the embedded job store and model artifacts; always readable as a data root.',
  },
  dataRoots: {
    env: 'TAAN_DATA_ROOTS',
    flag: '--data-roots',
    type: 'list',
    doc: 'Colon-separated folders that dataset paths may name, in addition to the state dir.',
  },
  workers: {
    env: 'TAAN_WORKERS',
    flag: '--workers',
    type: 'int',
    min: 1,
    max: 1024,
    defaultText: 'max(2, CPUs)',
    doc: 'Worker threads for training and prediction, one tfjs instance each.',
  },
  trainThreadsPerJob: {
    env: 'TAAN_TRAIN_THREADS_PER_JOB',
    flag: '--train-threads-per-job',
    type: 'int',
    min: 1,
    max: 2,
    defaultText: '2 if CPUs >= 2, else 1',
    doc: "Threads one training job's steps run on; 2 splits every step's rows with a second thread (its own tfjs instance), gradients averaged in shared memory. Jobs with odd rows per task per step, steps under 250M multiply-adds, or the tensorflow backend use 1; so does a job that starts while the running jobs leave no core for its second thread.",
  },
  backend: {
    env: 'TAAN_BACKEND',
    flag: '--backend',
    type: 'enum',
    values: BACKEND_CHOICES,
    doc: 'Compute path; native = the host step and Predict on OpenBLAS (the native/blas addon, built by npm ci where libopenblas-dev is installed), the others are tfjs backends; auto tries tfjs-node-gpu, native, tfjs-node, wasm, then cpu.',
  },
  blasKernels: {
    env: 'TAAN_BLAS_KERNELS',
    flag: '--blas-kernels',
    type: 'enum',
    values: BLAS_KERNEL_CHOICES,
    doc: "OpenBLAS kernels of the native path: detect clears OPENBLAS_CORETYPE so OpenBLAS picks this CPU's own kernels (on these AVX-512 machines, whose environment pins Haswell, ~1.8x the matrix-product speed); env keeps the environment's OPENBLAS_CORETYPE. Applied before the workers load OpenBLAS; the log line of the compute path names the kernels.",
  },
  logLevel: { env: 'TAAN_LOG_LEVEL', flag: '--log-level', type: 'enum', values: LOG_LEVELS, doc: 'pino log level.' },
  authTokensFile: {
    env: 'TAAN_AUTH_TOKENS_FILE',
    flag: '--auth-tokens-file',
    type: 'string',
    emptyAllowed: true,
    doc: 'File of `<token> <role>[,<role>]` lines; empty turns authentication off.',
  },
  tlsCert: {
    env: 'TAAN_TLS_CERT',
    flag: '--tls-cert',
    type: 'string',
    emptyAllowed: true,
    doc: 'PEM server certificate; empty serves plaintext. Needs the key.',
  },
  tlsKey: {
    env: 'TAAN_TLS_KEY',
    flag: '--tls-key',
    type: 'string',
    emptyAllowed: true,
    doc: 'PEM private key of the certificate.',
  },
  tlsCa: {
    env: 'TAAN_TLS_CA',
    flag: '--tls-ca',
    type: 'string',
    emptyAllowed: true,
    doc: 'PEM CA bundle; when set, clients must present a certificate it signed.',
  },
  databaseUrl: {
    env: 'TAAN_DATABASE_URL',
    flag: '--database-url',
    type: 'string',
    emptyAllowed: true,
    doc: 'postgres:// URL of a job store shared by replicas; empty uses embedded SQLite in the state dir.',
  },
  jobLeaseSeconds: {
    env: 'TAAN_JOB_LEASE_SECONDS',
    flag: '--job-lease-seconds',
    type: 'number',
    min: 0.5,
    max: 3600,
    doc: 'With TAAN_DATABASE_URL: a running job\'s lease; a replica that dies loses its jobs to the others after this.',
  },
  maxQueuedJobs: {
    env: 'TAAN_MAX_QUEUED_JOBS',
    flag: '--max-queued-jobs',
    type: 'int',
    min: 1,
    max: 1_000_000,
    doc: 'Jobs waiting for a worker before Train answers RESOURCE_EXHAUSTED.',
  },
  maxPredictExamples: {
    env: 'TAAN_MAX_PREDICT_EXAMPLES',
    flag: '--max-predict-examples',
    type: 'int',
    min: 1,
    max: 1_000_000,
    doc: 'Examples in one Predict request.',
  },
  maxMessageBytes: {
    env: 'TAAN_MAX_MESSAGE_BYTES',
    flag: '--max-message-bytes',
    type: 'int',
    min: 1024,
    max: INT32_MAX,
    doc: 'Largest gRPC message in either direction, bytes.',
  },
  maxJobRuntimeSeconds: {
    env: 'TAAN_MAX_JOB_RUNTIME_SECONDS',
    flag: '--max-job-runtime-seconds',
    type: 'int',
    min: 1,
    max: 31_536_000,
    doc: 'Seconds a job may run before it is failed.',
  },
  maxUploadBytes: {
    env: 'TAAN_MAX_UPLOAD_BYTES',
    flag: '--max-upload-bytes',
    type: 'int',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    doc: 'Largest single uploaded dataset file, bytes.',
  },
  maxUploadTotalBytes: {
    env: 'TAAN_MAX_UPLOAD_TOTAL_BYTES',
    flag: '--max-upload-total-bytes',
    type: 'int',
    min: 1,
    max: Number.MAX_SAFE_INTEGER,
    doc: 'All uploaded datasets together, bytes.',
  },
  maxWatchStreams: {
    env: 'TAAN_MAX_WATCH_STREAMS',
    flag: '--max-watch-streams',
    type: 'int',
    min: 1,
    max: 100_000,
    doc: 'Concurrent WatchJob streams.',
  },
  modelCacheSize: {
    env: 'TAAN_MODEL_CACHE_SIZE',
    flag: '--model-cache-size',
    type: 'int',
    min: 1,
    max: 1024,
    doc: 'Models kept loaded per worker.',
  },
  shutdownGraceSeconds: {
    env: 'TAAN_SHUTDOWN_GRACE_SECONDS',
    flag: '--shutdown-grace-seconds',
    type: 'int',
    min: 0,
    max: 3600,
    doc: 'Seconds to drain RPCs and checkpoint jobs after SIGTERM.',
  },
  predictMaxBatch: {
    env: 'TAAN_PREDICT_MAX_BATCH',
    flag: '--predict-max-batch',
    type: 'int',
    min: 1,
    max: 65_536,
    doc: 'Most examples merged into one forward pass.',
  },
  predictMaxDelayMs: {
    env: 'TAAN_PREDICT_MAX_DELAY_MS',
    flag: '--predict-max-delay-ms',
    type: 'number',
    min: 0,
    max: 1000,
    doc: 'Milliseconds Predict waits to batch with other requests; 0 batches only what is already queued.',
  },
  predictConcurrency: {
    env: 'TAAN_PREDICT_CONCURRENCY',
    flag: '--predict-concurrency',
    type: 'int',
    min: 0,
    max: 1024,
    doc: 'Predict batches computed at once (at most one per worker); 0 = one per core beyond the first.',
  },
  instanceName: {
    env: 'TAAN_INSTANCE_NAME',
    flag: '--instance-name',
    type: 'string',
    defaultText: 'hostname',
    doc: 'Name of this replica in logs and in the shared job store.',
  },
  httpHost: { env: 'TAAN_HTTP_HOST', flag: '--http-host', type: 'string', doc: 'Interface the Open Inference Protocol REST server (/v2/...) binds.' },
  httpPort: { env: 'TAAN_HTTP_PORT', flag: '--http-port', ...PORT, doc: 'Port of the Open Inference Protocol REST server (/v2/...); 0 picks a free port.' },
};

export const SETTINGS: readonly Setting[] = Object.freeze(
  (Object.keys(SPECS) as (keyof Config)[]).map((key) => Object.freeze({ key, ...SPECS[key] })),
);
