/**
 * Crash trial: the real server process on one fixed state directory is killed with SIGKILL again and again, at random
 * moments of training (jobs with several epochs, so checkpoints are being written), of a job's last stretch
 * (evaluation, saving and publishing its model), of dataset uploads in flight, or after a random delay, and restarted
 * each time. Every job and upload the server acknowledged (answered OK) before a kill is recorded.
 *
 * After every kill: the SQLite file passes `PRAGMA integrity_check` (opened read-only while no server runs) and no
 * visible dataset is half-written. After every restart: the server is SERVING, every acknowledged job is still known
 * and none FAILED, stale temp folders are swept. At the end, after a last restart: every job reaches SUCCEEDED
 * (acknowledged ones, and the ones whose submission was cut off by a kill but had been committed), resumed ones
 * included; every published model version answers Predict; each succeeded job published exactly one version; every
 * acknowledged upload is on disk byte for byte; the store passes its integrity check once more after a clean stop.
 *
 * `npm run build && npx tsx bench/campaign/crash-trial.ts --kills 20 --seed 1` prints a JSON summary and exits non-zero
 * on any failure; test/e2e/crash-trial.test.ts runs a short one (3 kills).
 */
import type { ServiceError } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { Rng } from '../../src/util/rng.js';
import { smallTrainRequest } from '../../test/helpers/jobs.js';
import { healthStatus } from '../../test/helpers/probes.js';
import { call, startServer, type ServerProcess } from '../../test/helpers/server-process.js';

export interface CrashTrialOptions {
  /** Kill -9 / restart cycles (the full campaign: 20). */
  kills: number;
  seed?: number;
  /** The state directory the server keeps across restarts; a fresh temporary one by default. */
  stateDir?: string;
  /** Longest wait for all jobs to finish after the last restart. */
  finalTimeoutMs?: number;
  /** Longest random wait before a kill in the "random" mode, ms. */
  maxDelayMs?: number;
  /** Keep the state directory afterwards (always kept when there are failures). */
  keep?: boolean;
  /** Progress lines (stderr in the script). */
  log?: (line: string) => void;
}

export interface CycleRecord {
  cycle: number;
  /**
   * What the kill was aimed at: a job stepping, an upload mid-stream, a job in its last stretch (evaluation,
   * saving and publishing its model), or a random delay after the submissions.
   */
  mode: 'training' | 'upload' | 'finishing' | 'random';
  /** Milliseconds from the cycle's first submission to the kill. */
  killAfterMs: number;
  jobsSubmitted: number;
  jobsAcknowledged: number;
  uploadsStarted: number;
  uploadsAcknowledged: number;
  /** Jobs RUNNING (per the last GetJob/ListJobs before the kill) when it came. */
  runningAtKill: number;
  /** Uploads whose stream was open when the kill came. */
  uploadsInFlightAtKill: number;
  integrity: string;
}

export interface CrashTrialReport {
  kills: number;
  seed: number;
  stateDir: string;
  seconds: number;
  acknowledgedJobs: number;
  /** Acknowledged jobs that ended SUCCEEDED. */
  finished: number;
  /** Jobs (acknowledged or not) whose history shows a resume from a checkpoint after a restart. */
  resumed: number;
  /** Jobs that were requeued by a restart (RUNNING when a kill came). */
  requeuedByRestart: number;
  /** Requeues by a restart, counted per event (a job killed twice counts twice). */
  restartRequeueEvents: number;
  /** Jobs in the store whose TrainJob call was cut off by a kill (committed but never answered); they must finish too. */
  unacknowledgedCommitted: number;
  jobsInStore: number;
  jobStates: Record<string, number>;
  acknowledgedUploads: number;
  datasetsChecked: number;
  /** Uploads cut off by a kill: none of them may be visible. */
  uploadsCutOff: number;
  models: number;
  modelVersionsChecked: number;
  /** PRAGMA integrity_check after each kill ("ok" count) and after the final clean stop. */
  integrity: { afterKillsOk: number; final: string };
  healthAfterRestarts: Record<string, number>;
  cycles: CycleRecord[];
  failures: string[];
  ok: boolean;
}

interface AckedJob {
  jobId: string;
  submissionId: string;
  model: string;
  cycle: number;
}

interface AckedUpload {
  datasetId: string;
  files: Array<{ fileName: string; sha256: string; size: number }>;
  cycle: number;
}

