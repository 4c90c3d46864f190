/**
 * The Open Inference Protocol v2 (KServe / Triton "V2 inference protocol") over TAAN models, for both of its
 * transports: grpc/oip-service.ts (inference.GRPCInferenceService) and http/oip-http.ts (REST /v2/...) decode into
 * these shapes and encode what comes back. The rules live here once: a model is a TAAN model name, a version string
 * is a version number or a label, the one input is `features` FP32 [N, F], and ModelInfer's outputs are every class's
 * probability per task (Predictor.scores: Predict's batcher, worker pass, limits and metrics), named by the task,
 * plus the protocol's classification extension (top-k classes as BYTES "score:index:label").
 */
import { InvalidArgumentError, NotFoundError, UnavailableError } from '../errors/errors.js';
import { topKIndices } from '../eval/ranking.js';
import type { ModelRef, ModelSpecQuery } from '../store/model-store.js';
import type { Predictor, TaskScores } from './predictor.js';

/** A request parameter's value (InferParameter's oneof; JSON's scalars). */
export type OipParameter = boolean | number | string;
export type OipParameters = Record<string, OipParameter>;

export interface OipInput {
  name: string;
  datatype: string;
  shape: number[];
  /** Little-endian bytes (raw_input_contents) or the values (contents / JSON `data`). */
  data: Uint8Array | ArrayLike<unknown>;
}

export interface OipRequestedOutput {
  name: string;
  parameters: OipParameters;
}

export interface OipInferRequest {
  modelName: string;
  modelVersion: string;
  id: string;
  parameters: OipParameters;
  inputs: OipInput[];
  /** Empty = every task's scores. */
  outputs: OipRequestedOutput[];
}

export type OipOutput =
  | { name: string; datatype: 'FP32'; shape: [number, number]; fp32: Float32Array }
  | { name: string; datatype: 'BYTES'; shape: [number, number]; bytes: string[] };

export interface OipInferResponse {
  modelName: string;
  modelVersion: string;
  id: string;
  outputs: OipOutput[];
}

export interface OipTensorMetadata {
  name: string;
  datatype: string;
  shape: number[];
}

export interface OipModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: OipTensorMetadata[];
  outputs: OipTensorMetadata[];
}

export interface OipServerMetadata {
  name: string;
  version: string;
  extensions: string[];
}

export interface OpenInferenceOptions {
  predictor: Predictor;
  /** A model's version numbers (store/model-store.ts ModelStore.versions). */
  versions(name: string): Promise<number[]>;
  /** Whether the server takes inference calls now (the health status it serves). */
  ready(): boolean;
  serverVersion: string;
}

export const OIP_INPUT_NAME = 'features';
export const OIP_PLATFORM = 'taan';
export const OIP_SERVER_NAME = 'taan-service';
/** The protocol extensions served: top-k classes as BYTES tensors. */
export const OIP_EXTENSIONS = ['classification'];
/** Name of the BYTES tensor that a request-level `classification` parameter adds for a task. */
export const classificationOutputName = (task: string): string => `${task}_classification`;

const CLASSIFICATION = 'classification';

export class OpenInference {
  constructor(private readonly o: OpenInferenceOptions) {}

  live(): boolean {
    return true;
  }

  ready(): boolean {
    return this.o.ready();
  }

  serverMetadata(): OipServerMetadata {
    return { name: OIP_SERVER_NAME, version: this.o.serverVersion, extensions: [...OIP_EXTENSIONS] };
  }

  /** Throws NotFoundError for an unknown model or version, UnavailableError while the server is not ready. */
  async checkModel(name: string, version: string): Promise<void> {
    await this.o.predictor.resolve(modelSpec(name, version));
    if (!this.ready()) throw new UnavailableError('the server is not serving (starting or shutting down)');
  }

