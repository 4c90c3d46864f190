/**
 * Schema of the PostgreSQL stores (jobs and blobs share one database and one schema_migrations table), as an
 * ordered list of migrations applied once each at open.
 *
 * NEVER edit, remove or reorder a migration that has shipped: databases in the field have recorded it as applied
 * and will not run it again. Change the schema only by appending a new entry with the next version number.
 *
 * Times are timestamptz (UTC instants at microsecond precision; JobRecord times are ISO strings at millisecond
 * precision, so they read back unchanged). JSON documents are jsonb, so operators can query them.
 */
import type pg from 'pg';
import { FailedPreconditionError } from '../errors/errors.js';
import type { Migration } from './migrations.js';
import { createPool, LOCK_CLASS, LOCK_MIGRATE, withTransaction, type PgOptions } from './pg-connection.js';

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs, transitions and leases',
    sql: `
      CREATE TABLE jobs (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        submission_id TEXT NOT NULL UNIQUE,
        model_name TEXT NOT NULL,
        state TEXT NOT NULL
          CHECK (state IN ('QUEUED', 'RUNNING', 'CANCELLING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        create_time TIMESTAMPTZ NOT NULL,
        start_time TIMESTAMPTZ,
        end_time TIMESTAMPTZ,
        failure_reason TEXT NOT NULL DEFAULT '',
        model_version INTEGER NOT NULL DEFAULT 0,
        runner TEXT NOT NULL DEFAULT '',
        -- Set while a replica holds the job through claimNext; NULL for jobs moved by plain transitions.
        lease_expires TIMESTAMPTZ,
        request JSONB NOT NULL,
        progress JSONB,
        metrics JSONB,
        dataset_summary JSONB
      );
      -- nextQueued, claimNext, countByState and the queue bound all select by state in seq order.
      CREATE INDEX jobs_state_seq ON jobs (state, seq);
      CREATE TABLE job_transitions (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        time TIMESTAMPTZ NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'blobs',
    sql: `
      CREATE TABLE blobs (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version > 0),
        bytes BYTEA NOT NULL,
        -- Hex SHA-256 of bytes, computed by the writer and checked by every reader.
        sha256 TEXT NOT NULL,
        size BIGINT NOT NULL,
        created TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, key, version)
      );
    `,
  },
  {
    // Lifecycle (issue 18).
    version: 3,
    name: 'lifecycle: highest deleted blob versions',
    sql: `
      -- The highest version of (kind, key) ever deleted: put numbers past it, so a deleted model version's number
      -- is never handed out again, on any replica.
      CREATE TABLE blob_deleted_versions (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
      );
    `,
  },
  {
    version: 4,
    name: 'sweeps',
    sql: `
      CREATE TABLE sweeps (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        submission_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL
          CHECK (state IN ('RUNNING', 'CANCELLING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        -- The replica driving the sweep and until when, on the database's clock; see store/sweep-store.ts.
        driver TEXT NOT NULL DEFAULT '',
        lease_expires TIMESTAMPTZ,
        cancel_requested BOOLEAN NOT NULL DEFAULT false,
        -- The SweepRecord (domain/sweep.ts); state and cancel_requested above are authoritative.
        record JSONB NOT NULL
      );
      CREATE INDEX sweeps_state_seq ON sweeps (state, seq);
    `,
  },
  {
    version: 5,
    name: 'blob publishers',
    sql: `
      -- The job that published a model version: a job taken over after its replica died between publishing and
      -- recording its end publishes again, and must get the version it already has, not a second one.
      ALTER TABLE blobs ADD COLUMN publisher TEXT NOT NULL DEFAULT '';
      CREATE INDEX blobs_publisher ON blobs (kind, key, publisher) WHERE publisher <> '';
    `,
  },
];

/** The version a database has once every migration above is applied. */
export const pgSchemaVersion: number = PG_MIGRATIONS.length === 0 ? 0 : PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;

/**
 * Applies pending migrations in one transaction (PostgreSQL DDL is transactional: a failure leaves the previous
 * schema). A transaction-level advisory lock comes first, so replicas starting together take turns: the second one
 * finds everything applied. Throws FailedPreconditionError for a database newer than this code.
 */
export async function migrate(pool: pg.Pool): Promise<void> {
  PG_MIGRATIONS.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}; expected ${i + 1}`);
  });
  await withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_MIGRATE]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > pgSchemaVersion) {
      throw new FailedPreconditionError(
        `database schema version ${current} is newer than this server's ${pgSchemaVersion}; upgrade the server`,
      );
    }
    for (const m of PG_MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
  });
}

/** A pool on a database with every migration applied; throws (and closes the pool) when that cannot be done. */
export async function openMigrated(url: string, options: PgOptions = {}): Promise<pg.Pool> {
  const pool = createPool(url, options);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return pool;
}
