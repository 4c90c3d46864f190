/** `taan datasets [ls]|rm`: uploaded datasets. */
import type { Command } from 'commander';
import { addConnectionOptions, withClient, type ConnectionOptions } from '../client.js';
import { datasetsTable } from '../format/describe.js';
import { printJson } from '../format/output.js';

interface Opts extends ConnectionOptions {
  json?: boolean;
}

export function registerDatasets(program: Command): void {
  const datasets = program.command('datasets').description('uploaded datasets: list, delete');

  addConnectionOptions(datasets.command('ls', { isDefault: true }).description('every uploaded dataset, oldest first').option('--json', 'print the datasets as JSON')).action(
    async (opts: Opts) => {
      await withClient(opts, async (client) => {
        const res = await client.call('ListDatasets', {});
        if (opts.json) printJson(res);
        else process.stdout.write(datasetsTable(res.datasets));
      });
    },
  );

  addConnectionOptions(
    datasets
      .command('rm')
      .description('delete an uploaded dataset; refused while a queued or running job uses it (admin)')
      .argument('<dataset-id>')
      .option('--json', 'print the response as JSON'),
  ).action(async (datasetId: string, opts: Opts) => {
    await withClient(opts, async (client) => {
      const res = await client.call('DeleteDataset', { dataset_id: datasetId });
      if (opts.json) printJson(res);
      else process.stdout.write(`deleted dataset ${datasetId} (${res.freed_bytes} bytes freed)\n`);
    });
  });
}
