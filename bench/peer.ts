/**
 * Runs the authors'-style PyTorch peer (../shared/bench/torch_taan_peer.py) in the same invocation as our
 * benchmark, best of 1 and 2 threads, so that ratios compare like with like on this machine today.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

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

export function torchAvailable(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The better (fewer seconds per step) of 1 and 2 threads, each with OpenBLAS pinned to 1 thread as engineering.md asks. */
export function runPeer(script: string, mode: 'taan' | 'hard', steps: number): PeerResult {
  const runs = [1, 2].map((threads) => {
    const out = execFileSync(PYTHON, [script, '--mode', mode, '--threads', String(threads), '--steps', String(steps)], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').pop()!) as PeerResult;
  });
  return runs.reduce((a, b) => (b.step_s_median < a.step_s_median ? b : a));
}
