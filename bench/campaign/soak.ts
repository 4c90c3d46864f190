/**
 * Soak: a steady mixed load against one real server process for N seconds (submits of small training jobs watched
 * to their end, jobs cancelled mid-run, WatchJob streams cut off by the client, Predict on the model the jobs keep
 * republishing, ListJobs/GetJob/ListModels/GetModel/GetActivationMetrics), while the server's resident memory (VmRSS
 * of its process, /proc/<pid>/status) and its live tfjs tensors (sum of `taan_worker_tensors` over the workers, from
 * its Prometheus endpoint) are sampled every few seconds.
 *
 * It must end with 0 unexpected errors (the only expected ones: FAILED_PRECONDITION for a CancelJob that lost the
 * race with the job's end, CANCELLED for a stream the client itself cancelled), every job SUCCEEDED or (when this
 * soak cancelled it) CANCELLED, the server alive and SERVING, and RSS and tensor counts flat: the mean of the last
 * 3 minutes within 10% of the mean of the 3rd minute, for a 10-minute run (windows scaled for other lengths: the 3rd
 * minute is 20%-30% of the run, the last 3 minutes 70%-100%). A short run can be preceded by unmeasured warm-up load
 * (`warmupSeconds`), since the server's memory takes longer to settle than a scaled 2 minutes.
 *
 * `npm run build && npx tsx bench/campaign/soak.ts --seconds 600` prints a JSON summary and exits non-zero on any
 * failure; test/e2e/soak.test.ts runs a short one.
 */
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { JobEvent__Output } from '../../src/grpc/generated/taan/v1/JobEvent.js';
import { Rng } from '../../src/util/rng.js';
import { smallTrainRequest, waitForState } from '../../test/helpers/jobs.js';
import { healthStatus } from '../../test/helpers/probes.js';
import { call, startServer, type ServerProcess } from '../../test/helpers/server-process.js';

export interface SoakOptions {
  /** Length of the measured load, seconds (the full campaign: 600). */
  seconds: number;
  /**
   * Seconds of the same load before the measurement starts (default 0). The server's memory settles in about 30-40 s
   * (wasm heaps, model caches, V8 heap, SQLite page cache), which the 2 minutes before the 3rd minute cover in a full
   * run but a scaled-down window of a short run does not.
   */
  warmupSeconds?: number;
  seed?: number;
  /** Sampling period of RSS and tensors, ms; by default the run's length / 120, between 0.5 s and 5 s. */
  sampleEveryMs?: number;
  /** Largest allowed |last / third - 1| for tensors, and for RSS unless rssTolerance is given (default 0.1). */
  tolerance?: number;
  /**
   * For RSS alone. Short runs need more: within half a minute, V8 resizing the main and worker heaps moves RSS by
   * 20-40 MB (about 10%) either way, which a 10-minute run averages out.
   */
  rssTolerance?: number;
  /** Concurrent loops of each kind. */
  trainers?: number;
  predictors?: number;
  readers?: number;
  watchers?: number;
  /** Progress lines (stderr in the script). */
  log?: (line: string) => void;
}

export interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssBytes: number;
  /** Sum of taan_worker_tensors over the workers that answered; null when the gauge is absent. */
  tensors: number | null;
  /** Workers that answered the scrape's stats request. */
  tensorWorkers: number;
  wasmHeapBytes: number | null;
  /** The main thread's V8 heap in use and reserved (nodejs_heap_size_used_bytes, nodejs_heap_size_total_bytes). */
  heapUsedBytes: number | null;
  heapTotalBytes: number | null;
  /** V8 heaps of the worker threads together (taan_worker_js_heap_bytes). */
  workerJsHeapBytes: number | null;
}

export interface Flatness {
  /** Seconds since the load started: [from, to). */
  thirdWindow: [number, number];
  lastWindow: [number, number];
  thirdMean: number;
  lastMean: number;
  thirdSamples: number;
  lastSamples: number;
  /** lastMean / thirdMean. */
  ratio: number;
  flat: boolean;
  min: number;
  max: number;
}

