/**
 * Open Inference Protocol v2 over REST/JSON, called with curl (an HTTP client none of us wrote): every /v2 endpoint,
 * ModelInfer's scores equal to Predict's for the same rows bit for bit, the protocol's error bodies, bearer tokens,
 * and the same TLS files as gRPC (mutual TLS).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { makeCerts, type Certs } from '../helpers/certs.js';
import { asRows, OIP_FEATURES, OIP_LABEL, OIP_MODEL, oipRows, predictAllClasses, PREDICT_TOKEN, startOipServer } from '../helpers/oip.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const run = promisify(execFile);

/** curl's answer: HTTP status and parsed JSON body. */
async function curl(url: string, opts: { token?: string; body?: unknown; method?: string; extra?: string[] } = {}): Promise<{ status: number; json: unknown }> {
  const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', ...(opts.extra ?? [])];
  if (opts.token) args.push('-H', `authorization: Bearer ${opts.token}`);
  if (opts.method) args.push('-X', opts.method);
  if (opts.body !== undefined) {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'taan-oip-body-')), 'body.json');
    await writeFile(file, typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
    args.push('-H', 'content-type: application/json', '--data-binary', `@${file}`);
  }
  const { stdout } = await run('curl', [...args, url], { maxBuffer: 64 * 1024 * 1024 });
  const nl = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(nl + 1)), json: JSON.parse(stdout.slice(0, nl)) as unknown };
}

interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
  data: Array<number | string>;
}

