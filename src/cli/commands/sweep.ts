/** `taan sweep start|watch|get|ls|cancel|report`: a grid (or a sample of it) of training jobs, the best labelled at the end. */
import { InvalidArgumentError, type Command } from 'commander';
import { JOBS_PAGE } from '../../domain/job.js';
import { ARCHITECTURES, REGULARIZERS } from '../../domain/model-spec.js';
import type { StartSweepRequest } from '../../grpc/generated/taan/v1/StartSweepRequest.js';
import type { Sweep__Output } from '../../grpc/generated/taan/v1/Sweep.js';
import type { SweepAxes } from '../../grpc/generated/taan/v1/SweepAxes.js';
import { addConnectionOptions, withClient, type ConnectionOptions, type TaanClient } from '../client.js';
import { CliError } from '../errors.js';
import { printJson } from '../format/output.js';
import { LiveBlock, sweepDetails, sweepsTable } from '../format/sweep.js';
import { renderSweepReport } from '../report/sweep-html.js';
import { writeHtml } from './report.js';
import { addTrainOptions, buildTrainRequest } from './train-flags.js';

interface Opts extends ConnectionOptions {
  json?: boolean;
}

const list = <T>(parse: (s: string) => T) => (v: string, previous: T[] | undefined): T[] => [
  ...(previous ?? []),
  ...v.split(',').filter((s) => s.trim() !== '').map((s) => parse(s.trim())),
];

