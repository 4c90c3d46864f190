/** Follows jobs through WatchJob with a live view, then fetches each one's final record. */
import type { Job__Output } from '../grpc/generated/taan/v1/Job.js';
import type { JobEvent__Output } from '../grpc/generated/taan/v1/JobEvent.js';
import type { TaanClient } from './client.js';
import { CliError } from './errors.js';
import { ProgressView } from './format/progress.js';

export interface Followed {
  job: Job__Output;
  events: JobEvent__Output[];
}

export async function followJobs(client: TaanClient, jobs: Array<{ job: Job__Output; label: string }>): Promise<Followed[]> {
  const view = new ProgressView(process.stderr, jobs.map((j) => j.label));
  for (const { job, label } of jobs) view.add(job.job_id, label, job.request?.max_epochs ?? 0);
  // Ctrl-C stops watching, not the jobs: say how to pick them up again.
  const onInt = (): void => {
    view.stop();
    const ids = jobs.map((j) => j.job.job_id).join(', ');
    process.stderr.write(`stopped watching; the job keeps running (taan jobs watch ${ids})\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInt);
  try {
    const all = await Promise.all(jobs.map(({ job }) => client.watch(job.job_id, (e) => view.update(job.job_id, e))));
    view.stop();
    return await Promise.all(jobs.map(async ({ job }, i) => ({ job: await client.call('GetJob', { job_id: job.job_id }), events: all[i] ?? [] })));
  } finally {
    view.stop();
    process.off('SIGINT', onInt);
  }
}

/** A job that did not succeed is a failed command. */
export function requireSucceeded(job: Job__Output): void {
  if (job.state === 'SUCCEEDED') return;
  const why = job.failure_reason || job.transitions.at(-1)?.message || '';
  // The stream can also end early (server shutting down): then the job is not over, only the watch.
  const verb = ['FAILED', 'CANCELLED'].includes(String(job.state)) ? 'ended' : 'is still';
  throw new CliError(`job ${job.job_id} (${job.model_name}) ${verb} ${String(job.state)}${why ? `: ${why}` : ''}`);
}
