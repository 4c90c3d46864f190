/** `taan report MODEL [-o file.html] [--baseline OTHER]`: the self-contained HTML report of a model. */
import { InvalidArgumentError, type Command } from 'commander';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { addConnectionOptions, parseModelSpec, withClient, type ConnectionOptions } from '../client.js';
import { CliError } from '../errors.js';
import { printJson } from '../format/output.js';
import { collectReport, type ReportInput } from '../report/data.js';
import { renderReport } from '../report/html.js';

export const DEFAULT_REPORT = 'taan-report.html';

interface Opts extends ConnectionOptions {
  output: string;
  baseline?: string;
  gridPoints?: number;
  json?: boolean;
}

/** Writes the report; returns its absolute path. */
export function writeReport(input: ReportInput, file: string): Promise<string> {
  return writeHtml(renderReport(input), file);
}

/** Writes a report page; returns its absolute path. */
export async function writeHtml(html: string, file: string): Promise<string> {
  const abs = path.resolve(file);
  try {
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, html);
  } catch (err) {
    throw new CliError(`cannot write the report to ${abs} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  return abs;
}

export function registerReport(program: Command): void {
  addConnectionOptions(
    program
      .command('report')
      .description('one self-contained HTML file: per-task test mAP@10 (against --baseline), training curves, activations, distance and cosine heatmaps')
      .argument('<model>', 'NAME, NAME@VERSION or NAME@LABEL')
      .option('-o, --output <file>', 'where to write the HTML', DEFAULT_REPORT)
      .option('-b, --baseline <model>', 'a model to compare per-task test mAP@10 and curves with (e.g. a HARD_SHARE run)')
      .option('--grid-points <n>', 'points per activation curve (server default 101)', (v: string) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n) || n < 2) throw new InvalidArgumentError('must be an integer >= 2');
        return n;
      })
      .option('--json', 'print {"path", "model", "baseline"} as JSON instead of a sentence'),
  ).action(async (model: string, opts: Opts) => {
    const input = await withClient(opts, (client) =>
      collectReport(client, parseModelSpec(model), opts.baseline ? parseModelSpec(opts.baseline) : undefined, { gridPoints: opts.gridPoints, source: client.address }),
    );
    const file = await writeReport(input, opts.output);
    const b = input.baseline;
    if (opts.json) printJson({ path: file, model: { name: input.model.name, version: input.model.version }, baseline: b ? { name: b.name, version: b.version } : null });
    else process.stdout.write(`report of ${input.model.name} v${input.model.version}${b ? ` against ${b.name} v${b.version}` : ''} written to ${file}\n`);
  });
}