const DATASET_ID = /^ds-[0-9a-z]+-[0-9a-f]{10}$/;
const TEMP_PREFIX = '.tmp-';
const MODEL_NAMES = { small: 'ct-small', multi: 'ct-multi', arff: 'ct-arff' } as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A MULAN-layout multi-label ARFF: `features` numeric attributes, then labels a-1..a-3, b-1..b-3 (two tasks by prefix). */
export function syntheticArff(seed: number, rows: number, features = 12): Buffer {
  const rng = new Rng(seed, 5);
  const labels = ['a-1', 'a-2', 'a-3', 'b-1', 'b-2', 'b-3'];
  const lines = [`@relation crash${seed}`, ''];
  for (let f = 0; f < features; f++) lines.push(`@attribute f${f} numeric`);
  for (const l of labels) lines.push(`@attribute ${l} {0,1}`);
  lines.push('', '@data');
  for (let r = 0; r < rows; r++) {
    const x = Array.from({ length: features }, () => rng.uniform(-1, 1));
    const y = labels.map((_, j) => (x[j % features]! + 0.3 * rng.uniform(-1, 1) > 0 ? 1 : 0));
    lines.push([...x.map((v) => v.toFixed(4)), ...y].join(','));
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * UploadDataset with a pause between chunks, so that a kill can land while the stream is open. Stops writing on the
 * first error. `onChunk(i)` runs after chunk i was handed to the stream.
 */
function pacedUpload(
  client: TaanServiceClient,
  name: string,
  files: Array<{ fileName: string; data: Buffer }>,
  chunkBytes: number,
  paceMs: number,
  onChunk: (i: number, total: number) => void,
): Promise<{ dataset_id: string; files: Array<{ file_name: string; size: number; sha256: string }> }> {
  return new Promise((resolve, reject) => {
    let failed = false;
    const stream = (client as unknown as {
      UploadDataset(cb: (err: ServiceError | null, res: never) => void): { write(m: unknown): void; end(): void };
    }).UploadDataset((err, res) => {
      if (err) {
        failed = true;
        reject(err);
      } else resolve(res);
    });
    const chunks: unknown[] = [];
    for (const f of files) {
      const n = Math.max(1, Math.ceil(f.data.length / chunkBytes));
      for (let i = 0; i < n; i++) {
        chunks.push({
          name: chunks.length === 0 ? name : '',
          file_name: f.fileName,
          data: f.data.subarray(i * chunkBytes, (i + 1) * chunkBytes),
          sha256: i === n - 1 ? sha256(f.data) : '',
        });
      }
    }
    void (async () => {
      for (let i = 0; i < chunks.length && !failed; i++) {
        stream.write(chunks[i]);
        onChunk(i, chunks.length);
        await sleep(paceMs);
      }
      if (!failed) stream.end();
    })();
  });
}

/** PRAGMA integrity_check on the job store, read-only, with no server running. */
export function integrityCheck(dbFile: string): string {
  if (!existsSync(dbFile)) return 'missing';
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

async function listAllJobs(client: TaanServiceClient): Promise<Job__Output[]> {
  const jobs: Job__Output[] = [];
  let token = '';
  do {
    const page = await call<{ jobs: Job__Output[]; next_page_token: string }>(client, 'ListJobs', { page_size: 1000, page_token: token });
    jobs.push(...page.jobs);
    token = page.next_page_token;
  } while (token);
  return jobs;
}

/**
 * Datasets as a reader of the state directory sees them: every `ds-*` folder must be complete (manifest present, every
 * file there with its size and SHA-256). Temp folders are allowed only when `tempsAllowed` (between a kill and the
 * next start, which sweeps them).
 */
async function checkDatasetsOnDisk(stateDir: string, tempsAllowed: boolean, failures: string[], where: string): Promise<number> {
  const root = path.join(stateDir, 'datasets');
  const names = await fs.readdir(root).catch(() => [] as string[]);
  let complete = 0;
  for (const n of names) {
    if (n.startsWith(TEMP_PREFIX)) {
      if (!tempsAllowed) failures.push(`${where}: stale upload temp ${n} was not swept at start`);
      continue;
    }
    if (!DATASET_ID.test(n)) continue;
    const dir = path.join(root, n);
    let manifest: { files: Array<{ fileName: string; size: number; sha256: string }> };
    try {
      manifest = JSON.parse(await fs.readFile(path.join(dir, 'dataset.json'), 'utf8')) as typeof manifest;
    } catch (err) {
      failures.push(`${where}: dataset ${n} is visible without a readable manifest (${(err as Error).message})`);
      continue;
    }
    let good = true;
    for (const f of manifest.files) {
      const data = await fs.readFile(path.join(dir, f.fileName)).catch(() => undefined);
      if (!data || data.length !== f.size || sha256(data) !== f.sha256) {
        failures.push(`${where}: dataset ${n} file ${f.fileName} is missing or half-written`);
        good = false;
      }
    }
    if (good) complete++;
  }
  return complete;
}

async function checkModelTemps(stateDir: string, failures: string[], where: string): Promise<void> {
  const root = path.join(stateDir, 'models');
  for (const name of await fs.readdir(root).catch(() => [] as string[])) {
    if (name.startsWith(TEMP_PREFIX)) continue;
    for (const v of await fs.readdir(path.join(root, name)).catch(() => [] as string[])) {
      if (v.startsWith(TEMP_PREFIX)) failures.push(`${where}: stale model temp ${name}/${v} was not swept at start`);
      else if (/^[0-9]+$/.test(v) && !existsSync(path.join(root, name, v, 'model.json'))) {
        failures.push(`${where}: model version ${name}/${v} is visible without model.json`);
      }
    }
  }
}

function trainRequest(rng: Rng, kind: 'small' | 'multi' | 'arff', submissionId: string, datasetId?: string): Record<string, unknown> {
  const seed = 1 + rng.int(1000);
  const common = { submission_id: submissionId, early_stopping_patience: 0, seed };
  if (kind === 'small') return smallTrainRequest(MODEL_NAMES.small, { ...common, max_epochs: 3 + rng.int(4) });
  if (kind === 'multi') {
    // Several epochs of ~20 steps each: a kill during it lands between epoch checkpoints most of the time.
    return smallTrainRequest(MODEL_NAMES.multi, {
      ...common,
      synthetic: { tasks: 8, clusters: 2, features: 64, examples_per_task: 1500 + rng.int(1000), seed },
      hidden_sizes: [128, 64],
      max_epochs: 6 + rng.int(6),
    });
  }
  return {
    ...common,
    model_name: MODEL_NAMES.arff,
    dataset_id: datasetId,
    hidden_sizes: [32],
    num_basis: 8,
    max_epochs: 4 + rng.int(4),
    batch_size_per_task: 32,
    learning_rate: 3e-3,
  };
}

export async function crashTrial(opts: CrashTrialOptions): Promise<CrashTrialReport> {
  const seed = opts.seed ?? 1;
  const rng = new Rng(seed, 77);
  const log = opts.log ?? (() => undefined);
  const stateDir = opts.stateDir ?? (await fs.mkdtemp(path.join(tmpdir(), 'taan-crash-')));
  const dbFile = path.join(stateDir, 'jobs.db');
  const maxDelayMs = opts.maxDelayMs ?? 3000;
  const t0 = Date.now();
  const failures: string[] = [];
  const acked = new Map<string, AckedJob>();
  const uploads: AckedUpload[] = [];
  const cutOffSubmissions = new Set<string>();
  let uploadsCutOff = 0;
  const cycles: CycleRecord[] = [];
  const health: Record<string, number> = {};
  let afterKillsOk = 0;
  const env = { TAAN_MAX_QUEUED_JOBS: '1000' };

  const start = async (where: string): Promise<ServerProcess> => {
    const server = await startServer({ stateDir, env });
    const h = await healthStatus(server.address).catch((e: Error) => `error: ${e.message}`);
    health[h] = (health[h] ?? 0) + 1;
    if (h !== 'SERVING') failures.push(`${where}: health ${h} after restart`);
    await checkDatasetsOnDisk(stateDir, false, failures, where);
    await checkModelTemps(stateDir, failures, where);
    return server;
  };

  /** After a restart every acknowledged job is still there and none FAILED or vanished. */
  const checkAcked = async (client: TaanServiceClient, where: string): Promise<void> => {
    const byId = new Map((await listAllJobs(client)).map((j) => [j.job_id, j]));
    for (const a of acked.values()) {
      const j = byId.get(a.jobId);
      if (!j) failures.push(`${where}: acknowledged job ${a.jobId} (cycle ${a.cycle}) is lost`);
      else if (j.state === 'FAILED' || j.state === 'CANCELLED') failures.push(`${where}: acknowledged job ${a.jobId} is ${j.state}: ${j.failure_reason}`);
    }
  };

  for (let cycle = 1; cycle <= opts.kills; cycle++) {
    const where = `cycle ${cycle}`;
    let server: ServerProcess;
    try {
      server = await start(where);
    } catch (err) {
      failures.push(`${where}: the server did not start: ${(err as Error).message.slice(0, 2000)}`);
      break;
    }
    const client = server.client();
    await checkAcked(client, where).catch((err: Error) => failures.push(`${where}: listing jobs failed: ${err.message}`));

    const mode: CycleRecord['mode'] = (['training', 'upload', 'finishing', 'random'] as const)[(cycle - 1) % 4]!;
    const rec: CycleRecord = { cycle, mode, killAfterMs: 0, jobsSubmitted: 0, jobsAcknowledged: 0, uploadsStarted: 0, uploadsAcknowledged: 0, runningAtKill: 0, uploadsInFlightAtKill: 0, integrity: '' };
    const pending: Array<Promise<unknown>> = [];
    const cycleStart = Date.now();

    // Training jobs: 2-4 of them, of three kinds; ARFF ones train on an upload acknowledged in an earlier cycle.
    const nJobs = 2 + rng.int(3);
    for (let i = 0; i < nJobs; i++) {
      const kinds: Array<'small' | 'multi' | 'arff'> = uploads.length ? ['small', 'multi', 'multi', 'arff'] : ['small', 'multi', 'multi'];
      const kind = kinds[rng.int(kinds.length)]!;
      const submissionId = `ct-${seed}-${cycle}-${i}`;
      const req = trainRequest(rng, kind, submissionId, kind === 'arff' ? uploads[rng.int(uploads.length)]!.datasetId : undefined);
      rec.jobsSubmitted++;
      cutOffSubmissions.add(submissionId);
      pending.push(
        call<Job__Output>(client, 'TrainJob', req).then(
          (job) => {
            cutOffSubmissions.delete(submissionId);
            acked.set(job.job_id, { jobId: job.job_id, submissionId, model: job.model_name, cycle });
            rec.jobsAcknowledged++;
          },
          (err: ServiceError) => {
            if (err.code !== status.UNAVAILABLE && err.code !== status.CANCELLED) failures.push(`${where}: TrainJob ${kind} answered ${status[err.code]}: ${err.details}`);
          },
        ),
      );
    }

    // Uploads: 1-2, paced; in "upload" mode the kill comes at a random chunk of the first one.
    let inFlight = 0;
    let killChunkReached: (() => void) | undefined;
    const killChunk = new Promise<void>((r) => (killChunkReached = r));
    const nUploads = 1 + rng.int(2);
    for (let u = 0; u < nUploads; u++) {
      const files = [
        { fileName: 'train.arff', data: syntheticArff(seed * 1000 + cycle * 10 + u, 1500 + rng.int(2000)) },
        { fileName: 'test.arff', data: syntheticArff(seed * 1000 + cycle * 10 + u + 5, 200) },
      ];
      const chunkBytes = 8192;
      const total = files.reduce((n, f) => n + Math.ceil(f.data.length / chunkBytes), 0);
      const killAt = 1 + rng.int(Math.max(1, total - 2));
      rec.uploadsStarted++;
      inFlight++;
      let open = true;
      pending.push(
        pacedUpload(client, `crash-${cycle}-${u}`, files, chunkBytes, 10 + rng.int(20), (i) => {
          if (u === 0 && i === killAt) killChunkReached!();
        }).then(
          (res) => {
            uploads.push({ datasetId: res.dataset_id, files: files.map((f) => ({ fileName: f.fileName, sha256: sha256(f.data), size: f.data.length })), cycle });
            rec.uploadsAcknowledged++;
          },
          (err: ServiceError) => {
            uploadsCutOff++;
            if (err.code !== status.UNAVAILABLE && err.code !== status.CANCELLED) failures.push(`${where}: UploadDataset answered ${status[err.code]}: ${err.details}`);
          },
        ).finally(() => {
          if (open) inFlight--;
          open = false;
        }),
      );
    }

    // When to kill.
    let running = 0;
    if (mode === 'upload') {
      await Promise.race([killChunk, sleep(15_000)]);
    } else if (mode === 'training' || mode === 'finishing') {
      // A job that is stepping, or (finishing) one past 85% of its steps, so the kill lands in its last epoch,
      // its final evaluation, the saving of its model or its publication.
      const until = Date.now() + 20_000;
      const ready = (j: Job__Output): boolean => (mode === 'training' ? Number(j.progress?.step ?? 0) > 0 : (j.progress?.fraction ?? 0) >= 0.85);
      while (Date.now() < until) {
        const page = await call<{ jobs: Job__Output[] }>(client, 'ListJobs', { page_size: 20, state: 'RUNNING' }).catch(() => ({ jobs: [] as Job__Output[] }));
        running = page.jobs.filter(ready).length;
        if (running > 0) break;
        await sleep(mode === 'training' ? 50 : 20);
      }
      await sleep(rng.int(mode === 'training' ? 1200 : 300));
    } else {
      await sleep(rng.int(maxDelayMs));
    }
    if (mode === 'upload' || mode === 'random') {
      const page = await call<{ jobs: Job__Output[] }>(client, 'ListJobs', { page_size: 20, state: 'RUNNING' }).catch(() => ({ jobs: [] as Job__Output[] }));
      running = page.jobs.length;
    }
    rec.runningAtKill = running;
    rec.uploadsInFlightAtKill = inFlight;
    rec.killAfterMs = Date.now() - cycleStart;
    server.child.kill('SIGKILL');
    await server.kill();
    await Promise.allSettled(pending);

    try {
      rec.integrity = integrityCheck(dbFile);
    } catch (err) {
      rec.integrity = `error: ${(err as Error).message}`;
    }
    if (rec.integrity === 'ok') afterKillsOk++;
    else failures.push(`${where}: integrity_check after the kill: ${rec.integrity}`);
    await checkDatasetsOnDisk(stateDir, true, failures, `${where} after kill`);
    cycles.push(rec);
    log(`cycle ${cycle}/${opts.kills} ${mode}: killed after ${rec.killAfterMs} ms, ${rec.runningAtKill} running, ${rec.uploadsInFlightAtKill} uploads open, jobs ${rec.jobsAcknowledged}/${rec.jobsSubmitted} acked, uploads ${rec.uploadsAcknowledged}/${rec.uploadsStarted} acked, integrity ${rec.integrity}`);
  }

  // The last restart: everything must finish and be consistent.
  const report: CrashTrialReport = {
    kills: cycles.length,
    seed,
    stateDir,
    seconds: 0,
    acknowledgedJobs: acked.size,
    finished: 0,
    resumed: 0,
    requeuedByRestart: 0,
    restartRequeueEvents: 0,
    unacknowledgedCommitted: 0,
    jobsInStore: 0,
    jobStates: {},
    acknowledgedUploads: uploads.length,
    datasetsChecked: 0,
    uploadsCutOff,
    models: 0,
    modelVersionsChecked: 0,
    integrity: { afterKillsOk, final: '' },
    healthAfterRestarts: health,
    cycles,
    failures,
    ok: false,
  };
  let server: ServerProcess | undefined;
  try {
    server = await start('final restart');
    const client = server.client();
    await checkAcked(client, 'final restart');
    const until = Date.now() + (opts.finalTimeoutMs ?? 300_000);
    let jobs = await listAllJobs(client);
    while (jobs.some((j) => !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(j.state as string)) && Date.now() < until) {
      await sleep(250);
      jobs = await listAllJobs(client);
    }
    log(`final: ${jobs.length} jobs, waited ${((Date.now() - t0) / 1000).toFixed(0)} s into the trial`);
    report.jobsInStore = jobs.length;
    const bySubmission = new Map(jobs.map((j) => [j.submission_id, j]));
    for (const j of jobs) {
      report.jobStates[j.state as string] = (report.jobStates[j.state as string] ?? 0) + 1;
      const msgs = j.transitions.map((t) => t.message);
      if (msgs.some((m) => /resumed/.test(m))) report.resumed++;
      if (msgs.some((m) => /restart/.test(m))) report.requeuedByRestart++;
      report.restartRequeueEvents += msgs.filter((m) => /restart/.test(m)).length;
      if (j.state !== 'SUCCEEDED') {
        const who = acked.has(j.job_id) ? 'acknowledged' : 'unacknowledged';
        failures.push(`${who} job ${j.job_id} (${j.model_name}) ended ${j.state}${j.failure_reason ? `: ${j.failure_reason}` : ''} after ${msgs.join(' > ')}`);
      } else if (acked.has(j.job_id)) report.finished++;
    }
    for (const a of acked.values()) if (!jobs.some((j) => j.job_id === a.jobId)) failures.push(`acknowledged job ${a.jobId} is lost`);
    for (const s of cutOffSubmissions) if (bySubmission.has(s)) report.unacknowledgedCommitted++;

    // Models: each succeeded job published exactly one version, and every version answers Predict.
    const models = await call<{ models: Array<{ name: string }> }>(client, 'ListModels', {});
    report.models = models.models.length;
    for (const m of models.models) {
      const model = await call<{ versions: number[]; input_dim: number }>(client, 'GetModel', { model: { name: m.name } });
      const succeeded = jobs.filter((j) => j.model_name === m.name && j.state === 'SUCCEEDED');
      const published = succeeded.map((j) => j.model_version).sort((a, b) => a - b);
      if (new Set(published).size !== published.length) failures.push(`model ${m.name}: two succeeded jobs share a version (${published.join(',')})`);
      if (model.versions.length !== succeeded.length) {
        failures.push(`model ${m.name}: ${model.versions.length} versions published for ${succeeded.length} succeeded jobs (versions ${model.versions.join(',')}; jobs' ${published.join(',')})`);
      }
      for (const v of published) if (!model.versions.includes(v)) failures.push(`model ${m.name}: a job reports version ${v}, which is not published`);
      for (const v of model.versions) {
        try {
          const features = Array.from({ length: model.input_dim }, (_, i) => Math.sin(i + v));
          const res = await call<{ results: Array<{ tasks: unknown[] }> }>(client, 'Predict', { model: { name: m.name, version: v }, examples: [{ id: 'x', features }], top_k: 1 });
          if (res.results.length !== 1 || !res.results[0]!.tasks.length) failures.push(`model ${m.name}/${v}: Predict answered an empty result`);
          else report.modelVersionsChecked++;
        } catch (err) {
          const e = err as ServiceError;
          failures.push(`model ${m.name}/${v} is not loadable: ${status[e.code]} ${e.details}`);
        }
      }
    }
    for (const j of jobs) if (j.state === 'SUCCEEDED' && !models.models.some((m) => m.name === j.model_name)) failures.push(`job ${j.job_id} succeeded but model ${j.model_name} is not listed`);

    // Uploads: every acknowledged one is there byte for byte.
    for (const u of uploads) {
      let manifest: { files: Array<{ fileName: string; sha256: string; size: number }> } | undefined;
      try {
        manifest = JSON.parse(await fs.readFile(path.join(stateDir, 'datasets', u.datasetId, 'dataset.json'), 'utf8')) as typeof manifest;
      } catch {
        failures.push(`acknowledged upload ${u.datasetId} (cycle ${u.cycle}) is lost`);
        continue;
      }
      let good = manifest!.files.length === u.files.length;
      for (const f of u.files) {
        const data = await fs.readFile(path.join(stateDir, 'datasets', u.datasetId, f.fileName)).catch(() => undefined);
        if (!data || sha256(data) !== f.sha256) good = false;
      }
      if (good) report.datasetsChecked++;
      else failures.push(`acknowledged upload ${u.datasetId} differs from what was sent`);
    }
    const visible = await checkDatasetsOnDisk(stateDir, false, failures, 'final');
    if (visible < uploads.length) failures.push(`only ${visible} complete datasets on disk for ${uploads.length} acknowledged uploads`);

    const h = await healthStatus(server.address);
    if (h !== 'SERVING') failures.push(`final health ${h}`);
    const code = await server.stop();
    server = undefined;
    if (code !== 0) failures.push(`the final server exited with ${code} on SIGTERM`);
    report.integrity.final = integrityCheck(dbFile);
    if (report.integrity.final !== 'ok') failures.push(`final integrity_check: ${report.integrity.final}`);
  } catch (err) {
    failures.push(`final phase: ${(err as Error).stack ?? String(err)}`);
  } finally {
    if (server) await server.kill();
  }
  if (cycles.length < opts.kills) failures.push(`only ${cycles.length} of ${opts.kills} kills were carried out`);
  report.seconds = Math.round((Date.now() - t0) / 100) / 10;
  report.ok = failures.length === 0;
  if (report.ok && !opts.keep && !opts.stateDir) await fs.rm(stateDir, { recursive: true, force: true });
  return report;
}

if (process.argv[1]?.endsWith('crash-trial.ts')) {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '20' },
      seed: { type: 'string', default: '1' },
      'state-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const report = await crashTrial({
    kills: Number(values.kills),
    seed: Number(values.seed),
    ...(values['state-dir'] ? { stateDir: path.resolve(values['state-dir']) } : {}),
    keep: values.keep,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}
