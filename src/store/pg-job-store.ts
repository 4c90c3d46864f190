/**
 * JobStore on PostgreSQL, shared by several replicas. Same behaviour as SqliteJobStore (both pass
 * test/store/job-store.contract.ts, through the rules in job-rules.ts), plus leases (LeasingJobStore).
 *
 * Each method is one statement or one transaction. Concurrency: a job's row lock (SELECT ... FOR UPDATE) serializes
 * the transitions of one job, FOR UPDATE SKIP LOCKED lets replicas claim different jobs without waiting for each
 * other, and creates take one advisory lock so the submission-id check and the queue bound hold across replicas.
 * Every change to a job sends NOTIFY on JOB_CHANNEL with the job id, delivered when it commits.
 *
 * Transition times come from this process's clock (injectable, like the SQLite store); lease times from the
 * database's clock, the one clock all replicas share.
 */
import type pg from 'pg';
import type {
  DatasetSummary,
  JobMetrics,
  JobProgress,
  JobRecord,
  JobState,
  JobTransition,
} from '../domain/job.js';
import type { TrainRequest } from '../domain/train-request.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import type { LeasingJobStore, ListJobsQuery, NewJob, TransitionPatch } from './job-store.js';
import {
  applyTransition,
  checkPageSize,
  decodePageToken,
  encodePageToken,
  newRecord,
  queueFull,
  recoveryTarget,
  zeroCounts,
  assertDeletable,
} from './job-rules.js';
import {
  connectionConfig,
  LOCK_CLASS,
  LOCK_CREATE_JOB,
  query,
  withTransaction,
  type PgOptions,
} from './pg-connection.js';
import { PgListener } from './pg-listener.js';
import { openMigrated, pgSchemaVersion } from './pg-migrations.js';
import { reviveNumbers, toJson } from './json-columns.js';

export const JOB_CHANNEL = 'taan_job_changed';
export const CANCELLED_AFTER_LEASE_MESSAGE = "cancelled: its runner's lease expired";

export interface PgJobStoreOptions extends PgOptions {
  clock?: () => Date;
  /** Told when a subscription loses its connection and when it listens again. */
  logger: Pick<Logger, 'warn' | 'info'>;
}

/** Either a pool (autocommit statements) or a connection inside withTransaction. */
type Queryable = pg.Pool | pg.PoolClient;

interface JobRow {
  seq: string;
  id: string;
  submission_id: string;
  model_name: string;
  state: JobState;
  create_time: Date;
  start_time: Date | null;
  end_time: Date | null;
  failure_reason: string;
  model_version: number;
  runner: string;
  request: TrainRequest;
  progress: unknown;
  metrics: unknown;
  dataset_summary: DatasetSummary | null;
  /** From json_agg: times as ISO strings with an offset. */
  transitions: JobTransition[];
}

/** One statement reads a job with its history, so the two always agree. */
const SELECT_JOB = `
  SELECT j.*, (
    SELECT COALESCE(json_agg(json_build_object('state', t.state, 'time', t.time, 'message', t.message) ORDER BY t.seq),
                    '[]'::json)
    FROM job_transitions t WHERE t.job_id = j.id
  ) AS transitions
  FROM jobs j`;

/** An expired lease, on the database's clock. */
const LEASE_EXPIRED = 'j.lease_expires < clock_timestamp()';

function iso(time: Date | null): string | null {
  return time === null ? null : time.toISOString();
}

function toRecord(row: JobRow): JobRecord {
  return {
    jobId: row.id,
    submissionId: row.submission_id,
    modelName: row.model_name,
    state: row.state,
    createTime: row.create_time.toISOString(),
    startTime: iso(row.start_time),
    endTime: iso(row.end_time),
    progress: row.progress === null ? null : reviveNumbers<JobProgress>(row.progress),
    transitions: row.transitions.map((t) => ({ state: t.state, time: new Date(t.time).toISOString(), message: t.message })),
    failureReason: row.failure_reason,
    modelVersion: row.model_version,
    metrics: row.metrics === null ? null : reviveNumbers<JobMetrics>(row.metrics),
    datasetSummary: row.dataset_summary,
    runner: row.runner,
    request: row.request,
  };
}

function checkLeaseMs(leaseMs: number): void {
  if (!Number.isInteger(leaseMs) || leaseMs < 1) {
    throw new InvalidArgumentError(`lease must be a positive whole number of milliseconds, got ${leaseMs}`);
  }
}

