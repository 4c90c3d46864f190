/**
 * The CLI's one connection to taan-service: address, bearer token and TLS come from flags, every unary call gets
 * a deadline (a wrong address must fail, not hang), and calls are promises typed by the generated messages.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { DeleteDatasetRequest } from '../grpc/generated/taan/v1/DeleteDatasetRequest.js';
import type { DeleteDatasetResponse__Output } from '../grpc/generated/taan/v1/DeleteDatasetResponse.js';
import type { DeleteJobRequest } from '../grpc/generated/taan/v1/DeleteJobRequest.js';
import type { DeleteJobResponse__Output } from '../grpc/generated/taan/v1/DeleteJobResponse.js';
import type { DeleteModelRequest } from '../grpc/generated/taan/v1/DeleteModelRequest.js';
import type { DeleteModelResponse__Output } from '../grpc/generated/taan/v1/DeleteModelResponse.js';
import type { DeleteModelVersionRequest } from '../grpc/generated/taan/v1/DeleteModelVersionRequest.js';
import type { DeleteModelVersionResponse__Output } from '../grpc/generated/taan/v1/DeleteModelVersionResponse.js';
import type { ListDatasetsResponse__Output } from '../grpc/generated/taan/v1/ListDatasetsResponse.js';
import type { ActivationMetrics__Output } from '../grpc/generated/taan/v1/ActivationMetrics.js';
import type { CancelJobRequest } from '../grpc/generated/taan/v1/CancelJobRequest.js';
import type { GetActivationMetricsRequest } from '../grpc/generated/taan/v1/GetActivationMetricsRequest.js';
import type { GetJobRequest } from '../grpc/generated/taan/v1/GetJobRequest.js';
import type { GetModelRequest } from '../grpc/generated/taan/v1/GetModelRequest.js';
import type { Job__Output } from '../grpc/generated/taan/v1/Job.js';
import type { JobEvent__Output } from '../grpc/generated/taan/v1/JobEvent.js';
import type { ListJobsRequest } from '../grpc/generated/taan/v1/ListJobsRequest.js';
import type { ListJobsResponse__Output } from '../grpc/generated/taan/v1/ListJobsResponse.js';
import type { ListModelsResponse__Output } from '../grpc/generated/taan/v1/ListModelsResponse.js';
import type { Model__Output } from '../grpc/generated/taan/v1/Model.js';
import type { ModelSpec } from '../grpc/generated/taan/v1/ModelSpec.js';
import type { PredictRequest } from '../grpc/generated/taan/v1/PredictRequest.js';
import type { PredictResponse__Output } from '../grpc/generated/taan/v1/PredictResponse.js';
import type { SetModelVersionLabelRequest } from '../grpc/generated/taan/v1/SetModelVersionLabelRequest.js';
import type { TaanServiceClient } from '../grpc/generated/taan/v1/TaanService.js';
import type { TrainJobRequest } from '../grpc/generated/taan/v1/TrainJobRequest.js';
import type { CancelSweepRequest } from '../grpc/generated/taan/v1/CancelSweepRequest.js';
import type { GetSweepRequest } from '../grpc/generated/taan/v1/GetSweepRequest.js';
import type { ListSweepsRequest } from '../grpc/generated/taan/v1/ListSweepsRequest.js';
import type { ListSweepsResponse__Output } from '../grpc/generated/taan/v1/ListSweepsResponse.js';
import type { StartSweepRequest } from '../grpc/generated/taan/v1/StartSweepRequest.js';
import type { Sweep__Output } from '../grpc/generated/taan/v1/Sweep.js';
import { loadTaanProto } from '../grpc/proto.js';
import { CliError } from './errors.js';

export const DEFAULT_ADDRESS = 'localhost:50051';

export interface ConnectionOptions {
  address: string;
  token?: string;
  tls?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** Seconds per unary call. */
  timeout: number;
}

/** The connection flags every client command takes (not `serve`, whose --tls-* flags configure the server). */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--address <host:port>', 'taan-service gRPC address').default(DEFAULT_ADDRESS))
    .addOption(new Option('--token <token>', 'bearer token, sent as "authorization: Bearer <token>" metadata'))
    .addOption(new Option('--tls', 'use TLS with the system CA roots'))
    .addOption(new Option('--tls-ca <pem>', 'CA bundle that signed the server certificate (turns TLS on)'))
    .addOption(new Option('--tls-cert <pem>', 'client certificate for mutual TLS (with --tls-key)'))
    .addOption(new Option('--tls-key <pem>', 'private key of --tls-cert'))
    .addOption(new Option('--timeout <seconds>', 'deadline of each call').default(30).argParser(positiveNumber('--timeout')));
}

export function positiveNumber(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number, got ${JSON.stringify(v)}`);
    return n;
  };
}

function readPem(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`${flag}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function credentials(o: ConnectionOptions): grpc.ChannelCredentials {
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) throw new CliError('--tls-cert and --tls-key go together');
  if (!o.tls && o.tlsCa === undefined && o.tlsCert === undefined) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(
    o.tlsCa === undefined ? null : readPem(o.tlsCa, '--tls-ca'),
    o.tlsKey === undefined ? null : readPem(o.tlsKey, '--tls-key'),
    o.tlsCert === undefined ? null : readPem(o.tlsCert, '--tls-cert'),
  );
}

