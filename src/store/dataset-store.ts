/**
 * Uploaded datasets: <root>/<dataset_id>/ with the client's files and dataset.json (the manifest). An upload is
 * written into a temp folder, every file is checked against its declared SHA-256, and only then the folder is
 * renamed into place: a failed, corrupt or interrupted upload leaves nothing visible.
 */
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError, ResourceExhaustedError } from '../errors/errors.js';
import { storageError } from '../errors/storage.js';
import { exists, mkdirp, removeDirAtomic, removeStaleTemps, TEMP_PREFIX, writeDirAtomic } from '../util/atomic.js';
import { readFiles } from '../util/pack-files.js';

export interface UploadChunk {
  name: string;
  fileName: string;
  data: Uint8Array;
  sha256: string;
}

export interface DatasetManifest {
  datasetId: string;
  name: string;
  files: Array<{ fileName: string; size: number; sha256: string }>;
  totalBytes: number;
  createTime: string;
}

export interface DatasetStoreOptions {
  root: string;
  /** Largest upload, bytes. */
  maxUploadBytes: number;
  /** All uploads together, bytes. */
  maxTotalBytes: number;
  /** Replicas: where every replica finds every upload; the folder then holds local copies. */
  remote?: DatasetRemote;
}

export interface DatasetRemote {
  /** Stores the dataset's folder (files and manifest) at once. */
  put(datasetId: string, files: Record<string, Uint8Array>): Promise<void>;
  get(datasetId: string): Promise<Record<string, Uint8Array> | undefined>;
  /** Bytes of all uploads, for the total limit. */
  totalBytes(): Promise<number>;
  /** Every upload's id. */
  ids(): Promise<string[]>;
  has(datasetId: string): Promise<boolean>;
  delete(datasetId: string): Promise<void>;
}

const FILE_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
const DATASET_ID = /^ds-[0-9a-z]+-[0-9a-f]{10}$/;

export class DatasetStore {
  constructor(private readonly o: DatasetStoreOptions) {}

  async init(): Promise<void> {
    await fs.mkdir(this.o.root, { recursive: true });
    await removeStaleTemps(this.o.root);
  }

  dir(datasetId: string): string {
    if (!DATASET_ID.test(datasetId)) throw InvalidArgumentError.field('dataset_id', `malformed dataset id "${datasetId}"`);
    return path.join(this.o.root, datasetId);
  }

  async get(datasetId: string): Promise<DatasetManifest> {
    // Replicas: a local copy of an upload deleted by another replica is gone for this one too.
    if (this.o.remote && this.isId(datasetId) && !(await this.o.remote.has(datasetId))) {
      await removeDirAtomic(this.dir(datasetId));
      throw new NotFoundError('dataset', datasetId);
    }
    await this.ensureLocal(datasetId);
    try {
      return JSON.parse(await fs.readFile(path.join(this.dir(datasetId), 'dataset.json'), 'utf8')) as DatasetManifest;
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw err;
      throw new NotFoundError('dataset', datasetId);
    }
  }

  /** An upload another replica received is copied into the local folder on first use. */
  async ensureLocal(datasetId: string): Promise<void> {
    const dir = this.dir(datasetId);
    if (!this.o.remote || (await exists(dir))) return;
    const files = await this.o.remote.get(datasetId);
    if (!files) return; // unknown here and there: get() reports NOT_FOUND
    await writeDirAtomic(dir, files).catch(async (err: unknown) => {
      if (!(await exists(dir))) throw err; // otherwise a concurrent first use put it there
    });
  }

