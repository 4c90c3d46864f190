/** Parameter counts and initialisation of the three architectures. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Architecture, ModelConfig } from '../../src/domain/model-spec.js';
import { InvalidArgumentError } from '../../src/errors/errors.js';
import { Network } from '../../src/model/network.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(() => useBackend('wasm'));

const YT8M_CLASSES = [525, 734, 466, 167, 278, 302, 259, 150, 132, 86, 116, 26, 120, 116, 48, 32];

function yt8mConfig(architecture: Architecture, H: number): ModelConfig {
  return {
    architecture,
    inputDim: 1152,
    hiddenSizes: [H, H, H],
    numBasis: 64,
    tasks: YT8M_CLASSES.map((c, t) => ({ name: `task${t}`, labels: Array.from({ length: c }, () => '') })),
    measure: 'STANDARD',
  };
}

describe('Network', () => {
  it("counts the paper's 6,929,061 parameters for TAAN at H = 1024, M = 64, 16 YouTube-8M tasks", () => {
    const net = Network.create(yt8mConfig('TAAN', 1024), 0);
    expect(net.paramCount()).toBe(6_929_061);
    net.dispose();
  });

  it('counts HARD_SHARE without activation parameters and STL with one body per task', () => {
    const body = 1152 * 64 + 64 + 2 * (64 * 64 + 64);
    const heads = YT8M_CLASSES.reduce((s, c) => s + 65 * c, 0);
    const hs = Network.create(yt8mConfig('HARD_SHARE', 64), 0);
    const stl = Network.create(yt8mConfig('STL', 64), 0);
    expect(hs.paramCount()).toBe(body + heads);
    expect(stl.paramCount()).toBe(16 * body + heads);
    hs.dispose();
    stl.dispose();
  });

  it('initialises every TAAN task as ReLU plus a small perturbation, hinges in [-0.5, 0.5)', () => {
    const net = Network.create(yt8mConfig('TAAN', 32), 3);
    for (const layer of net.towers[0]!.layers) {
      const { alpha, beta } = layer.act!;
      expect(alpha.length).toBe(16 * 64);
      expect(Math.max(...alpha.map(Math.abs))).toBeLessThan(0.06);
      expect(Math.min(...beta)).toBeGreaterThanOrEqual(-0.5);
      expect(Math.max(...beta)).toBeLessThan(0.5);
    }
    net.dispose();
  });

  it('is reproducible from its seed', () => {
    const a = Network.create(yt8mConfig('TAAN', 16), 7).getArrays();
    const b = Network.create(yt8mConfig('TAAN', 16), 7).getArrays();
    for (const [k, v] of a) expect(b.get(k)).toEqual(v);
  });

  it('rejects a bad shape naming every field', () => {
    const bad = { ...yt8mConfig('TAAN', 8), hiddenSizes: [8, 0], numBasis: 0 };
    try {
      Network.create(bad, 0);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).violations.map((v) => v.field)).toEqual(['hidden_sizes[1]', 'num_basis']);
    }
  });
});
