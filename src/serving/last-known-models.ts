/**
 * Model resolution that survives the store going away (issue #20). With replicas, resolving a model name, label or
 * "latest" asks PostgreSQL; during an outage or a failover that fails with UnavailableError, and Predict of a model
 * this replica has been serving all along would fail with it, as TF Serving and Triton never do. So every successful
 * resolution is remembered per spec (name, version, label), and when the store cannot be reached the last answer
 * for the same spec is used instead. Only for unavailability: NOT_FOUND, a corrupt labels map or a local disk fault
 * are answered as they are. A label moved elsewhere meanwhile is seen at the first resolution after the store
 * returns, because a reachable store is always asked first.
 */
import { UnavailableError } from '../errors/errors.js';
import type { ModelRef, ModelSpecQuery } from '../store/model-store.js';

export interface LastKnownModelsOptions {
  /** The registry (store/model-store.ts ModelStore). */
  models: { resolve(q: ModelSpecQuery): Promise<ModelRef> };
  /**
   * After a resolution found the store unreachable, how long specs with a last-known answer skip the store, ms.
   * Default 1000. An unreachable host (not a refused connection) makes each attempt wait for the connect timeout;
   * without this pause every Predict of the outage would wait that long.
   */
  retryMs?: number;
  /** Specs remembered, least recently used dropped first. Default 4096 (a few hundred bytes each). */
  maxEntries?: number;
  now?: () => number;
  /**
   * Whether any store call has succeeded since the last failure (observability/store-status.ts). Once the store
   * answers again the pause ends at once, so a label moved right after the outage is seen by the next Predict.
   */
  storeReachable?: () => boolean;
}

export class LastKnownModels {
  private readonly known = new Map<string, ModelRef>();
  /** Until when resolutions with a last-known answer skip the store (0: ask it). */
  private skipUntil = 0;
  private readonly retryMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(private readonly o: LastKnownModelsOptions) {
    this.retryMs = o.retryMs ?? 1000;
    this.maxEntries = o.maxEntries ?? 4096;
    this.now = o.now ?? Date.now;
  }

  async resolve(q: ModelSpecQuery): Promise<ModelRef> {
    const key = `${q.name}\u0000${q.version}\u0000${q.label}`;
    const last = this.known.get(key);
    if (last && this.now() < this.skipUntil && !this.o.storeReachable?.()) return last;
    try {
      const ref = await this.o.models.resolve(q);
      this.remember(key, ref);
      return ref;
    } catch (err) {
      if (!(err instanceof UnavailableError)) throw err;
      this.skipUntil = this.now() + this.retryMs;
      if (last) return last;
      throw err;
    }
  }

  private remember(key: string, ref: ModelRef): void {
    this.known.delete(key);
    this.known.set(key, ref);
    if (this.known.size > this.maxEntries) this.known.delete(this.known.keys().next().value!);
  }
}
