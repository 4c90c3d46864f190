/**
 * `taan demo` end to end, as `npm run demo` runs it after the build: in-process service, two trainings with
 * progress, the comparison table, the heatmap, the report (checked in Chromium), all well under 3 minutes.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, viewReport } from '../helpers/cli.js';

describe('taan demo', () => {
  it('trains TAAN and HARD_SHARE, prints the comparison and the heatmap, and writes the report in under 3 minutes', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-demo-test-'));
    const out = path.join(dir, 'demo-report.html');
    const r = await runCli(['demo', '-o', out], { timeoutMs: 230_000, cwd: dir });
    console.log(`taan demo: ${(r.ms / 1000).toFixed(1)} s`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.ms).toBeLessThan(180_000);

    // Progress of both jobs (stderr is not a terminal here, so one line per epoch).
    expect(r.stderr).toContain('[TAAN + DISTANCE] epoch 30/30');
    expect(r.stderr).toContain('[HARD_SHARE] epoch 30/30');
    expect(r.stderr).toContain('[TAAN + DISTANCE] SUCCEEDED');
    expect(r.stderr).toContain('[HARD_SHARE] SUCCEEDED');

    // The comparison: 16 tasks with their cluster, both models, the difference, a mean row and a verdict.
    expect(r.stdout).toMatch(/task\s+cluster\s+HARD_SHARE\s+TAAN\+DISTANCE\s+difference/);
    const rows = [...r.stdout.matchAll(/^(task\d\d)\s+(\d)\s+(0\.\d{4})\s+(0\.\d{4})\s+([+-]0\.\d{4})$/gm)];
    expect(rows.map((m) => m[1]).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `task${String(i).padStart(2, '0')}`));
    for (const m of rows) expect(Number(m[2])).toBe(Number(m[1]!.slice(4)) % 4);
    expect(r.stdout).toMatch(/^mean\s+0\.\d{4}\s+0\.\d{4}\s+[+-]0\.\d{4}$/m);
    expect(r.stdout).toMatch(/TAAN \+ DISTANCE (beats|trails) HARD_SHARE by [+-]0\.\d{4} mean test mAP@10 and is better on \d+ of 16 tasks\./);

    // The heatmap (plain numbers: stdout is not a terminal), rows in the same task_order as the table.
    expect(r.stdout).toContain('Functional distance D between task activations - demo-taan v1, layer 0 (tasks in task_order)');
    const heatRows = [...r.stdout.matchAll(/^(task\d\d)( +\d\.\d{3}){16}$/gm)].map((m) => m[1]);
    expect(heatRows).toEqual(rows.map((m) => m[1]));
    expect(r.stdout).toMatch(/Mean distance between tasks of the same cluster \d\.\d{4}, of different clusters \d\.\d{4}/);

    // The report, and the temporary state folder cleaned up.
    expect(r.stdout).toContain(`Report written to ${out}\n`);
    const state = /state in (\S+?), a temporary folder/.exec(r.stdout)?.[1];
    expect(state).toBeDefined();
    expect(existsSync(state!)).toBe(false);
    const view = await viewReport(out, 'demo-report.png');
    expect(view.problems).toEqual([]);
    expect(view.title).toBe('TAAN report: demo-taan v1');
    expect(view.sections['map-comparison']!.bars).toBe(32);
    expect(view.sections['training-curves']!.lines).toBe(2 + 16 + 2);
    expect(view.sections['activations']!.lines).toBe(3 * 16);
    expect(view.sections['distance']!.cells).toBe(256);
    expect(view.sections['cosine']!.cells).toBe(256);
  }, 240_000);
});
