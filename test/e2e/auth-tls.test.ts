/**
 * Authentication and TLS end to end: bearer tokens with roles from a tokens file (reloaded on SIGHUP), mutual TLS
 * with throwaway certificates made at test time, health open without a token, and the CLI over mutual TLS.
 */
import * as grpc from '@grpc/grpc-js';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { loadTaanProto } from '../../src/grpc/proto.js';
import { makeCerts, type Certs } from '../helpers/certs.js';
import { smallTrainRequest } from '../helpers/jobs.js';
import { call, REPO, startServer, type ServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);
let certs: Certs;
let server: ServerProcess;
let tokensFile: string;
const clients: TaanServiceClient[] = [];

function tlsClient(withClientCert = true): TaanServiceClient {
  const { proto } = loadTaanProto();
  const creds = withClientCert
    ? grpc.credentials.createSsl(readFileSync(certs.ca), readFileSync(certs.clientKey), readFileSync(certs.clientCert))
    : grpc.credentials.createSsl(readFileSync(certs.ca));
  const c = new proto.taan.v1.TaanService(`localhost:${server.grpcPort}`, creds) as unknown as TaanServiceClient;
  clients.push(c);
  return c;
}

function bearer(token: string): grpc.Metadata {
  const m = new grpc.Metadata();
  m.set('authorization', `Bearer ${token}`);
  return m;
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return grpc.status[(err as grpc.ServiceError).code];
  }
}

beforeAll(async () => {
  certs = await makeCerts();
  tokensFile = path.join(certs.dir, 'tokens');
  await writeFile(tokensFile, '# test tokens\ntok-predict predict\ntok-train train\n');
  server = await startServer({
    env: { TAAN_AUTH_TOKENS_FILE: tokensFile, TAAN_TLS_CERT: certs.serverCert, TAAN_TLS_KEY: certs.serverKey, TAAN_TLS_CA: certs.ca },
  });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  expect(await server.stop()).toBe(0);
});

describe('tokens and mutual TLS', () => {
  it('refuses calls without a valid token and calls its roles do not allow', async () => {
    const c = tlsClient();
    expect(await code(call(c, 'ListModels', {}))).toBe('UNAUTHENTICATED');
    expect(await code(call(c, 'ListModels', {}, bearer('nope')))).toBe('UNAUTHENTICATED');
    expect(await code(call(c, 'ListModels', {}, bearer('tok-predict')))).toBe('OK');
    expect(await code(call(c, 'TrainJob', smallTrainRequest('denied'), bearer('tok-predict')))).toBe('PERMISSION_DENIED');
    expect(await code(call(c, 'TrainJob', smallTrainRequest('allowed', { max_epochs: 1 }), bearer('tok-train')))).toBe('OK');
    // Sweeps are training: the train role, like TrainJob.
    const sweep = { base: smallTrainRequest('swept', { max_epochs: 1 }), axes: { seed: [1] } };
    expect(await code(call(c, 'StartSweep', sweep, bearer('tok-predict')))).toBe('PERMISSION_DENIED');
    expect(await code(call(c, 'ListSweeps', {}, bearer('tok-predict')))).toBe('PERMISSION_DENIED');
    expect(await code(call(c, 'StartSweep', sweep, bearer('tok-train')))).toBe('OK');
    expect(server.logs.some((l) => l['msg'] === 'transport security' && l['tls'] === 'mutual' && l['auth'] === 'tokens')).toBe(true);
  });

  it('keeps health open without a token', async () => {
    const { protoPath } = (await import('grpc-health-check')) as unknown as { protoPath: string };
    const pkg = grpc.loadPackageDefinition(
      (await import('@grpc/proto-loader')).loadSync(protoPath, { keepCase: true, enums: String, defaults: true }),
    ) as unknown as { grpc: { health: { v1: { Health: new (a: string, c: grpc.ChannelCredentials) => grpc.Client & { Check(r: unknown, cb: (e: unknown, r: { status: string }) => void): void } } } } };
    const health = new pkg.grpc.health.v1.Health(
      `localhost:${server.grpcPort}`,
      grpc.credentials.createSsl(readFileSync(certs.ca), readFileSync(certs.clientKey), readFileSync(certs.clientCert)),
    );
    const status = await new Promise<string>((resolve, reject) => health.Check({ service: '' }, (e, r) => (e ? reject(e) : resolve(r.status))));
    health.close();
    expect(status).toBe('SERVING');
  });

  it('refuses a client without a certificate under mutual TLS', async () => {
    const c = tlsClient(false);
    expect(await code(call(c, 'ListModels', {}, bearer('tok-predict')))).toBe('UNAVAILABLE');
  });

  it('reloads the tokens file on SIGHUP', async () => {
    const c = tlsClient();
    expect(await code(call(c, 'ListModels', {}, bearer('tok-new')))).toBe('UNAUTHENTICATED');
    await writeFile(tokensFile, 'tok-predict predict\ntok-new admin\n');
    server.child.kill('SIGHUP');
    await expect.poll(() => code(call(c, 'ListModels', {}, bearer('tok-new'))), { timeout: 5000 }).toBe('OK');
  });

  it('works from the CLI over mutual TLS, and fails in one line without the client certificate', async () => {
    const cli = path.join(REPO, 'dist/cli/main.js');
    const common = ['--address', `localhost:${server.grpcPort}`, '--tls-ca', certs.ca, '--token', 'tok-predict'];
    const ok = await run(process.execPath, [cli, 'models', '--json', ...common, '--tls-cert', certs.clientCert, '--tls-key', certs.clientKey]);
    expect(JSON.parse(ok.stdout)).toBeDefined();
    const bad = await run(process.execPath, [cli, 'models', '--json', ...common]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad?.code).not.toBe(0);
    expect(bad?.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('without a tokens file', () => {
  it('runs open and says so at start', async () => {
    const open = await startServer();
    expect(open.logs.some((l) => l['level'] === 40 && String(l['msg']).includes('without a token'))).toBe(true);
    expect(await open.stop()).toBe(0);
  });
});
