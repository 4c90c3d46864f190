/**
 * Runs the authors'-style PyTorch peer (../shared/bench/torch_taan_peer.py) in the same invocation as our
 * benchmark, best of 1 and 2 threads, so that ratios compare like with like on this machine today.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { debInstalled, ensureDebPackages } from '../scripts/apt.js';

export interface PeerResult {
  peer: string;
  mode: 'taan' | 'hard';
  threads: number;
  step_s_median: number;
  samples_per_s: number;
  forward_latency_s: Record<string, number>;
}

const PYTHON = '/usr/bin/python3';

export function findPeerScript(root: string): string | undefined {
  const p = path.resolve(root, '../shared/bench/torch_taan_peer.py');
  return existsSync(p) ? p : undefined;
}

/**
 * Makes sure the peer can run as engineering.md describes: Debian's python3-torch, with OpenBLAS (libopenblas0-pthread)
 * as the system BLAS. Without it Debian's torch falls back to the reference BLAS and runs ~3-5x slower, which would
 * flatter every ratio against the peer. Returns why the peer cannot run, or undefined when it can.
 */
export function preparePeer(log: (line: string) => void): string | undefined {
  ensureDebPackages(['python3-torch', 'libopenblas0-pthread'], 'PyTorch peer', log);
  if (!torchAvailable()) return `${PYTHON} has no torch (apt-get install python3-torch libopenblas0-pthread)`;
  if (!debInstalled('libopenblas0-pthread')) return 'libopenblas0-pthread is not installed: the peer would run on the reference BLAS';
  return undefined;
}

function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The better (fewer seconds per step) of 1 and 2 threads, each with OpenBLAS pinned to 1 thread as engineering.md
 * asks. `coreType`: OPENBLAS_CORETYPE for the peer (default: the environment's, the same our addon runs with).
 */
export function runPeer(script: string, mode: 'taan' | 'hard', steps: number, coreType?: string): PeerResult & { coreType: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  if (coreType) env['OPENBLAS_CORETYPE'] = coreType;
  const runs = [1, 2].map((threads) => {
    const out = execFileSync(PYTHON, [script, '--mode', mode, '--threads', String(threads), '--steps', String(steps)], {
      env,
      encoding: 'utf8',
    });
    return { ...(JSON.parse(out.trim().split('\n').pop()!) as PeerResult), coreType: env['OPENBLAS_CORETYPE'] ?? 'OpenBLAS default' };
  });
  return runs.reduce((a, b) => (b.step_s_median < a.step_s_median ? b : a));
}
