/**
 * SweepStore on PostgreSQL, in the job store's database, shared by the replicas. Each method is one statement; the
 * lease (claimSweep) is measured on the database's clock, like the jobs' leases, so replicas' clocks need not agree.
 */
import type pg from 'pg';
import type { SweepRecord, SweepState } from '../domain/sweep.js';
import { NotFoundError } from '../errors/errors.js';
import { checkPageSize, decodePageToken, encodePageToken } from './job-rules.js';
import { query, type PgOptions } from './pg-connection.js';
import { openMigrated } from './pg-migrations.js';
import { reviveNumbers, toJson } from './json-columns.js';
import type { ListSweepsQuery, SweepStore } from './sweep-store.js';
import { sweepFromRow } from './sweep-rows.js';

interface SweepRow {
  seq: string;
  state: SweepState;
  cancel_requested: boolean;
  record: unknown;
}

const ACTIVE = "state IN ('RUNNING', 'CANCELLING')";

function toSweep(row: SweepRow): SweepRecord {
  return sweepFromRow(reviveNumbers<SweepRecord>(row.record), row.state, row.cancel_requested);
}

export class PgSweepStore implements SweepStore {
  private constructor(private readonly pool: pg.Pool) {}

  /** A small pool of its own: sweeps need a few statements a second at most. */
  static async open(url: string, options: PgOptions = {}): Promise<PgSweepStore> {
    return new PgSweepStore(await openMigrated(url, { maxConnections: 3, ...options }));
  }

  async createSweep(sweep: SweepRecord): Promise<{ sweep: SweepRecord; created: boolean }> {
    // ON CONFLICT DO NOTHING: of two replicas creating the same submission at once, one inserts and both read it back.
    const { rowCount } = await query(
      this.pool,
      `INSERT INTO sweeps (id, submission_id, state, cancel_requested, record) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (submission_id) DO NOTHING`,
      [sweep.sweepId, sweep.submissionId, sweep.state, sweep.cancelRequested, toJson(sweep, true)],
    );
    const { rows } = await query<SweepRow>(this.pool, 'SELECT * FROM sweeps WHERE submission_id = $1', [sweep.submissionId]);
    return { sweep: toSweep(rows[0]!), created: rowCount === 1 };
  }

  async getSweep(sweepId: string): Promise<SweepRecord | undefined> {
    const { rows } = await query<SweepRow>(this.pool, 'SELECT * FROM sweeps WHERE id = $1', [sweepId]);
    return rows[0] ? toSweep(rows[0]) : undefined;
  }

  async listSweeps(q: ListSweepsQuery): Promise<{ sweeps: SweepRecord[]; nextPageToken: string }> {
    checkPageSize(q.pageSize);
    const before = decodePageToken(q.pageToken);
    const { rows } = await query<SweepRow>(this.pool, 'SELECT * FROM sweeps WHERE seq < $1 ORDER BY seq DESC LIMIT $2', [
      Number.isFinite(before) ? before : Number.MAX_SAFE_INTEGER,
      q.pageSize + 1,
    ]);
    const shown = rows.slice(0, q.pageSize);
    const last = shown[shown.length - 1];
    return { sweeps: shown.map(toSweep), nextPageToken: rows.length > q.pageSize && last ? encodePageToken(Number(last.seq)) : '' };
  }

  async activeSweepIds(): Promise<string[]> {
    const { rows } = await query<{ id: string }>(this.pool, `SELECT id FROM sweeps WHERE ${ACTIVE} ORDER BY seq`);
    return rows.map((r) => r.id);
  }

  async claimSweep(sweepId: string, driver: string, leaseMs: number): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE sweeps SET driver = $2, lease_expires = clock_timestamp() + $3::float8 * interval '1 millisecond'
       WHERE id = $1 AND ${ACTIVE} AND (driver = $2 OR driver = '' OR lease_expires IS NULL OR lease_expires < clock_timestamp())`,
      [sweepId, driver, leaseMs],
    );
    return rowCount === 1;
  }

  async releaseSweep(sweepId: string, driver: string): Promise<void> {
    await query(this.pool, "UPDATE sweeps SET driver = '', lease_expires = NULL WHERE id = $1 AND driver = $2", [sweepId, driver]);
  }

  async saveSweep(sweep: SweepRecord, driver: string): Promise<boolean> {
    const { rowCount } = await query(
      this.pool,
      `UPDATE sweeps SET state = $2, record = $3::jsonb,
         driver = CASE WHEN $2 IN ('RUNNING', 'CANCELLING') THEN driver ELSE '' END
       WHERE id = $1 AND driver = $4 AND lease_expires >= clock_timestamp() AND ${ACTIVE}`,
      [sweep.sweepId, sweep.state, toJson(sweep, true), driver],
    );
    return rowCount === 1;
  }

  async requestSweepCancel(sweepId: string): Promise<SweepRecord> {
    await query(this.pool, `UPDATE sweeps SET cancel_requested = true WHERE id = $1 AND ${ACTIVE}`, [sweepId]);
    const sweep = await this.getSweep(sweepId);
    if (!sweep) throw new NotFoundError('sweep', sweepId);
    return sweep;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
