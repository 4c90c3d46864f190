/**
 * Versioned blobs in PostgreSQL (checkpoints, model versions, uploaded datasets), so that every replica reads what
 * any replica wrote. Each (kind, key) has versions 1, 2, ...; a version is written once, in one transaction, so a
 * reader sees either all of it or none of it, and the newest committed version is what latestVersion and get
 * without a version return. Every blob carries the SHA-256 of its bytes, checked on each read.
 *
 * Bytes travel and sit in memory whole (bytea holds at most 1 GB): this is for artifacts of the sizes the service
 * already bounds (checkpoints, models, uploads under their limit), not for arbitrary streams.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { CorruptDataError, FailedPreconditionError, InvalidArgumentError } from '../errors/errors.js';
import { LOCK_CLASS, query, withTransaction, type PgOptions } from './pg-connection.js';
import { openMigrated } from './pg-migrations.js';

/** 'labels': a model's version labels, as a JSON map, each change a new version. */
export type BlobKind = 'checkpoint' | 'model' | 'dataset' | 'labels';
const KINDS: readonly BlobKind[] = ['checkpoint', 'model', 'dataset', 'labels'];

export interface BlobInfo {
  kind: BlobKind;
  key: string;
  version: number;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
  /** ISO-8601, on the database's clock. */
  created: string;
}

interface BlobRow {
  kind: BlobKind;
  key: string;
  version: number;
  sha256: string;
  size: string;
  created: Date;
}

const INFO_COLUMNS = 'kind, key, version, sha256, size, created';

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function toInfo(row: BlobRow): BlobInfo {
  return { ...row, size: Number(row.size), created: row.created.toISOString() };
}

function checkName(kind: BlobKind, key: string): void {
  if (!KINDS.includes(kind)) throw InvalidArgumentError.field('kind', `must be one of ${KINDS.join(', ')}`);
  if (key === '') throw InvalidArgumentError.field('key', 'must not be empty');
}

export class PgBlobStore {
  private closed = false;

  private constructor(private readonly pool: pg.Pool) {}

  /** Connects and applies pending migrations; throws UnavailableError when the database cannot be reached. */
  static async open(url: string, options: PgOptions = {}): Promise<PgBlobStore> {
    const pool = await openMigrated(url, options);
    return new PgBlobStore(pool);
  }

  /**
   * Publishes `bytes` as the next version of (kind, key), or as `version` if given (FailedPreconditionError when it
   * exists: versions are immutable). Concurrent puts of one key take turns on an advisory lock, so each gets its own
   * version number.
   */
  async put(kind: BlobKind, key: string, bytes: Uint8Array, opts: { version?: number; publisher?: string } = {}): Promise<BlobInfo & { reused?: true }> {
    checkName(kind, key);
    if (opts.version !== undefined && !(Number.isInteger(opts.version) && opts.version > 0)) {
      throw InvalidArgumentError.field('version', `must be a positive integer, got ${opts.version}`);
    }
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return withTransaction(this.pool, async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2::text, $3::bigint))", [kind, key, LOCK_CLASS]);
      if (opts.publisher) {
        // Under the lock: a publisher's second put of the same key returns its first (a job run again after a crash).
        const { rows: mine } = await c.query<BlobRow>(
          `SELECT ${INFO_COLUMNS} FROM blobs WHERE kind = $1 AND key = $2 AND publisher = $3 ORDER BY version LIMIT 1`,
          [kind, key, opts.publisher],
        );
        if (mine[0]) return { ...toInfo(mine[0]), reused: true };
      }
      const { rows } = await c.query<BlobRow>(
        `INSERT INTO blobs (kind, key, version, bytes, sha256, size, publisher)
         SELECT $1::text, $2::text,
                COALESCE($3::integer,
                         GREATEST(MAX(version), (SELECT d.version FROM blob_deleted_versions d WHERE d.kind = $1 AND d.key = $2)) + 1,
                         1),
                $4::bytea, $5::text, $6::bigint, $7::text
           FROM blobs WHERE kind = $1 AND key = $2
         ON CONFLICT (kind, key, version) DO NOTHING
         RETURNING ${INFO_COLUMNS}`,
        [kind, key, opts.version ?? null, data, sha256(data), data.byteLength, opts.publisher ?? ''],
      );
      if (!rows[0]) throw new FailedPreconditionError(`${kind} ${key} version ${opts.version} already exists`);
      return toInfo(rows[0]);
    });
  }

  /**
   * The blob's bytes, the newest version when `version` is left out; undefined when there is none.
   * Throws CorruptDataError when the bytes no longer match their checksum.
   */
  async get(kind: BlobKind, key: string, version?: number): Promise<{ info: BlobInfo; bytes: Buffer } | undefined> {
    checkName(kind, key);
    const { rows } = await query<BlobRow & { bytes: Buffer }>(
      this.pool,
      `SELECT ${INFO_COLUMNS}, bytes FROM blobs
       WHERE kind = $1 AND key = $2 AND ($3::integer IS NULL OR version = $3)
       ORDER BY version DESC LIMIT 1`,
      [kind, key, version ?? null],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { bytes, ...rest } = row;
    const info = toInfo(rest);
    const actual = sha256(bytes);
    if (actual !== info.sha256 || bytes.byteLength !== info.size) {
      throw new CorruptDataError(
        `${kind} ${key} version ${info.version} is corrupt: ${bytes.byteLength} bytes with SHA-256 ${actual}, ` +
          `stored as ${info.size} bytes with ${info.sha256}`,
      );
    }
    return { info, bytes };
  }

  /** The newest committed version of (kind, key); 0 when there is none. */
  async latestVersion(kind: BlobKind, key: string): Promise<number> {
    checkName(kind, key);
    const { rows } = await query<{ v: number | null }>(
      this.pool,
      'SELECT MAX(version) AS v FROM blobs WHERE kind = $1 AND key = $2',
      [kind, key],
    );
    return rows[0]?.v ?? 0;
  }

  /** Every version of every key of `kind` starting with `keyPrefix`, by key then version; no bytes. */
  async list(kind: BlobKind, keyPrefix = ''): Promise<BlobInfo[]> {
    // left() rather than LIKE: a prefix with % or _ in it needs no escaping.
    const { rows } = await query<BlobRow>(
      this.pool,
      `SELECT ${INFO_COLUMNS} FROM blobs WHERE kind = $1 AND left(key, length($2)) = $2 ORDER BY key, version`,
      [kind, keyPrefix],
    );
    return rows.map(toInfo);
  }

  /**
   * Deletes one version, or every version when `version` is left out; returns how many were deleted. The highest
   * version deleted is remembered, so put never hands out its number again. Under put's lock: a put running at the
   * same time numbers past what this deletes.
   */
  async delete(kind: BlobKind, key: string, version?: number): Promise<number> {
    checkName(kind, key);
    return withTransaction(this.pool, async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtextextended($1::text || '/' || $2::text, $3::bigint))", [kind, key, LOCK_CLASS]);
      const { rows } = await c.query<{ version: number }>(
        `DELETE FROM blobs WHERE kind = $1 AND key = $2 AND ($3::integer IS NULL OR version = $3) RETURNING version`,
        [kind, key, version ?? null],
      );
      if (!rows.length) return 0;
      await c.query(
        `INSERT INTO blob_deleted_versions (kind, key, version) VALUES ($1, $2, $3)
         ON CONFLICT (kind, key) DO UPDATE SET version = GREATEST(blob_deleted_versions.version, EXCLUDED.version)`,
        [kind, key, Math.max(...rows.map((r) => r.version))],
      );
      return rows.length;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
