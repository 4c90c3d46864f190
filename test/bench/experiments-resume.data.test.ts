/**
 * The YouTube-8M experiments runner is resumable: each finished run is a file, a run killed half-way leaves none,
 * and a rerun does only what is missing. Tiny networks on 10 of the real shards keep it to seconds a run.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = mkdtempSync(path.join(tmpdir(), 'taan-experiments-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const ARGS = ['--dataset', 'yt8m', '--phase', 'tune', '--methods', 'HARD_SHARE', '--lr', '1e-3,2e-3,3e-3', '--hidden', '8', '--epochs', '1', '--batch', '64', '--threads', '1', '--backend', 'wasm', '--shards', 'validate000*.tfrecord', '--out', out];
const runsDir = path.join(out, 'yt8m', 'runs', 'tune');
const files = (): string[] => (existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json')).sort() : []);

function runner(onLine?: (line: string, kill: () => void) => void): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/experiments.ts'), ...ARGS], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      for (const line of chunk.split('\n')) onLine?.(line, () => child.kill('SIGKILL'));
    });
    child.on('exit', (code) => resolve({ code, log }));
  });
}

describe('npm run experiments -- --dataset yt8m', () => {
  it('killed after its first run and started again, redoes nothing that finished', async () => {
    const first = await runner((line, kill) => {
      if (line.startsWith('tune HARD_SHARE')) kill();
    });
    expect(first.code).toBeNull();
    const done = files();
    expect(done).toHaveLength(1);
    const mtime = statSync(path.join(runsDir, done[0]!)).mtimeMs;

    const second = await runner();
    expect(second.code, second.log).toBe(0);
    expect(second.log).toContain('3 runs planned, 1 already done, 2 to run');
    expect(files()).toHaveLength(3);
    expect(statSync(path.join(runsDir, done[0]!)).mtimeMs).toBe(mtime);
    expect(readdirSync(runsDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const third = await runner();
    expect(third.code).toBe(0);
    expect(third.log).toContain('3 runs planned, 3 already done, 0 to run');
  });
});
