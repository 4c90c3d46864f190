/**
 * The hand-written PredictResponse encoder (grpc/mappers.ts) against the proto: what protobufjs decodes from it equals
 * the objects the old per-class path built, for every shape (several examples and tasks, fewer classes than top_k,
 * class index 0, empty and non-ASCII labels and ids, ids of packed input); and the serializer registered for Predict
 * passes the encoded bytes through while still encoding plain objects.
 */
import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import type { PredictResponse__Output } from '../../src/grpc/generated/taan/v1/PredictResponse.js';
import { encodePredictResponse } from '../../src/grpc/mappers.js';
import { loadTaanProto } from '../../src/grpc/proto.js';
import type { PredictOutput, TaskTopK } from '../../src/serving/predictor.js';

const predictDef = (loadTaanProto().proto.taan.v1.TaanService as unknown as { service: grpc.ServiceDefinition }).service['Predict']!;
const decode = (b: Buffer): PredictResponse__Output => predictDef.responseDeserialize(b) as PredictResponse__Output;

/** What Predict answered before the encoder: one object per example, task and class. */
function asObjects(out: PredictOutput): PredictResponse__Output {
  return {
    model: { name: out.model.name, version: out.model.version, version_label: '' },
    results: Array.from({ length: out.n }, (_, i) => ({
      id: out.ids ? out.ids[i]! : String(i),
      tasks: out.tasks.map((t) => ({
        task: t.name,
        classes: Array.from({ length: t.counts[i]! }, (_, c) => {
          const index = t.indices[i * t.k + c]!;
          return { index, label: t.labels[index] ?? '', score: t.scores[i * t.k + c]! };
        }),
      })),
    })),
  };
}

function task(name: string, labels: string[], k: number, rows: Array<Array<[number, number]>>): TaskTopK {
  const indices = new Int32Array(rows.length * k);
  const scores = new Float32Array(rows.length * k);
  const counts = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    counts[i] = r.length;
    r.forEach(([index, score], c) => {
      indices[i * k + c] = index;
      scores[i * k + c] = score;
    });
  });
  return { name, labels, k, indices, scores, counts };
}

describe('encodePredictResponse', () => {
  it('decodes to what the per-class objects were, for every shape', () => {
    const labels = ['zero', '', 'ünïcödé 标签', 'x'.repeat(300)];
    const out: PredictOutput = {
      model: { name: 'm-ü', version: 300 },
      n: 3,
      ids: ['a', '', 'идентификатор'],
      tasks: [
        task('t0', labels, 3, [[[3, 0.9], [0, 0.5], [1, 0.25]], [[2, 0.75]], []]),
        task('', ['only'], 1, [[[0, 0]], [[0, 1]], [[0, 1e-30]]]),
      ],
    };
    const decoded = decode(encodePredictResponse(out));
    expect(decoded).toEqual(asObjects(out));
    expect(decoded.results[0]!.tasks[0]!.classes[2]!.score).toBe(0.25);
  });

  it('names packed rows by their position and writes version 0 and empty results', () => {
    const out: PredictOutput = { model: { name: 'p', version: 0 }, n: 2, ids: null, tasks: [task('t', ['a', 'b'], 2, [[[1, 0.5], [0, 0.125]], [[0, 0.5]]])] };
    expect(decode(encodePredictResponse(out))).toEqual(asObjects(out));
    const none: PredictOutput = { model: { name: 'p', version: 1 }, n: 1, ids: null, tasks: [] };
    expect(decode(encodePredictResponse(none))).toEqual(asObjects(none));
  });

  it('scales to large answers (1024 examples x 4 tasks x top 10)', () => {
    const labels = Array.from({ length: 600 }, (_, i) => `class-${i}`);
    const rows = Array.from({ length: 1024 }, (_, i) => Array.from({ length: 10 }, (_, c): [number, number] => [(i * 7 + c * 13) % 600, 1 - c / 10]));
    const out: PredictOutput = { model: { name: 'big', version: 2 }, n: 1024, ids: null, tasks: Array.from({ length: 4 }, (_, t) => task(`task${t}`, labels, 10, rows)) };
    const bytes = encodePredictResponse(out);
    const viaProtobufjs = predictDef.responseSerialize(asObjects(out));
    expect(bytes.length).toBeLessThanOrEqual(viaProtobufjs.length); // defaults left out, nothing added
    expect(decode(bytes)).toEqual(decode(viaProtobufjs));
  });
});
