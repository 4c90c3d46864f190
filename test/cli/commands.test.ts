/**
 * Every `taan` command against a real server process over real gRPC: train (--watch, --json), jobs, models,
 * predict from each input form, metrics, report, serve; --json output parses; failures are one line and a
 * non-zero exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../src/config/defaults.js';
import { encodeExample } from '../../src/data/tfrecord/example.js';
import { writeTfRecords } from '../../src/data/tfrecord/writer.js';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { PredictResponse__Output } from '../../src/grpc/generated/taan/v1/PredictResponse.js';
import { CLI, oneErrorLine, runCli } from '../helpers/cli.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const SMALL = ['--synthetic', '--synthetic-tasks', '8', '--synthetic-clusters', '2', '--synthetic-features', '16', '--synthetic-examples-per-task', '300', '--synthetic-seed', '1'];
const BUDGET = ['--hidden-sizes', '24', '--num-basis', '8', '--max-epochs', '2', '--batch-size-per-task', '32', '--learning-rate', '3e-3'];
const D = 16;
const ROWS = Array.from({ length: 3 }, (_, i) => Array.from({ length: D }, (_, j) => +Math.sin(i * 7 + j).toFixed(6)));

let server: ServerProcess;
let A: string[];
let dir: string;
let taanJob: Job__Output;

const json = <T>(s: string): T => JSON.parse(s) as T;

beforeAll(async () => {
  server = await startServer();
  A = ['--address', server.address];
  dir = await mkdtemp(path.join(tmpdir(), 'taan-cli-'));
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('train and jobs', () => {
  it('train --watch follows the job with per-epoch progress and ends with the job and its test metrics', async () => {
    const r = await runCli(['train', ...A, '--model-name', 'cli-taan', ...SMALL, ...BUDGET, '--measure', 'running', '--watch']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[cli-taan\] epoch 1\/2 {2}step \d+\/\d+ {2}loss \d+\.\d{4} {2}valid mAP@10 0\.\d{3}/);
    expect(r.stderr).toContain('[cli-taan] epoch 2/2');
    expect(r.stderr).toContain('[cli-taan] SUCCEEDED');
    expect(r.stdout).toMatch(/state:\s+SUCCEEDED/);
    expect(r.stdout).toMatch(/task07\s+0\.\d{3}/);
    const list = json<{ jobs: Job__Output[] }>((await runCli(['jobs', 'list', ...A, '--json'])).stdout);
    taanJob = list.jobs.find((j) => j.model_name === 'cli-taan')!;
    expect(taanJob.request!.measure).toBe('MEASURE_RUNNING');
    expect(taanJob.request!.hidden_sizes).toEqual([24]);
  });

  it('train --watch --json prints the final Job as JSON (HARD_SHARE baseline)', async () => {
    const r = await runCli(['train', ...A, '--model-name', 'cli-hs', ...SMALL, ...BUDGET, '--architecture', 'HARD_SHARE', '--watch', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const job = json<Job__Output>(r.stdout);
    expect(job.state).toBe('SUCCEEDED');
    expect(job.request!.architecture).toBe('HARD_SHARE');
    expect(Object.keys(job.metrics!.test_map_at_10)).toHaveLength(8);
    expect(job.create_time).toMatch(/^\d{4}-\d\d-\d\dT/); // timestamps as RFC 3339
  });

  it('train without --watch queues and returns; jobs get/cancel/list work on it', async () => {
    const heavy = ['--synthetic', '--synthetic-features', '256', '--synthetic-examples-per-task', '2200', '--hidden-sizes', '512,512', '--num-basis', '16', '--max-epochs', '6', '--batch-size-per-task', '256', '--early-stopping-patience', '0'];
    const r = await runCli(['train', ...A, '--model-name', 'cli-slow', ...heavy, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const queued = json<Job__Output>(r.stdout);
    expect(queued.state).toBe('QUEUED');
    const get = await runCli(['jobs', 'get', queued.job_id, ...A]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain(queued.job_id);
    expect(get.stdout).toMatch(/architecture:\s+TAAN, hidden \[512, 512\]/);
    const cancel = await runCli(['jobs', 'cancel', queued.job_id, ...A, '--json']);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(['CANCELLED', 'CANCELLING']).toContain(json<Job__Output>(cancel.stdout).state);
    const watched = await runCli(['jobs', 'watch', queued.job_id, ...A]);
    // Progress lines come first on stderr; the verdict is the last line.
    expect(watched.code).toBe(1);
    expect(watched.stderr.trim().split('\n').at(-1)).toMatch(/^error: job .* \(cli-slow\) ended CANCELLED/);
    const again = await runCli(['jobs', 'cancel', queued.job_id, ...A]);
    expect(oneErrorLine(again)).toMatch(/^error: FAILED_PRECONDITION: job .* is already CANCELLED/);
    const table = await runCli(['jobs', ...A]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`${queued.job_id}\\s+cli-slow\\s+CANCELLED`));
    const succeeded = json<{ jobs: Job__Output[] }>((await runCli(['jobs', 'list', '--state', 'succeeded', ...A, '--json'])).stdout);
    expect(succeeded.jobs.map((j) => j.model_name).sort()).toEqual(['cli-hs', 'cli-taan']);
  });
});

describe('models', () => {
  it('lists, shows (with per-epoch history) and labels models', async () => {
    const list = await runCli(['models', ...A]);
    expect(list.stdout).toMatch(/cli-taan\s+1\s+1\s+-\s+TAAN\s+8/);
    const all = json<{ models: Model__Output[] }>((await runCli(['models', 'list', ...A, '--json'])).stdout);
    expect(all.models.map((m) => m.name).sort()).toEqual(['cli-hs', 'cli-taan']);
    const label = await runCli(['models', 'label', 'cli-taan', '1', 'stable', ...A, '--json']);
    expect(json<Model__Output>(label.stdout).version_labels).toEqual({ stable: 1 });
    const m = json<Model__Output>((await runCli(['models', 'get', 'cli-taan@stable', ...A, '--json'])).stdout);
    expect(m.version).toBe(1);
    expect(m.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(m.job_id).toBe(taanJob.job_id);
    const text = await runCli(['models', 'get', 'cli-taan@1', ...A]);
    expect(text.stdout).toMatch(/labels:\s+stable -> v1/);
    expect(text.stdout).toMatch(/mean\s+0\.\d{3}/);
  });
});

describe('predict', () => {
  const predictJson = async (args: string[], input?: string): Promise<PredictResponse__Output> => {
    const r = await runCli(['predict', 'cli-taan', ...args, ...A, '--json'], { input });
    expect(r.code, r.stderr).toBe(0);
    return json<PredictResponse__Output>(r.stdout);
  };

  it('reads JSON, CSV, TFRecord and stdin, and every form gives the same answer', async () => {
    const arrays = path.join(dir, 'rows.json');
    await writeFile(arrays, JSON.stringify(ROWS));
    const objects = path.join(dir, 'objects.json');
    await writeFile(objects, JSON.stringify(ROWS.map((f, i) => ({ id: `v${i}`, features: f }))));
    const csv = path.join(dir, 'rows.csv');
    await writeFile(csv, [['id', ...ROWS[0]!.map((_, j) => `f${j}`)].join(','), ...ROWS.map((r, i) => [`v${i}`, ...r].join(','))].join('\n'));
    const numericHeader = path.join(dir, 'numeric-header.csv');
    await writeFile(numericHeader, [['id', ...ROWS[0]!.map((_, j) => j + 1)].join(','), ...ROWS.map((r, i) => [`v${i}`, ...r].join(','))].join('\n'));
    const tfr = path.join(dir, 'videos.tfrecord');
    await writeTfRecords(tfr, ROWS.map((r, i) => encodeExample({ bytes: { id: [`v${i}`] }, floats: { mean_rgb: r.slice(0, 12), mean_audio: r.slice(12) } })));

    const base = await predictJson([arrays]);
    expect(base.model!.version).toBe(1);
    expect(base.results.map((r) => r.id)).toEqual(['#1', '#2', '#3']);
    for (const r of base.results) {
      expect(r.tasks).toHaveLength(8);
      for (const t of r.tasks) expect(t.classes).toHaveLength(3);
    }
    const scores = (p: PredictResponse__Output): unknown => p.results.map((r) => r.tasks);
    for (const other of [await predictJson([objects]), await predictJson([csv]), await predictJson([tfr]), await predictJson(['-'], JSON.stringify(ROWS)), await predictJson([], readFileSync(csv, 'utf8'))]) {
      expect(scores(other)).toEqual(scores(base));
    }
    expect((await predictJson([tfr])).results.map((r) => r.id)).toEqual(['v0', 'v1', 'v2']);
    const fromNumericHeader = await predictJson([numericHeader]);
    expect(fromNumericHeader.results.map((r) => r.id)).toEqual(['v0', 'v1', 'v2']);
    expect(scores(fromNumericHeader)).toEqual(scores(base));
    expect((await predictJson([objects, '--top-k', '1', '--tasks', 'task00,task03'])).results[0]!.tasks.map((t) => [t.task, t.classes.length])).toEqual([
      ['task00', 1],
      ['task03', 1],
    ]);
  });

  it('prints a readable table of the top classes per task', async () => {
    const r = await runCli(['predict', 'cli-taan@stable', '-', ...A, '--top-k', '2'], { input: JSON.stringify(ROWS.slice(0, 1)) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('cli-taan v1: top 2 classes per task for 1 example');
    expect(r.stdout).toMatch(/example\s+task\s+top 1\s+top 2/);
    expect(r.stdout).toMatch(/#1\s+task00\s+t0-c\d \d\.\d{3}\s+t0-c\d \d\.\d{3}/);
    expect(r.stdout).toMatch(/\n\s+task07\s+t7-c\d/);
  });
});

describe('metrics and report', () => {
  it('metrics --json gives the layer matrix in task_order', async () => {
    const r = await runCli(['metrics', 'cli-taan', ...A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = json<{ tasks: string[]; task_order: number[]; matrix: number[][]; kind: string; layer: number }>(r.stdout);
    expect(m.kind).toBe('distance');
    expect([...m.task_order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(m.tasks).toEqual(m.task_order.map((i) => `task0${i}`));
    m.matrix.forEach((row, i) => {
      expect(row[i]).toBe(0);
      row.forEach((v, j) => expect(v).toBe(m.matrix[j]![i]));
    });
    const cos = json<{ matrix: number[][] }>((await runCli(['metrics', 'cli-taan', ...A, '--kind', 'cosine', '--json'])).stdout);
    expect(cos.matrix[0]![0]).toBeCloseTo(1, 9);
  });

  it('metrics draws a heatmap: numbers when not a terminal, 256-colour or truecolor blocks when colour is forced', async () => {
    const plain = await runCli(['metrics', 'cli-taan', ...A]);
    expect(plain.stdout).toContain('Functional distance D between task activations - cli-taan v1, layer 0 (tasks in task_order)');
    expect(plain.stdout).toMatch(/task0\d( +\d\.\d{3}){8}\n/);
    expect(plain.stdout).not.toContain('\x1b[');
    const ansi = await runCli(['metrics', 'cli-taan', ...A], { env: { FORCE_COLOR: '1' } });
    // eslint-disable-next-line no-control-regex -- the escape sequences are what is under test
    expect(ansi.stdout).toMatch(/task0\d (\x1b\[48;5;\d+m {3}\x1b\[0m){8}\n/);
    const truecolor = await runCli(['metrics', 'cli-taan', ...A, '--kind', 'cosine'], { env: { FORCE_COLOR: '3' } });
    expect(truecolor.stdout).toContain('\x1b[48;2;');
    const off = await runCli(['metrics', 'cli-taan', ...A, '--no-color'], { env: { FORCE_COLOR: '3' } });
    expect(off.stdout).not.toContain('\x1b[');
  });

  it('report writes one HTML file and says where (--json)', async () => {
    const out = path.join(dir, 'nested', 'r.html');
    const r = await runCli(['report', 'cli-taan', '-b', 'cli-hs', '-o', out, ...A, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(json<{ path: string; baseline: { name: string } }>(r.stdout)).toMatchObject({ path: out, baseline: { name: 'cli-hs' } });
    const html = readFileSync(out, 'utf8');
    for (const id of ['map-comparison', 'training-curves', 'activations', 'distance', 'cosine']) expect(html).toContain(`<section id="${id}">`);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3)/);
  });
});

describe('failures are one line and a non-zero exit code', () => {
  it('a wrong address', async () => {
    for (const args of [['models'], ['jobs', 'list'], ['predict', 'x', '-'], ['metrics', 'x'], ['report', 'x', '-o', path.join(dir, 'x.html')]]) {
      const r = await runCli([...args, '--address', '127.0.0.1:1', '--timeout', '10'], { input: '[[1]]' });
      expect(oneErrorLine(r)).toBe('error: UNAVAILABLE: cannot reach taan-service at 127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)');
    }
  });

  it('an unknown model or job', async () => {
    await writeFile(path.join(dir, 'ok.json'), JSON.stringify(ROWS));
    for (const args of [['models', 'get', 'ghost'], ['predict', 'ghost', path.join(dir, 'ok.json')], ['metrics', 'ghost'], ['report', 'ghost', '-o', path.join(dir, 'g.html')]]) {
      expect(oneErrorLine(await runCli([...args, ...A]))).toBe('error: NOT_FOUND: model not found: ghost');
    }
    expect(oneErrorLine(await runCli(['jobs', 'get', 'job-nope', ...A]))).toMatch(/^error: NOT_FOUND: .*job-nope/);
    expect(existsSync(path.join(dir, 'g.html'))).toBe(false);
  });

  it('an invalid feature file', async () => {
    const files: Array<[string, string | Buffer, RegExp]> = [
      ['ragged.json', '[[1,2,3],[4,5]]', /ragged\.json: example #2 has 2 features, the first has 3$/],
      ['broken.json', '[[1,2,', /broken\.json: not valid JSON/],
      ['words.json', '{"rows": 1}', /words\.json: expected an array of examples/],
      ['nan.csv', '1,2,3\n4,x,6\n', /nan\.csv: example #2: feature 2 is not a finite number \("x"\)$/],
      ['short.csv', '1,2,3\n4,5\n', /short\.csv: not valid CSV/],
      ['junk.tfrecord', Buffer.from('definitely not a tfrecord file'), /junk\.tfrecord: not a readable TFRecord file \(corrupt record 0/],
      ['empty.json', '[]', /empty\.json: no examples$/],
    ];
    for (const [name, content, expected] of files) {
      await writeFile(path.join(dir, name), content);
      expect(oneErrorLine(await runCli(['predict', 'cli-taan', path.join(dir, name), ...A]))).toMatch(expected);
    }
    expect(oneErrorLine(await runCli(['predict', 'cli-taan', path.join(dir, 'missing.csv'), ...A]))).toMatch(/missing\.csv: cannot read \(ENOENT\)$/);
    expect(oneErrorLine(await runCli(['predict', 'cli-taan', '-', ...A], { input: '' }))).toMatch(/^error: stdin: no examples$/);
    // Well-formed but the wrong width: the server's INVALID_ARGUMENT, still one line.
    expect(oneErrorLine(await runCli(['predict', 'cli-taan', '-', ...A], { input: '[[1,2,3]]' }))).toBe('error: INVALID_ARGUMENT: examples[0].features: expected 16 features, got 3');
  });

  it('bad flags, a bad request and a non-TAAN model', async () => {
    expect(oneErrorLine(await runCli(['train', ...A, '--model-name', 'x']))).toMatch(/^error: no dataset: give --synthetic/);
    expect(oneErrorLine(await runCli(['train', ...A, '--model-name', 'x', '--synthetic', '--max-epochs', 'ten']))).toMatch(/--max-epochs <int>.*Must be an integer\.$/);
    expect(oneErrorLine(await runCli(['train', ...A, '--model-name', 'x', '--synthetic', '--architecture', 'CNN']))).toMatch(/Must be one of TAAN, HARD_SHARE, STL, SOFT_ORDER, MMOE\.$/);
    expect(oneErrorLine(await runCli(['train', ...A, '--model-name', 'x', '--synthetic', '--arff-path', 'a.arff']))).toBe('error: choose one dataset, got flags for synthetic and arff');
    expect(oneErrorLine(await runCli(['train', ...A, '--model-name', 'x', '--synthetic', '--hidden-sizes', '0']))).toMatch(/^error: INVALID_ARGUMENT: .*hidden_sizes\[0\]/);
    expect(oneErrorLine(await runCli(['metrics', 'cli-hs', ...A]))).toMatch(/^error: FAILED_PRECONDITION: /);
    expect(oneErrorLine(await runCli(['nonsense']))).toBe("error: unknown command 'nonsense'");
    expect(oneErrorLine(await runCli(['jobs', 'list', '--state', 'bogus', ...A]))).toMatch(/--state <state>.*Must be one of QUEUED, RUNNING/);
  });
});

describe('serve', () => {
  it('declares a flag for every TAAN_ setting', async () => {
    const help = (await runCli(['serve', '--help'])).stdout;
    for (const s of SETTINGS) {
      expect(help).toContain(s.flag);
      expect(help).toContain(s.env);
    }
  });

  it('serves from flags, answers the CLI, and stops cleanly on SIGTERM', async () => {
    const state = await mkdtemp(path.join(tmpdir(), 'taan-serve-'));
    const child = spawn(process.execPath, [CLI, 'serve', '--grpc-host', '127.0.0.1', '--grpc-port', '0', '--metrics-host', '127.0.0.1', '--metrics-port', '0', '--http-host', '127.0.0.1', '--http-port', '0', '--state-dir', state, '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const port = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /"grpcPort":(\d+).*"msg":"taan-service serving"/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      void exited.then((code) => reject(new Error(`serve exited ${code}: ${buf}`)));
    });
    const models = await runCli(['models', '--address', `127.0.0.1:${port}`]);
    expect(models.stdout).toBe('no models\n');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(path.join(state, 'jobs.db'))).toBe(true);
  });

  it('refuses an invalid setting with one line and exit code 2', async () => {
    const r = await runCli(['serve', '--grpc-port', '99999', '--workers', '0']);
    expect(oneErrorLine(r)).toMatch(/^error: invalid configuration: TAAN_GRPC_PORT \/ --grpc-port: must be an integer in 0\.\.65535.*; TAAN_WORKERS \/ --workers: /);
    expect(r.code).toBe(2);
  });
});

describe('train from a request file', () => {
  it('takes a TrainJobRequest JSON and lets flags override its fields', async () => {
    const file = path.join(dir, 'request.json');
    await writeFile(file, JSON.stringify({ model_name: 'cli-file', synthetic: { tasks: 4, features: 16, examples_per_task: 300 }, hidden_sizes: [24], max_epochs: 5 }));
    const r = await runCli(['train', ...A, '--request-file', file, '--max-epochs', '1', '--synthetic-tasks', '3', '--submission-id', 'from-file', '--watch', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const job = json<Job__Output>(r.stdout);
    expect(job.state).toBe('SUCCEEDED');
    expect(job.request).toMatchObject({ model_name: 'cli-file', submission_id: 'from-file', max_epochs: 1, hidden_sizes: [24], synthetic: { tasks: 3, features: 16 } });
    expect(oneErrorLine(await runCli(['train', ...A, '--request-file', path.join(dir, 'ragged.json')]))).toMatch(/--request-file .*ragged\.json: not a TrainJobRequest JSON object/);
  });
});
