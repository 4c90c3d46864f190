/**
 * Whether the job and model store (PostgreSQL, with replicas) is reachable, as the store's own calls find it: the
 * taan_store_up gauge follows every call, and the log gets one warn line when the store becomes unreachable and one
 * info line when it answers again (not one per failed call: during an outage every call fails, thousands a second).
 */
import type { Logger } from './logger.js';

export class StoreStatus {
  private up = true;
  private downSince = 0;

  constructor(
    /** taan_store_up (TaanMetrics.storeUp). */
    private readonly gauge: { set(value: number): void },
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
    private readonly now: () => number = Date.now,
  ) {
    gauge.set(1);
  }

  /** One call's outcome: `up` false with the error that said the store could not be reached. */
  report(up: boolean, err?: Error): void {
    if (up === this.up) return;
    this.up = up;
    this.gauge.set(up ? 1 : 0);
    if (!up) {
      this.downSince = this.now();
      this.logger.warn({ err }, 'the job and model store is unreachable: Predict serves the model versions this replica last resolved; jobs and uploads wait for it');
    } else {
      this.logger.info({ downSeconds: Math.round((this.now() - this.downSince) / 100) / 10 }, 'the job and model store is reachable again');
    }
  }

  get reachable(): boolean {
    return this.up;
  }
}
