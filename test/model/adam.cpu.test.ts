import { beforeAll } from 'vitest';
import { useBackend } from '../helpers/backend.js';
import { describeAdamChecks } from './adam-check.js';

beforeAll(() => useBackend('cpu'));
describeAdamChecks('cpu');
