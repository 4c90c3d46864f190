/**
 * The report as a person sees it: trained models on a real server, `taan report` from the built CLI, the file
 * opened in Debian's headless Chromium (the test fails, never skips, without it). No console errors or network
 * requests, every chart present with the run's numbers; the screenshot is kept in test-artifacts/report.png.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import { ARTIFACTS, runCli, viewReport } from '../helpers/cli.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const T = 8;
const EPOCHS = 3;
const DATA = ['--synthetic', '--synthetic-tasks', String(T), '--synthetic-clusters', '2', '--synthetic-features', '16', '--synthetic-examples-per-task', '300', '--synthetic-seed', '1'];
const BUDGET = ['--hidden-sizes', '24,12', '--num-basis', '8', '--max-epochs', String(EPOCHS), '--batch-size-per-task', '32', '--learning-rate', '3e-3', '--early-stopping-patience', '0'];

interface Matrix {
  tasks: string[];
  matrix: number[][];
}

let server: ServerProcess;
let A: string[];
let dir: string;

async function cliJson<T>(args: string[]): Promise<T> {
  const r = await runCli([...args, ...A, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  server = await startServer();
  A = ['--address', server.address];
  dir = await mkdtemp(path.join(tmpdir(), 'taan-report-'));
  await cliJson(['train', '--model-name', 'rep-taan', ...DATA, ...BUDGET, '--regularizer', 'distance', '--watch']);
  await cliJson(['train', '--model-name', 'rep-hs', ...DATA, ...BUDGET, '--architecture', 'HARD_SHARE', '--watch']);
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('taan report in headless Chromium', () => {
  it('shows every chart with data from the run, with no console errors, and keeps a screenshot', async () => {
    const file = path.join(dir, 'report.html');
    const r = await runCli(['report', 'rep-taan', '--baseline', 'rep-hs', '-o', file, ...A]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`report of rep-taan v1 against rep-hs v1 written to ${file}\n`);
    const model = await cliJson<Model__Output>(['models', 'get', 'rep-taan']);
    const baseline = await cliJson<Model__Output>(['models', 'get', 'rep-hs']);
    const layers = [0, 1];
    const dist = await Promise.all(layers.map((l) => cliJson<Matrix>(['metrics', 'rep-taan', '--layer', String(l)])));
    const cos = await Promise.all(layers.map((l) => cliJson<Matrix>(['metrics', 'rep-taan', '--layer', String(l), '--kind', 'cosine'])));
    const ordered = dist[0]!.tasks;

    const view = await viewReport(file, 'report.png');
    expect(existsSync(path.join(ARTIFACTS, 'report.png'))).toBe(true);
    expect(view.problems).toEqual([]);
    expect(view.title).toBe('TAAN report: rep-taan v1');
    expect(view.h1).toBe('TAAN report: rep-taan v1');
    const s = view.sections;

    // Per-task test mAP@10: one bar per task and model, the exact values in the table, tasks in task_order.
    const map = s['map-comparison']!;
    expect(map.bars).toBe(2 * T);
    for (const t of ordered) {
      expect(map.text).toMatch(new RegExp(`${t}\\s+${model.test_metrics!.test_map_at_10[t]!.toFixed(4)}\\s+${baseline.test_metrics!.test_map_at_10[t]!.toFixed(4)}`));
    }
    expect(map.titles.slice(0, 2)).toEqual([
      `${ordered[0]} - rep-taan v1: ${model.test_metrics!.test_map_at_10[ordered[0]!]!.toFixed(4)}`,
      `${ordered[0]} - rep-hs v1 (baseline): ${baseline.test_metrics!.test_map_at_10[ordered[0]!]!.toFixed(4)}`,
    ]);
    expect(map.text).toContain(`${model.test_metrics!.mean_test_map_at_10.toFixed(4)} mean test mAP@10 against ${baseline.test_metrics!.mean_test_map_at_10.toFixed(4)}`);

    // Training curves: loss (2 models) and validation mAP@10 (each task + 2 means), from the model history.
    const curves = s['training-curves']!;
    expect(model.history).toHaveLength(EPOCHS);
    expect(curves.svgs).toBe(2);
    expect(curves.lines).toBe(2 + T + 2);
    expect(curves.text).toContain(`${EPOCHS} epochs; final train loss ${model.history.at(-1)!.train_loss.toFixed(4)}, validation mAP@10 ${model.history.at(-1)!.mean_valid_map_at_10.toFixed(4)}`);

    // Activations: per layer, an overlay, the deviations and one small chart per task.
    const act = s['activations']!;
    expect(act.svgs).toBe(layers.length * (2 + T));
    expect(act.lines).toBe(layers.length * 3 * T);
    for (const t of ordered) expect(act.text).toContain(t);
    expect(act.text).toMatch(/Layer 0[\s\S]*Layer 1/);

    // Heatmaps: T x T cells per layer whose tooltips carry the server's values, rows in task_order.
    for (const [id, matrices] of [['distance', dist], ['cosine', cos]] as const) {
      const sec = s[id]!;
      expect(sec.cells).toBe(layers.length * T * T);
      for (const t of ordered) expect(sec.text).toContain(t);
      matrices.forEach((m, l) => {
        expect(m.tasks).toEqual(ordered);
        const titles = sec.titles.slice(l * T * T, (l + 1) * T * T);
        m.matrix.forEach((row, i) => row.forEach((v, j) => expect(titles[i * T + j]).toBe(`${ordered[i]} / ${ordered[j]}: ${v.toFixed(4)}`)));
      });
    }
  });

  it('reports a model without task activations, and says why those sections are empty', async () => {
    const file = path.join(dir, 'hs.html');
    const r = await runCli(['report', 'rep-hs', '-o', file, ...A]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<section id="map-comparison">');
    expect(html).toMatch(/<section id="distance"><h2>[^<]+<\/h2><p class="note">[^<]*TAAN/);
    expect(html).toContain('No baseline was given');
  });
});
