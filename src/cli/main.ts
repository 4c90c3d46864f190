#!/usr/bin/env node
/**
 * The `taan` command line: serve, train, jobs, models, predict, metrics, report, demo, datasets, sweep. Whatever goes wrong ends as
 * one "error: ..." line on stderr and a non-zero exit code; stack traces are for bugs in development only
 * (DEBUG=taan prints them; not a TAAN_ variable, which `taan serve` would refuse as unknown).
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerDatasets } from './commands/datasets.js';
import { registerDemo } from './commands/demo.js';
import { registerJobs } from './commands/jobs.js';
import { registerMetrics } from './commands/metrics.js';
import { registerModels } from './commands/models.js';
import { registerPredict } from './commands/predict.js';
import { registerReport } from './commands/report.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { registerSweep } from './commands/sweep.js';
import { DEFAULT_ADDRESS } from './client.js';
import { CliError, formatError } from './errors.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function fail(err: unknown): never {
  const address = process.argv.find((a, i) => process.argv[i - 1] === '--address') ?? process.argv.find((a) => a.startsWith('--address='))?.slice(10) ?? DEFAULT_ADDRESS;
  process.stderr.write(`${formatError(err, address)}\n`);
  if (/\btaan\b/.test(process.env['DEBUG'] ?? '') && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
  process.exit(err instanceof CliError ? err.exitCode : 1);
}

async function main(): Promise<void> {
  const program = new Command('taan')
    .description('Train, serve and inspect Task Adaptive Activation Networks (taan-service client and server)')
    .version(version(), '-V, --version')
    // `taan --version` before a command only: `taan models rm NAME --version N` is the command's own flag.
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Start here:
  npm run demo                                   train TAAN and HARD_SHARE, compare, write taan-report.html
  taan serve                                     serve on :50051 (state in ./var)
  taan train --model-name demo --synthetic --hidden-sizes 32 --max-epochs 5 --watch
  taan predict demo features.json                top classes per task
  taan report demo -o demo.html                  the HTML report`,
    );
  registerServe(program);
  registerTrain(program);
  registerJobs(program);
  registerModels(program);
  registerPredict(program);
  registerMetrics(program);
  registerReport(program);
  registerDemo(program);
  registerDatasets(program);
  registerSweep(program);
  await program.parseAsync(process.argv);
}

// A reader that closed the pipe (`taan jobs list | head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  fail(err);
});
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

main().then(
  // Explicit exit: gRPC channels and worker threads must not keep a finished command alive.
  () => process.stdout.write('', () => process.exit(process.exitCode ?? 0)),
  fail,
);
