/**
 * The one pino factory. Everything else takes a `Logger` in its constructor (`import type` only), so tests can
 * hand in a logger that writes to memory and no module keeps a global one.
 */
import os from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level name: fatal | error | warn | info | debug | trace | silent. */
  level: string;
  /** Where JSON lines go; default stdout. */
  destination?: NodeJS.WritableStream | DestinationStream;
  /** Added to every line as `name`; default none. */
  name?: string;
}

export function createLogger(opts: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    // ISO strings rather than epoch ms: readable in `kubectl logs` and parsed by every log shipper.
    timestamp: pino.stdTimeFunctions.isoTime,
    base: { pid: process.pid, hostname: os.hostname() },
    // Interceptors may log call metadata; a bearer token must never reach the log store.
    redact: { paths: ['authorization', '*.authorization'], censor: '[redacted]' },
    ...(opts.name === undefined ? {} : { name: opts.name }),
  };
  return opts.destination === undefined ? pino(options) : pino(options, opts.destination);
}
