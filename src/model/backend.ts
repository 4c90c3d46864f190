/**
 * Picks the compute path once per process (or worker thread).
 *
 * `native`: the host training step, Predict and evaluation on Float32Arrays with OpenBLAS's sgemm (the native/blas
 * addon, src/model/blas.ts; networks keep their dense weights on the host). tfjs (wasm, else cpu) is still
 * initialised underneath for the little that uses it, but no step or forward pass runs on it. The others are tfjs
 * backends: the network's weights are tfjs variables and the step runs as tfjs kernels.
 *
 * Order for `auto`: tfjs-node-gpu (a GPU, where one is installed), the native BLAS addon, tfjs-node (both tfjs-node
 * packages register the native "tensorflow" backend), then wasm, then the pure-JS cpu backend (~25x slower than
 * wasm). The tfjs-node packages are optionalDependencies: their install downloads libtensorflow, which fails where
 * that host is unreachable, so `import` then throws MODULE_NOT_FOUND and we fall through; the BLAS addon is built
 * only where OpenBLAS is installed (native/blas/build.mjs). The choice and every failed attempt are returned for
 * logging.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from '../config/config.js';
import { blasUnavailableReason, loadBlas } from './blas.js';

export type { BackendChoice };
export type BackendName = 'native' | 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  name: BackendName;
  /** The npm package that provides it. */
  provider: string;
  /** Why this one: forced by TAAN_BACKEND or the first that loaded. */
  reason: string;
  /** Candidates tried before it, with the error each gave. */
  skipped: Array<{ provider: string; error: string }>;
  /** The compute path, for logs, the `taan_compute_info` gauge and the bench: `native-blas` or `tfjs-<backend>`. */
  path: string;
}

interface Candidate {
  name: BackendName;
  provider: string;
  load: () => Promise<unknown>;
}

// Dynamic specifiers keep TypeScript from requiring the optional native packages at compile time.
const importOptional = (specifier: string): Promise<unknown> => import(specifier);

const NATIVE_PROVIDER = 'native/blas (OpenBLAS)';

const CANDIDATES: Candidate[] = [
  { name: 'tensorflow', provider: '@tensorflow/tfjs-node-gpu', load: () => importOptional('@tensorflow/tfjs-node-gpu') },
  { name: 'native', provider: NATIVE_PROVIDER, load: loadNative },
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
      if (c.name === 'native') await initTfjsUnderNative();
      else if (!(await tf.setBackend(c.name))) throw new Error(`tf.setBackend('${c.name}') returned false`);
      await tf.ready();
      const reason =
        choice === 'auto'
          ? skipped.length === 0
            ? 'first choice for auto'
            : `auto: ${skipped.map((s) => s.provider).join(', ')} unavailable`
          : `forced by TAAN_BACKEND=${choice}`;
      const blasInfo = c.name === 'native' ? loadBlas()?.info() : undefined;
      const provider = blasInfo ? `${c.provider}: ${blasInfo.config}, ${blasInfo.corename} kernels, ${blasInfo.threads} thread per worker` : c.provider;
      current = { name: c.name, provider, reason, skipped, path: c.name === 'native' ? 'native-blas' : `tfjs-${c.name}` };
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

/** Where new networks keep their dense weights: on the host on the native path, in tfjs variables otherwise. */
export function defaultStorage(): 'host' | 'tfjs' {
  return current?.name === 'native' ? 'host' : 'tfjs';
}

async function loadNative(): Promise<void> {
  if (!loadBlas()) throw new Error(blasUnavailableReason());
}

/** The tfjs engine under the native path (wasm, else cpu): nothing hot runs on it. */
async function initTfjsUnderNative(): Promise<void> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    if (await tf.setBackend('wasm')) return;
  } catch {
    // fall through to cpu
  }
  if (!(await tf.setBackend('cpu'))) throw new Error("tf.setBackend('cpu') returned false");
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? msg;
}
