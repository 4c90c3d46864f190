/**
 * Deleting from the model registry on disk, in-process: a version or a whole model, the refusal for a labelled
 * version, force, NOT_FOUND, and version numbers that are never handed out again, also after a restart of the store.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { FailedPreconditionError, NotFoundError } from '../../src/errors/errors.js';
import { ModelStore } from '../../src/store/model-store.js';
import { treeBytes } from '../../src/util/atomic.js';
import { logSink } from '../helpers/log-sink.js';
import { SAMPLE_META, writeModelJson } from '../helpers/model-files.js';

let root: string;
let models: ModelStore;

const open = async (): Promise<ModelStore> => {
  const m = new ModelStore({ root, logger: logSink().logger });
  await m.init();
  return m;
};

/** Publishes a hand-written version of `name` as job `jobId`; returns its number. */
async function publish(name: string, jobId: string, labels: string[] = []): Promise<number> {
  const src = await writeModelJson(await mkdtemp(path.join(tmpdir(), 'taan-src-')), { ...SAMPLE_META, extra: { jobId } });
  return models.publish(name, src, jobId, labels);
}

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'taan-models-'));
  models = await open();
});

describe('ModelStore deletes', () => {
  it('deletes a version, frees its folder and never reuses its number, across a reopen', async () => {
    for (let i = 1; i <= 3; i++) expect(await publish('m', `job-${i}`)).toBe(i);
    const bytes = await treeBytes(models.dir('m', 3));
    const out = await models.deleteVersion('m', 3, false);
    expect(out).toEqual({ versions: [3], removedLabels: [], freedBytes: bytes });
    expect(await models.versions('m')).toEqual([1, 2]);
    expect((await readdir(path.join(root, 'm'))).filter((f) => !f.startsWith('.tmp-')).sort()).toEqual(['1', '2', 'highest-version']);
    models = await open();
    expect(await publish('m', 'job-4')).toBe(4);
  });

  it('refuses a labelled version unless forced; force removes only its labels', async () => {
    await publish('m', 'job-1', ['prod', 'stable']);
    await publish('m', 'job-2', ['canary']);
    await expect(models.deleteVersion('m', 1, false)).rejects.toBeInstanceOf(FailedPreconditionError);
    expect(await models.versions('m')).toEqual([1, 2]);
    const out = await models.deleteVersion('m', 1, true);
    expect(out.removedLabels).toEqual(['prod', 'stable']);
    expect(await models.labels('m')).toEqual({ canary: 2 });
  });

  it('deletes a whole model with its labels; the name is gone and its numbers continue', async () => {
    await publish('m', 'job-1', ['prod']);
    await publish('m', 'job-2');
    await publish('n', 'job-3');
    const out = await models.deleteModel('m');
    expect(out.versions).toEqual([1, 2]);
    expect(out.removedLabels).toEqual(['prod']);
    expect(out.freedBytes).toBeGreaterThan(0);
    expect(await models.names()).toEqual(['n']);
    await expect(models.resolve({ name: 'm', version: 0, label: '' })).rejects.toBeInstanceOf(NotFoundError);
    models = await open();
    expect(await models.names()).toEqual(['n']);
    expect(await publish('m', 'job-4')).toBe(3);
    expect(await models.labels('m')).toEqual({});
  });

  it('answers NotFoundError for an unknown model or version', async () => {
    await publish('m', 'job-1');
    await expect(models.deleteVersion('x', 1, false)).rejects.toMatchObject({ kind: 'model' });
    await expect(models.deleteVersion('m', 2, true)).rejects.toMatchObject({ kind: 'version' });
    await expect(models.deleteModel('x')).rejects.toBeInstanceOf(NotFoundError);
  });
});
