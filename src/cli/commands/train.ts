/** `taan train`: submit a TrainJob from flags (and/or a request file); `--watch` follows it to the end. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addConnectionOptions, withClient, type ConnectionOptions } from '../client.js';
import { CliError } from '../errors.js';
import { followJobs, requireSucceeded } from '../follow.js';
import { jobDetails } from '../format/describe.js';
import { printJson } from '../format/output.js';
import { addTrainOptions, buildTrainRequest } from './train-flags.js';

interface TrainOpts extends ConnectionOptions {
  watch?: boolean;
  json?: boolean;
  requestFile?: string;
  [flag: string]: unknown;
}

function readRequestFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`--request-file: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new CliError(`--request-file ${file}: not a TrainJobRequest JSON object (${(err as Error).message})`);
  }
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('submit a training job (flags mirror TrainJobRequest); --watch follows it with a progress bar')
    .option('--watch', 'follow the job until it ends: epoch, step, loss and validation mAP@10')
    .option('--json', 'print the Job as JSON (after the watch, the final Job)')
    .option('--request-file <json>', 'a TrainJobRequest as JSON (snake_case fields); flags override it');
  addTrainOptions(cmd);
  addConnectionOptions(cmd);
  cmd.action(async (opts: TrainOpts) => {
    const base = opts.requestFile ? readRequestFile(opts.requestFile) : {};
    const request = buildTrainRequest(opts, base);
    await withClient(opts, async (client) => {
      const queued = await client.call('TrainJob', request);
      if (!opts.watch) {
        if (opts.json) printJson(queued);
        else process.stdout.write(`job ${queued.job_id} ${String(queued.state)} (model ${queued.model_name}); follow it with: taan jobs watch ${queued.job_id}\n`);
        return;
      }
      if (!opts.json) process.stderr.write(`job ${queued.job_id} submitted for model ${queued.model_name}\n`);
      const [done] = await followJobs(client, [{ job: queued, label: queued.model_name }]);
      const job = done!.job;
      if (opts.json) printJson(job);
      else process.stdout.write(`\n${jobDetails(job)}`);
      requireSucceeded(job);
    });
  });
}
