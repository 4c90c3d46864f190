/** `taan jobs list|get|cancel|watch|rm`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { JOB_STATES, JOBS_PAGE } from '../../domain/job.js';
import type { Job__Output } from '../../grpc/generated/taan/v1/Job.js';
import { addConnectionOptions, withClient, type ConnectionOptions } from '../client.js';
import { followJobs, requireSucceeded } from '../follow.js';
import { jobDetails, jobsTable } from '../format/describe.js';
import { printJson } from '../format/output.js';

const STATES: readonly string[] = JOB_STATES;

interface Opts extends ConnectionOptions {
  json?: boolean;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function registerJobs(program: Command): void {
  const jobs = program.command('jobs').description('list, show, cancel and watch training jobs');

  addConnectionOptions(
    jobs
      .command('list', { isDefault: true })
      .description('jobs, newest first')
      .addOption(
        new Option('--state <state>', `only jobs in this state (${STATES.join(', ')})`).argParser((v) => {
          const s = v.toUpperCase();
          if (!STATES.includes(s)) throw new InvalidArgumentError(`Must be one of ${STATES.join(', ')}.`);
          return s;
        }),
      )
      .option('--limit <n>', 'most jobs to show', positiveInt, JOBS_PAGE.default)
      .option('--json', 'print the jobs as JSON'),
  ).action(async (opts: Opts & { state?: string; limit: number }) => {
    await withClient(opts, async (client) => {
      const out: Job__Output[] = [];
      let token = '';
      // Pages of at most the server's cap until --limit jobs or the end.
      do {
        const page = await client.call('ListJobs', { page_size: Math.min(JOBS_PAGE.max, opts.limit - out.length), page_token: token, state: (opts.state ?? 'JOB_STATE_UNSPECIFIED') as never });
        out.push(...page.jobs);
        token = page.next_page_token;
      } while (token && out.length < opts.limit);
      if (opts.json) printJson({ jobs: out, next_page_token: token });
      else process.stdout.write(jobsTable(out));
    });
  });

  addConnectionOptions(jobs.command('get').description('one job: state, progress, transitions, test metrics').argument('<job-id>').option('--json', 'print the Job as JSON')).action(
    async (jobId: string, opts: Opts) => {
      await withClient(opts, async (client) => {
        const job = await client.call('GetJob', { job_id: jobId });
        if (opts.json) printJson(job);
        else process.stdout.write(jobDetails(job));
      });
    },
  );

  addConnectionOptions(jobs.command('cancel').description('cancel a queued or running job').argument('<job-id>').option('--json', 'print the Job as JSON')).action(
    async (jobId: string, opts: Opts) => {
      await withClient(opts, async (client) => {
        const job = await client.call('CancelJob', { job_id: jobId });
        if (opts.json) printJson(job);
        else process.stdout.write(`job ${job.job_id} ${String(job.state)}\n`);
      });
    },
  );

  addConnectionOptions(jobs.command('watch').description('follow a job with a progress bar until it ends').argument('<job-id>').option('--json', 'print the final Job as JSON')).action(
    async (jobId: string, opts: Opts) => {
      await withClient(opts, async (client) => {
        const job = await client.call('GetJob', { job_id: jobId });
        const [done] = await followJobs(client, [{ job, label: job.model_name }]);
        if (opts.json) printJson(done!.job);
        else process.stdout.write(`\n${jobDetails(done!.job)}`);
        requireSucceeded(done!.job);
      });
    },
  );

  addConnectionOptions(
    jobs
      .command('rm')
      .description('delete an ended job (SUCCEEDED, FAILED or CANCELLED) with its checkpoints; its model version stays (admin)')
      .argument('<job-id>')
      .option('--json', 'print the response as JSON'),
  ).action(async (jobId: string, opts: Opts) => {
    await withClient(opts, async (client) => {
      const res = await client.call('DeleteJob', { job_id: jobId });
      if (opts.json) printJson(res);
      else process.stdout.write(`deleted job ${jobId} (${res.freed_bytes} bytes freed)\n`);
    });
  });
}
