/**
 * The job-store port. Implementations: SQLite (embedded, one server) and, later, PostgreSQL (several replicas).
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
  /** 1..1000. */
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
  /** 'ok' when the underlying storage passes its integrity check; otherwise the problems found. */
  integrityCheck(): Promise<string>;
  close(): Promise<void>;
}
