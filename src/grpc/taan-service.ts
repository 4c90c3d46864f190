/** taan.v1.TaanService: each handler decodes, calls a service, encodes. No business rules here. */
import type * as grpc from '@grpc/grpc-js';
import { JOBS_PAGE, type JobState } from '../domain/job.js';
import { InvalidArgumentError, ResourceExhaustedError } from '../errors/errors.js';
import type { JobService } from '../jobs/job-service.js';
import type { LifecycleService } from '../jobs/lifecycle-service.js';
import type { SweepService } from '../jobs/sweep-service.js';
import type { Predictor } from '../serving/predictor.js';
import type { DatasetManifest, DatasetStore, UploadChunk } from '../store/dataset-store.js';
import type { ModelSpecQuery, ModelStore } from '../store/model-store.js';
import { clientStream, serverStream, unary, type Instrumentation } from './call-context.js';
import type { Dataset } from './generated/taan/v1/Dataset.js';
import type { DatasetChunk__Output } from './generated/taan/v1/DatasetChunk.js';
import type { ModelSpec__Output } from './generated/taan/v1/ModelSpec.js';
import type { TaanServiceHandlers } from './generated/taan/v1/TaanService.js';
import type { PredictResponse } from './generated/taan/v1/PredictResponse.js';
import { activationToProto, encodePredictResponse, jobEventToProto, jobToProto, modelToProto, timestamp, trainRequestFromProto } from './mappers.js';
import { loadTaanProto } from './proto.js';
import { startSweepFromProto, sweepToProto } from './sweep-mappers.js';

export interface TaanServiceDeps extends Instrumentation {
  jobs: JobService;
  predictor: Predictor;
  models: ModelStore;
  datasets: DatasetStore;
  maxWatchStreams: number;
  lifecycle: LifecycleService;
  sweeps: SweepService;
}

export class TaanServiceImpl {
  private watchers = 0;

  constructor(private readonly d: TaanServiceDeps) {}

  addToServer(server: Pick<grpc.Server, 'addService'>): void {
    server.addService(serviceDefinition(), this.handlers() as unknown as grpc.UntypedServiceImplementation);
  }

