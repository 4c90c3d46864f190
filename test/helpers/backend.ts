/** Tests pick their backend explicitly (tfjs has one per process; vitest runs each file in its own worker). */
import { initBackend, type BackendChoice } from '../../src/model/backend.js';

export async function useBackend(choice: BackendChoice): Promise<void> {
  const info = await initBackend(choice);
  if (choice !== 'auto' && info.name !== choice) throw new Error(`wanted ${choice}, got ${info.name}`);
}
