/**
 * Loads proto/ at run time with exactly the options the generated types in ./generated were made with
 * (scripts/gen-proto.sh): snake_case fields, numbers for 64-bit ints, enum names as strings, defaults filled in.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType as OipGrpcType } from './generated/grpc_predict_v2.js';
import type { ProtoGrpcType } from './generated/taan.js';

export const PROTO_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../proto');

export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  arrays: true,
  includeDirs: [PROTO_DIR],
};

export const SERVICE_NAME = 'taan.v1.TaanService';

let cached: { packageDefinition: protoLoader.PackageDefinition; proto: ProtoGrpcType } | undefined;

export function loadTaanProto(): { packageDefinition: protoLoader.PackageDefinition; proto: ProtoGrpcType } {
  if (!cached) {
    const packageDefinition = protoLoader.loadSync(['taan/v1/taan.proto'], LOADER_OPTIONS);
    const proto = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
    cached = { packageDefinition, proto };
  }
  return cached;
}

/** The Open Inference Protocol v2 service (proto/inference/grpc_predict_v2.proto), served beside taan.v1. */
export const OIP_SERVICE_NAME = 'inference.GRPCInferenceService';

let oipCached: { packageDefinition: protoLoader.PackageDefinition; proto: OipGrpcType } | undefined;

export function loadOipProto(): { packageDefinition: protoLoader.PackageDefinition; proto: OipGrpcType } {
  if (!oipCached) {
    const packageDefinition = protoLoader.loadSync(['inference/grpc_predict_v2.proto'], LOADER_OPTIONS);
    oipCached = { packageDefinition, proto: grpc.loadPackageDefinition(packageDefinition) as unknown as OipGrpcType };
  }
  return oipCached;
}
