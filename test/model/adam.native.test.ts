/** The same checks on the native BLAS path (host storage, OpenBLAS sgemm and the addon's loops). */
import { beforeAll } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { describeAdamChecks } from './adam-check.js';

beforeAll(() => useBackend('native'));
describeAdamChecks('native');
