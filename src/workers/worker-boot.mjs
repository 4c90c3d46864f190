// Worker-thread entry used only when running from sources (tests without a build): registers tsx in this thread,
// then loads worker-main.ts. The built server starts dist/workers/worker-main.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
