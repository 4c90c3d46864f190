/**
 * The model registry on disk: <root>/<name>/<version>/ (model.json + weights.bin, see model/artifact.ts) and
 * <root>/<name>/labels.json (label -> version). A version appears by one rename of a finished folder, so a reader
 * never sees half of one; publishing is idempotent per job (a job resumed after a crash between publishing and
 * recording its success gets its version back, not a second one).
 */
import { promises as fs, type Dirent } from 'node:fs';
import path from 'node:path';
import { CorruptDataError, FailedPreconditionError, InvalidArgumentError, NotFoundError, StorageError } from '../errors/errors.js';
import { isMissing, readError } from '../errors/storage.js';
import { readModelMetadata, type ModelMetadata } from '../model/model-metadata.js';
import type { Logger } from '../observability/logger.js';
import { exists, moveDirAtomic, removeDirAtomic, removeStaleTemps, treeBytes, writeDirAtomic, writeFileAtomic } from '../util/atomic.js';
import { integer, parseJsonText, parseShape, recordOf, type Shape } from '../util/json-shape.js';
import { readFiles } from '../util/pack-files.js';

export interface ModelRef {
  name: string;
  version: number;
  dir: string;
  meta: ModelMetadata;
}

export interface ModelSpecQuery {
  name: string;
  /** 0 = latest, unless `label` is given. */
  version: number;
  label: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LABEL = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

export function validateModelName(name: string, field = 'model_name'): void {
  if (!NAME.test(name)) throw InvalidArgumentError.field(field, 'must be 1-128 characters of letters, digits, ".", "_" or "-", starting with a letter or digit');
}

export function validateLabel(label: string, field = 'version_label'): void {
  if (!LABEL.test(label)) throw InvalidArgumentError.field(field, 'must be 1-64 characters of letters, digits, ".", "_" or "-", starting with a letter');
}

/**
 * Where replicas share the registry (PostgreSQL): the version list, labels and every version's files. With a
 * remote, the folder is only a local copy of the versions this replica has used, filled on first use.
 */
export interface ModelRemote {
  names(): Promise<string[]>;
  versions(name: string): Promise<number[]>;
  /**
   * Stores the files as the next version of `name`, atomically; returns its number. Idempotent per job: a job that
   * already published `name` (another replica ran it until it died) gets that version back, `reused`, and the files
   * stored then stay the version's files.
   */
  publish(name: string, files: Record<string, Uint8Array>, jobId: string): Promise<{ version: number; reused: boolean }>;
  fetch(name: string, version: number): Promise<Record<string, Uint8Array>>;
  labels(name: string): Promise<Record<string, number>>;
  setLabels(name: string, labels: Record<string, number>): Promise<void>;
  /** Deletes one version; its number is never handed out again by publish. */
  deleteVersion(name: string, version: number): Promise<void>;
  /** Deletes every version and the labels; no number is ever handed out again for the name. */
  deleteModel(name: string): Promise<void>;
}

/** What a delete removed. */
export interface ModelDeletion {
  versions: number[];
  removedLabels: string[];
  /** Bytes freed in the local folder. */
  freedBytes: number;
}

/**
 * <root>/<name>/highest-version: the highest version the name ever had, written before a delete, so that a version
 * published afterwards never gets the number of a deleted one (a cache keyed by name/version would serve it).
 */
const HIGHEST_FILE = 'highest-version';

/** A model's labels.json (label -> version), wherever it is kept. */
export const MODEL_LABELS: Shape<Record<string, number>> = recordOf(integer);

export interface ModelStoreOptions {
  /** The registry's folder: <root>/<name>/<version>/. */
  root: string;
  /** Told about faults of the registry's own files (unreadable folder, corrupt labels.json) before they are thrown. */
  logger: Pick<Logger, 'error'>;
  /** Replicas: where the registry is shared; the folder then only caches versions. */
  remote?: ModelRemote;
  /** With a remote: how long a version list is reused before it is read again, ms. Default 1000. */
  remoteRefreshMs?: number;
}

/** model.json documents kept in memory: Predict resolves the same few versions again and again. */
const META_CACHE_SIZE = 256;

export class ModelStore {
  /**
   * model.json of recently used versions, least recently used first. Bounded: versions only accumulate, and keeping
   * every one (~4 KiB each) made a server that publishes all day grow without end (found by the soak).
   */
  private readonly metaCache = new Map<string, ModelMetadata>();
  /** The job that published each version seen so far ("name/version" -> job id), for publish's idempotency check. */
  private readonly publishedBy = new Map<string, string>();
  /**
   * Versions per model name. Only this store publishes into its folder, so the cache is refreshed by publish and
   * never goes stale; it keeps Predict's resolution off the file system.
   */
  private readonly versionCache = new Map<string, number[]>();
  /** Serialises publish and label changes per model name. */
  private readonly locks = new Map<string, Promise<unknown>>();

