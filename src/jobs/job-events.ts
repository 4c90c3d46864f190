/** In-process fan-out of job events to WatchJob streams, keyed by job id. */
import { EventEmitter } from 'node:events';
import type { JobProgress, JobRecord, JobState } from '../domain/job.js';

export interface JobEvent {
  jobId: string;
  /** ISO-8601. */
  time: string;
  state: JobState;
  message: string;
  progress: JobProgress | null;
}

export class JobEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open WatchJob stream; the stream limit is enforced by the caller.
    this.emitter.setMaxListeners(0);
  }

  emit(event: JobEvent): void {
    this.emitter.emit(event.jobId, event);
  }

  /** The job's current state, with its latest transition's time and message. */
  emitState(job: JobRecord): void {
    const last = job.transitions.at(-1);
    this.emit({ jobId: job.jobId, time: last?.time ?? new Date().toISOString(), state: job.state, message: last?.message ?? '', progress: job.progress });
  }

  hasListeners(jobId: string): boolean {
    return this.emitter.listenerCount(jobId) > 0;
  }

  /** The jobs some stream is watching. */
  watched(): string[] {
    return this.emitter.eventNames().filter((n): n is string => typeof n === 'string');
  }

  subscribe(jobId: string, fn: (e: JobEvent) => void): () => void {
    this.emitter.on(jobId, fn);
    return () => this.emitter.off(jobId, fn);
  }
}
