/** `taan models [list]|get|label|rm`. */
import { InvalidArgumentError, type Command } from 'commander';
import { addConnectionOptions, parseModelSpec, withClient, type ConnectionOptions } from '../client.js';
import { modelDetails, modelsTable } from '../format/describe.js';
import { CliError } from '../errors.js';
import { printJson } from '../format/output.js';

interface Opts extends ConnectionOptions {
  json?: boolean;
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('published models: list, show, move a version label');

  addConnectionOptions(models.command('list', { isDefault: true }).description('every model with its latest version').option('--json', 'print the models as JSON')).action(
    async (opts: Opts) => {
      await withClient(opts, async (client) => {
        const res = await client.call('ListModels', {});
        if (opts.json) printJson(res);
        else process.stdout.write(modelsTable(res.models));
      });
    },
  );

  addConnectionOptions(
    models
      .command('get')
      .description('one model version: architecture, tasks, test metrics, training history')
      .argument('<model>', 'NAME, NAME@VERSION or NAME@LABEL')
      .option('--json', 'print the Model as JSON'),
  ).action(async (model: string, opts: Opts) => {
    await withClient(opts, async (client) => {
      const m = await client.call('GetModel', { model: parseModelSpec(model) });
      if (opts.json) printJson(m);
      else process.stdout.write(modelDetails(m));
    });
  });

  addConnectionOptions(
    models
      .command('label')
      .description('point a version label (e.g. stable) of a model at a version')
      .argument('<name>')
      .argument('<version>', 'version number', (v: string) => {
        if (!/^\d+$/.test(v)) throw new InvalidArgumentError('must be a version number');
        return Number(v);
      })
      .argument('<label>')
      .option('--json', 'print the Model as JSON'),
  ).action(async (name: string, version: number, label: string, opts: Opts) => {
    await withClient(opts, async (client) => {
      const m = await client.call('SetModelVersionLabel', { name, version, label });
      if (opts.json) printJson(m);
      else process.stdout.write(`${m.name}: ${label} -> v${m.version_labels[label] ?? version}\n`);
    });
  });

  addConnectionOptions(
    models
      .command('rm')
      .description('delete one version (--version) or the whole model with all its versions and labels (admin)')
      .argument('<name>')
      .option('--version <n>', 'only this version', versionNumber)
      .option('--force', 'delete the version even when labels point at it (they are removed with it)')
      .option('--json', 'print the response as JSON'),
  ).action(async (name: string, opts: Opts & { version?: number; force?: boolean }) => {
    await withClient(opts, async (client) => {
      if (opts.version === undefined) {
        if (opts.force) throw new CliError('--force applies to --version (a whole model is deleted with its labels anyway)', 2);
        const res = await client.call('DeleteModel', { name });
        if (opts.json) printJson(res);
        else process.stdout.write(`deleted ${name} (versions ${res.deleted_versions.join(', ')}; ${res.freed_bytes} bytes freed)\n`);
        return;
      }
      const res = await client.call('DeleteModelVersion', { name, version: opts.version, force: opts.force ?? false });
      if (opts.json) printJson(res);
      else {
        const labels = res.removed_labels.length ? `; labels removed: ${res.removed_labels.join(', ')}` : '';
        process.stdout.write(`deleted ${name} v${opts.version} (${res.freed_bytes} bytes freed${labels})\n`);
      }
    });
  });
}

function versionNumber(v: string): number {
  if (!/^[1-9]\d{0,8}$/.test(v)) throw new InvalidArgumentError('must be a version number');
  return Number(v);
}
