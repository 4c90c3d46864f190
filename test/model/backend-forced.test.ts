/** TAAN_BACKEND=tensorflow where tfjs-node is not installed gives a clear error naming the packages tried. */
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend.js';

describe('forced backend', () => {
  it('fails clearly when the forced backend is missing', async () => {
    let installed = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      installed = false;
    }
    if (installed) {
      expect((await initBackend('tensorflow')).name).toBe('tensorflow');
    } else {
      await expect(initBackend('tensorflow')).rejects.toThrow(/tfjs-node-gpu.*tfjs-node/);
    }
  });
});
