/**
 * The Open Inference Protocol v2 over REST/JSON (`/v2/...`): a thin edge like grpc/, on node:http or node:https.
 * Each route decodes JSON into serving/open-inference.ts, calls it, encodes; errors are the protocol's
 * `{"error": "..."}` bodies with the HTTP code of the error's kind (one table, below). The same bearer tokens (roles
 * of the gRPC method of the same name), TLS files, request size limit, logs and model resolution as gRPC.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError, NotFoundError, TaanError, type ErrorCode } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import type { TaanMetrics } from '../observability/metrics.js';
import type { OipInferRequest, OipInput, OipParameters, OipRequestedOutput, OpenInference } from '../serving/open-inference.js';

export interface OipHttpOptions {
  host: string;
  port: number;
  oip: OpenInference;
  /** Largest request body, bytes (the gRPC message limit, TAAN_MAX_MESSAGE_BYTES). */
  maxBodyBytes: number;
  logger: Logger;
  metrics: TaanMetrics;
  /** Checks an `authorization` header for a method (grpc/auth.ts TokenAuth.checkHeader); absent = open. */
  auth?: { checkHeader(method: string, header: unknown): void };
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export interface OipHttpServer {
  readonly port: number;
  /** Stops accepting connections; open ones end after their request, or after `graceMs`. */
  close(graceMs: number): Promise<void>;
}

/** HTTP status of each error kind. Oversized input is 413 (the only RESOURCE_EXHAUSTED these routes raise). */
const HTTP_STATUS: Record<ErrorCode, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 413,
  UNAVAILABLE: 503,
  CANCELLED: 499,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  INTERNAL: 500,
};

interface Route {
  /** Metric label: the pattern, never the path (model names would be unbounded label values). */
  name: string;
  /** The gRPC method of the same meaning: its role in the tokens file; null = no token needed (health probes). */
  method: string | null;
  verb: 'GET' | 'POST';
  handle(m: { name: string; version: string }, body: () => Promise<unknown>, signal: AbortSignal): Promise<{ status?: number; json: unknown }>;
}

const MODEL_PATH = /^\/v2\/models\/([^/]+)(?:\/versions\/([^/]+))?(\/ready|\/infer)?$/;

export async function startOipHttpServer(o: OipHttpOptions): Promise<OipHttpServer> {
  const oip = o.oip;
  const routes: Record<string, Route> = {
    live: { name: '/v2/health/live', method: null, verb: 'GET', handle: async () => ({ json: { live: oip.live() } }) },
    ready: {
      name: '/v2/health/ready',
      method: null,
      verb: 'GET',
      handle: async () => (oip.ready() ? { json: { ready: true } } : { status: 503, json: { ready: false } }),
    },
    server: { name: '/v2', method: 'ServerMetadata', verb: 'GET', handle: async () => ({ json: oip.serverMetadata() }) },
    model: { name: '/v2/models/{name}', method: 'ModelMetadata', verb: 'GET', handle: async (m) => ({ json: await oip.modelMetadata(m.name, m.version) }) },
    modelReady: {
      name: '/v2/models/{name}/ready',
      method: 'ModelReady',
      verb: 'GET',
      handle: async (m) => {
        await oip.checkModel(m.name, m.version);
        return { json: { name: m.name, ready: true } };
      },
    },
    infer: {
      name: '/v2/models/{name}/infer',
      method: 'ModelInfer',
      verb: 'POST',
      handle: async (m, body, signal) => {
        const res = await oip.infer(inferRequest(m, await body()), signal);
        return {
          json: {
            model_name: res.modelName,
            model_version: res.modelVersion,
            ...(res.id ? { id: res.id } : {}),
            outputs: res.outputs.map((t) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: t.datatype === 'FP32' ? Array.from(t.fp32) : t.bytes })),
          },
        };
      },
    },
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const started = performance.now();
    const reqId = headerValue(req.headers['x-request-id']) ?? randomUUID();
    const ctl = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ctl.abort();
    });
    const pathname = pathOf(req.url);
    const found = match(pathname, routes);
    const routeName = found?.route.name ?? 'unknown';
    const answer = (status: number, json: unknown): void => {
      const body = JSON.stringify(json);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': reqId });
      res.end(body);
      const seconds = (performance.now() - started) / 1000;
      o.metrics.httpRequests.labels({ route: routeName, code: String(status) }).inc();
      o.metrics.httpRequestSeconds.labels({ route: routeName }).observe(seconds);
      // As on gRPC: successful inference calls and probes (high-rate) at debug, everything else at info.
      const quiet = status < 400 && (found?.route.method === 'ModelInfer' || found?.route.method === null);
      const level = quiet ? 'debug' : 'info';
      if (o.logger.isLevelEnabled(level)) {
        o.logger[level]({ reqId, http: `${req.method ?? ''} ${routeName}`, status, durationMs: Math.round(seconds * 1000) }, 'http done');
      }
    };
    const fail = (err: unknown): void => {
      if (err instanceof TaanError) {
        if (err.code === 'UNAUTHENTICATED') res.setHeader('www-authenticate', 'Bearer');
        return answer(HTTP_STATUS[err.code], { error: err.message });
      }
      o.logger.error({ err, reqId }, 'unexpected error');
      answer(500, { error: `internal error (request id ${reqId})` });
    };
    void (async () => {
      if (!found) throw new NotFoundError('file', pathname, `no such endpoint: ${req.method ?? ''} ${clip(pathname)}`);
      if (req.method !== found.route.verb && !(found.route.verb === 'GET' && req.method === 'HEAD')) {
        res.setHeader('allow', found.route.verb);
        return answer(405, { error: `${found.route.name} takes ${found.route.verb}, not ${req.method ?? ''}` });
      }
      if (found.route.method) o.auth?.checkHeader(found.route.method, req.headers.authorization);
      const out = await found.route.handle(found.params, () => readJson(req, o.maxBodyBytes), ctl.signal);
      answer(out.status ?? 200, out.json);
    })().catch((err: unknown) => {
      // A body left unread (over the limit, or refused before it was read): answer, then close the connection
      // rather than read the rest of it.
      if (!req.complete) {
        res.setHeader('connection', 'close');
        res.on('finish', () => req.destroy());
      }
      fail(err);
    });
  };

  const server = o.tls ? https.createServer(await tlsOptions(o.tls), handler) : http.createServer(handler);
  // Bounds a client that opens a connection and sends its request slowly or not at all.
  server.requestTimeout = 60_000;
  server.headersTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/** The request target's path; '' for one that is not a URL (an absolute form the parser let through, say). */
