/**
 * tfjs stays off the main thread: `taan jobs list` and the server's main thread import no @tensorflow module (only
 * the worker threads load it), seen by a module hook on the built CLI and server (test/fixtures/load-log.mjs).
 * The static side of the same rule is `npm run check:deps` (no-tfjs-on-the-main-thread).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneErrorLine, runCli } from '../helpers/cli.js';
import { REPO, startServer } from '../helpers/server-process.js';

const HOOK = ['--import', path.join(REPO, 'test/fixtures/load-log.mjs')];

async function loadLog(): Promise<{ file: string; urls: () => Promise<string[]> }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'taan-loads-')), 'loads.txt');
  return { file, urls: async () => (await readFile(file, 'utf8')).split('\n').filter(Boolean) };
}

describe('the main thread never loads tfjs', () => {
  it('taan jobs list imports the gRPC client, and no @tensorflow module', async () => {
    const log = await loadLog();
    const r = await runCli(['jobs', 'list', '--address', '127.0.0.1:1'], { env: { LOAD_LOG_FILE: log.file }, nodeArgs: HOOK });
    expect(oneErrorLine(r)).toMatch(/cannot reach taan-service at 127\.0\.0\.1:1/);
    const urls = await log.urls();
    expect(urls.some((u) => u.includes('/node_modules/@grpc/grpc-js/'))).toBe(true);
    expect(urls.filter((u) => u.includes('@tensorflow'))).toEqual([]);
  });

  it('a serving server has loaded its stores, gRPC and metrics on the main thread, and no @tensorflow module', async () => {
    const log = await loadLog();
    // debug: each worker's 'worker ready' line names the backend it loaded.
    const server = await startServer({ env: { LOAD_LOG_FILE: log.file, TAAN_LOG_LEVEL: 'debug' }, nodeArgs: HOOK });
    try {
      const urls = await log.urls();
      for (const loaded of ['/dist/app.js', '/dist/store/model-store.js', '/node_modules/@grpc/grpc-js/', '/node_modules/prom-client/']) {
        expect(urls.some((u) => u.includes(loaded)), loaded).toBe(true);
      }
      expect(urls.filter((u) => u.includes('@tensorflow'))).toEqual([]);
      // The workers did load tfjs: each reports the backend it picked.
      const backends = server.logs.filter((l) => l['msg'] === 'worker ready').map((l) => l['backend']);
      expect(backends).toEqual([expect.stringMatching(/^(native|tensorflow|wasm|cpu)$/), expect.stringMatching(/^(native|tensorflow|wasm|cpu)$/)]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
