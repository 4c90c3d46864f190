/**
 * The YouTube-8M runner takes the baselines (issue 17): SOFT_ORDER, MMOE and MMOE+UNCERTAINTY tuned, chosen and scored on
 * the test split like the other methods, and the report places them beside the paper's Soft-Order figure. Tiny
 * networks on 10 of the real shards keep it to seconds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../bench/experiments/yt8m-runs.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const out = mkdtempSync(path.join(tmpdir(), 'taan-experiments-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const COMMON = ['--dataset', 'yt8m', '--methods', 'SOFT_ORDER,MMOE,MMOE+UNCERTAINTY', '--hidden', '8', '--epochs', '1', '--batch', '64', '--threads', '1', '--shards', 'validate000*.tfrecord', '--out', out];

function experiments(args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench/experiments.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr;
}

const runs = (phase: string): RunRecord[] => {
  const dir = path.join(out, 'yt8m', 'runs', phase);
  return readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as RunRecord);
};

describe('npm run experiments -- --dataset yt8m with the baselines', () => {
  it('tunes, retrains and reports SOFT_ORDER and MMOE with uncertainty weighting', () => {
    expect(experiments([...COMMON, '--phase', 'tune', '--lr', '1e-3,3e-3', '--seeds', '0'])).toContain('6 runs planned');
    expect(experiments([...COMMON, '--phase', 'final', '--seeds', '0,1'])).toContain('6 runs planned');
    const final = runs('final');
    const mmoe = final.filter((r) => r.config.method === 'MMOE+UNCERTAINTY');
    const plain = final.find((r) => r.config.method === 'MMOE')!;
    const soft = final.filter((r) => r.config.method === 'SOFT_ORDER');
    expect(mmoe.map((r) => [r.config.architecture, r.config.lossWeighting, r.seed]).sort()).toEqual([['MMOE', 'UNCERTAINTY', 0], ['MMOE', 'UNCERTAINTY', 1]]);
    expect(soft.map((r) => [r.config.architecture, r.config.lossWeighting ?? 'EQUAL'])).toEqual([['SOFT_ORDER', 'EQUAL'], ['SOFT_ORDER', 'EQUAL']]);
    // The weighting reached the network: its learned log-variances are one parameter per task.
    expect(mmoe[0]!.params).toBe(plain.params + Object.keys(plain.test!.mapAt10).length);
    for (const r of final) expect(r.test!.meanMapAt10).toBeGreaterThan(0);

    experiments(['--dataset', 'yt8m', '--phase', 'report', '--out', out]);
    const md = readFileSync(path.join(out, 'yt8m.md'), 'utf8');
    expect(md).toMatch(/\| SOFT_ORDER \| [\d,]+ \| 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\] \| 0, 1 \| 0\.783 \|/);
    expect(md).toMatch(/\| MMOE\+UNCERTAINTY \| [\d,]+ \| 0\.\d{4} \[.*\] \| 0, 1 \| - \|/);
    expect(md).toMatch(/\| MMOE\+UNCERTAINTY - MMOE \| [+-]0\.\d{4} \[.*\] \| 0: [+-]0\.\d{4}, 1: [+-]0\.\d{4} \| - \|/);
    expect(md).not.toContain('| TAAN - MMOE |'); // no TAAN runs: the pair is left out
    expect(md).toMatch(/SOFT_ORDER > HARD_SHARE \(paper \+0\.0080\): cannot tell \(no final runs of both\)/);
  }, 300_000);
});
