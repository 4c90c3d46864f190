import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { sink } from '../helpers/log-sink.js';

describe('createLogger', () => {
  it('writes JSON lines with level, ISO time, msg, pid and hostname', () => {
    const { stream, lines } = sink();
    const logger = createLogger({ level: 'info', destination: stream, name: 'taan' });
    logger.info({ rpc: 'Train' }, 'hello');
    expect(lines).toHaveLength(1);
    const line = lines[0];
    expect(line).toMatchObject({ level: 30, msg: 'hello', rpc: 'Train', name: 'taan', pid: process.pid });
    expect(typeof line?.hostname).toBe('string');
    expect(new Date(String(line?.time)).toISOString()).toBe(line?.time);
  });

  it('binds fields on child loggers', () => {
    const { stream, lines } = sink();
    const child = createLogger({ level: 'info', destination: stream }).child({ reqId: 'r-1' });
    child.warn({ durationMs: 12 }, 'slow');
    expect(lines[0]).toMatchObject({ level: 40, reqId: 'r-1', durationMs: 12, msg: 'slow' });
  });

  it('drops lines below the level', () => {
    const { stream, lines } = sink();
    const logger = createLogger({ level: 'warn', destination: stream });
    logger.info('quiet');
    logger.error('loud');
    expect(lines.map((l) => l.msg)).toEqual(['loud']);
  });

  it('never writes a bearer token', () => {
    const { stream, lines } = sink();
    createLogger({ level: 'info', destination: stream }).info({ metadata: { authorization: 'Bearer s3cret' } }, 'call');
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });
});