export interface SoakReport {
  seconds: number;
  warmupSeconds: number;
  seed: number;
  /** Calls made, per method (warm-up included). */
  calls: Record<string, number>;
  /** Outcome codes over all calls (expected errors included). */
  codes: Record<string, number>;
  expectedErrors: number;
  unexpectedErrors: number;
  /** The first unexpected errors. */
  unexpected: Array<{ method: string; code: string; details: string }>;
  jobs: { submitted: number; succeeded: number; cancelled: number; failed: number; cancelRequests: number };
  predictExamples: number;
  sampleEverySeconds: number;
  samples: number;
  rss: Flatness & { firstBytes: number; lastBytes: number };
  tensors: (Flatness & { first: number; last: number }) | { available: false; note: string };
  wasmHeapBytes: { first: number; last: number } | null;
  /** Means over the same two windows as RSS, for telling where memory went (not judged). */
  heaps: { mainUsed: [number, number] | null; mainTotal: [number, number] | null; workersJs: [number, number] | null };
  serverAlive: boolean;
  healthAfter: string;
  exitCode: number | null;
  /** The server's state directory: removed after a clean run, kept for a look when something failed. */
  stateDir: string;
  failures: string[];
  ok: boolean;
  /** Every sample (left out of the printed summary; `--samples-out FILE` writes them). */
  series: Sample[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const MODELS = ['soak-a', 'soak-b'];
const FEATURES = 16;

function vmRss(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Sum and count of one metric's samples in Prometheus text (all label sets). */
function metricSum(text: string, name: string): { sum: number; series: number } | null {
  let sum = 0;
  let series = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
      series++;
    }
  }
  return series ? { sum, series } : null;
}

function flatness(samples: Array<{ t: number; v: number }>, seconds: number, tolerance: number): Flatness {
  const thirdWindow: [number, number] = [0.2 * seconds, 0.3 * seconds];
  const lastWindow: [number, number] = [0.7 * seconds, seconds + 1e-9];
  const inside = (w: [number, number]): number[] => samples.filter((s) => s.t >= w[0] && s.t < w[1]).map((s) => s.v);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const third = inside(thirdWindow);
  const last = inside(lastWindow);
  const thirdMean = mean(third);
  const lastMean = mean(last);
  // Zero throughout (the native BLAS path holds no tfjs tensors) is flat.
  const ratio = thirdMean === 0 && lastMean === 0 ? 1 : lastMean / thirdMean;
  const values = samples.map((s) => s.v);
  return {
    thirdWindow: [Math.round(thirdWindow[0] * 10) / 10, Math.round(thirdWindow[1] * 10) / 10],
    lastWindow: [Math.round(lastWindow[0] * 10) / 10, seconds],
    thirdMean,
    lastMean,
    thirdSamples: third.length,
    lastSamples: last.length,
    ratio: Math.round(ratio * 10_000) / 10_000,
    flat: third.length > 0 && last.length > 0 && Math.abs(ratio - 1) <= tolerance,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

export async function soak(opts: SoakOptions): Promise<SoakReport> {
  const seconds = opts.seconds;
  const seed = opts.seed ?? 1;
  const tolerance = opts.tolerance ?? 0.1;
  const sampleEveryMs = opts.sampleEveryMs ?? Math.min(5000, Math.max(500, (seconds * 1000) / 120));
  const log = opts.log ?? (() => undefined);
  const failures: string[] = [];
  const calls: Record<string, number> = {};
  const codes: Record<string, number> = {};
  const unexpected: SoakReport['unexpected'] = [];
  let expectedErrors = 0;
  let unexpectedErrors = 0;
  const jobs = { submitted: 0, succeeded: 0, cancelled: 0, failed: 0, cancelRequests: 0 };
  let predictExamples = 0;
  const knownJobs: string[] = [];

  const server: ServerProcess = await startServer({ env: { TAAN_MAX_QUEUED_JOBS: '1000' } });
  const pid = server.child.pid!;
  const client = server.client();

  const note = (method: string, err: ServiceError | null, expected: number[] = []): void => {
    calls[method] = (calls[method] ?? 0) + 1;
    const code = err ? (status[err.code] ?? `UNDEFINED(${err.code})`) : 'OK';
    codes[code] = (codes[code] ?? 0) + 1;
    if (!err) return;
    if (expected.includes(err.code)) expectedErrors++;
    else {
      unexpectedErrors++;
      if (unexpected.length < 20) unexpected.push({ method, code, details: err.details ?? err.message });
    }
  };
  /** A unary call whose failure is counted (expected or not) instead of thrown. */
  const tryCall = async <T>(method: string, req: unknown, expected: number[] = []): Promise<T | undefined> => {
    try {
      const res = await call<T>(client, method, req);
      note(method, null);
      return res;
    } catch (err) {
      note(method, err as ServiceError, expected);
      return undefined;
    }
  };
  /** WatchJob until the terminal event, or until `cutAfterMs` when the client cancels the stream. */
  const watchJob = (jobId: string, cutAfterMs?: number): Promise<string | undefined> =>
    new Promise((resolve) => {
      let last: string | undefined;
      let cut = false;
      const stream = (client as unknown as { WatchJob(r: unknown): ClientReadableStream<JobEvent__Output> }).WatchJob({ job_id: jobId });
      const timer = cutAfterMs === undefined ? undefined : setTimeout(() => {
        cut = true;
        stream.cancel();
      }, cutAfterMs);
      stream.on('data', (e: JobEvent__Output) => (last = e.state as string));
      stream.on('error', (err: ServiceError) => {
        clearTimeout(timer);
        note('WatchJob', err, cut ? [status.CANCELLED] : []);
        resolve(last);
      });
      stream.on('end', () => {
        clearTimeout(timer);
        note('WatchJob', null);
        resolve(last);
      });
    });
  const settle = (state: string | undefined, cancelled: boolean, jobId: string): void => {
    if (state === 'SUCCEEDED') jobs.succeeded++;
    else if (state === 'CANCELLED' && cancelled) jobs.cancelled++;
    else {
      jobs.failed++;
      unexpectedErrors++;
      if (unexpected.length < 20) unexpected.push({ method: 'job', code: state ?? 'unknown', details: `job ${jobId} ended ${state ?? 'without a terminal event'}` });
    }
  };

  // Warm-up (not measured): one model to predict on before the load starts.
  for (const m of MODELS) {
    const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest(m, { max_epochs: 1 }));
    await waitForState(client, job.job_id, ['SUCCEEDED']);
  }

  const t0 = Date.now() + (opts.warmupSeconds ?? 0) * 1000;
  const deadline = t0 + seconds * 1000;
  const running = (): boolean => Date.now() < deadline;

  const trainer = async (k: number): Promise<void> => {
    const r = new Rng(seed, 100 + k);
    while (running()) {
      const cancel = r.next() < 0.3;
      const model = MODELS[r.int(MODELS.length)]!;
      // A job to cancel runs longer (more epochs), so the cancel usually lands mid-run.
      const req = smallTrainRequest(model, { max_epochs: cancel ? 8 : 1 + r.int(3), seed: 1 + r.int(100), early_stopping_patience: 0 });
      const job = await tryCall<Job__Output>('TrainJob', req);
      if (!job) {
        await sleep(200);
        continue;
      }
      jobs.submitted++;
      knownJobs.push(job.job_id);
      if (knownJobs.length > 200) knownJobs.splice(0, knownJobs.length - 200);
      const watched = watchJob(job.job_id);
      if (cancel) {
        await sleep(r.int(400));
        jobs.cancelRequests++;
        await tryCall('CancelJob', { job_id: job.job_id }, [status.FAILED_PRECONDITION]);
      }
      settle(await watched, cancel, job.job_id);
    }
  };

  const predictor = async (k: number): Promise<void> => {
    const r = new Rng(seed, 200 + k);
    while (running()) {
      const n = 1 + r.int(32);
      const model = { name: MODELS[r.int(MODELS.length)]! };
      let req: Record<string, unknown>;
      if (r.next() < 0.5) {
        req = { model, examples: Array.from({ length: n }, (_, i) => ({ id: `e${i}`, features: Array.from({ length: FEATURES }, () => r.uniform(-2, 2)) })), top_k: 1 + r.int(5) };
      } else {
        const f = new Float32Array(n * FEATURES).map(() => r.uniform(-2, 2));
        req = { model, features_f32: Buffer.from(f.buffer), num_examples: n, top_k: 3 };
      }
      const res = await tryCall<{ results: unknown[] }>('Predict', req);
      if (res) predictExamples += res.results.length;
      await sleep(5 + r.int(30));
    }
  };

  const reader = async (k: number): Promise<void> => {
    const r = new Rng(seed, 300 + k);
    while (running()) {
      const x = r.next();
      if (x < 0.3) await tryCall('ListJobs', { page_size: 1 + r.int(50), ...(r.next() < 0.3 ? { state: 'SUCCEEDED' } : {}) });
      else if (x < 0.55 && knownJobs.length) await tryCall('GetJob', { job_id: knownJobs[r.int(knownJobs.length)] });
      else if (x < 0.7) await tryCall('ListModels', {});
      else if (x < 0.85) await tryCall('GetModel', { model: { name: MODELS[r.int(MODELS.length)] } });
      else await tryCall('GetActivationMetrics', { model: { name: MODELS[r.int(MODELS.length)] }, grid_points: 32 });
      await sleep(20 + r.int(80));
    }
  };

  const watcher = async (k: number): Promise<void> => {
    const r = new Rng(seed, 400 + k);
    while (running()) {
      if (!knownJobs.length) {
        await sleep(100);
        continue;
      }
      // A recent job (often still running), watched for a while and then cut off by the client, or to its end.
      const jobId = knownJobs[Math.max(0, knownJobs.length - 1 - r.int(5))]!;
      await watchJob(jobId, r.next() < 0.7 ? r.int(1500) : undefined);
      await sleep(20 + r.int(80));
    }
  };

  const samples: Sample[] = [];
  let tensorsSeen = false;
  const sampler = async (): Promise<void> => {
    await sleep(t0 - Date.now());
    let next = t0;
    while (Date.now() <= deadline) {
      const t = (Date.now() - t0) / 1000;
      try {
        const rssBytes = vmRss(pid);
        const text = await (await fetch(server.metricsUrl)).text();
        const tensors = metricSum(text, 'taan_worker_tensors');
        const wasm = metricSum(text, 'taan_worker_wasm_heap_bytes');
        const heap = metricSum(text, 'nodejs_heap_size_used_bytes');
        const heapTotal = metricSum(text, 'nodejs_heap_size_total_bytes');
        const workerHeap = metricSum(text, 'taan_worker_js_heap_bytes');
        if (tensors) tensorsSeen = true;
        samples.push({ t, rssBytes, tensors: tensors?.sum ?? null, tensorWorkers: tensors?.series ?? 0, wasmHeapBytes: wasm?.sum ?? null, heapUsedBytes: heap?.sum ?? null, heapTotalBytes: heapTotal?.sum ?? null, workerJsHeapBytes: workerHeap?.sum ?? null });
      } catch (err) {
        failures.push(`sampling at ${t.toFixed(1)} s failed: ${(err as Error).message}`);
      }
      next += sampleEveryMs;
      await sleep(Math.max(0, next - Date.now()));
    }
  };

  const progress = setInterval(() => {
    const s = samples.at(-1);
    log(`soak ${((Date.now() - t0) / 1000).toFixed(0)}/${seconds} s: jobs ${jobs.succeeded}+${jobs.cancelled} done, unexpected ${unexpectedErrors}, RSS ${s ? (s.rssBytes / 2 ** 20).toFixed(0) : '?'} MiB, tensors ${s?.tensors ?? '?'}`);
  }, Math.max(5000, Math.min(30_000, seconds * 100)));
  const loops = [
    sampler(),
    ...Array.from({ length: opts.trainers ?? 2 }, (_, k) => trainer(k)),
    ...Array.from({ length: opts.predictors ?? 2 }, (_, k) => predictor(k)),
    ...Array.from({ length: opts.readers ?? 1 }, (_, k) => reader(k)),
    ...Array.from({ length: opts.watchers ?? 1 }, (_, k) => watcher(k)),
  ];
  const results = await Promise.allSettled(loops);
  clearInterval(progress);
  for (const r of results) if (r.status === 'rejected') failures.push(`a load loop threw: ${(r.reason as Error).stack ?? String(r.reason)}`);

  const serverAlive = server.child.exitCode === null && server.child.signalCode === null;
  const healthAfter = serverAlive ? await healthStatus(server.address).catch((e: Error) => `error: ${e.message}`) : 'dead';
  const exitCode = serverAlive ? await server.stop() : server.child.exitCode;
  if (!serverAlive) failures.push(`the server died: ${server.stderr().slice(-2000)}`);
  if (healthAfter !== 'SERVING') failures.push(`health after the soak: ${healthAfter}`);
  if (serverAlive && exitCode !== 0) failures.push(`the server exited with ${exitCode} on SIGTERM`);
  if (unexpectedErrors > 0) failures.push(`${unexpectedErrors} unexpected errors`);

  const rssFlat = flatness(samples.map((s) => ({ t: s.t, v: s.rssBytes })), seconds, opts.rssTolerance ?? tolerance);
  if (!rssFlat.flat) failures.push(`RSS not flat: last-window mean ${(rssFlat.lastMean / 2 ** 20).toFixed(1)} MiB vs third-window ${(rssFlat.thirdMean / 2 ** 20).toFixed(1)} MiB (x${rssFlat.ratio})`);
  let tensors: SoakReport['tensors'];
  if (tensorsSeen) {
    // Only scrapes where every worker answered (a worker mid-step may miss the stats deadline) are comparable.
    const full = Math.max(...samples.map((s) => s.tensorWorkers));
    const usable = samples.filter((s) => s.tensors !== null && s.tensorWorkers === full).map((s) => ({ t: s.t, v: s.tensors! }));
    const f = flatness(usable, seconds, tolerance);
    tensors = { ...f, first: usable[0]?.v ?? NaN, last: usable.at(-1)?.v ?? NaN };
    if (!f.flat) failures.push(`tensor count not flat: last-window mean ${f.lastMean.toFixed(1)} vs third-window ${f.thirdMean.toFixed(1)} (x${f.ratio})`);
  } else {
    tensors = { available: false, note: 'the server exposes no taan_worker_tensors gauge on /metrics' };
    failures.push('tensor counts unavailable: no taan_worker_tensors on /metrics');
  }
  const wasm = samples.filter((s) => s.wasmHeapBytes !== null);
  const windows = (pick: (s: Sample) => number | null): [number, number] | null => {
    const xs = samples.filter((s) => pick(s) !== null).map((s) => ({ t: s.t, v: pick(s)! }));
    if (!xs.length) return null;
    const f = flatness(xs, seconds, tolerance);
    return [Math.round(f.thirdMean), Math.round(f.lastMean)];
  };
  const report: SoakReport = {
    seconds,
    warmupSeconds: opts.warmupSeconds ?? 0,
    seed,
    calls,
    codes,
    expectedErrors,
    unexpectedErrors,
    unexpected,
    jobs,
    predictExamples,
    sampleEverySeconds: sampleEveryMs / 1000,
    samples: samples.length,
    rss: { ...rssFlat, firstBytes: samples[0]?.rssBytes ?? NaN, lastBytes: samples.at(-1)?.rssBytes ?? NaN },
    tensors,
    wasmHeapBytes: wasm.length ? { first: wasm[0]!.wasmHeapBytes!, last: wasm.at(-1)!.wasmHeapBytes! } : null,
    heaps: { mainUsed: windows((s) => s.heapUsedBytes), mainTotal: windows((s) => s.heapTotalBytes), workersJs: windows((s) => s.workerJsHeapBytes) },
    serverAlive,
    healthAfter,
    exitCode,
    stateDir: server.stateDir,
    failures,
    ok: failures.length === 0,
    series: samples,
  };
  // A 10-minute run leaves hundreds of MB of models and checkpoints.
  if (report.ok) await rm(server.stateDir, { recursive: true, force: true });
  return report;
}

if (process.argv[1]?.endsWith('soak.ts')) {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '600' },
      seed: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '0' },
      'samples-out': { type: 'string' },
    },
  });
  const report = await soak({ seconds: Number(values.seconds), warmupSeconds: Number(values.warmup), seed: Number(values.seed), log: (l) => process.stderr.write(`${l}\n`) });
  const { series, ...summary } = report;
  if (values['samples-out']) writeFileSync(values['samples-out'], `${JSON.stringify(series)}\n`);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}