  /** Whether the model (version) can be inferred with now; an unknown one is not ready, not an error. */
  async modelReady(name: string, version: string): Promise<boolean> {
    try {
      await this.checkModel(name, version);
      return true;
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof UnavailableError) return false;
      throw err;
    }
  }

  async modelMetadata(name: string, version: string): Promise<OipModelMetadata> {
    const ref = await this.o.predictor.resolve(modelSpec(name, version));
    const cfg = ref.meta.config;
    return {
      name: ref.name,
      versions: (await this.versionsOf(ref)).map(String),
      platform: OIP_PLATFORM,
      inputs: [{ name: OIP_INPUT_NAME, datatype: 'FP32', shape: [-1, cfg.inputDim] }],
      outputs: cfg.tasks.map((t) => ({ name: t.name, datatype: 'FP32', shape: [-1, t.labels.length] })),
    };
  }

  async infer(req: OipInferRequest, signal?: AbortSignal): Promise<OipInferResponse> {
    const { n, features, rows } = inputRows(req.inputs);
    const asked = new Set<string>();
    req.outputs.forEach((o, i) => {
      if (asked.has(o.name)) throw InvalidArgumentError.field(`outputs[${i}].name`, `"${clip(o.name)}" is asked for twice`);
      asked.add(o.name);
    });
    const perOutput = req.outputs.map((o, i) => classificationK(o.parameters, `outputs[${i}].parameters.${CLASSIFICATION}`));
    const everyTask = classificationK(req.parameters, `parameters.${CLASSIFICATION}`);
    const out = await this.o.predictor.scores({
      model: modelSpec(req.modelName, req.modelVersion),
      rows,
      n,
      features,
      tasks: req.outputs.map((o) => o.name),
      field: 'inputs[0]',
      tasksField: 'outputs',
      ...(signal ? { signal } : {}),
    });
    const outputs: OipOutput[] = [];
    out.tasks.forEach((t, j) => {
      const k = perOutput[j] ?? 0;
      // A requested output with `classification` is that output's classes instead of its scores (as in Triton).
      if (k > 0) outputs.push(classes(t.name, t, n, k));
      else outputs.push({ name: t.name, datatype: 'FP32', shape: [n, t.labels.length], fp32: t.scores });
      if (everyTask > 0 && k === 0) outputs.push(classes(classificationOutputName(t.name), t, n, everyTask));
    });
    return { modelName: out.model.name, modelVersion: String(out.model.version), id: req.id, outputs };
  }

  /** Version numbers of a model; while the store is unreachable, at least the version that resolved. */
  private async versionsOf(ref: ModelRef): Promise<number[]> {
    try {
      return await this.o.versions(ref.name);
    } catch (err) {
      if (err instanceof UnavailableError) return [ref.version];
      throw err;
    }
  }
}

/** An OIP model version string: "" = latest, digits = a version number, anything else = a version label. */
export function modelSpec(name: string, version: string): ModelSpecQuery {
  if (!name) throw InvalidArgumentError.field('model_name', 'is required');
  if (version === '') return { name, version: 0, label: '' };
  if (/^[0-9]{1,9}$/.test(version) && Number(version) > 0) return { name, version: Number(version), label: '' };
  return { name, version: 0, label: version };
}

/** The one input, `features` FP32 [N, F], as packed little-endian float32 bytes. */
function inputRows(inputs: OipInput[]): { n: number; features: number; rows: Uint8Array } {
  if (inputs.length !== 1) throw InvalidArgumentError.field('inputs', `expected one input tensor "${OIP_INPUT_NAME}", got ${inputs.length}`);
  const input = inputs[0]!;
  if (input.name !== OIP_INPUT_NAME) throw InvalidArgumentError.field('inputs[0].name', `expected "${OIP_INPUT_NAME}", got "${clip(input.name)}"`);
  if (input.datatype !== 'FP32') throw InvalidArgumentError.field('inputs[0].datatype', `expected FP32, got "${clip(input.datatype)}"`);
  const shape = input.shape;
  if (shape.length !== 2 || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw InvalidArgumentError.field('inputs[0].shape', `expected [N, F] with N, F > 0, got [${shape.slice(0, 8).join(', ')}]`);
  }
  const [n, features] = shape as [number, number];
  const values = n * features;
  const data = input.data;
  if (data instanceof Uint8Array) {
    if (data.length !== values * 4) throw InvalidArgumentError.field('raw_input_contents[0]', `shape [${n}, ${features}] is ${values * 4} bytes of FP32, got ${data.length}`);
    return { n, features, rows: data };
  }
  if (data.length !== values) throw InvalidArgumentError.field('inputs[0].data', `shape [${n}, ${features}] is ${values} values, got ${data.length}`);
  const rows = Buffer.allocUnsafe(values * 4);
  for (let i = 0; i < values; i++) {
    const v = data[i];
    if (typeof v !== 'number') throw InvalidArgumentError.field('inputs[0].data', `value ${i} is ${typeof v}; FP32 data are numbers`);
    rows.writeFloatLE(v, i * 4);
  }
  return { n, features, rows };
}

/** The classification parameter's k (0 = not asked). */
function classificationK(parameters: OipParameters, field: string): number {
  const k = parameters[CLASSIFICATION];
  if (k === undefined) return 0;
  if (typeof k !== 'number' || !Number.isSafeInteger(k) || k < 1) throw InvalidArgumentError.field(field, `must be an integer >= 1, got ${clip(String(k))}`);
  return k;
}

/** The best min(k, C) classes of each row as "score:index:label", best first (the order of Predict's top-k). */
function classes(name: string, t: TaskScores, n: number, k: number): OipOutput {
  const C = t.labels.length;
  const m = Math.min(k, C);
  const bytes: string[] = [];
  for (let i = 0; i < n; i++) {
    for (const c of topKIndices(t.scores, i * C, C, m)) bytes.push(`${float32Text(t.scores[i * C + c]!)}:${c}:${t.labels[c]}`);
  }
  return { name, datatype: 'BYTES', shape: [n, m], bytes };
}

/** The shortest decimal that reads back as the same float32. */
export function float32Text(v: number): string {
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}

