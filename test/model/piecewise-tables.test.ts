import { describe, expect, it } from 'vitest';
import { buildTables, cachedTables } from '../../src/model/piecewise-tables.js';

describe('cachedTables', () => {
  const alpha = Float32Array.from({ length: 3 * 4 }, (_, i) => Math.sin(i));
  const beta = Float32Array.of(0.5, -1, 2, 0);

  it('reuses the tables while the parameters are unchanged', () => {
    const first = cachedTables(alpha, beta, 3);
    expect(cachedTables(alpha, beta, 3)).toBe(first);
    expect(first).toEqual(buildTables(alpha, beta, 3));
  });

  it('rebuilds them when training changes alpha or beta in place', () => {
    const a = alpha.slice();
    const b = beta.slice();
    const before = cachedTables(a, b, 3);
    a[5] = 7;
    const afterAlpha = cachedTables(a, b, 3);
    expect(afterAlpha).not.toBe(before);
    expect(afterAlpha).toEqual(buildTables(a, b, 3));
    b[0] = -2;
    const afterBeta = cachedTables(a, b, 3);
    expect(afterBeta).not.toBe(afterAlpha);
    expect(afterBeta).toEqual(buildTables(a, b, 3));
  });
});