describe('OIP v2 over REST with curl', () => {
  let server: ServerProcess;
  let client: TaanServiceClient;
  let base: string;
  beforeAll(async () => {
    ({ server, client } = await startOipServer());
    base = `http://127.0.0.1:${server.httpPort}`;
  }, 180_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('health, server and model metadata, model readiness', async () => {
    expect(await curl(`${base}/v2/health/live`)).toEqual({ status: 200, json: { live: true } });
    expect(await curl(`${base}/v2/health/ready`)).toEqual({ status: 200, json: { ready: true } });
    const meta = await curl(`${base}/v2`, { token: PREDICT_TOKEN });
    expect(meta).toMatchObject({ status: 200, json: { name: 'taan-service', extensions: ['classification'] } });
    for (const p of [`/v2/models/${OIP_MODEL}`, `/v2/models/${OIP_MODEL}/versions/1`, `/v2/models/${OIP_MODEL}/versions/${OIP_LABEL}`]) {
      const m = await curl(base + p, { token: PREDICT_TOKEN });
      expect(m.status, p).toBe(200);
      expect(m.json).toMatchObject({ name: OIP_MODEL, versions: ['1'], platform: 'taan', inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, OIP_FEATURES] }] });
      expect((m.json as { outputs: Tensor[] }).outputs.length).toBe(8);
    }
    for (const p of [`/v2/models/${OIP_MODEL}/ready`, `/v2/models/${OIP_MODEL}/versions/1/ready`, `/v2/models/${OIP_MODEL}/versions/${OIP_LABEL}/ready`]) {
      expect(await curl(base + p, { token: PREDICT_TOKEN }), p).toEqual({ status: 200, json: { name: OIP_MODEL, ready: true } });
    }
    const ghost = await curl(`${base}/v2/models/ghost/ready`, { token: PREDICT_TOKEN });
    expect(ghost.status).toBe(404);
    expect((ghost.json as { error: string }).error).toMatch(/ghost/);
    expect((await curl(`${base}/v2/models/${OIP_MODEL}/versions/9`, { token: PREDICT_TOKEN })).status).toBe(404);
  });

  it('infer: scores equal Predict scores bit for bit (flat and nested data, version, label, classification)', async () => {
    const rows = oipRows(6);
    const predicted = await predictAllClasses(client, rows);
    const input = (data: unknown) => ({ name: 'features', datatype: 'FP32', shape: [rows.length, OIP_FEATURES], data });
    const flat = await curl(`${base}/v2/models/${OIP_MODEL}/infer`, { token: PREDICT_TOKEN, body: { id: 'r-1', inputs: [input(rows.flat())] } });
    expect(flat.status).toBe(200);
    const res = flat.json as { model_name: string; model_version: string; id: string; outputs: Tensor[] };
    expect([res.model_name, res.model_version, res.id]).toEqual([OIP_MODEL, '1', 'r-1']);
    expect(res.outputs.map((o) => o.name)).toEqual([...predicted.keys()]);
    for (const o of res.outputs) {
      expect(o.datatype).toBe('FP32');
      // JSON carries the double of each float32 exactly: back to float32, equal to Predict's.
      expect(asRows(o.data as number[], o.shape), o.name).toEqual(predicted.get(o.name));
    }
    const k = 4;
    const nested = await curl(`${base}/v2/models/${OIP_MODEL}/versions/${OIP_LABEL}/infer`, {
      token: PREDICT_TOKEN,
      body: { inputs: [input(rows)], outputs: [{ name: 'task05' }, { name: 'task01' }], parameters: { classification: k } },
    });
    expect(nested.status).toBe(200);
    const outs = (nested.json as { outputs: Tensor[] }).outputs;
    expect(outs.map((o) => o.name)).toEqual(['task05', 'task05_classification', 'task01', 'task01_classification']);
    expect(asRows(outs[0]!.data as number[], outs[0]!.shape)).toEqual(predicted.get('task05'));
    const cls = outs[3]!;
    expect([cls.datatype, cls.shape]).toEqual(['BYTES', [rows.length, k]]);
    for (const [j, entry] of (cls.data as string[]).entries()) {
      const [score, index] = entry.split(':');
      expect(Math.fround(Number(score))).toBe(predicted.get('task01')![Math.floor(j / k)]![Number(index)]);
    }
    const byVersion = await curl(`${base}/v2/models/${OIP_MODEL}/versions/1/infer`, { token: PREDICT_TOKEN, body: { inputs: [input(rows.flat())], outputs: [{ name: 'task02' }] } });
    expect(asRows((byVersion.json as { outputs: Tensor[] }).outputs[0]!.data as number[], [rows.length, predicted.get('task02')![0]!.length])).toEqual(predicted.get('task02'));
  });

  it('errors are {"error": ...} with the HTTP code of their kind', async () => {
    const body = { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, OIP_FEATURES], data: oipRows(1)[0] }] };
    const cases: Array<[string, Parameters<typeof curl>[1], number, RegExp]> = [
      [`/v2/models/${OIP_MODEL}/infer`, { body }, 401, /bearer token/],
      [`/v2/models/${OIP_MODEL}/infer`, { body, token: 'nope' }, 401, /unknown token/],
      [`/v2/models/ghost/infer`, { body, token: PREDICT_TOKEN }, 404, /ghost/],
      [`/v2/models/${OIP_MODEL}/infer`, { body: '{"inputs": [', token: PREDICT_TOKEN }, 400, /not JSON/],
      [`/v2/models/${OIP_MODEL}/infer`, { token: PREDICT_TOKEN }, 405, /POST/],
      [`/v2/nothing/here`, { token: PREDICT_TOKEN }, 404, /no such endpoint/],
      [`/v2/models/${OIP_MODEL}`, { token: PREDICT_TOKEN, method: 'DELETE' }, 405, /GET/],
    ];
    for (const [p, opts, status, error] of cases) {
      const r = await curl(base + p, opts);
      expect(r.status, p).toBe(status);
      expect((r.json as { error: string }).error, p).toMatch(error);
    }
    // Probes need no token; the server keeps serving.
    expect((await curl(`${base}/v2/health/ready`)).status).toBe(200);
  });
});

describe('OIP v2 REST over mutual TLS, with the gRPC TLS files', () => {
  let certs: Certs;
  let server: ServerProcess;
  beforeAll(async () => {
    certs = await makeCerts();
    server = await startServer({ env: { TAAN_TLS_CERT: certs.serverCert, TAAN_TLS_KEY: certs.serverKey, TAAN_TLS_CA: certs.ca } });
  }, 120_000);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it('answers a client with a certificate signed by the CA, refuses one without', async () => {
    const url = `https://localhost:${server.httpPort}/v2/health/ready`;
    const mtls = ['--cacert', certs.ca, '--cert', certs.clientCert, '--key', certs.clientKey];
    expect(await curl(url, { extra: mtls })).toEqual({ status: 200, json: { ready: true } });
    expect(await curl(`https://localhost:${server.httpPort}/v2`, { extra: mtls })).toMatchObject({ status: 200, json: { name: 'taan-service' } });
    await expect(curl(url, { extra: ['--cacert', certs.ca] })).rejects.toThrow();
    await expect(curl(`http://127.0.0.1:${server.httpPort}/v2/health/ready`)).rejects.toThrow();
  });
});
