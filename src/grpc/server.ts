/**
 * Assembles the gRPC server: health (overall and per service), reflection, taan.v1.TaanService and the Open
 * Inference Protocol's inference.GRPCInferenceService.
 */
import * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { readFile } from 'node:fs/promises';
import { HealthImplementation } from 'grpc-health-check';
import type { OipServiceImpl } from './oip-service.js';
import { loadOipProto, loadTaanProto, OIP_SERVICE_NAME, SERVICE_NAME } from './proto.js';
import type { TaanServiceImpl } from './taan-service.js';

export interface GrpcServerOptions {
  host: string;
  port: number;
  maxMessageBytes: number;
  service: TaanServiceImpl;
  oip: OipServiceImpl;
  /** TLS with this certificate and key; with `caFile`, mutual TLS (clients must present a certificate it signed). */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface GrpcServer {
  port: number;
  setServing(serving: boolean): void;
  /** Stops accepting calls and waits for running ones up to `graceMs`, then cancels what is left. */
  shutdown(graceMs: number): Promise<void>;
}

export async function startGrpcServer(o: GrpcServerOptions): Promise<GrpcServer> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': o.maxMessageBytes,
    'grpc.max_send_message_length': o.maxMessageBytes,
    // Channelz keeps per-call statistics for a channelz service this server does not offer: pure cost on every
    // call (Predict runs thousands a second).
    'grpc.enable_channelz': 0,
  });
  const health = new HealthImplementation({ '': 'NOT_SERVING', [SERVICE_NAME]: 'NOT_SERVING', [OIP_SERVICE_NAME]: 'NOT_SERVING' });
  health.addToServer(server);
  new ReflectionService({ ...loadTaanProto().packageDefinition, ...loadOipProto().packageDefinition }).addToServer(server);
  o.service.addToServer(server);
  o.oip.addToServer(server);
  const credentials = o.tls ? await tlsCredentials(o.tls) : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${o.host}:${o.port}`, credentials, (err, p) => (err ? reject(err) : resolve(p))),
  );
  const setServing = (serving: boolean): void => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', status);
    health.setStatus(SERVICE_NAME, status);
    health.setStatus(OIP_SERVICE_NAME, status);
  };
  return {
    port,
    setServing,
    shutdown: (graceMs) =>
      new Promise<void>((resolve) => {
        setServing(false);
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}

async function tlsCredentials(t: { certFile: string; keyFile: string; caFile: string }): Promise<grpc.ServerCredentials> {
  const [cert, key, ca] = await Promise.all([
    readFile(t.certFile),
    readFile(t.keyFile),
    t.caFile ? readFile(t.caFile) : Promise.resolve(null),
  ]);
  return grpc.ServerCredentials.createSsl(ca, [{ cert_chain: cert, private_key: key }], ca !== null);
}
