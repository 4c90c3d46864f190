/**
 * Bad input, limits and a short fuzzing run on the Open Inference Protocol endpoints, gRPC and REST, like
 * bad-input, limits and fuzz do for taan.v1: malformed shapes, wrong datatypes, wrong sizes, NaN, bad JSON, huge
 * bodies, too many rows, unknown models and outputs, missing tokens. Each gets its defined code and a message naming
 * the field; never INTERNAL or 500; the server keeps serving.
 */
import * as grpc from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFieldViolations } from '../../src/grpc/status.js';
import { Rng } from '../../src/util/rng.js';
import { OIP_FEATURES, OIP_MODEL, oipCall, oipClient, oipRows, PREDICT_TOKEN, startOipServer } from '../helpers/oip.js';
import type { ServerProcess } from '../helpers/server-process.js';

const MAX_ROWS = 5;
const MAX_BYTES = 200_000;
let server: ServerProcess;
let client: grpc.Client;
let base: string;

beforeAll(async () => {
  ({ server } = await startOipServer({ TAAN_MAX_PREDICT_EXAMPLES: String(MAX_ROWS), TAAN_MAX_MESSAGE_BYTES: String(MAX_BYTES) }));
  client = oipClient(server.address);
  base = `http://127.0.0.1:${server.httpPort}`;
}, 180_000);
afterAll(async () => {
  client.close();
  expect(await server.stop()).toBe(0);
  expect(server.logs.filter((l) => l['msg'] === 'unexpected error')).toEqual([]);
});

const row = (): number[] => oipRows(1)[0]!;
const features = (shape: number[], values: number[], datatype = 'FP32') => ({ name: 'features', datatype, shape, contents: { fp32_contents: values } });
const infer = (extra: Record<string, unknown>) => ({ model_name: OIP_MODEL, inputs: [features([1, OIP_FEATURES], row())], ...extra });

async function grpcError(method: string, req: unknown, metadata?: grpc.Metadata): Promise<grpc.ServiceError> {
  try {
    await oipCall(client, method, req, metadata);
  } catch (err) {
    return err as grpc.ServiceError;
  }
  throw new Error(`${method} succeeded: ${JSON.stringify(req).slice(0, 200)}`);
}

async function http(path: string, body: string | Buffer | null, opts: { token?: string | null; method?: string; chunked?: boolean } = {}): Promise<{ status: number; json: { error?: string } }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (opts.token !== null) headers['authorization'] = `Bearer ${opts.token ?? PREDICT_TOKEN}`;
    if (body !== null && !opts.chunked) headers['content-length'] = String(Buffer.byteLength(body));
    const req = request(`${base}${path}`, { method: opts.method ?? (body === null ? 'GET' : 'POST'), headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as { error?: string } }));
      res.on('error', reject);
    });
    // The server may answer 413 and close before the whole body is sent.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    if (body !== null) {
      if (opts.chunked) {
        const chunk = Buffer.isBuffer(body) ? body : Buffer.from(body);
        for (let o = 0; o < chunk.length; o += 16_384) req.write(chunk.subarray(o, o + 16_384));
      } else req.write(body);
    }
    req.end();
  });
}

