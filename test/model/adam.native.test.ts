/** The same checks on the native BLAS path (host storage, OpenBLAS sgemm and the addon's loops). */
import { beforeAll, describe } from 'vitest';
import { nativeAvailable, useBackend } from '../helpers/backend.js';
import { describeAdamChecks } from './adam-check.js';

if (nativeAvailable()) {
  beforeAll(() => useBackend('native'));
  describeAdamChecks('native');
} else {
  describe.skip('native BLAS path: addon not built', () => undefined);
}
