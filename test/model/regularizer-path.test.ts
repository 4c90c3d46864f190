/** The regularizer values as training computes them (float32 alpha and hinges held by the network) equal method.md §4 to 1e-5. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Regularizer } from '../../src/domain/model-spec.js';
import { addRegularizer } from '../../src/model/gradients.js';
import { Network } from '../../src/model/network.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(() => useBackend('wasm'));

const ALPHA = [0.2, -0.1, 0.05, 0.3, 0.15, -0.05, 0.0, 0.25, -0.3, 0.4, -0.2, 0.1];
const BETA = [-1.0, -0.25, 0.5, 1.5];
const EXPECTED: Array<[Regularizer, number]> = [
  ['COSINE', -0.959879414],
  ['DISTANCE', 0.0730943865],
  ['TRACE_NORM', 1.0328402318],
  ['ROW_NORM', 1.2210182684],
];

describe('regularizers on the training path (float32)', () => {
  it.each(EXPECTED)('%s = %f', (kind, value) => {
    const net = Network.create(
      {
        architecture: 'TAAN',
        inputDim: 2,
        hiddenSizes: [3],
        numBasis: 4,
        tasks: ['a', 'b', 'c'].map((name) => ({ name, labels: ['x'] })),
        measure: 'STANDARD',
      },
      0,
    );
    const act = net.towers[0]!.layers[0]!.act!;
    act.alpha.set(ALPHA);
    act.beta.set(BETA);
    const grads = new Map<Float32Array, Float64Array>();
    expect(Math.abs(addRegularizer(net, { kind, coefficient: 1 }, grads) - value)).toBeLessThan(1e-5);
    expect(grads.get(act.alpha)).toHaveLength(12);
    net.dispose();
  });
});
