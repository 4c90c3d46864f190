/** Tests pick their backend explicitly (tfjs has one per process; vitest runs each file in its own worker). */
import { initBackend, type BackendChoice } from '../../src/model/backend.js';
import { blasUnavailableReason, loadBlas } from '../../src/model/blas.js';

export async function useBackend(choice: BackendChoice): Promise<void> {
  if (choice === 'native') requireNative();
  const info = await initBackend(choice);
  if (choice !== 'auto' && info.name !== choice) throw new Error(`wanted ${choice}, got ${info.name}`);
}

/**
 * The native BLAS addon, which the global set-up builds (test/global-setup.ts): a missing one fails the native tests
 * with the reason rather than skipping them, so a broken build cannot hide.
 */
export function requireNative(): void {
  if (!loadBlas()) throw new Error(`the native BLAS addon is not loadable: ${blasUnavailableReason()}`);
}
