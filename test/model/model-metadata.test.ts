/**
 * model.json read without tfjs (model-metadata.ts): a missing file is NOT_FOUND, an unreadable one a StorageError
 * (never NOT_FOUND), and a damaged one a CorruptDataError naming its first bad field. Saving and loading whole models
 * is test/model/artifact.test.ts.
 */
import { promises as fsp } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CorruptDataError, NotFoundError, StorageError } from '../../src/errors/errors.js';
import { readModelMetadata } from '../../src/model/model-metadata.js';
import { SAMPLE_META, writeModelJson } from '../helpers/model-files.js';

async function modelDir(meta: unknown): Promise<string> {
  return writeModelJson(await mkdtemp(path.join(tmpdir(), 'taan-meta-')), meta);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('readModelMetadata', () => {
  it('reads back what was written, a NaN loss included (JSON wrote it as null)', async () => {
    const meta = await readModelMetadata(await modelDir(SAMPLE_META));
    expect(meta).toEqual(SAMPLE_META);
  });

  it('is NOT_FOUND when there is no model.json', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-meta-'));
    await expect(readModelMetadata(path.join(dir, 'missing'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each(['EACCES', 'EIO'])('turns %s into a StorageError with the errno, not NOT_FOUND', async (code) => {
    const dir = await modelDir(SAMPLE_META);
    vi.spyOn(fsp, 'readFile').mockRejectedValueOnce(Object.assign(new Error(`${code}: disk says no`), { code }));
    const err = await readModelMetadata(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: `could not read ${path.join(dir, 'model.json')}: ${code}` });
  });

  it('refuses a model.json that is not JSON, or whose fields are not what a model has', async () => {
    await expect(readModelMetadata(await modelDir('{"formatVersion": 1, '))).rejects.toThrow(/corrupt model.json in .*: not valid JSON/);
    const badTask = { ...SAMPLE_META, config: { ...SAMPLE_META.config, tasks: [{ name: 't0', labels: 'a,b' }] } };
    const err = await readModelMetadata(await modelDir(badTask)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/config\.tasks\[0\]\.labels must be an array, not string/);
    const { stats: _stats, ...noStats } = SAMPLE_META;
    await expect(readModelMetadata(await modelDir(noStats))).rejects.toThrow(/stats must be an array, not undefined/);
  });

  it('names the format when it is not the one this build reads', async () => {
    await expect(readModelMetadata(await modelDir({ formatVersion: 2, something: 'else' }))).rejects.toThrow(/has format 2; this build reads 1/);
  });
});
