/**
 * `npm start` with embedded defaults: gRPC on 50051, metrics on 9464, state in ./var of the working directory,
 * health SERVING, reflection lists taan.v1.TaanService; SIGTERM ends it cleanly.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBlas } from '../../src/model/blas.js';
import { healthStatus, reflectionServices } from '../helpers/probes.js';
import { REPO } from '../helpers/server-process.js';

describe('start with defaults', () => {
  it('serves on 50051 and 9464 with state in ./var, SERVING, with reflection', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'taan-start-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TAAN_')));
    const child = spawn(process.execPath, [path.join(REPO, 'dist/main.js')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('taan-service serving')) resolve();
      });
      void exited.then((c) => reject(new Error(`exited ${c}: ${out}`)));
    });
    try {
      expect(await healthStatus('127.0.0.1:50051')).toBe('SERVING');
      expect(await healthStatus('127.0.0.1:50051', 'taan.v1.TaanService')).toBe('SERVING');
      expect(await reflectionServices('127.0.0.1:50051')).toContain('taan.v1.TaanService');
      const metrics = await (await fetch('http://127.0.0.1:9464/metrics')).text();
      expect(metrics).toContain('taan_job_queue_depth');
      // auto: the native BLAS path where the addon is built, else wasm; one log line and the gauge say which.
      const path_ = loadBlas() ? 'native-blas' : 'tfjs-wasm';
      expect(metrics).toMatch(new RegExp(`taan_compute_info\\{path="${path_}",provider="[^"]+"\\} 1`));
      const lines = out.split('\n').filter((l) => l.includes('"compute path: '));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ path: path_, workers: expect.any(Number) });
      expect(existsSync(path.join(cwd, 'var', 'jobs.db'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
