/**
 * One full TAAN training run through the service on the YouTube-8M video-level validate set
 * (../shared/data/yt8m-video-level-validate, 43,458 videos; a seeded 70/10/20 split, the paper's 16 verticals),
 * 3 x 512, M = 64, 10 epochs, the authors' other defaults: the real server process (dist/main.js, built first) with
 * the given compute path, a TrainJob over gRPC, timed from submission to SUCCEEDED. Prints one JSON line.
 *
 *   npx tsx bench/train-yt8m.ts --backend native|wasm [--epochs 10]
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Job__Output } from '../src/grpc/generated/taan/v1/Job.js';
import { waitForState } from '../test/helpers/jobs.js';
import { call, REPO, SHARED_DATA, startServer } from '../test/helpers/server-process.js';

const { values: args } = parseArgs({ options: { backend: { type: 'string', default: 'auto' }, epochs: { type: 'string', default: '10' } } });
execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPO, 'tsconfig.build.json')], { stdio: 'inherit' });
const data = path.join(SHARED_DATA, 'yt8m-video-level-validate');
const server = await startServer({ env: { TAAN_BACKEND: args.backend, TAAN_DATA_ROOTS: SHARED_DATA, TAAN_LOG_LEVEL: 'info' } });
try {
  const client = server.client();
  const t0 = performance.now();
  const job = await call<Job__Output>(client, 'TrainJob', {
    model_name: 'yt8m-validate',
    yt8m: { train_files: [path.join(data, 'validate*.tfrecord')], vocabulary_path: path.join(SHARED_DATA, 'yt8m-vocabulary/vocabulary.csv'), split_seed: 1 },
    architecture: 'TAAN',
    hidden_sizes: [512, 512, 512],
    num_basis: 64,
    max_epochs: Number(args.epochs),
    early_stopping_patience: 0,
    seed: 1,
  });
  const ticker = setInterval(() => {
    call<Job__Output>(client, 'GetJob', { job_id: job.job_id }).then(
      (j) => process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(0)} s: ${j.state} epoch ${j.progress?.epoch} step ${j.progress?.step}/${j.progress?.total_steps} loss ${j.progress?.loss}\n`),
      () => undefined,
    );
  }, 15_000);
  const done = await waitForState(client, job.job_id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 3 * 3600_000);
  clearInterval(ticker);
  const seconds = (performance.now() - t0) / 1000;
  const metrics = await (await fetch(server.metricsUrl)).text();
  const path_ = /taan_compute_info\{path="([^"]+)"/.exec(metrics)?.[1] ?? '?';
  process.stdout.write(
    `${JSON.stringify({
      computePath: path_,
      state: done.state,
      seconds,
      epochs: done.progress?.epoch,
      steps: done.progress?.step,
      meanStepSeconds: done.progress?.step_seconds,
      meanTestMapAt10: done.metrics?.mean_test_map_at_10,
      tasks: done.dataset_summary?.tasks.length,
      failure: done.failure_reason,
      trainSeconds: done.start_time && done.end_time ? Number(done.end_time.seconds) - Number(done.start_time.seconds) : undefined,
    })}\n`,
  );
} finally {
  await server.stop();
}
