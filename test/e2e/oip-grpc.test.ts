/**
 * Open Inference Protocol v2 over gRPC, called by a client none of us wrote the transport of: Python stubs that
 * Debian's protoc (with grpc_python_plugin) compiles from proto/inference/grpc_predict_v2.proto into a temp folder,
 * on python3-grpcio. Every RPC is called; ModelInfer's scores equal Predict's for the same rows, bit for bit.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asRows, OIP_FEATURES, OIP_LABEL, OIP_MODEL, oipRows, predictAllClasses, PREDICT_TOKEN, startOipServer } from '../helpers/oip.js';
import { REPO, type ServerProcess } from '../helpers/server-process.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';

const run = promisify(execFile);
// Debian's interpreter, whose dist-packages hold python3-grpcio and python3-protobuf (not a pyenv one).
const PYTHON = '/usr/bin/python3';

let server: ServerProcess;
let client: TaanServiceClient;
let stubs: string;

beforeAll(async () => {
  stubs = await mkdtemp(path.join(tmpdir(), 'taan-oip-stubs-'));
  await run('protoc', [
    `-I${path.join(REPO, 'proto')}`,
    `--python_out=${stubs}`,
    `--grpc_python_out=${stubs}`,
    '--plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin',
    path.join(REPO, 'proto/inference/grpc_predict_v2.proto'),
  ]);
  ({ server, client } = await startOipServer());
}, 180_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

interface Tensor {
  datatype: string;
  shape: number[];
  data: Array<number | string>;
}
interface Inferred {
  model_name: string;
  model_version: string;
  id: string;
  outputs: Record<string, Tensor>;
}
interface PythonOut {
  live: boolean;
  ready: boolean;
  server_metadata: { name: string; version: string; extensions: string[] };
  model_ready: boolean;
  model_ready_label: boolean;
  ghost_ready: boolean;
  model_metadata: { name: string; versions: string[]; platform: string; inputs: Array<{ name: string; datatype: string; shape: number[] }>; outputs: Array<{ name: string; datatype: string; shape: number[] }> };
  infer_contents: Inferred;
  infer_raw: Inferred;
  infer_label: Inferred;
  errors: Record<string, string>;
}

describe('OIP v2 over gRPC from Python stubs compiled by protoc', () => {
  it('answers every RPC, and ModelInfer scores equal Predict scores bit for bit', async () => {
    const rows = oipRows(5);
    const k = 3;
    const { stdout } = await run(PYTHON, [
      path.join(REPO, 'test/oip/oip_client.py'),
      stubs,
      server.address,
      PREDICT_TOKEN,
      OIP_MODEL,
      JSON.stringify({ rows, classification: k, version: '1', label: OIP_LABEL, task: 'task03' }),
    ]);
    const got = JSON.parse(stdout) as PythonOut;
    expect(got.live).toBe(true);
    expect(got.ready).toBe(true);
    expect(got.server_metadata).toMatchObject({ name: 'taan-service', extensions: ['classification'] });
    expect(got.server_metadata.version).toMatch(/^\d+\.\d+\.\d+/);
    expect([got.model_ready, got.model_ready_label, got.ghost_ready]).toEqual([true, true, false]);
    expect(got.model_metadata.name).toBe(OIP_MODEL);
    expect(got.model_metadata.versions).toEqual(['1']);
    expect(got.model_metadata.platform).toBe('taan');
    expect(got.model_metadata.inputs).toEqual([{ name: 'features', datatype: 'FP32', shape: [-1, OIP_FEATURES] }]);

    const predicted = await predictAllClasses(client, rows);
    expect(got.model_metadata.outputs.map((o) => o.name)).toEqual([...predicted.keys()]);
    for (const o of got.model_metadata.outputs) expect(o).toEqual({ name: o.name, datatype: 'FP32', shape: [-1, predicted.get(o.name)![0]!.length] });

    // contents.fp32_contents in, every task's scores out.
    const a = got.infer_contents;
    expect([a.model_name, a.model_version, a.id]).toEqual([OIP_MODEL, '1', 'py-1']);
    expect(Object.keys(a.outputs)).toEqual([...predicted.keys()]);
    let compared = 0;
    for (const [task, want] of predicted) {
      const t = a.outputs[task]!;
      expect(t.datatype).toBe('FP32');
      expect(t.shape).toEqual([rows.length, want[0]!.length]);
      // Python's float is the exact double of the float32 sent; Predict's score is a float32 too: equal, not close.
      expect(asRows(t.data as number[], t.shape), task).toEqual(want);
      // The raw_input_contents request (by version number) gives the same bits.
      expect(asRows(got.infer_raw.outputs[task]!.data as number[], t.shape), `${task} raw`).toEqual(want);
      compared += rows.length * want[0]!.length;
    }
    expect(compared).toBeGreaterThan(rows.length * predicted.size);

    // The classification extension: top-k "score:index:label" per row, best first, with Predict's scores.
    const cls = got.infer_raw.outputs['task00_classification']!;
    expect(cls.datatype).toBe('BYTES');
    expect(cls.shape).toEqual([rows.length, k]);
    const want00 = predicted.get('task00')!;
    (cls.data as string[]).forEach((entry, j) => {
      const [score, index, label] = entry.split(':') as [string, string, string];
      const row = want00[Math.floor(j / k)]!;
      expect(Math.fround(Number(score))).toBe(row[Number(index)]);
      expect(label).not.toBe('');
      if (j % k > 0) expect(Number(score)).toBeLessThanOrEqual(Number((cls.data[j - 1] as string).split(':')[0]));
    });
    // By label, one requested output with classification: that output's classes only.
    expect(got.infer_label.model_version).toBe('1');
    expect(Object.keys(got.infer_label.outputs)).toEqual(['task03']);
    expect(got.infer_label.outputs['task03']!.datatype).toBe('BYTES');

    expect(got.errors).toEqual({ unknown_model: 'NOT_FOUND', no_token: 'UNAUTHENTICATED', bad_shape: 'INVALID_ARGUMENT', ghost_metadata: 'NOT_FOUND' });
  }, 120_000);

  it('counts the OIP calls in the gRPC metrics and the Predict metrics of the model', async () => {
    const metrics = await (await fetch(server.metricsUrl)).text();
    expect(metrics).toMatch(/grpc_server_handled_total\{grpc_service="inference.GRPCInferenceService",grpc_method="ModelInfer",grpc_type="unary",grpc_code="OK"\} [1-9]/);
    expect(metrics).toMatch(new RegExp(`taan_predict_examples_total\\{model="${OIP_MODEL}"\\} [1-9]`));
  });
});
