/** `taan metrics MODEL`: a layer's task distance (or cosine) matrix as a terminal heatmap, in task_order. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ActivationMetrics__Output } from '../../grpc/generated/taan/v1/ActivationMetrics.js';
import type { LayerActivation__Output } from '../../grpc/generated/taan/v1/LayerActivation.js';
import { addConnectionOptions, modelSpecText, parseModelSpec, withClient, type ConnectionOptions } from '../client.js';
import { CliError } from '../errors.js';
import { colorMode } from '../format/color.js';
import { renderHeatmap } from '../format/heatmap.js';
import { printJson } from '../format/output.js';

export type MatrixKind = 'distance' | 'cosine';

interface Opts extends ConnectionOptions {
  json?: boolean;
  color: boolean;
  layer?: number;
  kind: MatrixKind;
}

export function pickLayer(am: ActivationMetrics__Output, layer: number | undefined): LayerActivation__Output {
  const l = layer === undefined ? am.layers[0] : am.layers.find((x) => x.layer === layer);
  if (!l) {
    const have = am.layers.map((x) => x.layer).join(', ') || 'none';
    throw new CliError(`no layer ${layer ?? ''} in ${modelSpecText(am.model)} (layers: ${have})`);
  }
  return l;
}

export function heatmapTitle(am: ActivationMetrics__Output, l: LayerActivation__Output, kind: MatrixKind): string {
  const what = kind === 'distance' ? 'Functional distance D between task activations' : 'Cosine similarity C between task activations';
  return `${what} - ${modelSpecText(am.model)}, layer ${l.layer} (tasks in task_order)`;
}

/** The terminal heatmap of one layer; shared with `taan demo`. */
export function layerHeatmap(am: ActivationMetrics__Output, l: LayerActivation__Output, kind: MatrixKind, color: boolean): string {
  return renderHeatmap({
    title: heatmapTitle(am, l, kind),
    names: am.tasks,
    values: kind === 'distance' ? l.distance : l.cosine,
    order: am.task_order,
    mode: colorMode(color, process.stdout),
    scale: kind === 'distance' ? 'sqrt' : 'linear',
  });
}

export function registerMetrics(program: Command): void {
  addConnectionOptions(
    program
      .command('metrics')
      .description("a layer's task distance matrix (GetActivationMetrics) as a coloured heatmap, tasks in task_order")
      .argument('<model>', 'NAME, NAME@VERSION or NAME@LABEL (a TAAN model)')
      .option('--layer <n>', 'hidden layer (as GetActivationMetrics numbers them); default the first', (v: string) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('must be a layer number');
        return Number(v);
      })
      .addOption(new Option('--kind <kind>', 'which matrix').choices(['distance', 'cosine']).default('distance'))
      .option('--no-color', 'plain numbers instead of coloured blocks (also when stdout is not a terminal)')
      .option('--json', 'print the ordered matrix as JSON'),
  ).action(async (model: string, opts: Opts) => {
    await withClient(opts, async (client) => {
      const am = await client.call('GetActivationMetrics', { model: parseModelSpec(model) });
      const l = pickLayer(am, opts.layer);
      if (opts.json) {
        const T = am.tasks.length;
        const values = opts.kind === 'distance' ? l.distance : l.cosine;
        printJson({
          model: am.model,
          measure: am.measure,
          layer: l.layer,
          kind: opts.kind,
          task_order: am.task_order,
          tasks: am.task_order.map((i) => am.tasks[i]),
          matrix: am.task_order.map((i) => am.task_order.map((j) => values[i * T + j])),
        });
        return;
      }
      process.stdout.write(layerHeatmap(am, l, opts.kind, opts.color));
    });
  });
}
