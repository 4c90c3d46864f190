/** The backend loader on a machine without libtensorflow: auto falls through to wasm and says why. */
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend } from '../../src/model/backend.js';

describe('backend loader', () => {
  it('auto picks the first backend that loads and records what it skipped', async () => {
    const info = await initBackend('auto');
    expect(['tensorflow', 'wasm']).toContain(info.name);
    if (info.name === 'wasm') {
      // Here the native packages are absent (their install cannot fetch libtensorflow): both must be reported.
      expect(info.skipped.map((s) => s.provider)).toEqual(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
      expect(info.reason).toMatch(/unavailable/);
    }
    expect(currentBackend()).toBe(info);
  });

  it('refuses to switch backend once one is active', async () => {
    const other = currentBackend()!.name === 'cpu' ? 'wasm' : 'cpu';
    await expect(initBackend(other)).rejects.toThrow(/already initialised/);
  });
});
