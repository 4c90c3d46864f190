/**
 * Runs the real server (`node dist/main.js`, built by test/global-setup.ts) as a child process on free ports with its
 * own state directory, and hands back typed clients. Tests talk to it only over real gRPC and HTTP.
 */
import * as grpc from '@grpc/grpc-js';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { loadTaanProto } from '../../src/grpc/proto.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DATA = path.resolve(REPO, '../shared/data');

export interface ServerProcess {
  child: ChildProcess;
  stateDir: string;
  grpcPort: number;
  metricsPort: number;
  /** Port of the Open Inference Protocol REST server. */
  httpPort: number;
  address: string;
  metricsUrl: string;
  /** Every JSON log line so far. */
  logs: Array<Record<string, unknown>>;
  /** What the process wrote to stderr (not JSON logs: crashes, tfjs banners). */
  stderr(): string;
  client(): TaanServiceClient;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

/** `nodeArgs` go to node itself, before the script (e.g. `--import` of a hook). */
export async function startServer(opts: { stateDir?: string; env?: Record<string, string>; args?: string[]; nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const stateDir = opts.stateDir ?? (await mkdtemp(path.join(tmpdir(), 'taan-e2e-')));
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), path.join(REPO, 'dist/main.js'), ...(opts.args ?? [])], {
    cwd: REPO,
    env: { ...process.env, TAAN_STATE_DIR: stateDir, TAAN_GRPC_PORT: '0', TAAN_METRICS_PORT: '0', TAAN_GRPC_HOST: '127.0.0.1', TAAN_METRICS_HOST: '127.0.0.1', TAAN_HTTP_PORT: '0', TAAN_HTTP_HOST: '127.0.0.1', TAAN_WORKERS: '2', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ports = await new Promise<{ grpcPort: number; metricsPort: number; httpPort: number }>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const rec = JSON.parse(line) as Record<string, unknown>;
          logs.push(rec);
          if (rec['msg'] === 'taan-service serving') resolve({ grpcPort: rec['grpcPort'] as number, metricsPort: rec['metricsPort'] as number, httpPort: rec['httpPort'] as number });
        } catch {
          // not a log line (tfjs prints a banner)
        }
      }
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before serving: ${stderr}`)));
  });
  const address = `127.0.0.1:${ports.grpcPort}`;
  const clients: TaanServiceClient[] = [];
  return {
    child,
    stateDir,
    ...ports,
    address,
    metricsUrl: `http://127.0.0.1:${ports.metricsPort}/metrics`,
    logs,
    stderr: () => stderr,
    client: () => {
      const c = newClient(address);
      clients.push(c);
      return c;
    },
    stop: async () => {
      clients.forEach((c) => c.close());
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      clients.forEach((c) => c.close());
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export function newClient(address: string): TaanServiceClient {
  const { proto } = loadTaanProto();
  return new proto.taan.v1.TaanService(address, grpc.credentials.createInsecure()) as unknown as TaanServiceClient;
}

/** Promise form of a unary call: `call(client, 'GetJob', { job_id })`. */
export function call<Res>(client: TaanServiceClient, method: string, req: unknown, metadata = new grpc.Metadata()): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = (client as unknown as Record<string, (r: unknown, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: Res) => void) => void>)[method]!;
    fn.call(client, req, metadata, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** The error a call fails with (fails the test if it succeeds). */
export async function callError(client: TaanServiceClient, method: string, req: unknown): Promise<grpc.ServiceError> {
  try {
    await call(client, method, req);
  } catch (err) {
    return err as grpc.ServiceError;
  }
  throw new Error(`${method} succeeded but an error was expected`);
}
