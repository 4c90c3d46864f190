/**
 * The job-store port. Implementations: SQLite (embedded, one server) and PostgreSQL (several replicas, with leases).
 *
 * The contract includes: idempotent creation by submission id, the queue bound, validated state transitions with
 * their history, progress, FIFO order of queued jobs, newest-first paging, and recovery after a restart.
 * It excludes: running jobs, model files and events to watchers (jobs/ and store/model-store.ts own those).
 * Every method is atomic: a crash between two calls leaves the store as after the first.
 */
import type { DatasetSummary, JobMetrics, JobProgress, JobRecord, JobState } from '../domain/job.js';
import type { TrainRequest } from '../domain/train-request.js';

export interface NewJob {
  jobId: string;
  request: TrainRequest;
  /** ISO-8601. */
  createTime: string;
}

export interface ListJobsQuery {
  /** 1..JOBS_PAGE.max (domain/job.ts). */
  pageSize: number;
  /** Opaque token from a previous page; '' for the first page. */
  pageToken: string;
  /** Only jobs in this state; undefined = all. */
  state?: JobState;
}

/** Fields a transition may set along with the new state. */
export interface TransitionPatch {
  failureReason?: string;
  modelVersion?: number;
  metrics?: JobMetrics;
  runner?: string;
  datasetSummary?: DatasetSummary;
}

export interface JobStore {
  /**
   * Inserts a QUEUED job, or returns the job that already has this submission id (created = false; the queue
   * bound is not applied then). Throws ResourceExhaustedError when `maxQueued` jobs are already QUEUED.
   */
  create(job: NewJob, maxQueued: number): Promise<{ job: JobRecord; created: boolean }>;
  /** undefined when there is no such job. */
  get(jobId: string): Promise<JobRecord | undefined>;
  /** Newest first. Throws InvalidArgumentError for a malformed page token. */
  list(query: ListJobsQuery): Promise<{ jobs: JobRecord[]; nextPageToken: string }>;
  /**
   * Moves a job to `to` (checked with domain/job.ts assertTransition: FailedPreconditionError otherwise; NotFoundError
   * for an unknown job), appends {state, time: now, message} to its transitions, sets startTime on the first RUNNING
   * and endTime on a terminal state, and applies `patch`. Returns the updated record.
   */
  transition(jobId: string, to: JobState, message: string, patch?: TransitionPatch): Promise<JobRecord>;
  /** Replaces the job's latest progress (and dataset summary, if given). */
  updateProgress(jobId: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<void>;
  /** The oldest QUEUED job (FIFO by creation), or undefined. */
  nextQueued(): Promise<JobRecord | undefined>;
  countByState(): Promise<Record<JobState, number>>;
  /** At start-up: RUNNING -> QUEUED ("resumed after restart"), CANCELLING -> CANCELLED. Returns the jobs changed. */
  recoverAfterRestart(): Promise<JobRecord[]>;
  /**
   * Deletes a SUCCEEDED, FAILED or CANCELLED job with its history, atomically with the check (job-rules
   * assertDeletable: NotFoundError, FailedPreconditionError). Returns the deleted record. The job's submission id
   * is free again afterwards.
   */
  deleteTerminal(jobId: string): Promise<JobRecord>;
  /** 'ok' when the underlying storage passes its integrity check; otherwise the problems found. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}

/**
 * A JobStore that several replicas share (PostgreSQL). A replica runs a job only while it holds the job's lease:
 * claimNext takes one, the runner renews it well within leaseMs, and when a lease expires (its replica died) another
 * replica's claimNext takes the job over and resumes it from its checkpoint. Lease expiry is measured on the
 * database's clock, so the replicas' clocks need not agree. Jobs moved to RUNNING by plain transition() carry no
 * lease and are never taken over. A cancel is a plain transition() to CANCELLING by any replica; the runner sees it
 * through get() at its next step boundary.
 */
export interface LeasingJobStore extends JobStore {
  /**
   * Atomically takes the oldest QUEUED job (-> RUNNING, message "claimed by <runner>") or the oldest RUNNING job whose
   * lease has expired (stays RUNNING; a transition "taken over by <runner> after lease expiry" is appended), and
   * gives `runner` a lease of leaseMs on it. Concurrent callers never get the same job. undefined: nothing to run.
   * `takeOver` false: queued jobs only. A lease that expired while the store was down is not taken over until the
   * store has been up for leaseMs (after a restart, its runner renews it first).
   */
  claimNext(runner: string, leaseMs: number, takeOver?: boolean): Promise<JobRecord | undefined>;
  /** Extends the lease by leaseMs from now; false when `runner` no longer holds the job: it must stop running it. */
  renewLease(jobId: string, runner: string, leaseMs: number): Promise<boolean>;
  /**
   * transition() on behalf of a runner: refused with FailedPreconditionError, changing nothing, unless the job's
   * runner is still `runner`, so a replica that lost its lease cannot overwrite the new holder's state.
   * QUEUED and terminal states end the lease (as they do through transition()).
   */
  transitionAsRunner(
    jobId: string,
    runner: string,
    to: JobState,
    message: string,
    patch?: TransitionPatch,
  ): Promise<JobRecord>;
  /**
   * updateProgress() on behalf of a runner: false, changing nothing, unless the job's runner is still `runner` and
   * it is RUNNING or CANCELLING, so a replica that lost its lease cannot write over the new holder's progress.
   */
  updateProgressAsRunner(jobId: string, runner: string, progress: JobProgress, datasetSummary?: DatasetSummary): Promise<boolean>;
  /**
   * Calls onJobChanged(jobId) after any replica commits a change to that job (create, transition, progress, claim),
   * e.g. to follow a job another replica runs. After a database outage the subscription reconnects by itself and
   * calls onReconnected: changes made meanwhile were not reported, so re-read what you follow. Resolves, once
   * listening, to a function that unsubscribes.
   */
  subscribe(onJobChanged: (jobId: string) => void, onReconnected?: () => void): Promise<() => Promise<void>>;
}
