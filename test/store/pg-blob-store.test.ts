/** PgBlobStore against a real PostgreSQL (test/helpers/postgres.ts), a fresh database per test. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ModelStore } from '../../src/store/model-store.js';
import { pgModelRemote } from '../../src/store/pg-shares.js';
import { logSink } from '../helpers/log-sink.js';
import { SAMPLE_META, writeModelJson } from '../helpers/model-files.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CorruptDataError, FailedPreconditionError, InvalidArgumentError, UnavailableError } from '../../src/errors/errors.js';
import { PgBlobStore } from '../../src/store/pg-blob-store.js';
import { startPostgres, type PgServer } from '../helpers/postgres.js';

let server: PgServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.destroy();
});

describe('PgBlobStore', () => {
  let url: string;
  let store: PgBlobStore;

  beforeEach(async () => {
    url = await server.createDatabase();
    store = await PgBlobStore.open(url);
  });
  afterEach(async () => {
    await store.close();
  });

  async function sql(text: string, params: unknown[] = []): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text, params);
    } finally {
      await client.end();
    }
  }

  it('stores versions and reads back exactly the bytes written', async () => {
    expect(await store.latestVersion('model', 'clusters')).toBe(0);
    expect(await store.get('model', 'clusters')).toBeUndefined();
    const v1 = randomBytes(1000);
    const v2 = new Uint8Array([0, 1, 2, 255]).subarray(1);
    const info1 = await store.put('model', 'clusters', v1);
    expect(info1).toMatchObject({ kind: 'model', key: 'clusters', version: 1, size: 1000 });
    expect(info1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await store.put('model', 'clusters', v2)).version).toBe(2);
    await store.put('checkpoint', 'clusters', Buffer.alloc(0));

    const latest = await store.get('model', 'clusters');
    expect(latest?.info.version).toBe(2);
    expect([...latest!.bytes]).toEqual([1, 2, 255]);
    const first = await store.get('model', 'clusters', 1);
    expect(first?.bytes.equals(v1)).toBe(true);
    expect(first?.info).toEqual(info1);
    expect(await store.get('model', 'clusters', 3)).toBeUndefined();
    expect((await store.get('checkpoint', 'clusters'))?.bytes.length).toBe(0);
    expect(await store.latestVersion('model', 'clusters')).toBe(2);

    // An explicit version is written once: versions never change under a reader.
    expect((await store.put('model', 'other', v1, { version: 7 })).version).toBe(7);
    await expect(store.put('model', 'other', v2, { version: 7 })).rejects.toBeInstanceOf(FailedPreconditionError);
    await expect(store.put('model', '', v2)).rejects.toBeInstanceOf(InvalidArgumentError);

    expect((await store.list('model')).map((i) => [i.key, i.version])).toEqual([
      ['clusters', 1],
      ['clusters', 2],
      ['other', 7],
    ]);
    expect((await store.list('model', 'oth')).map((i) => i.key)).toEqual(['other']);
    expect(await store.delete('model', 'clusters', 2)).toBe(1);
    expect(await store.latestVersion('model', 'clusters')).toBe(1);
    expect(await store.delete('model', 'clusters')).toBe(1);
    expect(await store.list('model')).toHaveLength(1);
  });

  it('never hands out a deleted version number again, for one version or all of them', async () => {
    for (let i = 0; i < 3; i++) await store.put('model', 'm', Buffer.from([i]));
    expect(await store.delete('model', 'm', 3)).toBe(1);
    expect((await store.put('model', 'm', Buffer.from([9]))).version).toBe(4);
    expect(await store.delete('model', 'm')).toBe(3);
    expect(await store.latestVersion('model', 'm')).toBe(0);
    expect((await store.put('model', 'm', Buffer.from([9]))).version).toBe(5);
    // Per key: another key still starts at 1; deleting nothing records nothing.
    expect(await store.delete('model', 'other')).toBe(0);
    expect((await store.put('model', 'other', Buffer.from([1]))).version).toBe(1);
    // Seen by a second connection pool (another replica).
    const replica = await PgBlobStore.open(url);
    try {
      await store.delete('model', 'm', 5);
      expect((await replica.put('model', 'm', Buffer.from([1]))).version).toBe(6);
    } finally {
      await replica.close();
    }
  });

  it("gives a publisher's second put of a key its first version, on any replica (a job run again after a crash)", async () => {
    const first = await store.put('model', 'pub', Buffer.from([1]), { publisher: 'job-a' });
    expect((await store.put('model', 'pub', Buffer.from([2]), { publisher: 'job-b' })).version).toBe(first.version + 1);
    const replica = await PgBlobStore.open(url);
    try {
      expect((await replica.put('model', 'pub', Buffer.from([3]), { publisher: 'job-a' })).version).toBe(first.version);
      expect((await store.get('model', 'pub', first.version))!.bytes).toEqual(Buffer.from([1]));
      // Without a publisher every put is a new version, as before.
      expect((await replica.put('model', 'pub', Buffer.from([4]))).version).toBe(first.version + 2);
    } finally {
      await replica.close();
    }
  });

  it("a job's model published on a replica that died is the version its second run gets, files and all", async () => {
    const model = async (jobId: string, note: string): Promise<string> =>
      writeModelJson(await mkdtemp(path.join(tmpdir(), 'taan-src-')), { ...SAMPLE_META, extra: { jobId, note } });
    const replicaStore = async (): Promise<ModelStore> => {
      const m = new ModelStore({ root: await mkdtemp(path.join(tmpdir(), 'taan-models-')), logger: logSink().logger, remote: pgModelRemote(store) });
      await m.init();
      return m;
    };
    const a = await replicaStore();
    const b = await replicaStore();
    const v = await a.publish('crashy', await model('job-x', 'first run'), 'job-x');
    // Replica A died before recording the job's end; B ran the job again and publishes its own files.
    expect(await b.publish('crashy', await model('job-x', 'second run'), 'job-x')).toBe(v);
    expect(await b.versions('crashy')).toEqual([v]);
    const meta = JSON.parse(await readFile(path.join(b.dir('crashy', v), 'model.json'), 'utf8')) as { extra: { note: string } };
    expect(meta.extra.note).toBe('first run');
  });

  it('detects bytes changed behind its back', async () => {
    await store.put('dataset', 'upload-1', Buffer.from('a,b\n1,2\n'));
    await sql("UPDATE blobs SET bytes = set_byte(bytes, 0, 65) WHERE key = 'upload-1'");
    const err = await store.get('dataset', 'upload-1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/dataset upload-1 version 1 is corrupt/);

    await store.put('dataset', 'upload-2', Buffer.from('x'));
    await sql("UPDATE blobs SET bytes = bytes || '\\x00'::bytea WHERE key = 'upload-2'");
    await expect(store.get('dataset', 'upload-2')).rejects.toBeInstanceOf(CorruptDataError);
  });

  it('gives concurrent writers distinct versions and readers only whole, committed blobs', async () => {
    const writes = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => store.put('checkpoint', 'job-1', Buffer.from([n]))));
    expect(writes.map((w) => w.version).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await store.latestVersion('checkpoint', 'job-1')).toBe(6);

    // While a large version is being written, readers see the previous one, whole; then the new one, whole.
    const big = randomBytes(8 * 1024 * 1024);
    const reader = await PgBlobStore.open(url);
    try {
      let done = false;
      const write = store.put('checkpoint', 'job-1', big).finally(() => (done = true));
      const seen = new Set<number>();
      while (!done) {
        const got = await reader.get('checkpoint', 'job-1');
        seen.add(got!.info.version);
        if (got!.info.version === 7) expect(got!.bytes.equals(big)).toBe(true);
        else expect(got!.bytes.length).toBe(1);
      }
      expect((await write).version).toBe(7);
      expect([...seen].every((v) => v === 6 || v === 7)).toBe(true);
      expect(await reader.latestVersion('checkpoint', 'job-1')).toBe(7);
      expect((await reader.get('checkpoint', 'job-1'))!.bytes.equals(big)).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('tells onReachability whether each call reached the database (taan_store_up follows it)', async () => {
    const seen: boolean[] = [];
    const watched = await PgBlobStore.open(url, { onReachability: (up) => seen.push(up) });
    try {
      await watched.list('model');
      await watched.put('model', 'm', Buffer.from([1]));
      // A refusal by the database (version 1 exists) still means it answered.
      await expect(watched.put('model', 'm', Buffer.from([1]), { version: 1 })).rejects.toBeInstanceOf(FailedPreconditionError);
      expect(seen).not.toContain(false);
      await server.stop();
      try {
        await expect(watched.list('model')).rejects.toBeInstanceOf(UnavailableError);
        await expect(watched.put('model', 'm', Buffer.from([2]))).rejects.toBeInstanceOf(UnavailableError);
        expect(seen.slice(-2)).toEqual([false, false]);
      } finally {
        await server.start();
      }
      await watched.list('model');
      expect(seen.at(-1)).toBe(true);
    } finally {
      await watched.close();
    }
  });
});
