/**
 * The port through which replicas share each job's latest checkpoint (PostgreSQL: store/pg-shares.ts). Declared
 * here, beside its adapter, so jobs/ imports it from store/ and never the other way round.
 */
export interface CheckpointShare {
  put(jobId: string, bytes: Uint8Array): Promise<void>;
  get(jobId: string): Promise<Uint8Array | undefined>;
  delete(jobId: string): Promise<void>;
}
