/** Everything a report shows, fetched over gRPC: the model (with its per-epoch history), its activation metrics, a baseline. */
import * as grpc from '@grpc/grpc-js';
import type { ActivationMetrics__Output } from '../../grpc/generated/taan/v1/ActivationMetrics.js';
import type { JobEvent__Output } from '../../grpc/generated/taan/v1/JobEvent.js';
import type { Model__Output } from '../../grpc/generated/taan/v1/Model.js';
import type { ModelSpec } from '../../grpc/generated/taan/v1/ModelSpec.js';
import type { TaanClient } from '../client.js';
import { mean } from '../format/output.js';

export interface EpochPoint {
  epoch: number;
  loss: number;
  meanValid: number;
  valid: Record<string, number>;
}

export interface ReportInput {
  model: Model__Output;
  history: EpochPoint[];
  baseline?: Model__Output;
  baselineHistory: EpochPoint[];
  /** Absent for models without task activations (HARD_SHARE, STL); `activationNote` says why. */
  activation?: ActivationMetrics__Output;
  activationNote?: string;
  /** Where the data came from, for the footer. */
  source: string;
  generatedAt: Date;
}

export function historyFromModel(m: Model__Output): EpochPoint[] {
  return m.history.map((h) => ({ epoch: h.epoch, loss: h.train_loss, meanValid: h.mean_valid_map_at_10, valid: h.valid_map_at_10 }));
}

/** Per-epoch points from the "epoch N done" events of a watched job, for models whose GetModel has no history. */
export function historyFromEvents(events: JobEvent__Output[]): EpochPoint[] {
  const byEpoch = new Map<number, EpochPoint>();
  for (const e of events) {
    const p = e.progress;
    if (!p || !e.message.startsWith('epoch ') || Object.keys(p.valid_map_at_10).length === 0) continue;
    byEpoch.set(p.epoch, { epoch: p.epoch, loss: p.loss, meanValid: mean(Object.values(p.valid_map_at_10)), valid: p.valid_map_at_10 });
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

export interface CollectOptions {
  gridPoints?: number;
  source: string;
  /** Used when GetModel carries no history (keyed by model name). */
  fallbackHistory?: Map<string, EpochPoint[]>;
}

function withFallback(m: Model__Output, o: CollectOptions): EpochPoint[] {
  const h = historyFromModel(m);
  return h.length ? h : (o.fallbackHistory?.get(m.name) ?? []);
}

export async function collectReport(client: TaanClient, model: ModelSpec, baseline: ModelSpec | undefined, o: CollectOptions): Promise<ReportInput> {
  const m = await client.call('GetModel', { model });
  // Pin the version just fetched, so the charts and the metrics describe the same one.
  const pinned = { name: m.name, version: m.version };
  const [b, activation] = await Promise.all([
    baseline ? client.call('GetModel', { model: baseline }) : Promise.resolve(undefined),
    client.call('GetActivationMetrics', { model: pinned, grid_points: o.gridPoints ?? 0 }).catch((err: unknown) => {
      if ((err as grpc.ServiceError).code === grpc.status.FAILED_PRECONDITION) return (err as grpc.ServiceError).details;
      throw err;
    }),
  ]);
  return {
    model: m,
    history: withFallback(m, o),
    baseline: b,
    baselineHistory: b ? withFallback(b, o) : [],
    activation: typeof activation === 'string' ? undefined : activation,
    activationNote: typeof activation === 'string' ? activation : undefined,
    source: o.source,
    generatedAt: new Date(),
  };
}