describe('OIP bad input over gRPC', () => {
  it('malformed inputs are INVALID_ARGUMENT naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ model_name: OIP_MODEL }, 'inputs'],
      [infer({ inputs: [features([1, OIP_FEATURES], row()), features([1, OIP_FEATURES], row())] }), 'inputs'],
      [infer({ inputs: [{ ...features([1, OIP_FEATURES], row()), name: 'x' }] }), 'inputs[0].name'],
      [infer({ inputs: [features([1, OIP_FEATURES], row(), 'INT32')] }), 'inputs[0].datatype'],
      [infer({ inputs: [features([OIP_FEATURES], row())] }), 'inputs[0].shape'],
      [infer({ inputs: [features([1, 1, OIP_FEATURES], row())] }), 'inputs[0].shape'],
      [infer({ inputs: [features([0, OIP_FEATURES], [])] }), 'inputs[0].shape'],
      [infer({ inputs: [features([-1, OIP_FEATURES], row())] }), 'inputs[0].shape'],
      [infer({ inputs: [features([1, OIP_FEATURES - 1], row().slice(1))] }), 'inputs[0].shape'],
      [infer({ inputs: [features([2, OIP_FEATURES], row())] }), 'inputs[0].data'],
      [infer({ inputs: [features([1, OIP_FEATURES], [...row().slice(1), Number.NaN])] }), 'inputs[0]'],
      [infer({ inputs: [features([1, OIP_FEATURES], [])], raw_input_contents: [Buffer.alloc(10)] }), 'raw_input_contents[0]'],
      [infer({ raw_input_contents: [Buffer.alloc(64), Buffer.alloc(64)] }), 'raw_input_contents'],
      [infer({ outputs: [{ name: 'task00' }, { name: 'nope' }] }), 'outputs[1]'],
      [infer({ outputs: [{ name: 'task00' }, { name: 'task00' }] }), 'outputs[1].name'],
      [infer({ parameters: { classification: { int64_param: 0 } } }), 'parameters.classification'],
      [infer({ parameters: { classification: { string_param: 'three' } } }), 'parameters.classification'],
      [infer({ outputs: [{ name: 'task00', parameters: { classification: { double_param: 1.5 } } }] }), 'outputs[0].parameters.classification'],
      [infer({ model_name: '' }), 'model_name'],
    ];
    for (const [req, field] of cases) {
      const err = await grpcError('ModelInfer', req);
      expect(status[err.code], `${field}: ${err.details}`).toBe('INVALID_ARGUMENT');
      expect(decodeFieldViolations(err).map((v) => v.field), err.details).toContain(field);
      expect(err.details).not.toMatch(/\n\s+at /);
    }
  });

  it('unknown model, version and label are NOT_FOUND; no token is UNAUTHENTICATED; limits are RESOURCE_EXHAUSTED', async () => {
    for (const req of [infer({ model_name: 'ghost' }), infer({ model_version: '7' }), infer({ model_version: 'canary' })]) {
      expect(status[(await grpcError('ModelInfer', req)).code]).toBe('NOT_FOUND');
    }
    expect(status[(await grpcError('ModelMetadata', { name: 'ghost' })).code]).toBe('NOT_FOUND');
    for (const method of ['ModelInfer', 'ModelMetadata', 'ModelReady', 'ServerMetadata']) {
      expect(status[(await grpcError(method, infer({}), new grpc.Metadata())).code], method).toBe('UNAUTHENTICATED');
    }
    const rows = MAX_ROWS + 1;
    const many = infer({ inputs: [features([rows, OIP_FEATURES], oipRows(rows).flat())] });
    expect(status[(await grpcError('ModelInfer', many)).code]).toBe('RESOURCE_EXHAUSTED');
    const huge = infer({ inputs: [{ name: 'features', datatype: 'FP32', shape: [1, OIP_FEATURES] }], raw_input_contents: [Buffer.alloc(MAX_BYTES + 1)] });
    expect(status[(await grpcError('ModelInfer', huge)).code]).toBe('RESOURCE_EXHAUSTED');
    // Still serving, and right.
    const ok = await oipCall<{ outputs: unknown[] }>(client, 'ModelInfer', infer({}));
    expect(ok.outputs.length).toBe(8);
  });
});

