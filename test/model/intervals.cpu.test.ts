import { beforeAll } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { describeIntervalMethods } from './interval-check.js';

beforeAll(() => useBackend('cpu'));
describeIntervalMethods('cpu');
