/**
 * `taan sweep` against a real server over real gRPC: start --watch runs a 2 x 3 grid (architecture x regulariser
 * weight c) to the end, get/ls show the table, cancel of a finished sweep is one error line, and `taan sweep report`
 * writes the sweep page, checked in Debian's headless Chromium: one chart of the objective against c with one line
 * per architecture, the children's table with the server's numbers, no console errors or network requests.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sweep__Output } from '../../src/grpc/generated/taan/v1/Sweep.js';
import { ARTIFACTS, oneErrorLine, runCli, viewReport } from '../helpers/cli.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

const DATA = ['--synthetic', '--synthetic-tasks', '8', '--synthetic-clusters', '2', '--synthetic-features', '16', '--synthetic-examples-per-task', '300', '--synthetic-seed', '1'];
const BUDGET = ['--hidden-sizes', '16', '--num-basis', '8', '--max-epochs', '2', '--batch-size-per-task', '32', '--learning-rate', '3e-3', '--early-stopping-patience', '0'];

let server: ServerProcess;
let A: string[];
let dir: string;
let sweep: Sweep__Output;

beforeAll(async () => {
  server = await startServer();
  A = ['--address', server.address];
  dir = await mkdtemp(path.join(tmpdir(), 'taan-sweep-cli-'));
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('taan sweep', () => {
  it('start --watch runs the grid to the end and prints the final Sweep', async () => {
    const r = await runCli(['sweep', 'start', ...A, '--model-name', 'cli-sweep', ...DATA, ...BUDGET, '--regularizer', 'distance', '--axis-architecture', 'taan,hard_share', '--axis-reg-coefficient', '0,0.1,1', '--submission-id', 'cs-1', '--watch', '--json'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    sweep = JSON.parse(r.stdout) as Sweep__Output;
    expect(sweep.state).toBe('SUCCEEDED');
    expect(sweep.axes).toEqual(['architecture', 'reg_coefficient']);
    expect(sweep.children.map((c) => `${c.config['architecture']}/${c.config['reg_coefficient']}`)).toEqual(['TAAN/0', 'TAAN/0.1', 'TAAN/1', 'HARD_SHARE/0', 'HARD_SHARE/0.1', 'HARD_SHARE/1']);
    // Watching a finished sweep prints its final table at once and succeeds.
    const w = await runCli(['sweep', 'watch', sweep.sweep_id, ...A]);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toMatch(/children:\s+6\/6 ended/);
    expect(w.stdout).toContain(`best:      child ${sweep.children.find((c) => c.job_id === sweep.best_job_id)!.index}, cli-sweep v`);
  });

  it('get and ls show the table; cancelling a finished sweep is one error line', async () => {
    const get = await runCli(['sweep', 'get', sweep.sweep_id, ...A]);
    expect(get.code, get.stderr).toBe(0);
    expect(get.stdout).toMatch(/state:\s+SUCCEEDED/);
    for (const c of sweep.children) {
      expect(get.stdout).toMatch(new RegExp(`\\n\\s*${c.index}\\s+${c.config['architecture']}\\s+${c.config['reg_coefficient']!.replace('.', '\\.')}\\s+SUCCEEDED( \\*)?\\s+${c.valid_objective!.toFixed(4)}\\s+${c.test_map_at_10!.toFixed(4)}`));
    }
    const ls = await runCli(['sweep', 'ls', ...A]);
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toMatch(new RegExp(`${sweep.sweep_id}\\s+cli-sweep\\s+SUCCEEDED\\s+architecture x reg_coefficient\\s+6/6`));
    expect(oneErrorLine(await runCli(['sweep', 'cancel', sweep.sweep_id, ...A]))).toMatch(/already SUCCEEDED/);
    expect(oneErrorLine(await runCli(['sweep', 'start', ...A, '--model-name', 'x', ...DATA]))).toMatch(/at least one axis/);
  });

  it('report writes the sweep page: the objective against c, one line per architecture, in headless Chromium', async () => {
    const file = path.join(dir, 'sweep.html');
    const r = await runCli(['sweep', 'report', sweep.sweep_id, '-o', file, ...A]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`sweep page of ${sweep.sweep_id} (SUCCEEDED) written to ${file}\n`);
    const view = await viewReport(file, 'sweep-report.png', ['objective-by-axis', 'over-seeds', 'children']);
    expect(existsSync(path.join(ARTIFACTS, 'sweep-report.png'))).toBe(true);
    expect(view.problems).toEqual([]);
    expect(view.title).toBe(`TAAN sweep: cli-sweep (${sweep.sweep_id})`);
    const axes = view.sections['objective-by-axis']!;
    // One chart (reg_coefficient), one line per architecture.
    expect(axes.svgs).toBe(1);
    expect(axes.lines).toBe(2);
    expect(axes.text).toContain('reg_coefficient');
    const children = view.sections['children']!;
    const best = sweep.children.find((c) => c.job_id === sweep.best_job_id)!;
    expect(children.text).toContain(`${best.index} (best)`);
    for (const c of sweep.children) expect(children.text).toMatch(new RegExp(`${c.config['architecture']}\\s+${c.config['reg_coefficient']!.replace('.', '\\.')}\\s+SUCCEEDED\\s+${c.valid_objective!.toFixed(4)}\\s+${c.test_map_at_10!.toFixed(4)}`));
    // No seed axis: each configuration is its own group of one.
    expect(view.sections['over-seeds']!.text).toMatch(/TAAN\s+0\.1\s+1\s/);
  });
});
