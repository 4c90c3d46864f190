import { beforeAll } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { describeGradientChecks } from './gradient-check.js';

beforeAll(() => useBackend('wasm'));
describeGradientChecks('wasm');
