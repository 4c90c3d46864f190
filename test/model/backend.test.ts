/**
 * The backend loader on a machine without libtensorflow: auto takes the native BLAS path where the addon is built
 * (libopenblas-dev installed before npm ci), else falls through to wasm, and says why.
 */
import { describe, expect, it } from 'vitest';
import { currentBackend, defaultStorage, initBackend } from '../../src/model/backend.js';
import { blasUnavailableReason, loadBlas } from '../../src/model/blas.js';

describe('backend loader', () => {
  it('auto picks the first backend that loads and records what it skipped', async () => {
    const info = await initBackend('auto');
    expect(['tensorflow', 'native', 'wasm']).toContain(info.name);
    if (info.name === 'native') {
      expect(loadBlas()).not.toBeNull();
      expect(info.skipped.map((s) => s.provider)).toEqual(['@tensorflow/tfjs-node-gpu']);
      expect(info.path).toBe('native-blas');
      expect(info.provider).toMatch(/OpenBLAS .*1 thread per worker/);
      expect(defaultStorage()).toBe('host');
    }
    if (info.name === 'wasm') {
      // Here the tfjs-node packages are absent (their install cannot fetch libtensorflow) and the BLAS addon is
      // not built: all three must be reported, the addon with the reason.
      expect(info.skipped.map((s) => s.provider)).toEqual(['@tensorflow/tfjs-node-gpu', 'native/blas (OpenBLAS)', '@tensorflow/tfjs-node']);
      expect(info.skipped[1]!.error).toBe(blasUnavailableReason());
      expect(info.reason).toMatch(/unavailable/);
      expect(info.path).toBe('tfjs-wasm');
      expect(defaultStorage()).toBe('tfjs');
    }
    expect(currentBackend()).toBe(info);
  });

  it('refuses to switch backend once one is active', async () => {
    const other = currentBackend()!.name === 'cpu' ? 'wasm' : 'cpu';
    await expect(initBackend(other)).rejects.toThrow(/already initialised/);
  });
});
