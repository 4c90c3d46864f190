/**
 * Schema of the SQLite job store, as an ordered list of migrations applied once each at open.
 *
 * NEVER edit, remove or reorder a migration that has shipped: databases in the field have recorded it as applied
 * and will not run it again. Change the schema only by appending a new entry with the next version number.
 */

export interface Migration {
  /** 1, 2, 3, ... with no gaps; the store checks this at open. */
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs and transitions',
    sql: `
      CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        submission_id TEXT NOT NULL UNIQUE,
        model_name TEXT NOT NULL,
        state TEXT NOT NULL
          CHECK (state IN ('QUEUED', 'RUNNING', 'CANCELLING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        create_time TEXT NOT NULL,
        start_time TEXT,
        end_time TEXT,
        failure_reason TEXT NOT NULL DEFAULT '',
        model_version INTEGER NOT NULL DEFAULT 0,
        runner TEXT NOT NULL DEFAULT '',
        request TEXT NOT NULL,
        progress TEXT,
        metrics TEXT,
        dataset_summary TEXT
      );
      -- nextQueued, countByState and the queue bound all select by state in seq order.
      CREATE INDEX jobs_state_seq ON jobs (state, seq);
      CREATE TABLE job_transitions (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        time TEXT NOT NULL,
        message TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      );
    `,
  },
  {
    version: 2,
    name: 'sweeps',
    sql: `
      CREATE TABLE sweeps (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        submission_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL
          CHECK (state IN ('RUNNING', 'CANCELLING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
        -- The process driving the sweep, and until when (ms since the epoch); see store/sweep-store.ts.
        driver TEXT NOT NULL DEFAULT '',
        lease_expires INTEGER NOT NULL DEFAULT 0,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        -- The SweepRecord (domain/sweep.ts) as JSON; state and cancel_requested above are authoritative.
        record TEXT NOT NULL
      );
      CREATE INDEX sweeps_state_seq ON sweeps (state, seq);
    `,
  },
];

/** The version a database has once every migration above is applied. */
export const schemaVersion: number = MIGRATIONS.length === 0 ? 0 : MIGRATIONS[MIGRATIONS.length - 1]!.version;
