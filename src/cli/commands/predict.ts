/** `taan predict MODEL [FILE|-]`: top classes per task for each example, as a table or JSON. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ExampleResult__Output } from '../../grpc/generated/taan/v1/ExampleResult.js';
import type { ModelSpec__Output } from '../../grpc/generated/taan/v1/ModelSpec.js';
import type { PredictResponse__Output } from '../../grpc/generated/taan/v1/PredictResponse.js';
import { addConnectionOptions, modelSpecText, parseModelSpec, withClient, type ConnectionOptions } from '../client.js';
import { FEATURE_FORMATS, readFeatures, type FeatureFormat } from '../features.js';
import { printJson, renderTable } from '../format/output.js';

interface Opts extends ConnectionOptions {
  json?: boolean;
  format: FeatureFormat;
  topK: number;
  tasks?: string[];
  threshold?: number;
  batch: number;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function predictionTable(results: ExampleResult__Output[], topK: number): string {
  const rows: string[][] = [];
  for (const r of results) {
    r.tasks.forEach((t, i) => {
      const cells = Array.from({ length: topK }, (_, k) => {
        const c = t.classes[k];
        return c ? `${c.label || `#${c.index}`} ${c.score.toFixed(3)}` : '';
      });
      rows.push([i === 0 ? r.id : '', t.task, ...cells]);
    });
  }
  const ranks = Array.from({ length: topK }, (_, k) => `top ${k + 1}`);
  return renderTable(['example', 'task', ...ranks], rows);
}

export function registerPredict(program: Command): void {
  addConnectionOptions(
    program
      .command('predict')
      .description('score examples: the top classes of every task, from a JSON, CSV or TFRecord file or stdin')
      .argument('<model>', 'NAME, NAME@VERSION or NAME@LABEL')
      .argument('[file]', "features: JSON ([[...]] or [{id, features}]), CSV (one row per example), YouTube-8M TFRecord; '-' or omitted = stdin")
      .addOption(new Option('--format <format>', 'input format').choices(FEATURE_FORMATS).default('auto'))
      .option('-k, --top-k <n>', 'classes per task', positiveInt, 3)
      .option('--tasks <names>', 'only these tasks (comma-separated)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
      .option('--threshold <score>', 'only classes scoring at least this', (v: string) => {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new InvalidArgumentError('must be a number');
        return n;
      })
      .option('--batch <n>', 'examples per Predict call', positiveInt, 1024)
      .option('--json', 'print the PredictResponse as JSON'),
  ).action(async (model: string, file: string | undefined, opts: Opts) => {
    const spec = parseModelSpec(model);
    const features = await readFeatures(file, opts.format);
    await withClient(opts, async (client) => {
      const results: ExampleResult__Output[] = [];
      let effective: ModelSpec__Output | null = null;
      // Batches keep each call under the server's per-request example limit; the version is pinned after the
      // first call so a publish in between cannot mix two versions in one answer.
      for (let start = 0; start < features.rows.length; start += opts.batch) {
        const res: PredictResponse__Output = await client.call('Predict', {
          model: effective ? { name: effective.name, version: effective.version } : spec,
          examples: features.rows.slice(start, start + opts.batch).map((f, i) => ({ id: features.ids[start + i] ?? '', features: f })),
          top_k: opts.topK,
          tasks: opts.tasks ?? [],
          ...(opts.threshold === undefined ? {} : { threshold: opts.threshold }),
        });
        effective ??= res.model;
        results.push(...res.results);
      }
      if (opts.json) {
        printJson({ model: effective, results });
        return;
      }
      process.stdout.write(`${modelSpecText(effective)}: top ${opts.topK} classes per task for ${results.length} example${results.length === 1 ? '' : 's'}\n\n`);
      process.stdout.write(predictionTable(results, opts.topK));
    });
  });
}
