/**
 * A short fuzzing run (the full 10,000-request campaign is `npx tsx bench/campaign/fuzz.ts`): random and boundary
 * requests to every RPC, mid-stream cancels, random upload chunks; no INTERNAL, the server alive and SERVING.
 */
import { describe, expect, it } from 'vitest';
import { fuzz } from '../../bench/campaign/fuzz.js';

describe('fuzzing, short run', () => {
  it('answers 600 hostile requests with defined codes, never INTERNAL, and keeps serving', async () => {
    const r = await fuzz(600, 7);
    console.log(`fuzz: ${JSON.stringify(r.codes)}, RSS ${(r.rssAfter / r.rssBefore).toFixed(2)}x`);
    expect(r.internal).toEqual([]);
    expect(r.serverAlive).toBe(true);
    expect(r.healthAfter).toBe('SERVING');
    expect(Object.values(r.codes).reduce((a, b) => a + b, 0)).toBe(600 + r.warmupRequests);
  }, 300_000);
});
