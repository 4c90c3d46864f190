/**
 * inference.GRPCInferenceService (Open Inference Protocol v2) beside taan.v1 on the same port: each handler decodes
 * into serving/open-inference.ts, calls it, encodes. The same wrappers as taan.v1 (auth, metrics, logs, statuses).
 */
import type * as grpc from '@grpc/grpc-js';
import { InvalidArgumentError } from '../errors/errors.js';
import type { OipInput, OipOutput, OipParameters, OpenInference } from '../serving/open-inference.js';
import { unary, type Instrumentation } from './call-context.js';
import type { GRPCInferenceServiceHandlers } from './generated/inference/GRPCInferenceService.js';
import type { InferParameter__Output } from './generated/inference/InferParameter.js';
import type { ModelInferRequest__Output } from './generated/inference/ModelInferRequest.js';
import type { ModelInferResponse } from './generated/inference/ModelInferResponse.js';
import { loadOipProto, OIP_SERVICE_NAME } from './proto.js';

export interface OipServiceDeps extends Instrumentation {
  oip: OpenInference;
}

export class OipServiceImpl {
  constructor(private readonly d: OipServiceDeps) {}

  addToServer(server: Pick<grpc.Server, 'addService'>): void {
    const def = loadOipProto().proto.inference.GRPCInferenceService.service as unknown as grpc.ServiceDefinition;
    server.addService(def, this.handlers() as unknown as grpc.UntypedServiceImplementation);
  }

  private handlers(): GRPCInferenceServiceHandlers {
    const d = this.d;
    const oip = d.oip;
    const opts = { service: OIP_SERVICE_NAME };
    // Probes call these often and without a token (auth.ts gives them no role): no auth, no info line per call.
    const probe = { ...opts, okLogLevel: 'debug' as const };
    const open = { logger: d.logger, metrics: d.metrics };
    return {
      ServerLive: unary(open, 'ServerLive', async () => ({ live: oip.live() }), probe),
      ServerReady: unary(open, 'ServerReady', async () => ({ ready: oip.ready() }), probe),
      ServerMetadata: unary(d, 'ServerMetadata', async () => oip.serverMetadata(), opts),
      ModelReady: unary(d, 'ModelReady', async (req) => ({ ready: await oip.modelReady(req.name, req.version) }), opts),
      ModelMetadata: unary(d, 'ModelMetadata', async (req) => oip.modelMetadata(req.name, req.version), opts),
      ModelInfer: unary(
        d,
        'ModelInfer',
        async (req: ModelInferRequest__Output, ctx) => {
          const res = await oip.infer(
            {
              modelName: req.model_name,
              modelVersion: req.model_version,
              id: req.id,
              parameters: parameters(req.parameters, 'parameters'),
              inputs: inputs(req),
              outputs: req.outputs.map((o, i) => ({ name: o.name, parameters: parameters(o.parameters, `outputs[${i}].parameters`) })),
            },
            ctx.signal,
          );
          return {
            model_name: res.modelName,
            model_version: res.modelVersion,
            id: res.id,
            outputs: res.outputs.map(outputTensor),
          } satisfies ModelInferResponse;
        },
        { ...opts, okLogLevel: 'debug' },
      ),
    };
  }
}

/** The inputs with their data: raw_input_contents[i] when given (one per input), else contents.fp32_contents. */
function inputs(req: ModelInferRequest__Output): OipInput[] {
  const raw = req.raw_input_contents;
  if (raw.length && raw.length !== req.inputs.length) {
    throw InvalidArgumentError.field('raw_input_contents', `has ${raw.length} entries for ${req.inputs.length} inputs; give one per input or none`);
  }
  return req.inputs.map((t, i) => ({
    name: t.name,
    datatype: t.datatype,
    shape: t.shape,
    data: raw.length ? raw[i]! : (t.contents?.fp32_contents ?? []),
  }));
}

function parameters(p: Record<string, InferParameter__Output>, field: string): OipParameters {
  const out: OipParameters = {};
  for (const [key, v] of Object.entries(p)) {
    const choice = v.parameter_choice;
    const value = choice ? v[choice] : undefined;
    if (value === undefined) throw InvalidArgumentError.field(`${field}.${key}`, 'has no value');
    out[key] = value;
  }
  return out;
}

function outputTensor(o: OipOutput): NonNullable<ModelInferResponse['outputs']>[number] {
  const contents = o.datatype === 'FP32' ? { fp32_contents: Array.from(o.fp32) } : { bytes_contents: o.bytes.map((s) => Buffer.from(s)) };
  return { name: o.name, datatype: o.datatype, shape: o.shape, contents };
}