/** Request and response type of each unary RPC the CLI uses. */
interface Unary {
  TrainJob: [TrainJobRequest, Job__Output];
  GetJob: [GetJobRequest, Job__Output];
  ListJobs: [ListJobsRequest, ListJobsResponse__Output];
  CancelJob: [CancelJobRequest, Job__Output];
  Predict: [PredictRequest, PredictResponse__Output];
  GetActivationMetrics: [GetActivationMetricsRequest, ActivationMetrics__Output];
  ListModels: [Record<string, never>, ListModelsResponse__Output];
  GetModel: [GetModelRequest, Model__Output];
  SetModelVersionLabel: [SetModelVersionLabelRequest, Model__Output];
  DeleteModelVersion: [DeleteModelVersionRequest, DeleteModelVersionResponse__Output];
  DeleteModel: [DeleteModelRequest, DeleteModelResponse__Output];
  DeleteJob: [DeleteJobRequest, DeleteJobResponse__Output];
  ListDatasets: [Record<string, never>, ListDatasetsResponse__Output];
  DeleteDataset: [DeleteDatasetRequest, DeleteDatasetResponse__Output];
  StartSweep: [StartSweepRequest, Sweep__Output];
  GetSweep: [GetSweepRequest, Sweep__Output];
  ListSweeps: [ListSweepsRequest, ListSweepsResponse__Output];
  CancelSweep: [CancelSweepRequest, Sweep__Output];
}

type UnaryFn = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: unknown) => void) => void;

export class TaanClient {
  readonly address: string;
  private readonly raw: TaanServiceClient;

  constructor(private readonly opts: ConnectionOptions) {
    this.address = opts.address;
    const { proto } = loadTaanProto();
    this.raw = new proto.taan.v1.TaanService(opts.address, credentials(opts), {
      // Activation metrics and predictions of big models exceed grpc-js's 4 MiB default.
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
    }) as unknown as TaanServiceClient;
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    // Per-call metadata rather than call credentials: grpc-js refuses call credentials on plaintext channels.
    if (this.opts.token !== undefined) md.set('authorization', `Bearer ${this.opts.token}`);
    return md;
  }

  call<M extends keyof Unary>(method: M, req: Unary[M][0]): Promise<Unary[M][1]> {
    const fn = (this.raw as unknown as Record<string, UnaryFn>)[method];
    if (!fn) throw new Error(`no RPC ${method}`);
    const deadline = Date.now() + this.opts.timeout * 1000;
    return new Promise((resolve, reject) => {
      fn.call(this.raw, req, this.metadata(), { deadline }, (err, res) => (err ? reject(err) : resolve(res as Unary[M][1])));
    });
  }

  /** Streams a job's events until its terminal state; resolves with all of them. */
  watch(jobId: string, onEvent: (e: JobEvent__Output) => void): Promise<JobEvent__Output[]> {
    return new Promise((resolve, reject) => {
      const events: JobEvent__Output[] = [];
      const stream = this.raw.WatchJob({ job_id: jobId }, this.metadata());
      stream.on('data', (e: JobEvent__Output) => {
        events.push(e);
        onEvent(e);
      });
      stream.on('end', () => resolve(events));
      stream.on('error', reject);
    });
  }

  /** Streams a sweep's snapshots until it ends; resolves with the last one (undefined if none came). */
  watchSweep(sweepId: string, onSweep: (s: Sweep__Output) => void): Promise<Sweep__Output | undefined> {
    return new Promise((resolve, reject) => {
      let last: Sweep__Output | undefined;
      const stream = this.raw.WatchSweep({ sweep_id: sweepId }, this.metadata());
      stream.on('data', (s: Sweep__Output) => {
        last = s;
        onSweep(s);
      });
      stream.on('end', () => resolve(last));
      stream.on('error', reject);
    });
  }

  close(): void {
    this.raw.close();
  }
}

/** Runs `fn` with a client and always closes it, so the process can exit. */
export async function withClient<T>(opts: ConnectionOptions, fn: (c: TaanClient) => Promise<T>): Promise<T> {
  const client = new TaanClient(opts);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** "name", "name@3" (version) or "name@stable" (label) -> ModelSpec. */
export function parseModelSpec(text: string): ModelSpec {
  const at = text.lastIndexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const ref = at === -1 ? '' : text.slice(at + 1);
  if (!name) throw new CliError(`model must be NAME, NAME@VERSION or NAME@LABEL, got ${JSON.stringify(text)}`);
  if (/^\d+$/.test(ref)) return { name, version: Number(ref) };
  return ref ? { name, version_label: ref } : { name };
}

export function modelSpecText(m: { name?: string; version?: number } | null | undefined): string {
  return m ? `${m.name ?? ''}${m.version ? ` v${m.version}` : ''}` : '';
}