describe('OIP bad input over REST', () => {
  const path = `/v2/models/${OIP_MODEL}/infer`;
  const body = (inputs: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ inputs, ...extra });
  const input = (shape: unknown, data: unknown, datatype: unknown = 'FP32') => ({ name: 'features', datatype, shape, data });

  it('bad JSON and malformed tensors are 400 naming the field', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"inputs": [', /not JSON/],
      ['', /not JSON/],
      ['[]', /request body: must be a JSON object/],
      ['null', /request body: must be a JSON object/],
      ['{"inputs": {}}', /inputs: must be a JSON array/],
      [body([input([1, OIP_FEATURES], row(), 'FP64')]), /inputs\[0\]\.datatype/],
      [body([input([1, OIP_FEATURES], row(), 7)]), /inputs\[0\]\.datatype: must be a string/],
      [body([input([1.5, OIP_FEATURES], row())]), /inputs\[0\]\.shape\[0\]: must be an integer/],
      [body([input('1x16', row())]), /inputs\[0\]\.shape: must be a JSON array/],
      [body([input([OIP_FEATURES], row())]), /inputs\[0\]\.shape/],
      [body([input([1, OIP_FEATURES], row().slice(1))]), /inputs\[0\]\.data/],
      [body([input([1, OIP_FEATURES], row().map(String))]), /inputs\[0\]\.data: value 0 is string/],
      [body([input([1, OIP_FEATURES], [[row()]])]), /inputs\[0\]\.data: shape \[1, 16\] is 16 values, got 1/],
      [body([input([1, OIP_FEATURES], [[...row().slice(1), [1]]])]), /inputs\[0\]\.data: value 15 is object/],
      [body([input([1, OIP_FEATURES], 'abc')]), /inputs\[0\]\.data: must be a JSON array/],
      [body([input([1, OIP_FEATURES], [...row().slice(1), 1e39])]), /inputs\[0\]: row 0 feature 15 is Infinity/],
      [body([input([1, OIP_FEATURES], row())], { outputs: [{ name: 'nope' }] }), /outputs\[0\]/],
      [body([input([1, OIP_FEATURES], row())], { parameters: { classification: -2 } }), /parameters\.classification/],
      [body([input([1, OIP_FEATURES], row())], { parameters: { classification: [3] } }), /parameters\.classification: must be a boolean, number or string/],
      [body([input([1, OIP_FEATURES], row())], { id: 5 }), /id: must be a string/],
    ];
    for (const [b, error] of cases) {
      const r = await http(path, b);
      expect(r.status, b.slice(0, 100)).toBe(400);
      expect(r.json.error, b.slice(0, 100)).toMatch(error);
    }
  });

  it('unknown model 404, no token 401, too many rows and huge bodies 413', async () => {
    const ok = body([input([1, OIP_FEATURES], row())]);
    expect((await http('/v2/models/ghost/infer', ok)).status).toBe(404);
    expect((await http(`/v2/models/${OIP_MODEL}/versions/canary/infer`, ok)).status).toBe(404);
    expect((await http('/v2/models/%E0%A4%A/infer', ok)).status).toBe(404);
    const noToken = await http(path, ok, { token: null });
    expect([noToken.status, noToken.json.error]).toEqual([401, 'missing bearer token (authorization: Bearer <token>)']);
    expect((await http(`/v2/models/${OIP_MODEL}`, null, { token: null })).status).toBe(401);
    const many = await http(path, body([input([MAX_ROWS + 1, OIP_FEATURES], oipRows(MAX_ROWS + 1).flat())]));
    expect([many.status, many.json.error]).toEqual([413, `${MAX_ROWS + 1} examples in one Predict; the limit is ${MAX_ROWS} (TAAN_MAX_PREDICT_EXAMPLES)`]);
    const huge = body([input([1, OIP_FEATURES], Array.from({ length: 40_000 }, () => 0.123456789))]);
    expect(huge.length).toBeGreaterThan(MAX_BYTES);
    for (const chunked of [false, true]) {
      const r = await http(path, huge, { chunked });
      expect(r.status, `chunked ${chunked}`).toBe(413);
      expect(r.json.error).toMatch(/larger than 200000 bytes/);
    }
    expect((await http(path, ok)).status).toBe(200);
  });

  it('a request target that is not a URL is 404, and the server lives on', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const s = connect(server.httpPort, '127.0.0.1', () => s.end('GET http://[::1 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
      let text = '';
      s.on('data', (d: Buffer) => (text += d.toString()));
      s.on('end', () => resolve(text));
      s.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 (400|404)/);
    expect((await http('/v2/health/live', null)).status).toBe(200);
  });
});

