/**
 * LISTEN on one channel over a dedicated connection (a pooled one could be handed to a query mid-LISTEN), and
 * reconnect with backoff when the database goes away, for as long as the subscription lasts. A lost connection is
 * logged (notifications are missed until it is back) and so is the reconnect.
 */
import pg from 'pg';
import { TaanError, UnavailableError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import { toStoreError } from './pg-connection.js';

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

export class PgListener {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private stopped = false;

  constructor(
    private readonly config: pg.ClientConfig,
    /** An SQL identifier we chose, never user input: LISTEN takes no parameters. */
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
    private readonly onReconnected?: () => void,
  ) {}

  /** Resolves once listening; throws UnavailableError when the database cannot be reached. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    // 'error' then 'end' follow a lost connection; either one starts the reconnect (lost() ignores the second).
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => {
      if (n.channel === this.channel && n.payload !== undefined) this.onPayload(n.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw toStoreError(err);
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.retryMs = FIRST_RETRY_MS;
  }

  private lost(client: pg.Client, cause?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.logger.warn(
      { err: lostError(cause), channel: this.channel },
      'lost the database connection that listens for job changes; reconnecting (changes made meanwhile are re-read then)',
    );
    client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.connect().then(
        () => {
          if (this.stopped) return;
          this.logger.info({ channel: this.channel }, 'listening for job changes again');
          this.onReconnected?.();
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.retry();
        },
      );
    }, this.retryMs);
    // A pending reconnect alone must not keep the process from exiting.
    this.timer.unref();
  }
}

/** A lost connection as a typed error: UnavailableError, keeping the driver's error as its cause. */
function lostError(cause: Error | undefined): TaanError {
  const err = cause === undefined ? undefined : toStoreError(cause);
  if (err instanceof TaanError) return err;
  return new UnavailableError(`the database closed the connection${cause ? ` (${cause.message})` : ''}`, { cause });
}