  /** With a remote: versions per name and when they were read (a version published elsewhere shows up after this). */
  private readonly remoteVersions = new Map<string, { at: number; versions: number[] }>();
  /**
   * With a remote, per job whose publish failed part-way (the store went away): the version it got, or, when the
   * failure hid whether the version was written, the newest version before it; the retry then looks above that.
   */
  private readonly unfinished = new Map<string, { version: number } | { after: number }>();

  readonly root: string;
  private readonly remote: ModelRemote | undefined;
  private readonly remoteRefreshMs: number;

  constructor(private readonly o: ModelStoreOptions) {
    this.root = o.root;
    this.remote = o.remote;
    this.remoteRefreshMs = o.remoteRefreshMs ?? 1000;
  }

  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    for (const name of await this.names()) await removeStaleTemps(path.join(this.root, name));
  }

  async names(): Promise<string[]> {
    if (this.remote) return this.remote.names();
    const entries = await this.listDir(this.root);
    const names = entries.filter((e) => e.isDirectory() && NAME.test(e.name)).map((e) => e.name).sort();
    // A deleted model keeps its folder with only highest-version in it.
    const live: string[] = [];
    for (const name of names) if ((await this.versions(name)).length) live.push(name);
    return live;
  }

  async versions(name: string): Promise<number[]> {
    if (this.remote) {
      const hit = this.remoteVersions.get(name);
      if (hit && Date.now() - hit.at < this.remoteRefreshMs) return hit.versions;
      const versions = await this.remote.versions(name);
      this.remoteVersions.set(name, { at: Date.now(), versions });
      return versions;
    }
    const cached = this.versionCache.get(name);
    if (cached) return cached;
    const entries = await this.listDir(path.join(this.root, name));
    const versions = entries
      .filter((e) => e.isDirectory() && /^[1-9][0-9]*$/.test(e.name))
      .map((e) => Number(e.name))
      .sort((a, b) => a - b);
    if (versions.length) this.versionCache.set(name, versions);
    return versions;
  }

  /** label -> version; {} when the model has none. A labels.json that cannot be read or parsed is an error. */
  async labels(name: string): Promise<Record<string, number>> {
    const remote = this.remote;
    if (remote) return this.reported(() => remote.labels(name));
    const file = path.join(this.root, name, 'labels.json');
    return this.reported(async () => {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (err) {
        if (isMissing(err)) return {};
        throw readError(err, `could not read ${file}`);
      }
      return parseShape(MODEL_LABELS, parseJsonText(text, `corrupt ${file}`), `corrupt ${file}`);
    });
  }

  /** Moves the finished model folder `srcDir` in as the next version of `name`; returns the version. */
  publish(name: string, srcDir: string, jobId: string, labels: string[] = []): Promise<number> {
    validateModelName(name);
    if (this.remote) return this.publishRemote(this.remote, name, srcDir, jobId, labels);
    return this.locked(name, async () => {
      for (const v of await this.versions(name)) {
        if ((await this.publisher(name, v)) === jobId) {
          await fs.rm(srcDir, { recursive: true, force: true });
          return v;
        }
      }
      const version = Math.max((await this.versions(name)).at(-1) ?? 0, await this.highestDeleted(name)) + 1;
      await fs.mkdir(path.join(this.root, name), { recursive: true });
      await moveDirAtomic(srcDir, path.join(this.root, name, String(version)));
      this.publishedBy.set(`${name}/${version}`, jobId);
      this.versionCache.delete(name);
      if (labels.length) await this.writeLabels(name, { ...(await this.labels(name)), ...Object.fromEntries(labels.map((l) => [l, version])) });
      return version;
    });
  }

  setLabel(name: string, version: number, label: string): Promise<void> {
    validateLabel(label, 'label');
    return this.locked(name, async () => {
      if (!(await this.versions(name)).includes(version)) throw new NotFoundError('version', `${name}/${version}`);
      await this.writeLabels(name, { ...(await this.labels(name)), [label]: version });
    });
  }

