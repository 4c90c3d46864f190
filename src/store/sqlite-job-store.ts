/**
 * JobStore on an embedded SQLite file (one server). WAL with synchronous = FULL, so a create or transition that
 * has resolved survives kill -9 and power loss. Progress updates alone commit with synchronous = NORMAL: they are
 * frequent, best effort (a resumed job reports fresh progress), and an fsync each would block the event loop; they
 * still survive kill -9 (the WAL is in the OS cache), and the next FULL commit makes them durable too. Each method is one IMMEDIATE transaction: the write lock is taken
 * up front, so two processes sharing the file cannot both pass the queue bound or the submission-id check.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DatasetSummary, JobMetrics, JobProgress, JobRecord, JobState, JobTransition } from '../domain/job.js';
import type { TrainRequest } from '../domain/train-request.js';
import { FailedPreconditionError, NotFoundError } from '../errors/errors.js';
import type { SweepRecord, SweepState } from '../domain/sweep.js';
import type { JobStore, ListJobsQuery, NewJob, TransitionPatch } from './job-store.js';
import type { ListSweepsQuery, SweepStore } from './sweep-store.js';
import { sweepFromRow } from './sweep-rows.js';
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
import { MIGRATIONS, schemaVersion } from './migrations.js';
import { parseJson, toJson } from './json-columns.js';

export { schemaVersion };

/** How long a writer waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

interface JobRow {
  seq: number;
  id: string;
  submission_id: string;
  model_name: string;
  state: JobState;
  create_time: string;
  start_time: string | null;
  end_time: string | null;
  failure_reason: string;
  model_version: number;
  runner: string;
  request: string;
  progress: string | null;
  metrics: string | null;
  dataset_summary: string | null;
}

interface SweepRow {
  seq: number;
  id: string;
  state: SweepState;
  cancel_requested: number;
  record: string;
}

function toSweep(row: SweepRow): SweepRecord {
  return sweepFromRow(parseJson<SweepRecord>(row.record, true)!, row.state, row.cancel_requested === 1);
}

/** Applies pending migrations in one transaction, so a crash mid-way leaves the previous schema intact. */
function migrate(db: Database.Database): void {
  MIGRATIONS.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} has version ${m.version}; expected ${i + 1}`);
  });
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  db.transaction(() => {
    const row = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations').get();
    const current = row?.v ?? 0;
    if (current > schemaVersion) {
      throw new FailedPreconditionError(
        `job store schema version ${current} is newer than this server's ${schemaVersion}; upgrade the server`,
      );
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    }
  }).immediate();
}