export class PgJobStore implements LeasingJobStore {
  private readonly listeners = new Set<PgListener>();
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly listenConfig: pg.ClientConfig,
    private readonly clock: () => Date,
    private readonly logger: Pick<Logger, 'warn' | 'info'>,
  ) {}

  /** Connects and applies pending migrations; throws UnavailableError when the database cannot be reached. */
  static async open(url: string, options: PgJobStoreOptions): Promise<PgJobStore> {
    const pool = await openMigrated(url, options);
    return new PgJobStore(pool, connectionConfig(url, options), options.clock ?? (() => new Date()), options.logger);
  }

  async create(job: NewJob, maxQueued: number): Promise<{ job: JobRecord; created: boolean }> {
    return withTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LOCK_CREATE_JOB]);
      const existing = await this.one(c, `${SELECT_JOB} WHERE j.submission_id = $1`, [job.request.submissionId]);
      if (existing) return { job: existing, created: false };
      const queued = await c.query<{ n: string }>("SELECT COUNT(*) AS n FROM jobs WHERE state = 'QUEUED'");
      if (Number(queued.rows[0]?.n ?? 0) >= maxQueued) throw queueFull(maxQueued);
      const rec = newRecord(job);
      await c.query(
        `INSERT INTO jobs (id, submission_id, model_name, state, create_time, request)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
        [rec.jobId, rec.submissionId, rec.modelName, rec.state, rec.createTime, toJson(rec.request)],
      );
      for (const t of rec.transitions) await this.insertTransition(c, rec.jobId, t);
      await this.notify(c, rec.jobId);
      return { job: await this.load(c, rec.jobId), created: true };
    });
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    return this.one(this.pool, `${SELECT_JOB} WHERE j.id = $1`, [jobId]);
  }

  async list(q: ListJobsQuery): Promise<{ jobs: JobRecord[]; nextPageToken: string }> {
    checkPageSize(q.pageSize);
    const before = decodePageToken(q.pageToken);
    // One extra row tells whether another page exists without a COUNT.
    const { rows } = await query<JobRow>(
      this.pool,
      `${SELECT_JOB} WHERE j.seq < $1 AND ($2::text IS NULL OR j.state = $2) ORDER BY j.seq DESC LIMIT $3`,
      [Number.isFinite(before) ? before : Number.MAX_SAFE_INTEGER, q.state ?? null, q.pageSize + 1],
    );
    const shown = rows.slice(0, q.pageSize);
    const last = shown[shown.length - 1];
    return {
      jobs: shown.map(toRecord),
      nextPageToken: rows.length > q.pageSize && last ? encodePageToken(Number(last.seq)) : '',
    };
  }

  async transition(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord> {
    return this.guardedTransition(jobId, undefined, to, message, patch);
  }

  async transitionAsRunner(
    jobId: string,
    runner: string,
    to: JobState,
    message: string,
    patch?: TransitionPatch,
  ): Promise<JobRecord> {
    return this.guardedTransition(jobId, runner, to, message, patch);
  }

  async updateProgress(jobId: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<void> {
    if (!(await this.writeProgress(jobId, undefined, progress, datasetSummary))) throw new NotFoundError('job', jobId);
  }

  async updateProgressAsRunner(jobId: string, runner: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<boolean> {
    return this.writeProgress(jobId, runner, progress, datasetSummary);
  }

  private async writeProgress(jobId: string, runner: string | undefined, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<boolean> {
    // A CTE keeps it one autocommit statement: the NOTIFY goes out when the update commits.
    const { rowCount } = await query(
      this.pool,
      `WITH u AS (
         UPDATE jobs SET progress = $2::jsonb, dataset_summary = COALESCE($3::jsonb, dataset_summary)
         WHERE id = $1 AND ($4::text IS NULL OR (runner = $4 AND state IN ('RUNNING', 'CANCELLING'))) RETURNING id)
       SELECT pg_notify('${JOB_CHANNEL}', id) FROM u`,
      [jobId, toJson(progress, true), toJson(datasetSummary), runner ?? null],
    );
    return rowCount !== 0;
  }

  async nextQueued(): Promise<JobRecord | undefined> {
    return this.one(this.pool, `${SELECT_JOB} WHERE j.state = 'QUEUED' ORDER BY j.seq LIMIT 1`);
  }

  async countByState(): Promise<Record<JobState, number>> {
    const counts = zeroCounts();
    const { rows } = await query<{ state: JobState; n: string }>(
      this.pool,
      'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
    );
    for (const r of rows) counts[r.state] = Number(r.n);
    return counts;
  }

  /**
   * As in the SQLite store, but only for jobs no live lease protects: with several replicas, one that restarts must
   * not requeue the jobs the others are running.
   */
  async recoverAfterRestart(): Promise<JobRecord[]> {
    return withTransaction(this.pool, async (c) => {
      const time = this.clock().toISOString();
      const recs = await this.many(
        c,
        `${SELECT_JOB} WHERE j.state IN ('RUNNING', 'CANCELLING') AND (j.lease_expires IS NULL OR ${LEASE_EXPIRED})
         ORDER BY j.seq FOR UPDATE OF j`,
      );
      for (const rec of recs) {
        const target = recoveryTarget(rec.state)!;
        await this.save(c, rec, applyTransition(rec, target.to, target.message, time));
      }
      return recs;
    });
  }

  /** Checks the schema version and that each job agrees with its history; 'ok' or one line per problem. */
  async integrityCheck(): Promise<string> {
    const { rows } = await query<{ problem: string }>(
      this.pool,
      `SELECT 'schema version ' || COALESCE(MAX(version), 0) || ', expected ${pgSchemaVersion}' AS problem
         FROM schema_migrations HAVING COALESCE(MAX(version), 0) <> ${pgSchemaVersion}
       UNION ALL
       SELECT 'job ' || j.id || ' is ' || j.state || ' but its last transition is ' || COALESCE(t.state, 'missing')
         FROM jobs j LEFT JOIN LATERAL (
           SELECT state FROM job_transitions WHERE job_id = j.id ORDER BY seq DESC LIMIT 1) t ON true
         WHERE t.state IS DISTINCT FROM j.state
       UNION ALL
       SELECT 'job ' || id || ' is ' || state || ' but has no end time'
         FROM jobs WHERE state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') AND end_time IS NULL
       LIMIT 100`,
    );
    return rows.length === 0 ? 'ok' : rows.map((r) => r.problem).join('\n');
  }

  async claimNext(runner: string, leaseMs: number, takeOver = true): Promise<JobRecord | undefined> {
    checkLeaseMs(leaseMs);
    return withTransaction(this.pool, async (c) => {
      const time = this.clock().toISOString();
      // A job being cancelled when its replica died has nobody left to finish the cancel: finish it here.
      const abandoned = await this.many(
        c,
        `${SELECT_JOB} WHERE j.state = 'CANCELLING' AND ${LEASE_EXPIRED} ORDER BY j.seq FOR UPDATE OF j SKIP LOCKED`,
      );
      for (const rec of abandoned) {
        await this.save(c, rec, applyTransition(rec, 'CANCELLED', CANCELLED_AFTER_LEASE_MESSAGE, time));
      }
      // SKIP LOCKED: a job another replica is claiming right now is passed over, not waited for.
      // A lease that ran out while the database was down (a restart) is not taken over until the database has been
      // up for a lease: its runner, training on, renews it within that time once the database is back.
      const rec = await this.one(
        c,
        `${SELECT_JOB} WHERE j.state = 'QUEUED' OR (j.state = 'RUNNING' AND ${LEASE_EXPIRED} AND $1
           AND (j.lease_expires > pg_postmaster_start_time()
                OR pg_postmaster_start_time() < clock_timestamp() - $2::float8 * interval '1 millisecond'))
         ORDER BY j.seq LIMIT 1 FOR UPDATE OF j SKIP LOCKED`,
        [takeOver, leaseMs],
      );
      if (!rec) return undefined;
      let entry: JobTransition;
      if (rec.state === 'QUEUED') {
        entry = applyTransition(rec, 'RUNNING', `claimed by ${runner}`, time, { runner });
      } else {
        // RUNNING -> RUNNING is no state change, so no assertTransition; the history still records the handover.
        entry = { state: 'RUNNING', time, message: `taken over by ${runner} after lease expiry (was ${rec.runner})` };
        rec.runner = runner;
        rec.transitions.push(entry);
      }
      await this.save(c, rec, entry, leaseMs);
      return rec;
    });
  }

  async renewLease(jobId: string, runner: string, leaseMs: number): Promise<boolean> {
    checkLeaseMs(leaseMs);
    const { rowCount } = await query(
      this.pool,
      `UPDATE jobs SET lease_expires = clock_timestamp() + $3::float8 * interval '1 millisecond'
       WHERE id = $1 AND runner = $2 AND state IN ('RUNNING', 'CANCELLING') AND lease_expires IS NOT NULL`,
      [jobId, runner, leaseMs],
    );
    return rowCount === 1;
  }

  async subscribe(onJobChanged: (jobId: string) => void, onReconnected?: () => void): Promise<() => Promise<void>> {
    const listener = new PgListener(this.listenConfig, JOB_CHANNEL, onJobChanged, this.logger, onReconnected);
    await listener.start();
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
      await listener.stop();
    };
  }

  async deleteTerminal(jobId: string): Promise<JobRecord> {
    return withTransaction(this.pool, async (c) => {
      const rec = await this.one(c, `${SELECT_JOB} WHERE j.id = $1 FOR UPDATE OF j`, [jobId]);
      assertDeletable(jobId, rec);
      // job_transitions go with it (ON DELETE CASCADE).
      await c.query('DELETE FROM jobs WHERE id = $1', [jobId]);
      await this.notify(c, jobId);
      return rec!;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.listeners].map((l) => l.stop()));
    this.listeners.clear();
    await this.pool.end();
  }

  private async guardedTransition(
    jobId: string,
    runner: string | undefined,
    to: JobState,
    message: string,
    patch?: TransitionPatch,
  ): Promise<JobRecord> {
    return withTransaction(this.pool, async (c) => {
      const rec = await this.load(c, jobId, 'FOR UPDATE OF j');
      if (runner !== undefined && rec.runner !== runner) {
        throw new FailedPreconditionError(`job ${jobId} is now run by ${rec.runner || 'no one'}, not ${runner}`);
      }
      // A copy of the patch, so the returned record shares nothing with the caller's objects.
      const entry = applyTransition(rec, to, message, this.clock().toISOString(), structuredClone(patch));
      await this.save(c, rec, entry);
      return rec;
    });
  }

  private async many(db: Queryable, sql: string, params: unknown[] = []): Promise<JobRecord[]> {
    const { rows } = await (db === this.pool ? query<JobRow>(this.pool, sql, params) : db.query<JobRow>(sql, params));
    return rows.map(toRecord);
  }

  private async one(db: Queryable, sql: string, params: unknown[] = []): Promise<JobRecord | undefined> {
    return (await this.many(db, sql, params))[0];
  }

  private async load(c: pg.PoolClient, jobId: string, lock = ''): Promise<JobRecord> {
    const rec = await this.one(c, `${SELECT_JOB} WHERE j.id = $1 ${lock}`, [jobId]);
    if (!rec) throw new NotFoundError('job', jobId);
    return rec;
  }

  /**
   * Writes back the columns a transition may change, appends `entry` to the history and notifies. Leaving RUNNING and
   * CANCELLING ends the lease; `leaseMs` starts a new one.
   */
  private async save(c: pg.PoolClient, rec: JobRecord, entry: JobTransition, leaseMs?: number): Promise<void> {
    await c.query(
      `UPDATE jobs SET state = $2, start_time = $3, end_time = $4, failure_reason = $5, model_version = $6, runner = $7,
         metrics = $8::jsonb, dataset_summary = $9::jsonb,
         lease_expires = CASE
           WHEN $2 NOT IN ('RUNNING', 'CANCELLING') THEN NULL
           WHEN $10::float8 IS NULL THEN lease_expires
           ELSE clock_timestamp() + $10::float8 * interval '1 millisecond' END
       WHERE id = $1`,
      [
        rec.jobId,
        rec.state,
        rec.startTime,
        rec.endTime,
        rec.failureReason,
        rec.modelVersion,
        rec.runner,
        toJson(rec.metrics, true),
        toJson(rec.datasetSummary),
        leaseMs ?? null,
      ],
    );
    await this.insertTransition(c, rec.jobId, entry);
    await this.notify(c, rec.jobId);
  }

  /** The caller holds the job's row lock (or just inserted it), so MAX(seq) + 1 cannot race. */
  private async insertTransition(c: pg.PoolClient, jobId: string, t: JobTransition): Promise<void> {
    await c.query(
      `INSERT INTO job_transitions (job_id, seq, state, time, message)
       VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_transitions WHERE job_id = $1), $2, $3, $4)`,
      [jobId, t.state, t.time, t.message],
    );
  }

  private async notify(c: pg.PoolClient, jobId: string): Promise<void> {
    await c.query('SELECT pg_notify($1, $2)', [JOB_CHANNEL, jobId]);
  }
}
