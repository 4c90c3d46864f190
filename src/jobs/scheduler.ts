/**
 * The port between the job service and its scheduler. Two implementations, chosen by the composition root:
 * LocalScheduler (one server, its own store) and LeasedScheduler (replicas sharing PostgreSQL under leases).
 */
export interface JobScheduler {
  /** Makes the job folders, recovers (one server) or joins the replicas (leases), then looks for work. */
  start(): Promise<void>;
  /** Looks for work now (a job was queued). Calls during a pass coalesce into one more pass. */
  schedule(): void;
  /**
   * A RUNNING job was just marked CANCELLING: stops it at its next step boundary if this process runs it. false when
   * nobody will finish the cancel, so the caller settles it (CANCELLED) itself.
   */
  stopForCancel(jobId: string): boolean;
  /** Stops scheduling and asks running jobs to checkpoint and stop; they resume later (here or on another replica). */
  shutdown(timeoutMs: number): Promise<void>;
}
