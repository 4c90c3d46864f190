/** A real pino logger (observability/logger.ts) that keeps every line it writes, parsed, for assertions on logs. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/observability/logger.js';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A stream that keeps every line pino writes, parsed. */
export function sink(): { stream: Writable; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  return { stream, lines };
}

/** pino levels by name, as they appear in a line's `level`. */
export const LEVEL = { debug: 20, info: 30, warn: 40, error: 50 } as const;

export function logSink(level = 'debug'): { logger: Logger; lines: LogLine[] } {
  const { stream, lines } = sink();
  return { logger: createLogger({ level, destination: stream }), lines };
}