  private handlers(): TaanServiceHandlers {
    const d = this.d;
    return {
      TrainJob: unary(d, 'TrainJob', async (req) => jobToProto(await d.jobs.submit(trainRequestFromProto(req)))),
      GetJob: unary(d, 'GetJob', async (req) => jobToProto(await d.jobs.get(requireId(req.job_id)))),
      ListJobs: unary(d, 'ListJobs', async (req) => {
        const pageSize = req.page_size || JOBS_PAGE.default;
        if (pageSize < 1 || pageSize > JOBS_PAGE.max) throw InvalidArgumentError.field('page_size', `must be in 1..${JOBS_PAGE.max} (0 = ${JOBS_PAGE.default})`);
        const state = req.state === 'JOB_STATE_UNSPECIFIED' ? undefined : (req.state as JobState);
        const page = await d.jobs.list({ pageSize, pageToken: req.page_token, ...(state ? { state } : {}) });
        return { jobs: page.jobs.map(jobToProto), next_page_token: page.nextPageToken };
      }),
      CancelJob: unary(d, 'CancelJob', async (req) => jobToProto(await d.jobs.cancel(requireId(req.job_id)))),
      WatchJob: serverStream(d, 'WatchJob', async (req, send, ctx) => {
        const jobId = requireId(req.job_id);
        if (this.watchers >= d.maxWatchStreams) {
          throw new ResourceExhaustedError(`${this.watchers} WatchJob streams are open; the limit is ${d.maxWatchStreams} (TAAN_MAX_WATCH_STREAMS)`);
        }
        this.watchers++;
        try {
          await d.jobs.watch(jobId, (e) => send(jobEventToProto(e)), ctx.signal);
        } finally {
          this.watchers--;
        }
      }),
      // Thousands of calls a second: successful ones are logged at debug, and the answer is encoded straight from
      // the worker's typed arrays (the Buffer passes through the serializer set in serviceDefinition()).
      Predict: unary(
        d,
        'Predict',
        async (req, ctx) => {
          const out = await d.predictor.predict({
            signal: ctx.signal,
            model: spec(req.model),
            examples: req.examples,
            packed: req.features_f32,
            numExamples: req.num_examples,
            tasks: req.tasks,
            topK: req.top_k,
            threshold: req.threshold ?? null,
          });
          return encodePredictResponse(out) as unknown as PredictResponse;
        },
        { okLogLevel: 'debug' },
      ),
      GetActivationMetrics: unary(d, 'GetActivationMetrics', async (req) => {
        const { ref, report } = await d.predictor.activationMetrics(spec(req.model), req.grid_points);
        return activationToProto(ref, report);
      }),
      ListModels: unary(d, 'ListModels', async () => {
        const models = [];
        for (const name of await d.models.names()) {
          const ref = await d.models.resolve({ name, version: 0, label: '' });
          models.push(modelToProto(ref, await d.models.versions(name), await d.models.labels(name)));
        }
        return { models };
      }),
      GetModel: unary(d, 'GetModel', async (req) => {
        const ref = await d.models.resolve(spec(req.model));
        return modelToProto(ref, await d.models.versions(ref.name), await d.models.labels(ref.name));
      }),
      SetModelVersionLabel: unary(d, 'SetModelVersionLabel', async (req) => {
        if (!req.version) throw InvalidArgumentError.field('version', 'is required');
        await d.models.setLabel(req.name, req.version, req.label);
        const ref = await d.models.resolve({ name: req.name, version: req.version, label: '' });
        return modelToProto(ref, await d.models.versions(ref.name), await d.models.labels(ref.name));
      }),
      UploadDataset: clientStream(d, 'UploadDataset', async (stream: AsyncIterable<DatasetChunk__Output>) => {
        return datasetToProto(await d.datasets.upload(chunks(stream)));
      }),
      DeleteModelVersion: unary(d, 'DeleteModelVersion', async (req) => {
        if (!req.name) throw InvalidArgumentError.field('name', 'is required');
        if (req.version < 1) throw InvalidArgumentError.field('version', 'is required (a positive version number)');
        const out = await d.lifecycle.deleteModelVersion(req.name, req.version, req.force);
        return { removed_labels: out.removedLabels, freed_bytes: out.freedBytes };
      }),
      DeleteModel: unary(d, 'DeleteModel', async (req) => {
        if (!req.name) throw InvalidArgumentError.field('name', 'is required');
        const out = await d.lifecycle.deleteModel(req.name);
        return { deleted_versions: out.versions, freed_bytes: out.freedBytes };
      }),
      DeleteJob: unary(d, 'DeleteJob', async (req) => ({ freed_bytes: await d.lifecycle.deleteJob(requireId(req.job_id)) })),
      ListDatasets: unary(d, 'ListDatasets', async () => ({ datasets: (await d.lifecycle.listDatasets()).map(datasetToProto) })),
      DeleteDataset: unary(d, 'DeleteDataset', async (req) => {
        if (!req.dataset_id) throw InvalidArgumentError.field('dataset_id', 'is required');
        return { freed_bytes: await d.lifecycle.deleteDataset(req.dataset_id) };
      }),
      StartSweep: unary(d, 'StartSweep', async (req) => sweepToProto(await d.sweeps.startSweep(startSweepFromProto(req)))),
      GetSweep: unary(d, 'GetSweep', async (req) => sweepToProto(await d.sweeps.get(req.sweep_id))),
      ListSweeps: unary(d, 'ListSweeps', async (req) => {
        const page = await d.sweeps.list({ pageSize: req.page_size || JOBS_PAGE.default, pageToken: req.page_token });
        return { sweeps: page.sweeps.map(sweepToProto), next_page_token: page.nextPageToken };
      }),
      CancelSweep: unary(d, 'CancelSweep', async (req) => sweepToProto(await d.sweeps.cancel(req.sweep_id))),
      // Counts against the same stream limit as WatchJob.
      WatchSweep: serverStream(d, 'WatchSweep', async (req, send, ctx) => {
        if (this.watchers >= d.maxWatchStreams) {
          throw new ResourceExhaustedError(`${this.watchers} watch streams are open; the limit is ${d.maxWatchStreams} (TAAN_MAX_WATCH_STREAMS)`);
        }
        this.watchers++;
        try {
          await d.sweeps.watch(req.sweep_id, (v) => send(sweepToProto(v)), ctx.signal);
        } finally {
          this.watchers--;
        }
      }),
    };
  }
}

/** The proto's service definition, with a Predict response serializer that passes pre-encoded Buffers through. */
function serviceDefinition(): grpc.ServiceDefinition {
  const def = loadTaanProto().proto.taan.v1.TaanService.service as unknown as grpc.ServiceDefinition;
  const predict = def['Predict']!;
  const encode = predict.responseSerialize;
  return { ...def, Predict: { ...predict, responseSerialize: (v: unknown) => (Buffer.isBuffer(v) ? v : encode(v)) } };
}

function datasetToProto(m: DatasetManifest): Dataset {
  return {
    dataset_id: m.datasetId,
    name: m.name,
    files: m.files.map((f) => ({ file_name: f.fileName, size: f.size, sha256: f.sha256 })),
    total_bytes: m.totalBytes,
    create_time: timestamp(m.createTime),
  };
}

async function* chunks(stream: AsyncIterable<DatasetChunk__Output>): AsyncIterable<UploadChunk> {
  for await (const c of stream) yield { name: c.name, fileName: c.file_name, data: c.data, sha256: c.sha256 };
}

function spec(m: ModelSpec__Output | null): ModelSpecQuery {
  if (!m?.name) throw InvalidArgumentError.field('model.name', 'is required');
  if (m.version < 0) throw InvalidArgumentError.field('model.version', 'must be >= 0 (0 = latest)');
  return { name: m.name, version: m.version, label: m.version_label };
}

function requireId(id: string): string {
  if (!id) throw InvalidArgumentError.field('job_id', 'is required');
  return id;
}
