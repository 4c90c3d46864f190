// Rank-1 thread entry used only when running from sources (tests, benchmarks, tsx): registers tsx in this thread (a
// worker does not inherit its parent's TypeScript loader), then loads data-parallel-worker.ts with the same
// workerData. The built server starts dist/training/data-parallel-worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./data-parallel-worker.ts');
