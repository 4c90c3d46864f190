/** What an operator's tools ask a server: grpc.health.v1 Check and the reflection list of services. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function load(file: string, includeDir: string): grpc.GrpcObject {
  return grpc.loadPackageDefinition(protoLoader.loadSync(file, { keepCase: true, enums: String, defaults: true, includeDirs: [includeDir] }));
}

type Ctor = new (address: string, creds: grpc.ChannelCredentials) => grpc.Client;

function nested(obj: grpc.GrpcObject, dotted: string): Ctor {
  return dotted.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj) as Ctor;
}

export function healthStatus(address: string, service = ''): Promise<string> {
  const { protoPath } = require('grpc-health-check') as { protoPath: string };
  const Health = nested(load(protoPath, path.dirname(protoPath)), 'grpc.health.v1.Health');
  const client = new Health(address, grpc.credentials.createInsecure()) as grpc.Client & {
    Check(req: unknown, cb: (err: grpc.ServiceError | null, res: { status: string }) => void): void;
  };
  return new Promise((resolve, reject) =>
    client.Check({ service }, (err, res) => {
      client.close();
      if (err) reject(err);
      else resolve(res.status);
    }),
  );
}

export function reflectionServices(address: string): Promise<string[]> {
  const file = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1/reflection.proto');
  const root = path.resolve(path.dirname(file), '../../..');
  const Reflection = nested(load(file, root), 'grpc.reflection.v1.ServerReflection');
  const client = new Reflection(address, grpc.credentials.createInsecure()) as grpc.Client & {
    ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, { list_services_response?: { service: Array<{ name: string }> } }>;
  };
  return new Promise((resolve, reject) => {
    const stream = client.ServerReflectionInfo();
    stream.on('data', (res) => {
      resolve(res.list_services_response?.service.map((s: { name: string }) => s.name) ?? []);
      stream.end();
      client.close();
    });
    stream.on('error', reject);
    stream.write({ list_services: '' });
  });
}