  /**
   * Deletes one version. FailedPreconditionError while labels point at it, unless `force`, which removes those
   * labels first (a crash in between leaves the version without its labels, never a label without its version).
   */
  deleteVersion(name: string, version: number, force: boolean): Promise<ModelDeletion> {
    validateModelName(name, 'name');
    return this.locked(name, async () => {
      const versions = await this.freshVersions(name);
      if (!versions.length) throw new NotFoundError('model', name);
      if (!versions.includes(version)) throw new NotFoundError('version', `${name}/${version}`, `model ${name} has no version ${version}`);
      const labels = await this.labels(name);
      const pointing = Object.keys(labels).filter((l) => labels[l] === version).sort();
      if (pointing.length && !force) {
        throw new FailedPreconditionError(`version ${version} of model ${name} is labelled ${pointing.join(', ')}: move the labels or delete with force`);
      }
      if (pointing.length) await this.writeLabels(name, Object.fromEntries(Object.entries(labels).filter(([l]) => !pointing.includes(l))));
      if (this.remote) await this.remote.deleteVersion(name, version);
      else await this.recordHighest(name, versions.at(-1)!);
      const freedBytes = await removeDirAtomic(this.dir(name, version));
      this.forget(name, [version]);
      return { versions: [version], removedLabels: pointing, freedBytes };
    });
  }

  /** Deletes every version and label of a model. */
  deleteModel(name: string): Promise<ModelDeletion> {
    validateModelName(name, 'name');
    return this.locked(name, async () => {
      const versions = await this.freshVersions(name);
      if (!versions.length) throw new NotFoundError('model', name);
      const removedLabels = Object.keys(await this.labels(name)).sort();
      let freedBytes = 0;
      if (this.remote) {
        await this.remote.deleteModel(name);
      } else {
        await this.recordHighest(name, versions.at(-1)!);
        const labelsFile = path.join(this.root, name, 'labels.json');
        freedBytes += await treeBytes(labelsFile);
        await fs.rm(labelsFile, { force: true });
      }
      for (const v of versions) freedBytes += await removeDirAtomic(this.dir(name, v));
      this.forget(name, versions);
      return { versions, removedLabels, freedBytes };
    });
  }

  /**
   * Replicas: removes local copies of versions deleted elsewhere (another replica's delete frees this disk too).
   * Returns the bytes freed.
   */
  async pruneLocalCopies(): Promise<number> {
    if (!this.remote) return 0;
    let freed = 0;
    for (const e of await this.listDir(this.root)) {
      if (!e.isDirectory() || !NAME.test(e.name)) continue;
      const local = (await this.listDir(path.join(this.root, e.name))).filter((d) => d.isDirectory() && /^[1-9][0-9]*$/.test(d.name)).map((d) => Number(d.name));
      if (!local.length) continue;
      const live = new Set(await this.remote.versions(e.name));
      const gone = local.filter((v) => !live.has(v));
      for (const v of gone) freed += await removeDirAtomic(this.dir(e.name, v));
      if (gone.length) this.forget(e.name, gone);
    }
    return freed;
  }

  /** The version a spec names: NOT_FOUND for an unknown model, version or label. */
  async resolve(q: ModelSpecQuery): Promise<ModelRef> {
    if (!q.name) throw InvalidArgumentError.field('model.name', 'is required');
    // A name no model can have (too long for the file system, "..") is not looked up on disk: there is no such model.
    if (!NAME.test(q.name)) throw new NotFoundError('model', q.name.length > 128 ? `${q.name.slice(0, 128)}...` : q.name);
    const versions = await this.versions(q.name);
    if (!versions.length) throw new NotFoundError('model', q.name);
    let version = q.version;
    if (q.label) {
      const labelled = (await this.labels(q.name))[q.label];
      if (labelled === undefined) throw new NotFoundError('version', `${q.name}@${q.label}`, `model ${q.name} has no version labelled ${q.label}`);
      if (version && version !== labelled) throw InvalidArgumentError.field('model.version', `label ${q.label} is version ${labelled}, not ${version}`);
      version = labelled;
    }
    if (!version) version = versions.at(-1)!;
    if (!versions.includes(version)) {
      // Replicas: a version another replica deleted leaves this one's disk as soon as it is asked for.
      if (this.remote) await removeDirAtomic(this.dir(q.name, version)).catch(() => 0);
      throw new NotFoundError('version', `${q.name}/${version}`, `model ${q.name} has no version ${version}`);
    }
    await this.ensureLocal(q.name, version);
    return { name: q.name, version, dir: this.dir(q.name, version), meta: await this.meta(q.name, version) };
  }

  dir(name: string, version: number): string {
    return path.join(this.root, name, String(version));
  }

  /** model.json of a version; versions never change once published, so recently used ones are cached. */
  async meta(name: string, version: number): Promise<ModelMetadata> {
    const key = `${name}/${version}`;
    let meta = this.metaCache.get(key);
    if (meta) {
      this.metaCache.delete(key);
    } else {
      meta = await this.reported(() => readModelMetadata(this.dir(name, version)));
      this.publishedBy.set(key, String(meta.extra?.['jobId'] ?? ''));
    }
    this.metaCache.set(key, meta);
    while (this.metaCache.size > META_CACHE_SIZE) this.metaCache.delete(this.metaCache.keys().next().value!);
    return meta;
  }

