/**
 * The sweep-store port, kept by the job stores' databases (SQLite: SqliteJobStore; PostgreSQL: PgSweepStore). A sweep
 * is one row: its record as a document, plus the columns that decide who drives it. One driver at a time: a replica
 * drives a sweep only while it holds the sweep's lease (claimSweep), and its writes are fenced by it (saveSweep), so
 * two replicas never both submit children, choose a best or move the label. The cancel flag is its own column, set
 * by any replica and never overwritten by the driver's writes.
 */
import type { SweepRecord } from '../domain/sweep.js';

export interface ListSweepsQuery {
  /** 1..JOBS_PAGE.max (domain/job.ts). */
  pageSize: number;
  pageToken: string;
}

export interface SweepStore {
  /** Inserts the sweep, or returns the one that already has its submission id (created = false). */
  createSweep(sweep: SweepRecord): Promise<{ sweep: SweepRecord; created: boolean }>;
  getSweep(sweepId: string): Promise<SweepRecord | undefined>;
  /** Newest first. Throws InvalidArgumentError for a malformed page token. */
  listSweeps(query: ListSweepsQuery): Promise<{ sweeps: SweepRecord[]; nextPageToken: string }>;
  /** Ids of the sweeps not yet in a terminal state, oldest first. */
  activeSweepIds(): Promise<string[]>;
  /**
   * Takes (or renews) the right to drive the sweep for leaseMs: true when `driver` now holds it, false while another
   * driver's lease runs or the sweep has ended.
   */
  claimSweep(sweepId: string, driver: string, leaseMs: number): Promise<boolean>;
  /** Ends `driver`'s lease at once (a graceful stop), so another replica need not wait for it to run out. */
  releaseSweep(sweepId: string, driver: string): Promise<void>;
  /** Writes the driver's record (not the cancel flag); false, writing nothing, unless `driver` holds the lease. */
  saveSweep(sweep: SweepRecord, driver: string): Promise<boolean>;
  /** Sets the cancel flag of a sweep that has not ended; returns the sweep (NotFoundError for an unknown one). */
  requestSweepCancel(sweepId: string): Promise<SweepRecord>;
}
