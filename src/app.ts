/**
 * The composition root: the only place that builds concrete stores, the worker pool, the services and the servers
 * from a Config, and the only place that knows the order in which they start and stop.
 */
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from './config/config.js';
import { DataRoots } from './data/data-roots.js';
import { TokenAuth } from './grpc/auth.js';
import { startGrpcServer, type GrpcServer } from './grpc/server.js';
import { TaanServiceImpl } from './grpc/taan-service.js';
import { OipServiceImpl } from './grpc/oip-service.js';
import { startOipHttpServer, type OipHttpServer } from './http/oip-http.js';
import { OpenInference } from './serving/open-inference.js';
import { datasetLocalizer, datasetResolver } from './jobs/resolve-dataset.js';
import { JobEvents } from './jobs/job-events.js';
import { JobService } from './jobs/job-service.js';
import { LeasedScheduler, type LeasedSchedulerOptions } from './jobs/leased-scheduler.js';
import { LifecycleService } from './jobs/lifecycle-service.js';
import { LocalScheduler } from './jobs/local-scheduler.js';
import { SWEEP_POLL_MS, SweepService } from './jobs/sweep-service.js';
import type { JobScheduler } from './jobs/scheduler.js';
import { createLogger, type Logger } from './observability/logger.js';
import { TaanMetrics } from './observability/metrics.js';
import { startMetricsServer, type MetricsServer } from './observability/metrics-server.js';
import { StoreStatus } from './observability/store-status.js';
import { Predictor } from './serving/predictor.js';
import { DatasetStore, type DatasetRemote } from './store/dataset-store.js';
import { ModelStore } from './store/model-store.js';
import type { JobStore } from './store/job-store.js';
import { PgBlobStore } from './store/pg-blob-store.js';
import { PgJobStore } from './store/pg-job-store.js';
import { pgCheckpointShare, pgDatasetRemote, pgModelRemote } from './store/pg-shares.js';
import { SqliteJobStore } from './store/sqlite-job-store.js';
import { PgSweepStore } from './store/pg-sweep-store.js';
import type { SweepStore } from './store/sweep-store.js';
import { WorkerPool } from './workers/pool.js';
import { loadBlas } from './model/blas.js';

/** How often taan_state_bytes is re-measured (deletes also update it at once). */
const STATE_BYTES_INTERVAL_MS = 60_000;


export interface AppOverrides {
  logger?: Logger;
  metrics?: TaanMetrics;
}

export interface RunningApp {
  grpcPort: number;
  metricsPort: number;
  logger: Logger;
  /** Port of the Open Inference Protocol REST server. */
  httpPort: number;
  /** Re-reads the tokens file (SIGHUP). */
  reloadAuth(): void;
  /** Health NOT_SERVING, stop taking calls, let running ones finish, checkpoint running jobs, close everything. */
  stop(): Promise<void>;
}