describe('OIP fuzzing, short run', () => {
  it('answers seeded hostile requests on gRPC and REST with defined codes, never INTERNAL or 500, and keeps serving', async () => {
    const rng = new Rng(11);
    const weird = [0, -1, 1, 2, OIP_FEATURES, OIP_FEATURES + 1, 2 ** 31, -(2 ** 53), 1e308, 0.5, MAX_ROWS + 1];
    const pick = <T>(xs: readonly T[]): T => xs[rng.int(xs.length)]!;
    const shape = (): number[] => Array.from({ length: rng.int(4) }, () => pick(weird));
    const values = (): number[] => Array.from({ length: pick([0, 1, OIP_FEATURES, 2 * OIP_FEATURES, 33]) }, () => pick([0, 1, -3.5, 1e30, 1e-40, Number.NaN, Infinity]));
    const name = (): string => pick(['features', 'x', '', 'a'.repeat(3000), 'ünï']);
    const dtype = (): string => pick(['FP32', 'FP32', 'INT32', 'BYTES', '', 'fp32']);
    const model = (): string => pick([OIP_MODEL, OIP_MODEL, 'ghost', '', '../etc', 'a'.repeat(300)]);
    const version = (): string => pick(['', '1', '0', '-1', '99999999999', 'stable', 'canary', '%00']);
    const codes: Record<string, number> = {};
    for (let i = 0; i < 150; i++) {
      const req = {
        model_name: model(),
        model_version: version(),
        inputs: Array.from({ length: pick([0, 1, 1, 1, 2]) }, () => ({ name: name(), datatype: dtype(), shape: shape(), contents: { fp32_contents: values() } })),
        outputs: rng.next() < 0.3 ? [{ name: pick(['task00', 'nope', '']), parameters: rng.next() < 0.5 ? { classification: { int64_param: pick([0, 1, 3, 1e6]) } } : {} }] : [],
        parameters: rng.next() < 0.3 ? { classification: pick([{ int64_param: pick([-1, 2, 2 ** 40]) }, { bool_param: true }, { string_param: 'x' }, {}]) } : {},
        raw_input_contents: rng.next() < 0.2 ? [Buffer.from(Array.from({ length: rng.int(200) }, () => rng.int(256)))] : [],
      };
      let code = 'OK';
      try {
        await oipCall(client, pick(['ModelInfer', 'ModelInfer', 'ModelInfer', 'ModelMetadata', 'ModelReady']), { ...req, name: req.model_name, version: req.model_version });
      } catch (err) {
        code = status[(err as grpc.ServiceError).code] ?? 'UNKNOWN';
        expect(code, (err as grpc.ServiceError).details).not.toBe('INTERNAL');
      }
      codes[`grpc ${code}`] = (codes[`grpc ${code}`] ?? 0) + 1;
    }
    for (let i = 0; i < 150; i++) {
      const doc: unknown = rng.next() < 0.15
        ? pick(['{', '[]', '"x"', '{"inputs": null}', '{"inputs": [{}]}', '\u0000', '{"inputs": [[[[[[]]]]]]}'])
        : {
            inputs: Array.from({ length: pick([0, 1, 1, 1, 2]) }, () => ({ name: name(), datatype: rng.next() < 0.9 ? dtype() : 5, shape: rng.next() < 0.9 ? shape() : 'x', data: rng.next() < 0.8 ? values() : [[values()], 'a', null] })),
            ...(rng.next() < 0.3 ? { parameters: { classification: pick([1, 0, -1, 'x', null, 2.5]) } } : {}),
            ...(rng.next() < 0.2 ? { outputs: [{ name: pick(['task01', 'nope', 3]) }] } : {}),
          };
      const text = typeof doc === 'string' ? doc : JSON.stringify(doc, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? 1e39 : v));
      const v = version();
      const p = `/v2/models/${encodeURIComponent(model())}${v ? `/versions/${encodeURIComponent(v)}` : ''}${pick(['/infer', '/infer', '/ready', ''])}`;
      const r = await http(p, p.endsWith('/infer') ? text : null);
      expect(r.status, `${p} ${text.slice(0, 200)}: ${r.json.error}`).toBeLessThan(500);
      if (r.status >= 400) expect(typeof r.json.error).toBe('string');
      codes[`http ${r.status}`] = (codes[`http ${r.status}`] ?? 0) + 1;
    }
    console.log(`oip fuzz: ${JSON.stringify(codes)}`);
    expect(server.child.exitCode).toBeNull();
    expect((await oipCall<{ ready: boolean }>(client, 'ServerReady', {})).ready).toBe(true);
    expect((await http('/v2/health/ready', null)).status).toBe(200);
  }, 120_000);
});
