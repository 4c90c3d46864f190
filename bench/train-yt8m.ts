/**
 * Training at scale through the service: one TrainJob per architecture on the 150 real YouTube-8M shards of
 * ../shared/data/yt8m-video-level-validate (43,458 videos), sent to the real server process (dist/main.js, built
 * first) exactly as a user would: the shards as a glob, `hidden_sizes` [512, 512, 512], `num_basis` 64 and nothing
 * else, so the server's defaults decide the rest (10 epochs, the 80/10/10 hash split, the training recipe). Each job
 * runs on a fresh server, so its peak RSS is the job's. Per job it reports:
 *
 *   - the job's held-out test mAP@10 (the model kept at its best validation epoch, scored once on the test split);
 *   - loading time: from the job's RUNNING transition to its first training step (reading and splitting the shards;
 *     includes one step, ~0.1 s);
 *   - the server's peak RSS (VmHWM of the whole process: gRPC, stores and both worker threads);
 *   - whether the job's dataset summary (train + valid + test videos per task) equals SOURCE.md's counts.
 *
 *   npx tsx bench/train-yt8m.ts [--arch HARD_SHARE,TAAN] [--backend auto|native|wasm] [--epochs N] [--out file.json]
 *
 * One JSON line per job on stdout; with --out, all of them in one JSON file as well.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Job__Output } from '../src/grpc/generated/taan/v1/Job.js';
import { call, REPO, SHARED_DATA, startServer } from '../test/helpers/server-process.js';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'HARD_SHARE,TAAN' },
    backend: { type: 'string', default: 'auto' },
    epochs: { type: 'string' },
    out: { type: 'string' },
  },
});
const data = path.join(SHARED_DATA, 'yt8m-video-level-validate');

/** Videos per task from SOURCE.md's table (`| name | classes | videos |`). */
function sourceCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(path.join(data, 'SOURCE.md'), 'utf8').split('\n')) {
    const m = /^\| ([^|*]+?) \| ([\d,]+) \| ([\d,]+) \|$/.exec(line);
    if (m) counts.set(m[1]!, Number(m[3]!.replace(/,/g, '')));
  }
  return counts;
}

function peakRssMiB(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const seconds = (t: { seconds: number | string | { toString(): string }; nanos: number } | null | undefined): number =>
  t ? Number(t.seconds.toString()) + t.nanos / 1e9 : NaN;

execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(REPO, 'tsconfig.build.json')], { stdio: 'inherit' });
const expected = sourceCounts();
const results: Array<Record<string, unknown>> = [];
for (const architecture of args.arch.split(',')) {
  const server = await startServer({ env: { TAAN_BACKEND: args.backend, TAAN_DATA_ROOTS: SHARED_DATA, TAAN_LOG_LEVEL: 'info' } });
  try {
    const client = server.client();
    const t0 = performance.now();
    const job = await call<Job__Output>(client, 'TrainJob', {
      model_name: `yt8m-${architecture.toLowerCase()}`,
      yt8m: { train_files: [path.join(data, 'validate*.tfrecord')], vocabulary_path: path.join(SHARED_DATA, 'yt8m-vocabulary/vocabulary.csv') },
      architecture,
      hidden_sizes: [512, 512, 512],
      num_basis: 64,
      ...(args.epochs ? { max_epochs: Number(args.epochs) } : {}),
    });
    let firstStepAt = NaN;
    let last = job;
    let lastTick = 0;
    for (;;) {
      last = await call<Job__Output>(client, 'GetJob', { job_id: job.job_id });
      if (Number.isNaN(firstStepAt) && (last.progress?.step ?? 0) >= 1) firstStepAt = Date.now() / 1000;
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(last.state)) break;
      if (performance.now() - lastTick > 30_000) {
        lastTick = performance.now();
        const p = last.progress;
        process.stderr.write(`${architecture} ${((performance.now() - t0) / 1000).toFixed(0)} s: ${last.state} epoch ${p?.epoch} step ${p?.step}/${p?.total_steps} valid ${meanOf(p?.valid_map_at_10).toFixed(4)}\n`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const running = last.transitions.find((t) => t.state === 'RUNNING');
    const summary = last.dataset_summary?.tasks ?? [];
    const mismatches = summary
      .map((t) => ({ task: t.task, job: t.train_examples + t.valid_examples + t.test_examples, source: expected.get(t.task) }))
      .filter((t) => t.job !== t.source);
    const metrics = await (await fetch(server.metricsUrl)).text();
    const result = {
      architecture,
      computePath: /taan_compute_info\{path="([^"]+)"/.exec(metrics)?.[1] ?? '?',
      state: last.state,
      failure: last.failure_reason || undefined,
      epochsRun: last.progress?.epoch,
      steps: last.progress?.step,
      meanStepSeconds: last.progress?.step_seconds,
      lastEpochValidMapAt10: meanOf(last.progress?.valid_map_at_10),
      meanTestMapAt10: last.metrics?.mean_test_map_at_10,
      testMapAt10: last.metrics?.test_map_at_10,
      loadSeconds: running ? firstStepAt - seconds(running.time) : undefined,
      jobSeconds: seconds(last.end_time) - seconds(last.start_time),
      peakRssMiB: peakRssMiB(server.child.pid!),
      taskRows: { train: sum(summary.map((t) => t.train_examples)), valid: sum(summary.map((t) => t.valid_examples)), test: sum(summary.map((t) => t.test_examples)) },
      tasks: summary.length,
      summaryEqualsSourceMd: summary.length === expected.size && mismatches.length === 0,
      mismatches,
    };
    results.push(result);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await server.stop();
  }
}
if (args.out) writeFileSync(args.out, `${JSON.stringify({ command: `npx tsx bench/train-yt8m.ts ${process.argv.slice(2).join(' ')}`.trim(), runs: results }, null, 2)}\n`);

function meanOf(m: Record<string, number> | undefined): number {
  const v = Object.values(m ?? {});
  return v.length ? sum(v) / v.length : NaN;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