function number(s: string): number {
  const n = Number(s);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${JSON.stringify(s)} is not a number`);
  return n;
}

function integer(s: string): number {
  const n = number(s);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`${JSON.stringify(s)} is not an integer`);
  return n;
}

function oneOf(names: readonly string[]): (s: string) => string {
  return (s) => {
    const v = s.toUpperCase();
    if (!names.includes(v)) throw new InvalidArgumentError(`${JSON.stringify(s)} is not one of ${names.join(', ')}`);
    return v;
  };
}

/** "64x64" -> [64, 64]. */
function sizes(s: string): { sizes: number[] } {
  return { sizes: s.split('x').map(integer) };
}

/** Axis flags: --axis-<field> with comma-separated values (repeatable). */
const AXES: Array<[keyof SweepAxes, string, (s: string) => unknown]> = [
  ['architecture', `architectures (${ARCHITECTURES.join(', ')})`, oneOf(ARCHITECTURES)],
  ['regularizer', `regularizers (${REGULARIZERS.join(', ')})`, oneOf(REGULARIZERS)],
  ['reg_coefficient', 'regularizer weights c', number],
  ['learning_rate', 'learning rates', number],
  ['weight_decay', 'weight decays', number],
  ['hidden_sizes', 'layer shapes, e.g. 64,64x64 (x between the layers of one shape)', sizes],
  ['num_basis', 'hinges per layer M', integer],
  ['seed', 'training seeds (aggregated over: mean and 95% interval per configuration)', integer],
];

const flagOf = (field: string): string => `--axis-${field.replace(/_/g, '-')}`;
const attrOf = (field: string): string => `axis${field.split('_').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;

function ended(s: Sweep__Output): boolean {
  return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(String(s.state));
}

/** Follows the sweep with a table redrawn in place (on a terminal); prints the final view. */
async function follow(client: TaanClient, sweepId: string, json: boolean): Promise<void> {
  const live = new LiveBlock(process.stderr);
  const onInt = (): void => {
    process.stderr.write(`\nstopped watching; the sweep keeps running (taan sweep watch ${sweepId})\n`);
    process.exit(130);
  };
  process.once('SIGINT', onInt);
  try {
    await client.watchSweep(sweepId, (s) => live.show(sweepDetails(s)));
  } finally {
    process.off('SIGINT', onInt);
  }
  const s = await client.call('GetSweep', { sweep_id: sweepId });
  if (json) printJson(s);
  else process.stdout.write(`\n${sweepDetails(s)}`);
  if (s.state !== 'SUCCEEDED') throw new CliError(`sweep ${s.sweep_id} ${ended(s) ? 'ended' : 'is still'} ${String(s.state)}${s.message ? `: ${s.message}` : ''}`);
}

export function registerSweep(program: Command): void {
  const sweep = program.command('sweep').description('train a grid of configurations and label the best on validation');

  const start = sweep
    .command('start')
    .description('start a sweep: the train flags give the base request, --axis-* flags the values to try')
    .option('--sample-count <n>', 'train this many points drawn from the grid (default: all)', integer)
    .option('--sample-seed <n>', 'seed of that draw', integer)
    .option('--best-label <label>', 'label moved to the best version when the sweep ends (default best)')
    .option('--watch', 'follow the sweep with a live table until it ends')
    .option('--json', 'print the Sweep as JSON');
  for (const [field, help, parse] of AXES) start.option(`${flagOf(field)} <values>`, `sweep over ${help}`, list(parse));
  addTrainOptions(start);
  addConnectionOptions(start);
  start.action(async (opts: Opts & Record<string, unknown>) => {
    const base = buildTrainRequest(opts);
    const axes: Record<string, unknown> = {};
    for (const [field] of AXES) if (opts[attrOf(field)] !== undefined) axes[field] = opts[attrOf(field)];
    if (Object.keys(axes).length === 0) throw new CliError(`give at least one axis (${AXES.map(([f]) => flagOf(f)).join(', ')})`);
    // The base's submission id names the sweep: repeating the command returns the same sweep.
    const request: StartSweepRequest = {
      submission_id: base.submission_id ?? '',
      base: { ...base, submission_id: '' },
      axes: axes as SweepAxes,
      sample_count: (opts['sampleCount'] as number | undefined) ?? 0,
      sample_seed: (opts['sampleSeed'] as number | undefined) ?? 0,
      best_label: (opts['bestLabel'] as string | undefined) ?? '',
    };
    await withClient(opts, async (client) => {
      const s = await client.call('StartSweep', request);
      if (!opts['watch']) {
        if (opts.json) printJson(s);
        else process.stdout.write(`sweep ${s.sweep_id} ${String(s.state)}: ${s.children.length} children of ${s.model_name}; follow it with: taan sweep watch ${s.sweep_id}\n`);
        return;
      }
      if (!opts.json) process.stderr.write(`sweep ${s.sweep_id} started: ${s.children.length} children\n`);
      await follow(client, s.sweep_id, opts.json === true);
    });
  });

  addConnectionOptions(sweep.command('watch').description('follow a sweep with a live table until it ends').argument('<sweep-id>').option('--json', 'print the final Sweep as JSON')).action(
    async (sweepId: string, opts: Opts) => {
      await withClient(opts, (client) => follow(client, sweepId, opts.json === true));
    },
  );

  addConnectionOptions(sweep.command('get').description("a sweep: its children's table and the aggregate over seeds").argument('<sweep-id>').option('--json', 'print the Sweep as JSON')).action(
    async (sweepId: string, opts: Opts) => {
      await withClient(opts, async (client) => {
        const s = await client.call('GetSweep', { sweep_id: sweepId });
        if (opts.json) printJson(s);
        else process.stdout.write(sweepDetails(s));
      });
    },
  );

  addConnectionOptions(
    sweep
      .command('ls')
      .description('sweeps, newest first')
      .option('--limit <n>', 'most sweeps to show', integer, JOBS_PAGE.default)
      .option('--json', 'print the sweeps as JSON'),
  ).action(async (opts: Opts & { limit: number }) => {
    if (opts.limit < 1) throw new CliError('--limit must be at least 1');
    await withClient(opts, async (client) => {
      const out: Sweep__Output[] = [];
      let token = '';
      do {
        const page = await client.call('ListSweeps', { page_size: Math.min(JOBS_PAGE.max, opts.limit - out.length), page_token: token });
        out.push(...page.sweeps);
        token = page.next_page_token;
      } while (token && out.length < opts.limit);
      if (opts.json) printJson({ sweeps: out, next_page_token: token });
      else process.stdout.write(sweepsTable(out));
    });
  });

  addConnectionOptions(
    sweep
      .command('report')
      .description('the sweep page: validation objective against each axis (one line per architecture), the aggregate over seeds, every child')
      .argument('<sweep-id>')
      .option('-o, --output <file>', 'where to write the HTML', 'taan-sweep.html')
      .option('--json', 'print {"path", "sweep_id"} as JSON instead of a sentence'),
  ).action(async (sweepId: string, opts: Opts & { output: string }) => {
    const s = await withClient(opts, (client) => client.call('GetSweep', { sweep_id: sweepId }));
    const file = await writeHtml(renderSweepReport(s, opts.address, new Date()), opts.output);
    if (opts.json) printJson({ path: file, sweep_id: s.sweep_id });
    else process.stdout.write(`sweep page of ${s.sweep_id} (${String(s.state)}) written to ${file}\n`);
  });

  addConnectionOptions(sweep.command('cancel').description('cancel a sweep and its unfinished children').argument('<sweep-id>').option('--json', 'print the Sweep as JSON')).action(
    async (sweepId: string, opts: Opts) => {
      await withClient(opts, async (client) => {
        const s = await client.call('CancelSweep', { sweep_id: sweepId });
        if (opts.json) printJson(s);
        else process.stdout.write(`sweep ${s.sweep_id} ${String(s.state)}\n`);
      });
    },
  );
}
