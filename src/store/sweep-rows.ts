/** What the SQLite and PostgreSQL sweep tables share: the record document and the columns kept beside it. */
import type { SweepRecord, SweepState } from '../domain/sweep.js';

/**
 * The columns win over the document: the cancel flag is written by any replica, the state only by the driver. A
 * running sweep with the flag set reads as CANCELLING from the moment of the cancel, not from the driver's next pass.
 */
export function sweepFromRow(record: SweepRecord, state: SweepState, cancelRequested: boolean): SweepRecord {
  return { ...record, state: cancelRequested && state === 'RUNNING' ? 'CANCELLING' : state, cancelRequested };
}
