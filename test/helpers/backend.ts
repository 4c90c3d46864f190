/** Tests pick their backend explicitly (tfjs has one per process; vitest runs each file in its own worker). */
import { initBackend, type BackendChoice } from '../../src/model/backend.js';
import { blasUnavailableReason, loadBlas } from '../../src/model/blas.js';

export async function useBackend(choice: BackendChoice): Promise<void> {
  const info = await initBackend(choice);
  if (choice !== 'auto' && info.name !== choice) throw new Error(`wanted ${choice}, got ${info.name}`);
}

/**
 * Whether the native BLAS addon is built here (tests of the native path skip where it is not, e.g. a machine without
 * libopenblas-dev). Under CI (.ci/run installs libopenblas-dev before npm ci) a missing addon is an error instead, so
 * a broken build cannot hide behind skipped tests.
 */
export function nativeAvailable(): boolean {
  if (loadBlas()) return true;
  if (process.env['CI']) throw new Error(`CI: ${blasUnavailableReason()}`);
  return false;
}