export async function startApp(config: Config, overrides: AppOverrides = {}): Promise<RunningApp> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, name: 'taan' });
  const metrics = overrides.metrics ?? new TaanMetrics();
  const stateDir = path.resolve(config.stateDir);
  await fs.mkdir(stateDir, { recursive: true });

  // taan_store_up: the embedded SQLite store is always 1; PostgreSQL's calls report whether they reached it.
  const storeStatus = new StoreStatus(metrics.storeUp, logger);
  const { store, sweepStore, models, datasetRemote, shared, close: closeStores } = await openStores(config, stateDir, logger, storeStatus);
  await models.init();
  const datasets = new DatasetStore({
    root: path.join(stateDir, 'datasets'),
    maxUploadBytes: config.maxUploadBytes,
    maxTotalBytes: config.maxUploadTotalBytes,
    ...(datasetRemote ? { remote: datasetRemote } : {}),
  });
  await datasets.init();
  // OpenBLAS reads its environment when it first loads in the process: from this thread, before the workers.
  // `detect` lifts an environment pin of the kernels, so OpenBLAS picks this CPU's own (docs/compute.md, Kernels).
  const pinned = process.env['OPENBLAS_CORETYPE'];
  if (config.blasKernels === 'detect' && pinned !== undefined) {
    delete process.env['OPENBLAS_CORETYPE'];
    logger.info({ lifted: pinned }, 'OpenBLAS picks the kernels of this CPU: the OPENBLAS_CORETYPE pin is lifted (TAAN_BLAS_KERNELS=env keeps it)');
  }
  if (config.backend === 'auto' || config.backend === 'native') loadBlas();
  const pool = await WorkerPool.create({
    size: config.workers,
    backend: config.backend,
    modelCacheSize: config.modelCacheSize,
    logger,
    onBusyChange: (n) => metrics.workerBusy.set(n),
  });
  metrics.workerBusy.set(0);
  logComputePath(pool, metrics, logger);
  const roots = new DataRoots([stateDir, ...config.dataRoots.map((r) => path.resolve(r))]);
  const events = new JobEvents();
  const running = {
    models,
    pool,
    events,
    jobsDir: path.join(stateDir, 'jobs'),
    instanceName: config.instanceName,
    maxJobRuntimeSeconds: config.maxJobRuntimeSeconds,
    trainThreadsPerJob: config.trainThreadsPerJob,
    cores: os.availableParallelism(),
    metrics,
    logger,
  };
  // One server schedules from its own store; replicas claim jobs under leases.
  const scheduler: JobScheduler = shared
    ? new LeasedScheduler({ ...running, ...shared, localizeDataset: datasetLocalizer(datasets) })
    : new LocalScheduler({ ...running, store });
  const jobs = new JobService({
    store,
    scheduler,
    events,
    maxQueuedJobs: config.maxQueuedJobs,
    resolveDataset: datasetResolver(roots, datasets),
    metrics,
    logger,
  });
  const predictor = new Predictor({
    models,
    pool,
    metrics,
    maxExamples: config.maxPredictExamples,
    batching: { maxBatch: config.predictMaxBatch, maxDelayMs: config.predictMaxDelayMs, concurrency: config.predictConcurrency },
    storeReachable: () => storeStatus.reachable,
  });
  const lifecycle = new LifecycleService({
    store,
    models,
    datasets,
    jobsDir: running.jobsDir,
    ...(shared ? { checkpoints: shared.checkpoints } : {}),
    stateFiles: {
      models: [models.root],
      checkpoints: [running.jobsDir],
      datasets: [path.join(stateDir, 'datasets')],
      jobs: ['jobs.db', 'jobs.db-wal', 'jobs.db-shm'].map((f) => path.join(stateDir, f)),
    },
    stateBytes: metrics.stateBytes,
    logger,
  });
  const auth = config.authTokensFile ? new TokenAuth(config.authTokensFile, logger) : undefined;
  if (!auth) logger.warn('no TAAN_AUTH_TOKENS_FILE: the server accepts every call without a token');
  const sweeps = new SweepService({
    store: sweepStore,
    jobs,
    models,
    driver: config.instanceName,
    leaseMs: config.jobLeaseSeconds * 1000,
    pollMs: SWEEP_POLL_MS,
    logger,
  });
  const service = new TaanServiceImpl({ jobs, predictor, models, datasets, logger, metrics, maxWatchStreams: config.maxWatchStreams, lifecycle, ...(auth ? { auth } : {}), sweeps });
  let serving = false;
  const oip = new OpenInference({ predictor, versions: (name) => models.versions(name), ready: () => serving, serverVersion: packageVersion() });
  const oipService = new OipServiceImpl({ oip, logger, metrics, ...(auth ? { auth } : {}) });
  const tls = config.tlsCert ? { tls: { certFile: config.tlsCert, keyFile: config.tlsKey, caFile: config.tlsCa } } : {};

  let grpc: GrpcServer | undefined;
  let metricsServer: MetricsServer | undefined;
  let httpServer: OipHttpServer | undefined;
  try {
    grpc = await startGrpcServer({
      host: config.grpcHost,
      port: config.grpcPort,
      maxMessageBytes: config.maxMessageBytes,
      service,
      oip: oipService,
      ...tls,
    });
    metricsServer = await startMetricsServer({ host: config.metricsHost, port: config.metricsPort, registry: metrics.registry, logger });
    httpServer = await startOipHttpServer({
      host: config.httpHost,
      port: config.httpPort,
      oip,
      maxBodyBytes: config.maxMessageBytes,
      logger,
      metrics,
      ...(auth ? { auth } : {}),
      ...tls,
    });
    await lifecycle.sweepJobsDir();
    await jobs.start();
    sweeps.resume();
  } catch (err) {
    auth?.close();
    await grpc?.shutdown(0);
    await metricsServer?.close();
    await httpServer?.close(0);
    await pool.close();
    await closeStores();
    throw err;
  }
  grpc.setServing(true);
  const refreshStateBytes = (): void => void lifecycle.refreshGauge().catch((err: unknown) => logger.warn({ err }, 'could not measure the state dir'));
  refreshStateBytes();
  const stateBytesTimer = setInterval(refreshStateBytes, STATE_BYTES_INTERVAL_MS).unref();
  serving = true;
  logger.info(
    { tls: config.tlsCert ? (config.tlsCa ? 'mutual' : 'server') : 'off', auth: auth ? 'tokens' : 'open' },
    'transport security',
  );
  logger.info(
    { grpcPort: grpc.port, metricsPort: metricsServer.port, httpPort: httpServer.port, stateDir, dataRoots: roots.list, workers: pool.size, backends: pool.backends },
    'taan-service serving',
  );

  const graceMs = config.shutdownGraceSeconds * 1000;
  let stopping: Promise<void> | undefined;
  const g = grpc;
  const ms = metricsServer;
  const hs = httpServer;
  return {
    grpcPort: grpc.port,
    metricsPort: metricsServer.port,
    httpPort: httpServer.port,
    logger,
    reloadAuth: () => auth?.reload(),
    stop: () =>
      (stopping ??= (async () => {
        logger.info('shutting down');
        g.setServing(false);
        serving = false;
        clearInterval(stateBytesTimer);
        await sweeps.stop();
        await Promise.all([g.shutdown(graceMs), hs.close(graceMs), jobs.shutdown(graceMs)]);
        await pool.close();
        await closeStores();
        await ms.close();
        auth?.close();
        logger.info('stopped');
      })()),
  };
}