  /** Every upload's manifest, oldest first. */
  async list(): Promise<DatasetManifest[]> {
    await this.pruneLocalCopies();
    const ids = this.o.remote ? await this.o.remote.ids() : await this.localIds();
    const out: DatasetManifest[] = [];
    for (const id of ids) {
      // Deleted between the listing and the read: not listed.
      const m = await this.get(id).catch((err: unknown) => {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
      if (m) out.push(m);
    }
    return out.sort((a, b) => a.createTime.localeCompare(b.createTime) || a.datasetId.localeCompare(b.datasetId));
  }

  /** Deletes an upload (its local folder, and the shared copy with replicas); returns the local bytes freed. */
  async delete(datasetId: string): Promise<number> {
    await this.assertExists(datasetId);
    if (this.o.remote) await this.o.remote.delete(datasetId);
    return removeDirAtomic(this.dir(datasetId));
  }

  /** NotFoundError unless the upload exists (here or, with replicas, anywhere); fetches nothing. */
  async assertExists(datasetId: string): Promise<void> {
    const dir = this.dir(datasetId);
    const found = this.o.remote ? await this.o.remote.has(datasetId) : await exists(path.join(dir, 'dataset.json'));
    if (!found) throw new NotFoundError('dataset', datasetId);
  }

  /** Replicas: removes local copies of uploads another replica deleted; returns the bytes freed. */
  async pruneLocalCopies(): Promise<number> {
    if (!this.o.remote) return 0;
    const live = new Set(await this.o.remote.ids());
    let freed = 0;
    for (const id of await this.localIds()) if (!live.has(id)) freed += await removeDirAtomic(this.dir(id));
    return freed;
  }

  private isId(datasetId: string): boolean {
    return DATASET_ID.test(datasetId);
  }

  private async localIds(): Promise<string[]> {
    return (await fs.readdir(this.o.root).catch(() => [] as string[])).filter((d) => DATASET_ID.test(d));
  }

  async totalBytes(): Promise<number> {
    if (this.o.remote) return this.o.remote.totalBytes();
    const ids = await this.localIds();
    let total = 0;
    for (const id of ids) total += (await this.get(id).catch(() => ({ totalBytes: 0 }))).totalBytes;
    return total;
  }

  /** Consumes the client stream; resolves with the manifest once the dataset is in place. */
  async upload(chunks: AsyncIterable<UploadChunk>): Promise<DatasetManifest> {
    const datasetId = `ds-${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
    const tmp = path.join(this.o.root, `${TEMP_PREFIX}${datasetId}`);
    await mkdirp(tmp).catch((err: unknown) => {
      throw storageError(err, 'could not store the upload');
    });
    const budget = Math.min(this.o.maxUploadBytes, this.o.maxTotalBytes - (await this.totalBytes()));
    let name = '';
    let total = 0;
    const files: DatasetManifest['files'] = [];
    // Promise-based file handles: an I/O error (a name too long, a full disk) rejects the upload; a stream's
    // 'error' event without a listener would take the whole server down.
    let current: { fileName: string; out: FileHandle; hash: ReturnType<typeof createHash>; size: number } | undefined;
    const finishFile = async (declared: string): Promise<void> => {
      if (!current) return;
      const c = current;
      current = undefined;
      await c.out.sync();
      await c.out.close();
      const actual = c.hash.digest('hex');
      if (!declared) throw InvalidArgumentError.field('sha256', `file ${c.fileName}: its last chunk must carry the file's sha256`);
      if (declared.toLowerCase() !== actual) throw InvalidArgumentError.field('sha256', `file ${c.fileName} is corrupt: sha256 ${actual} does not match the declared ${declared}`);
      files.push({ fileName: c.fileName, size: c.size, sha256: actual });
    };
    try {
      let index = 0;
      for await (const chunk of chunks) {
        if (index++ === 0) {
          name = chunk.name;
          if (!name || name.length > 200) throw InvalidArgumentError.field('name', 'the first message must name the dataset (1-200 characters)');
        }
        if (!current || chunk.fileName !== current.fileName) {
          if (current) throw InvalidArgumentError.field('sha256', `file ${current.fileName} ended without its sha256`);
          const fileName = chunk.fileName;
          if (!FILE_NAME.test(fileName) || fileName.split('/').some((s) => s === '.' || s === '..' || Buffer.byteLength(s) > 255) || fileName.length > 1024) {
            throw InvalidArgumentError.field('file_name', `"${fileName.slice(0, 80)}" is not a safe relative file name (segments up to 255 bytes, 1024 in all)`);
          }
          if (files.some((f) => f.fileName === fileName)) throw InvalidArgumentError.field('file_name', `"${fileName}" sent twice`);
          await mkdirp(path.dirname(path.join(tmp, fileName)));
          current = { fileName, out: await fs.open(path.join(tmp, fileName), 'w'), hash: createHash('sha256'), size: 0 };
        }
        total += chunk.data.length;
        if (total > budget) {
          throw new ResourceExhaustedError(`upload exceeds ${budget} bytes (TAAN_MAX_UPLOAD_BYTES ${this.o.maxUploadBytes}, TAAN_MAX_UPLOAD_TOTAL_BYTES ${this.o.maxTotalBytes} in all)`);
        }
        current.hash.update(chunk.data);
        current.size += chunk.data.length;
        await current.out.write(chunk.data);
        if (chunk.sha256) await finishFile(chunk.sha256);
      }
      if (current) throw InvalidArgumentError.field('sha256', `file ${(current as { fileName: string }).fileName} ended without its sha256`);
      if (!files.length) throw InvalidArgumentError.field('data', 'the upload holds no file');
      const manifest: DatasetManifest = { datasetId, name, files, totalBytes: total, createTime: new Date().toISOString() };
      await fs.writeFile(path.join(tmp, 'dataset.json'), JSON.stringify(manifest, null, 2));
      await fsync(path.join(tmp, 'dataset.json'));
      // Shared first: a dataset no other replica could read never becomes visible here either.
      if (this.o.remote) await this.o.remote.put(datasetId, await readFiles(tmp));
      await fs.rename(tmp, path.join(this.o.root, datasetId));
      await fsync(this.o.root);
      return manifest;
    } catch (err) {
      await (current as { out: FileHandle } | undefined)?.out.close().catch(() => undefined);
      await fs.rm(tmp, { recursive: true, force: true });
      throw storageError(err, 'could not store the upload');
    }
  }
}

async function fsync(p: string): Promise<void> {
  const fh = await fs.open(p, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