function pathOf(target: string | undefined): string {
  try {
    return new URL(target ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function match(pathname: string, routes: Record<string, Route>): { route: Route; params: { name: string; version: string } } | null {
  const none = { name: '', version: '' };
  if (pathname === '/v2/health/live') return { route: routes['live']!, params: none };
  if (pathname === '/v2/health/ready') return { route: routes['ready']!, params: none };
  if (pathname === '/v2' || pathname === '/v2/') return { route: routes['server']!, params: none };
  const m = MODEL_PATH.exec(pathname);
  if (!m) return null;
  let params: { name: string; version: string };
  try {
    params = { name: decodeURIComponent(m[1]!), version: m[2] ? decodeURIComponent(m[2]) : '' };
  } catch {
    return null; // a malformed %-escape names no model
  }
  const route = m[3] === '/ready' ? routes['modelReady']! : m[3] === '/infer' ? routes['infer']! : routes['model']!;
  return { route, params };
}

/** The body as JSON, refused beyond `limit` bytes (by its Content-Length when given, else as it arrives). */
async function readJson(req: http.IncomingMessage, limit: number): Promise<unknown> {
  const tooLarge = (): TaanError => new TaanError('RESOURCE_EXHAUSTED', `request body is larger than ${limit} bytes (TAAN_MAX_MESSAGE_BYTES)`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new InvalidArgumentError(`request body is not JSON: ${(err as Error).message}`);
  }
}

/** The protocol's JSON inference request, checked field by field. */
function inferRequest(m: { name: string; version: string }, body: unknown): OipInferRequest {
  const b = object(body, 'request body');
  const inputs = array(b['inputs'] ?? [], 'inputs').map((t, i): OipInput => {
    const x = object(t, `inputs[${i}]`);
    const shape = array(x['shape'], `inputs[${i}].shape`).map((d, j) => {
      if (typeof d !== 'number' || !Number.isSafeInteger(d)) throw InvalidArgumentError.field(`inputs[${i}].shape[${j}]`, 'must be an integer');
      return d;
    });
    return { name: string(x['name'], `inputs[${i}].name`), datatype: string(x['datatype'], `inputs[${i}].datatype`), shape, data: decodeJsonData(x['data'], shape, `inputs[${i}].data`) };
  });
  const outputs = array(b['outputs'] ?? [], 'outputs').map((t, i): OipRequestedOutput => {
    const x = object(t, `outputs[${i}]`);
    return { name: string(x['name'], `outputs[${i}].name`), parameters: parameters(x['parameters'], `outputs[${i}].parameters`) };
  });
  const id = b['id'] ?? '';
  return {
    modelName: m.name,
    modelVersion: m.version,
    id: string(id, 'id'),
    parameters: parameters(b['parameters'], 'parameters'),
    inputs,
    outputs,
  };
}

/** A JSON tensor's `data`: row-major values, flat or nested as deep as the shape. */
function decodeJsonData(v: unknown, shape: number[], field: string): unknown[] {
  const data = array(v, field);
  return shape.length > 1 ? data.flat(Math.min(shape.length - 1, 8)) : data;
}

function parameters(v: unknown, field: string): OipParameters {
  if (v === undefined) return {};
  const out: OipParameters = {};
  for (const [key, p] of Object.entries(object(v, field))) {
    if (typeof p !== 'boolean' && typeof p !== 'number' && typeof p !== 'string') throw InvalidArgumentError.field(`${field}.${key}`, 'must be a boolean, number or string');
    out[key] = p;
  }
  return out;
}

function object(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw InvalidArgumentError.field(field, 'must be a JSON object');
  return v as Record<string, unknown>;
}

function array(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw InvalidArgumentError.field(field, 'must be a JSON array');
  return v;
}

function string(v: unknown, field: string): string {
  if (typeof v !== 'string') throw InvalidArgumentError.field(field, 'must be a string');
  return v;
}

function headerValue(v: string | string[] | undefined): string | undefined {
  const x = Array.isArray(v) ? v[0] : v;
  return x && x.length <= 128 ? x : undefined;
}

function clip(s: string): string {
  return s.length > 64 ? `${s.slice(0, 64)}...` : s;
}

async function tlsOptions(t: { certFile: string; keyFile: string; caFile: string }): Promise<https.ServerOptions> {
  const [cert, key, ca] = await Promise.all([readFile(t.certFile), readFile(t.keyFile), t.caFile ? readFile(t.caFile) : Promise.resolve(null)]);
  return ca ? { cert, key, ca, requestCert: true, rejectUnauthorized: true } : { cert, key };
}
