// Worker-thread entry for bench/parallel-replica.ts: registers tsx in this thread (a worker does not inherit the
// parent's TypeScript loader when the parent is vitest), then loads the replica with the same workerData.
import { register } from 'tsx/esm/api';

register();
await import('./parallel-replica.ts');
