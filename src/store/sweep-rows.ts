/** What the SQLite and PostgreSQL sweep tables share: the record document and the columns kept beside it. */
import type { SweepRecord, SweepState } from '../domain/sweep.js';

/** The columns win over the document: the cancel flag is written by any replica, the state only with it. */
export function sweepFromRow(record: SweepRecord, state: SweepState, cancelRequested: boolean): SweepRecord {
  return { ...record, state, cancelRequested };
}
