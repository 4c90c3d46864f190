/**
 * Bearer-token authorisation from a tokens file (`<token> <role>[,<role>]` per line, `#` comments). Roles:
 * `predict` (Predict, GetModel, ListModels, GetActivationMetrics, the Open Inference Protocol's calls over gRPC and
 * REST), `train` (the job and sweep RPCs, UploadDataset and version labels, ListDatasets, plus what predict allows), `admin`
 * (everything; alone the deletes). The file is re-read when it changes and on reload()
 * (SIGHUP); a file that fails to parse keeps the previous tokens and is logged. Health and reflection are other
 * services and never pass through here.
 */
import * as grpc from '@grpc/grpc-js';
import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { PermissionDeniedError, UnauthenticatedError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';

export type Role = 'predict' | 'train' | 'admin';
const ROLES: readonly Role[] = ['predict', 'train', 'admin'];

const NEEDS: Record<string, Role> = {
  Predict: 'predict',
  GetModel: 'predict',
  ListModels: 'predict',
  GetActivationMetrics: 'predict',
  TrainJob: 'train',
  GetJob: 'train',
  ListJobs: 'train',
  CancelJob: 'train',
  WatchJob: 'train',
  UploadDataset: 'train',
  SetModelVersionLabel: 'train',
  // Open Inference Protocol v2 (gRPC and REST); its ServerLive and ServerReady are health probes and need no token.
  ModelInfer: 'predict',
  ModelMetadata: 'predict',
  ModelReady: 'predict',
  ServerMetadata: 'predict',
  ListDatasets: 'train',
  // DeleteModelVersion, DeleteModel, DeleteJob and DeleteDataset are left out: admin only.
  StartSweep: 'train',
  GetSweep: 'train',
  ListSweeps: 'train',
  CancelSweep: 'train',
  WatchSweep: 'train',
};

/** Whether roles allow a method: admin allows all, train includes predict. */
export function allows(roles: ReadonlySet<Role>, method: string): boolean {
  if (roles.has('admin')) return true;
  const need = NEEDS[method] ?? 'admin';
  return roles.has(need) || (need === 'predict' && roles.has('train'));
}

/** Tokens are kept as SHA-256 digests, so a lookup does not compare secrets byte by byte. */
export function parseTokens(text: string, source: string): Map<string, Set<Role>> {
  const out = new Map<string, Set<Role>>();
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) return;
    const [token, roles, ...rest] = line.split(/\s+/);
    const list = (roles ?? '').split(',').filter(Boolean);
    if (!token || !list.length || rest.length || list.some((r) => !ROLES.includes(r as Role))) {
      problems.push(`line ${i + 1}: expected "<token> <role>[,<role>]" with roles among ${ROLES.join(', ')}`);
      return;
    }
    out.set(digest(token), new Set(list as Role[]));
  });
  if (problems.length) throw new Error(`tokens file ${source}: ${problems.join('; ')}`);
  return out;
}

export class TokenAuth {
  private tokens: Map<string, Set<Role>>;

  constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {
    this.tokens = parseTokens(readFileSync(file, 'utf8'), file);
    watchFile(file, { interval: 1000, persistent: false }, () => this.reload());
  }

  reload(): void {
    try {
      this.tokens = parseTokens(readFileSync(this.file, 'utf8'), this.file);
      this.logger.info({ tokens: this.tokens.size }, 'tokens file reloaded');
    } catch (err) {
      this.logger.error({ err }, 'tokens file not reloaded; the previous tokens stay in force');
    }
  }

  /** Throws UnauthenticatedError or PermissionDeniedError. */
  check(method: string, metadata: grpc.Metadata): void {
    this.checkHeader(method, metadata.get('authorization')[0]);
  }

  /** The same check on an `authorization` header value (the REST edge's). */
  checkHeader(method: string, header: unknown): void {
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
    if (!match) throw new UnauthenticatedError('missing bearer token (authorization: Bearer <token>)');
    const roles = this.tokens.get(digest(match[1]!));
    if (!roles) throw new UnauthenticatedError('unknown token');
    if (!allows(roles, method)) throw new PermissionDeniedError(`roles ${[...roles].join(',')} do not allow ${method}`);
  }

  close(): void {
    unwatchFile(this.file);
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
