/**
 * --token and --tls-* reach the wire. The real server does not check tokens or serve TLS yet, so a small gRPC
 * server in this process stands in for it and records what the CLI sent.
 */
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadTaanProto } from '../../src/grpc/proto.js';
import { oneErrorLine, runCli } from '../helpers/cli.js';

interface Fake {
  port: number;
  authorization: string[];
  stop(): void;
}

let fakes: Fake[] = [];
let dir: string;

/** A self-signed certificate for localhost/127.0.0.1 (its own CA). */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

async function fakeServer(creds: grpc.ServerCredentials): Promise<Fake> {
  const { proto } = loadTaanProto();
  const server = new grpc.Server();
  const authorization: string[] = [];
  server.addService(proto.taan.v1.TaanService.service, {
    ListModels: (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      authorization.push(...call.metadata.get('authorization').map(String));
      cb(null, { models: [] });
    },
  } as unknown as grpc.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))));
  const fake = { port, authorization, stop: () => server.forceShutdown() };
  fakes.push(fake);
  return fake;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'taan-tls-'));
});
afterEach(() => {
  fakes.forEach((f) => f.stop());
  fakes = [];
});

describe('connection options', () => {
  it('--token is sent as "authorization: Bearer <token>" metadata on a plaintext channel', async () => {
    const fake = await fakeServer(grpc.ServerCredentials.createInsecure());
    const r = await runCli(['models', '--address', `127.0.0.1:${fake.port}`, '--token', 's3cret']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('no models\n');
    expect(fake.authorization).toEqual(['Bearer s3cret']);
    await runCli(['models', '--address', `127.0.0.1:${fake.port}`]);
    expect(fake.authorization).toEqual(['Bearer s3cret']); // no token, no header
  });

  it('--tls-ca verifies a TLS server; plaintext against it fails in one line', async () => {
    const server = selfSigned('server');
    const fake = await fakeServer(grpc.ServerCredentials.createSsl(null, [{ cert_chain: readFileSync(server.cert), private_key: readFileSync(server.key) }], false));
    const ok = await runCli(['models', '--address', `localhost:${fake.port}`, '--tls-ca', server.cert, '--token', 'tls-token', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ models: [] });
    expect(fake.authorization).toEqual(['Bearer tls-token']);
    const plain = await runCli(['models', '--address', `localhost:${fake.port}`, '--timeout', '5']);
    expect(oneErrorLine(plain)).toMatch(/^error: (UNAVAILABLE|DEADLINE_EXCEEDED|INTERNAL): /);
  });

  it('--tls-cert/--tls-key present a client certificate for mutual TLS', async () => {
    const server = selfSigned('server');
    const client = selfSigned('client');
    const fake = await fakeServer(grpc.ServerCredentials.createSsl(readFileSync(client.cert), [{ cert_chain: readFileSync(server.cert), private_key: readFileSync(server.key) }], true));
    const address = `localhost:${fake.port}`;
    const ok = await runCli(['models', '--address', address, '--tls-ca', server.cert, '--tls-cert', client.cert, '--tls-key', client.key]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(fake.authorization).toEqual([]);
    const noCert = await runCli(['models', '--address', address, '--tls-ca', server.cert, '--timeout', '5']);
    expect(oneErrorLine(noCert)).toBe(`error: UNAVAILABLE: cannot reach taan-service at ${address} (TLS: the server requires a client certificate; give --tls-cert and --tls-key)`);
    const wrongCa = await runCli(['models', '--address', address, '--tls-ca', client.cert, '--tls-cert', client.cert, '--tls-key', client.key, '--timeout', '5']);
    expect(oneErrorLine(wrongCa)).toBe(`error: UNAVAILABLE: cannot reach taan-service at ${address} (TLS: the server certificate is not trusted; give the CA that signed it with --tls-ca)`);
  });

  it('rejects incomplete or unreadable TLS options in one line', async () => {
    expect(oneErrorLine(await runCli(['models', '--tls-cert', 'c.pem']))).toBe('error: --tls-cert and --tls-key go together');
    expect(oneErrorLine(await runCli(['models', '--tls-ca', path.join(dir, 'nope.pem')]))).toMatch(/^error: --tls-ca: cannot read .*nope\.pem \(ENOENT\)$/);
  });
});