  /** The version list read now, not from a cache (a delete decides on it). */
  private async freshVersions(name: string): Promise<number[]> {
    this.remoteVersions.delete(name);
    return this.versions(name);
  }

  private forget(name: string, versions: number[]): void {
    this.versionCache.delete(name);
    this.remoteVersions.delete(name);
    for (const v of versions) {
      this.metaCache.delete(`${name}/${v}`);
      this.publishedBy.delete(`${name}/${v}`);
    }
  }

  /** The highest version `name` had before its deletes; 0 when nothing was ever deleted. */
  private async highestDeleted(name: string): Promise<number> {
    const file = path.join(this.root, name, HIGHEST_FILE);
    return this.reported(async () => {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (err) {
        if (isMissing(err)) return 0;
        throw readError(err, `could not read ${file}`);
      }
      return parseShape(integer, parseJsonText(text, `corrupt ${file}`), `corrupt ${file}`);
    });
  }

  private async recordHighest(name: string, version: number): Promise<void> {
    if (version > (await this.highestDeleted(name))) await writeFileAtomic(path.join(this.root, name, HIGHEST_FILE), String(version));
  }

  /** The job that published a version (read from its model.json once, then remembered). */
  private async publisher(name: string, version: number): Promise<string> {
    return this.publishedBy.get(`${name}/${version}`) ?? String((await this.meta(name, version)).extra?.['jobId'] ?? '');
  }

  /** A version published by another replica is copied into the local folder on first use. */
  private async ensureLocal(name: string, version: number): Promise<void> {
    if (!this.remote) return;
    const dir = this.dir(name, version);
    if (await exists(dir)) return;
    const files = await this.remote.fetch(name, version);
    await writeDirAtomic(dir, files).catch(async (err: unknown) => {
      // Two concurrent first uses: the other one put it there.
      if (!(await exists(dir))) throw err;
    });
  }

  /**
   * Idempotent per job like the local publish, for the retries of a job whose publish the store's going away cut
   * short (jobs/job-runner.ts): a version is written once, and the steps after it are repeated until done.
   */
  private async publishRemote(remote: ModelRemote, name: string, srcDir: string, jobId: string, labels: string[]): Promise<number> {
    const state = this.unfinished.get(jobId);
    let version = state && 'version' in state ? state.version : await this.publishedAbove(name, jobId, state?.after);
    if (version === undefined) {
      this.unfinished.set(jobId, { after: (await remote.versions(name)).at(-1) ?? 0 });
      const put = await remote.publish(name, await readFiles(srcDir), jobId);
      version = put.version;
      // Another replica published this job's model before it died: its files are the version, not this run's.
      if (put.reused) await fs.rm(srcDir, { recursive: true, force: true });
    }
    this.unfinished.set(jobId, { version });
    const dir = this.dir(name, version);
    if (await exists(dir)) {
      await fs.rm(srcDir, { recursive: true, force: true });
    } else if (await exists(srcDir)) {
      await fs.mkdir(path.join(this.root, name), { recursive: true });
      await moveDirAtomic(srcDir, dir);
    } else {
      await this.ensureLocal(name, version);
    }
    this.remoteVersions.delete(name);
    if (labels.length) await remote.setLabels(name, { ...(await remote.labels(name)), ...Object.fromEntries(labels.map((l) => [l, version])) });
    this.unfinished.delete(jobId);
    return version;
  }

  /** The version above `after` that `jobId` published; undefined when none (or `after` is undefined: no try yet). */
  private async publishedAbove(name: string, jobId: string, after: number | undefined): Promise<number | undefined> {
    if (after === undefined) return undefined;
    for (const v of (await this.remote!.versions(name)).filter((x) => x > after)) {
      await this.ensureLocal(name, v);
      if ((await this.publisher(name, v)) === jobId) return v;
    }
    return undefined;
  }

  /** The entries of a folder; none when it does not exist. Any other failure is a fault of the registry's disk. */
  private listDir(dir: string): Promise<Dirent[]> {
    return this.reported(async () => {
      try {
        return await fs.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (isMissing(err)) return [];
        throw readError(err, `could not list ${dir}`);
      }
    });
  }

  /**
   * `work`, with a fault of the registry's own files (unreadable, corrupt) logged before it reaches the caller: the
   * caller sees a typed error, the operator a log line naming the file.
   */
  private async reported<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof StorageError || err instanceof CorruptDataError) this.o.logger.error({ err }, `model registry: ${err.message}`);
      throw err;
    }
  }

  private async writeLabels(name: string, labels: Record<string, number>): Promise<void> {
    if (this.remote) return this.remote.setLabels(name, labels);
    await writeFileAtomic(path.join(this.root, name, 'labels.json'), JSON.stringify(labels, null, 2));
  }

  private locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.locks.set(name, next);
    return next;
  }
}
