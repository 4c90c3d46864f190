/**
 * The model registry's reads of its own files, in-process: what is absent is "none" or NOT_FOUND, while an unreadable
 * folder or a corrupt labels.json is a typed error that the caller gets and the log shows (it used to read as "no
 * models" or "no labels"). Publishing through a running server is covered by test/e2e.
 */
import { promises as fsp } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CorruptDataError, NotFoundError, StorageError } from '../../src/errors/errors.js';
import { ModelStore } from '../../src/store/model-store.js';
import { LEVEL, logSink, type LogLine } from '../helpers/log-sink.js';
import { SAMPLE_META, writeModelJson } from '../helpers/model-files.js';

let root: string;
let lines: LogLine[];
let models: ModelStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'taan-models-'));
  const sink = logSink();
  lines = sink.lines;
  models = new ModelStore({ root, logger: sink.logger });
  await models.init();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const errors = (): LogLine[] => lines.filter((l) => l.level === LEVEL.error);

describe('ModelStore reading its own files', () => {
  it('resolves a version and its labels; a model without labels.json has none', async () => {
    await writeModelJson(path.join(root, 'm'), SAMPLE_META);
    expect(await models.names()).toEqual(['m']);
    expect((await models.resolve({ name: 'm', version: 0, label: '' })).version).toBe(1);
    expect(await models.labels('m')).toEqual({});
    await expect(models.resolve({ name: 'other', version: 0, label: '' })).rejects.toBeInstanceOf(NotFoundError);
    expect(errors()).toEqual([]);
  });

  it('reports a corrupt labels.json instead of reading it as "no labels"', async () => {
    await writeModelJson(path.join(root, 'm'), SAMPLE_META);
    await writeFile(path.join(root, 'm', 'labels.json'), '{"prod": 1, "canary": ');
    await expect(models.labels('m')).rejects.toBeInstanceOf(CorruptDataError);
    await expect(models.resolve({ name: 'm', version: 0, label: 'prod' })).rejects.toThrow(/corrupt .*labels\.json: not valid JSON/);
    await writeFile(path.join(root, 'm', 'labels.json'), '{"prod": "one"}');
    await expect(models.labels('m')).rejects.toThrow(/prod must be an integer, not string/);
    expect(errors()).toHaveLength(3);
    expect(errors()[0]).toMatchObject({ err: { type: 'CorruptDataError' }, msg: expect.stringMatching(/^model registry: corrupt .*labels\.json/) });
  });

  it('reports a folder it cannot list instead of reading it as "no models"', async () => {
    vi.spyOn(fsp, 'readdir').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' }));
    const err = await models.names().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect(err).toMatchObject({ code: 'UNAVAILABLE', message: `could not list ${root}: EIO` });
    expect(errors()).toEqual([expect.objectContaining({ err: expect.objectContaining({ type: 'StorageError' }), msg: `model registry: could not list ${root}: EIO` })]);
    // The fault passed, the same store reads again.
    expect(await models.names()).toEqual([]);
  });

  it('reports an unreadable model.json as a storage fault, not as a missing model', async () => {
    await writeModelJson(path.join(root, 'm'), SAMPLE_META);
    vi.spyOn(fsp, 'readFile').mockRejectedValueOnce(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    await expect(models.resolve({ name: 'm', version: 1, label: '' })).rejects.toBeInstanceOf(StorageError);
    expect(errors()).toHaveLength(1);
    expect(errors()[0]!.msg).toMatch(/model\.json: EACCES$/);
  });
});
