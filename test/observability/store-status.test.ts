// StoreStatus: taan_store_up and one log line per transition (not per failed call), scraped from a real registry.
import { describe, expect, it } from 'vitest';
import { TaanMetrics } from '../../src/observability/metrics.js';
import { StoreStatus } from '../../src/observability/store-status.js';
import { LEVEL, logSink } from '../helpers/log-sink.js';

async function storeUp(metrics: TaanMetrics): Promise<string | undefined> {
  return (await metrics.registry.metrics()).split('\n').find((l) => l.startsWith('taan_store_up '));
}

describe('StoreStatus', () => {
  it('sets taan_store_up and logs once when the store goes away and once when it is back', async () => {
    const metrics = new TaanMetrics();
    const { logger, lines } = logSink('info');
    let now = 0;
    const status = new StoreStatus(metrics.storeUp, logger, () => now);
    expect(await storeUp(metrics)).toBe('taan_store_up 1');
    status.report(true);
    const err = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    for (let i = 0; i < 50; i++) status.report(false, err);
    expect(await storeUp(metrics)).toBe('taan_store_up 0');
    expect(status.reachable).toBe(false);
    now = 31_000;
    status.report(true);
    status.report(true);
    expect(await storeUp(metrics)).toBe('taan_store_up 1');
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [LEVEL.warn, expect.stringContaining('store is unreachable')],
      [LEVEL.info, 'the job and model store is reachable again'],
    ]);
    expect(lines[0]!['err']).toMatchObject({ message: err.message });
    expect(lines[1]!['downSeconds']).toBe(31);
  });
});
