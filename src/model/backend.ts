/**
 * Picks the tfjs backend once per process (or worker thread).
 *
 * Order for `auto`: tfjs-node-gpu, tfjs-node (both register the native "tensorflow" backend), then wasm, then
 * the pure-JS cpu backend (~25x slower than wasm). The native packages are optionalDependencies: their install
 * downloads libtensorflow, which fails where that host is unreachable, so `import` then throws
 * MODULE_NOT_FOUND and we fall through. The choice and every failed attempt are returned for logging.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../config/config.js';

export type { BackendChoice };
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** The npm package that provides it. */
  provider: string;
  /** Why this one: forced by TAAN_BACKEND or the first that loaded. */
  reason: string;
  /** Candidates tried before it, with the error each gave. */
  skipped: Array<{ provider: string; error: string }>;
}

interface Candidate {
  name: BackendName;
  provider: string;
  load: () => Promise<unknown>;
}

// Dynamic specifiers keep TypeScript from requiring the optional native packages at compile time.
const importOptional = (specifier: string): Promise<unknown> => import(specifier);

const CANDIDATES: Candidate[] = [
  { name: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', load: () => importOptional('@tensorflow/tfjs-node-gpu') },
  { name: 'tensorflow', provider: '@tensorflow/tfjs-node', load: () => importOptional('@tensorflow/tfjs-node') },
  { name: 'wasm', provider: '@tensorflow/tfjs-backend-wasm', load: () => import('@tensorflow/tfjs-backend-wasm') },
  { name: 'cpu', provider: '@tensorflow/tfjs (cpu)', load: async () => undefined },
];

let current: BackendInfo | undefined;

/** Loads and activates a backend; later calls return the first result (tfjs has one global engine). */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendInfo> {
  if (current) {
    if (choice !== 'auto' && choice !== current.name) {
      throw new Error(`backend already initialised as ${current.name}; cannot switch to ${choice}`);
    }
    return current;
  }
  const wanted = choice === 'auto' ? CANDIDATES : CANDIDATES.filter((c) => c.name === choice);
  const skipped: BackendInfo['skipped'] = [];
  for (const c of wanted) {
    try {
      await c.load();
      if (!(await tf.setBackend(c.name))) throw new Error(`tf.setBackend('${c.name}') returned false`);
      await tf.ready();
      const reason =
        choice === 'auto'
          ? skipped.length === 0
            ? 'first choice for auto'
            : `auto: ${skipped.map((s) => s.provider).join(', ')} unavailable`
          : `forced by TAAN_BACKEND=${choice}`;
      current = { name: c.name, provider: c.provider, reason, skipped };
      return current;
    } catch (err) {
      skipped.push({ provider: c.provider, error: firstLine(err) });
    }
  }
  throw new Error(
    `no tfjs backend could be loaded for ${choice}: ${skipped.map((s) => `${s.provider}: ${s.error}`).join('; ')}`,
  );
}

export function currentBackend(): BackendInfo | undefined {
  return current;
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}