/**
 * One server: SQLite and the model folder in the state dir. Replicas (TAAN_DATABASE_URL): jobs, leases, checkpoints
 * and model versions in PostgreSQL; the state dir keeps only local copies.
 */
async function openStores(config: Config, stateDir: string, logger: Logger, status: StoreStatus): Promise<{
  store: JobStore;
  sweepStore: SweepStore;
  models: ModelStore;
  datasetRemote?: DatasetRemote;
  shared?: Pick<LeasedSchedulerOptions, 'store' | 'checkpoints' | 'leaseMs'>;
  close: () => Promise<void>;
}> {
  if (!config.databaseUrl) {
    const store = SqliteJobStore.open(path.join(stateDir, 'jobs.db'));
    return { store, sweepStore: store, models: new ModelStore({ root: path.join(stateDir, 'models'), logger }), close: () => store.close() };
  }
  const onReachability = (up: boolean, err?: Error): void => status.report(up, err);
  const store = await PgJobStore.open(config.databaseUrl, { logger, onReachability });
  const blobs = await PgBlobStore.open(config.databaseUrl, { onReachability }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  const sweepStore = await PgSweepStore.open(config.databaseUrl, { onReachability }).catch(async (err: unknown) => {
    await store.close();
    await blobs.close();
    throw err;
  });
  return {
    store,
    sweepStore,
    models: new ModelStore({ root: path.join(stateDir, 'models'), logger, remote: pgModelRemote(blobs) }),
    datasetRemote: pgDatasetRemote(blobs),
    shared: { store, checkpoints: pgCheckpointShare(blobs), leaseMs: config.jobLeaseSeconds * 1000 },
    close: async () => {
      await store.close();
      await blobs.close();
      await sweepStore.close();
    },
  };
}

/**
 * The one line that says which compute path runs (and, on tfjs, why not the native BLAS one), and the
 * taan_compute_info gauge.
 */
function logComputePath(pool: WorkerPool, metrics: TaanMetrics, logger: Logger): void {
  const seen = new Set<string>();
  for (const c of pool.compute) {
    const key = `${c.path}\u0000${c.provider}`;
    if (seen.has(key)) continue;
    seen.add(key);
    metrics.computeInfo.set({ path: c.path, provider: c.provider }, 1);
    const native = c.skipped.find((s) => s.provider.startsWith('native/blas'));
    logger.info(
      { path: c.path, provider: c.provider, why: c.reason, ...(native ? { nativeBlas: native.error } : {}), workers: pool.size },
      `compute path: ${c.path}`,
    );
  }
}

/** The server's version for the Open Inference Protocol's server metadata. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
