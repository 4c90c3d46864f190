/**
 * Disk faults on a real server: var/jobs, var/models and var/datasets are small tmpfs mounts that the test fills up or
 * remounts read-only. A full or unwritable disk fails the job (FAILED, reason) or the upload (RESOURCE_EXHAUSTED /
 * UNAVAILABLE, message) with a clear reason, the server stays SERVING, nothing half-written becomes visible, and once
 * the fault is gone the same server works again.
 *
 * Mounting needs root with CAP_SYS_ADMIN (as on these machines and in CI); without it the test fails, saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { smallTrainRequest, upload, waitForState } from '../helpers/jobs.js';
import { healthStatus } from '../helpers/probes.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;
let jobsDir: string;
let datasetsDir: string;
let modelsDir: string;
const mounts: string[] = [];

function mountTmpfs(dir: string): void {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    throw new Error(`this test mounts small tmpfs folders to make a full disk and needs root with CAP_SYS_ADMIN: ${String(err)}`);
  }
  mounts.push(dir);
}

/** Writes until the filesystem refuses: the folder is then full. */
function fill(dir: string): void {
  try {
    writeFileSync(path.join(dir, 'filler'), Buffer.alloc(1 << 20, 1));
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
  }
}

function remount(dir: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, dir]);
}

function codeName(err: unknown): string {
  return status[(err as { code: number }).code] ?? 'UNKNOWN';
}

async function uploadError(name: string): Promise<{ code: string; details: string }> {
  try {
    await upload(client, name, [{ fileName: 'a.csv', data: new Uint8Array(64 * 1024).fill(65) }], 16 * 1024);
    return { code: 'OK', details: '' };
  } catch (err) {
    return { code: codeName(err), details: (err as { details: string }).details };
  }
}

/** Entries a reader could mistake for a dataset (anything but the filler and swept temp folders). */
function visibleDatasets(): string[] {
  return readdirSync(datasetsDir).filter((n) => n !== 'filler' && n !== 'lost+found');
}

beforeAll(async () => {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'taan-disk-'));
  jobsDir = path.join(stateDir, 'jobs');
  datasetsDir = path.join(stateDir, 'datasets');
  mountTmpfs(jobsDir);
  mountTmpfs(datasetsDir);
  modelsDir = path.join(stateDir, 'models');
  mountTmpfs(modelsDir);
  server = await startServer({ stateDir });
  client = server.client();
});

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
  for (const m of mounts) execFileSync('umount', ['-l', m]);
});

describe('disk faults', () => {
  it('a full disk fails the job with a reason; the next job succeeds once there is room', async () => {
    fill(jobsDir);
    const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('full', { max_epochs: 2 }));
    const end = await waitForState(client, job.job_id, ['FAILED', 'SUCCEEDED']);
    expect(end.state).toBe('FAILED');
    expect(end.failure_reason).toMatch(/no space left on the server's disk \(ENOSPC\)/);
    expect(await healthStatus(server.address)).toBe('SERVING');
    // No model version became visible.
    const models = await call<{ models: Array<{ name: string }> }>(client, 'ListModels', {});
    expect(models.models.map((m) => m.name)).not.toContain('full');

    rmSync(path.join(jobsDir, 'filler'));
    const again = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('full', { max_epochs: 2 }));
    const ok = await waitForState(client, again.job_id, ['FAILED', 'SUCCEEDED']);
    expect([ok.state, ok.failure_reason]).toEqual(['SUCCEEDED', '']);
  });

  it('a full models volume fails the job at publication, leaving no partial version', async () => {
    fill(modelsDir);
    try {
      const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('nospace', { max_epochs: 1 }));
      const end = await waitForState(client, job.job_id, ['FAILED', 'SUCCEEDED']);
      expect(end.state).toBe('FAILED');
      expect(end.failure_reason).toMatch(/could not publish nospace: no space left on the server's disk \(ENOSPC\)/);
      expect(readdirSync(path.join(modelsDir, 'nospace'))).toEqual([]);
    } finally {
      rmSync(path.join(modelsDir, 'filler'));
    }
    expect(await healthStatus(server.address)).toBe('SERVING');
  });

  it('a read-only job folder fails the job with a reason naming the fault', async () => {
    remount(jobsDir, 'ro');
    try {
      const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('ro', { max_epochs: 1 }));
      const end = await waitForState(client, job.job_id, ['FAILED', 'SUCCEEDED']);
      expect(end.state).toBe('FAILED');
      expect(end.failure_reason).toMatch(/may not write its state there \(EROFS/);
    } finally {
      remount(jobsDir, 'rw');
    }
    expect(await healthStatus(server.address)).toBe('SERVING');
  });

  it('an upload onto a full disk gets RESOURCE_EXHAUSTED and leaves nothing behind', async () => {
    fill(datasetsDir);
    const res = await uploadError('full');
    expect(res.code).toBe('RESOURCE_EXHAUSTED');
    expect(res.details).toMatch(/could not store the upload: no space left on the server's disk/);
    expect(visibleDatasets()).toEqual([]);
    rmSync(path.join(datasetsDir, 'filler'));
    expect((await uploadError('room')).code).toBe('OK');
  });

  it('an upload onto a read-only disk gets UNAVAILABLE with the reason, and the server stays up', async () => {
    const before = visibleDatasets();
    remount(datasetsDir, 'ro');
    try {
      const res = await uploadError('ro');
      expect(res.code).toBe('UNAVAILABLE');
      expect(res.details).toMatch(/could not store the upload: the server may not write its state there \(EROFS/);
    } finally {
      remount(datasetsDir, 'rw');
    }
    expect(visibleDatasets()).toEqual(before);
    expect(await healthStatus(server.address)).toBe('SERVING');
  });
});
