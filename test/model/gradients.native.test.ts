/** The same checks on the native BLAS path (host storage, OpenBLAS sgemm and the addon's loops). */
import { beforeAll } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { describeGradientChecks } from './gradient-check.js';

beforeAll(() => useBackend('native'));
describeGradientChecks('native');
