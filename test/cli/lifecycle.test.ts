/**
 * `taan models rm`, `taan jobs rm`, `taan datasets ls|rm` against a real server process over real gRPC: what they
 * print, their --json, and a refusal as one error line with a non-zero exit code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import { oneErrorLine, runCli } from '../helpers/cli.js';
import { smallTrainRequest, upload, waitForState } from '../helpers/jobs.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let A: string[];
const jobs: Job__Output[] = [];

beforeAll(async () => {
  server = await startServer();
  A = ['--address', server.address];
  for (const labels of [['stable'], []]) {
    const job = await call<Job__Output>(server.client(), 'TrainJob', smallTrainRequest('cli-rm', { max_epochs: 1, version_labels: labels }));
    jobs.push(await waitForState(server.client(), job.job_id, ['SUCCEEDED']));
  }
}, 120_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('taan models rm, jobs rm, datasets ls|rm', () => {
  it('models rm: a labelled version is refused, --force deletes it with its labels, no --version deletes the model', async () => {
    const refused = await runCli(['models', 'rm', 'cli-rm', '--version', '1', ...A]);
    expect(refused.code).toBe(1);
    expect(oneErrorLine(refused)).toMatch(/^error: FAILED_PRECONDITION: version 1 of model cli-rm is labelled stable/);
    const forced = await runCli(['models', 'rm', 'cli-rm', '--version', '1', '--force', ...A]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^deleted cli-rm v1 \(\d+ bytes freed; labels removed: stable\)\n$/);
    const bad = await runCli(['models', 'rm', 'cli-rm', '--version', 'x', ...A]);
    expect(bad.code).not.toBe(0);
    const whole = await runCli(['models', 'rm', 'cli-rm', ...A, '--json']);
    expect(whole.code, whole.stderr).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ deleted_versions: [2] });
    const gone = await runCli(['models', 'rm', 'cli-rm', ...A]);
    expect(oneErrorLine(gone)).toMatch(/^error: NOT_FOUND: model not found: cli-rm/);
  });

  it('jobs rm deletes an ended job', async () => {
    const r = await runCli(['jobs', 'rm', jobs[0]!.job_id, ...A]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`deleted job ${jobs[0]!.job_id} (0 bytes freed)\n`);
    expect((await runCli(['jobs', 'get', jobs[0]!.job_id, ...A])).code).toBe(1);
  });

  it('datasets ls lists uploads; datasets rm deletes one', async () => {
    expect((await runCli(['datasets', ...A])).stdout).toBe('no datasets\n');
    const ds = await upload(server.client(), 'cli-ds', [{ fileName: 'a.csv', data: new Uint8Array(3000).fill(65) }]);
    const ls = await runCli(['datasets', 'ls', ...A]);
    expect(ls.stdout).toMatch(new RegExp(`${ds.dataset_id}\\s+cli-ds\\s+1\\s+3000\\s`));
    const listed = JSON.parse((await runCli(['datasets', 'ls', ...A, '--json'])).stdout) as { datasets: Array<{ dataset_id: string }> };
    expect(listed.datasets.map((d) => d.dataset_id)).toEqual([ds.dataset_id]);
    const rm = await runCli(['datasets', 'rm', ds.dataset_id, ...A]);
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toMatch(new RegExp(`^deleted dataset ${ds.dataset_id} \\(\\d+ bytes freed\\)\\n$`));
    expect((await runCli(['datasets', ...A])).stdout).toBe('no datasets\n');
  });
});