export class SqliteJobStore implements JobStore, SweepStore {
  /** better-sqlite3 statements are reusable; preparing each once saves a parse per call. */
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: () => Date,
  ) {}

  static open(file: string, opts: { clock?: () => Date } = {}): SqliteJobStore {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file);
    try {
      // busy_timeout first: switching to WAL itself needs a lock another process may hold.
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteJobStore(db, opts.clock ?? (() => new Date()));
  }

  async create(job: NewJob, maxQueued: number): Promise<{ job: JobRecord; created: boolean }> {
    const run = this.db.transaction(() => {
      const existing = this.row('SELECT * FROM jobs WHERE submission_id = ?', job.request.submissionId);
      if (existing) return { job: this.toRecord(existing), created: false };
      const queued = this.stmt<[], { n: number }>("SELECT COUNT(*) AS n FROM jobs WHERE state = 'QUEUED'").get();
      if ((queued?.n ?? 0) >= maxQueued) throw queueFull(maxQueued);
      const rec = newRecord(job);
      this.stmt(
        `INSERT INTO jobs (id, submission_id, model_name, state, create_time, request)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ).run(rec.jobId, rec.submissionId, rec.modelName, rec.state, rec.createTime, JSON.stringify(rec.request));
      for (const t of rec.transitions) this.insertTransition(rec.jobId, t);
      return { job: this.load(rec.jobId), created: true };
    });
    return run.immediate();
  }

  async get(jobId: string): Promise<JobRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.row('SELECT * FROM jobs WHERE id = ?', jobId);
      return row ? this.toRecord(row) : undefined;
    })();
  }

  async list(query: ListJobsQuery): Promise<{ jobs: JobRecord[]; nextPageToken: string }> {
    checkPageSize(query.pageSize);
    const before = decodePageToken(query.pageToken);
    const page = this.stmt<{ before: number; state: JobState | null; limit: number }, JobRow>(
      `SELECT * FROM jobs WHERE seq < @before AND (@state IS NULL OR state = @state) ORDER BY seq DESC LIMIT @limit`,
    );
    return this.db.transaction(() => {
      // One extra row tells whether another page exists without a COUNT.
      const rows = page.all({
        before: Number.isFinite(before) ? before : Number.MAX_SAFE_INTEGER,
        state: query.state ?? null,
        limit: query.pageSize + 1,
      });
      const shown = rows.slice(0, query.pageSize);
      const last = shown[shown.length - 1];
      return {
        jobs: shown.map((r) => this.toRecord(r)),
        nextPageToken: rows.length > query.pageSize && last ? encodePageToken(last.seq) : '',
      };
    })();
  }

  async transition(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord> {
    const run = this.db.transaction(() => {
      const rec = this.load(jobId);
      this.save(rec, applyTransition(rec, to, message, this.clock().toISOString(), patch));
      return rec;
    });
    return run.immediate();
  }

  async updateProgress(jobId: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<void> {
    this.db.pragma('synchronous = NORMAL');
    try {
      const info = this.stmt(
        'UPDATE jobs SET progress = ?, dataset_summary = COALESCE(?, dataset_summary) WHERE id = ?',
      ).run(toJson(progress, true), toJson(datasetSummary), jobId);
      if (info.changes === 0) throw new NotFoundError('job', jobId);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  async nextQueued(): Promise<JobRecord | undefined> {
    return this.db.transaction(() => {
      const row = this.row("SELECT * FROM jobs WHERE state = 'QUEUED' ORDER BY seq LIMIT 1");
      return row ? this.toRecord(row) : undefined;
    })();
  }

  async countByState(): Promise<Record<JobState, number>> {
    const counts = zeroCounts();
    const rows = this.stmt<[], { state: JobState; n: number }>(
      'SELECT state, COUNT(*) AS n FROM jobs GROUP BY state',
    ).all();
    for (const r of rows) counts[r.state] = r.n;
    return counts;
  }

  async recoverAfterRestart(): Promise<JobRecord[]> {
    const run = this.db.transaction(() => {
      const time = this.clock().toISOString();
      const rows = this.stmt<[], JobRow>(
        "SELECT * FROM jobs WHERE state IN ('RUNNING', 'CANCELLING') ORDER BY seq",
      ).all();
      return rows.map((row) => {
        const rec = this.toRecord(row);
        const target = recoveryTarget(rec.state)!;
        this.save(rec, applyTransition(rec, target.to, target.message, time));
        return rec;
      });
    });
    return run.immediate();
  }

  async deleteTerminal(jobId: string): Promise<JobRecord> {
    const run = this.db.transaction(() => {
      const row = this.row('SELECT * FROM jobs WHERE id = ?', jobId);
      const rec = row ? this.toRecord(row) : undefined;
      assertDeletable(jobId, rec);
      this.stmt('DELETE FROM job_transitions WHERE job_id = ?').run(jobId);
      this.stmt('DELETE FROM jobs WHERE id = ?').run(jobId);
      return rec!;
    });
    return run.immediate();
  }

  async createSweep(sweep: SweepRecord): Promise<{ sweep: SweepRecord; created: boolean }> {
    const run = this.db.transaction(() => {
      const existing = this.stmt<[string], SweepRow>('SELECT * FROM sweeps WHERE submission_id = ?').get(sweep.submissionId);
      if (existing) return { sweep: toSweep(existing), created: false };
      this.stmt('INSERT INTO sweeps (id, submission_id, state, cancel_requested, record) VALUES (?, ?, ?, ?, ?)').run(
        sweep.sweepId,
        sweep.submissionId,
        sweep.state,
        sweep.cancelRequested ? 1 : 0,
        toJson(sweep, true),
      );
      return { sweep: this.loadSweep(sweep.sweepId), created: true };
    });
    return run.immediate();
  }

  async getSweep(sweepId: string): Promise<SweepRecord | undefined> {
    const row = this.stmt<[string], SweepRow>('SELECT * FROM sweeps WHERE id = ?').get(sweepId);
    return row ? toSweep(row) : undefined;
  }

  async listSweeps(query: ListSweepsQuery): Promise<{ sweeps: SweepRecord[]; nextPageToken: string }> {
    checkPageSize(query.pageSize);
    const before = decodePageToken(query.pageToken);
    const rows = this.stmt<[number, number], SweepRow>('SELECT * FROM sweeps WHERE seq < ? ORDER BY seq DESC LIMIT ?').all(
      Number.isFinite(before) ? before : Number.MAX_SAFE_INTEGER,
      query.pageSize + 1,
    );
    const shown = rows.slice(0, query.pageSize);
    const last = shown[shown.length - 1];
    return { sweeps: shown.map(toSweep), nextPageToken: rows.length > query.pageSize && last ? encodePageToken(last.seq) : '' };
  }

  async activeSweepIds(): Promise<string[]> {
    const rows = this.stmt<[], { id: string }>("SELECT id FROM sweeps WHERE state IN ('RUNNING', 'CANCELLING') ORDER BY seq").all();
    return rows.map((r) => r.id);
  }

  async claimSweep(sweepId: string, driver: string, leaseMs: number): Promise<boolean> {
    const now = this.clock().getTime();
    const info = this.stmt(
      `UPDATE sweeps SET driver = ?, lease_expires = ?
       WHERE id = ? AND state IN ('RUNNING', 'CANCELLING') AND (driver = ? OR driver = '' OR lease_expires < ?)`,
    ).run(driver, now + leaseMs, sweepId, driver, now);
    return info.changes === 1;
  }

  async releaseSweep(sweepId: string, driver: string): Promise<void> {
    this.stmt("UPDATE sweeps SET driver = '', lease_expires = 0 WHERE id = ? AND driver = ?").run(sweepId, driver);
  }

  async saveSweep(sweep: SweepRecord, driver: string): Promise<boolean> {
    const info = this.stmt(
      `UPDATE sweeps SET state = ?, record = ?, driver = CASE WHEN ? IN ('RUNNING', 'CANCELLING') THEN driver ELSE '' END
       WHERE id = ? AND driver = ? AND lease_expires >= ? AND state IN ('RUNNING', 'CANCELLING')`,
    ).run(sweep.state, toJson(sweep, true), sweep.state, sweep.sweepId, driver, this.clock().getTime());
    return info.changes === 1;
  }

  async requestSweepCancel(sweepId: string): Promise<SweepRecord> {
    this.stmt("UPDATE sweeps SET cancel_requested = 1 WHERE id = ? AND state IN ('RUNNING', 'CANCELLING')").run(sweepId);
    return this.loadSweep(sweepId);
  }

  private loadSweep(sweepId: string): SweepRecord {
    const row = this.stmt<[string], SweepRow>('SELECT * FROM sweeps WHERE id = ?').get(sweepId);
    if (!row) throw new NotFoundError('sweep', sweepId);
    return toSweep(row);
  }

  async integrityCheck(): Promise<string> {
    const rows = this.stmt<[], { integrity_check: string }>('PRAGMA integrity_check').all();
    return rows.map((r) => r.integrity_check).join('\n');
  }

  async close(): Promise<void> {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  private stmt<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s as unknown as Database.Statement<P, R>;
  }

  private row(sql: string, ...params: unknown[]): JobRow | undefined {
    return this.stmt<unknown[], JobRow>(sql).get(...params);
  }

  private load(jobId: string): JobRecord {
    const row = this.row('SELECT * FROM jobs WHERE id = ?', jobId);
    if (!row) throw new NotFoundError('job', jobId);
    return this.toRecord(row);
  }

  /** Writes back the columns a transition may change and appends `entry` to the history. */
  private save(rec: JobRecord, entry: JobTransition): void {
    this.stmt(
      `UPDATE jobs SET state = ?, start_time = ?, end_time = ?, failure_reason = ?, model_version = ?, runner = ?,
         metrics = ?, dataset_summary = ? WHERE id = ?`,
    ).run(
      rec.state,
      rec.startTime,
      rec.endTime,
      rec.failureReason,
      rec.modelVersion,
      rec.runner,
      toJson(rec.metrics, true),
      toJson(rec.datasetSummary),
      rec.jobId,
    );
    this.insertTransition(rec.jobId, entry);
  }

  private insertTransition(jobId: string, t: JobTransition): void {
    this.stmt(
      `INSERT INTO job_transitions (job_id, seq, state, time, message)
       VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_transitions WHERE job_id = ?), ?, ?, ?)`,
    ).run(jobId, jobId, t.state, t.time, t.message);
  }

  private toRecord(row: JobRow): JobRecord {
    const transitions = this.stmt<[string], JobTransition>(
      'SELECT state, time, message FROM job_transitions WHERE job_id = ? ORDER BY seq',
    ).all(row.id);
    return {
      jobId: row.id,
      submissionId: row.submission_id,
      modelName: row.model_name,
      state: row.state,
      createTime: row.create_time,
      startTime: row.start_time,
      endTime: row.end_time,
      progress: parseJson<JobProgress>(row.progress, true),
      transitions,
      failureReason: row.failure_reason,
      modelVersion: row.model_version,
      metrics: parseJson<JobMetrics>(row.metrics, true),
      datasetSummary: parseJson<DatasetSummary>(row.dataset_summary),
      runner: row.runner,
      request: JSON.parse(row.request) as TrainRequest,
    };
  }
}
