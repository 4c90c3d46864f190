/**
 * Sweeps through the real server over real gRPC: a 2 x 3 grid runs as six ordinary jobs, the best by validation
 * gets the label, seeds are aggregated per configuration; a repeat of the submission is the same sweep; a cancel
 * cancels the children; and a kill -9 mid-sweep loses nothing: after restart the sweep finishes, no child runs twice
 * and the label moves once.
 */
import { describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { ListJobsResponse__Output } from '../../src/grpc/generated/taan/v1/ListJobsResponse.js';
import type { ListSweepsResponse__Output } from '../../src/grpc/generated/taan/v1/ListSweepsResponse.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { Sweep__Output } from '../../src/grpc/generated/taan/v1/Sweep.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { bestByValidation, smallSweepRequest, sweepEnded, waitForSweep, watchSweep } from '../helpers/sweeps.js';
import { call, callError, startServer } from '../helpers/server-process.js';

async function sweepJobs(client: TaanServiceClient, sweepId: string): Promise<Job__Output[]> {
  const page = await call<ListJobsResponse__Output>(client, 'ListJobs', { page_size: 1000 });
  return page.jobs.filter((j) => j.submission_id.startsWith(`${sweepId}/`));
}

describe('sweeps', () => {
  it('a 2 x 3 sweep runs six children, labels the best by validation and aggregates over seeds', async () => {
    const server = await startServer();
    const client = server.client();
    const started = await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-grid', { submission_id: 'grid-1' }));
    expect(started.state).toBe('RUNNING');
    expect(started.children).toHaveLength(6);
    expect(started.axes).toEqual(['architecture', 'seed']);
    const again = await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-grid', { submission_id: 'grid-1' }));
    expect(again.sweep_id).toBe(started.sweep_id);

    const snapshots = await watchSweep(client, started.sweep_id);
    const done = snapshots.at(-1)!;
    expect(done.state, done.message).toBe('SUCCEEDED');
    expect(snapshots.length).toBeGreaterThan(1);
    expect(done.children.map((c) => c.state)).toEqual(Array(6).fill('SUCCEEDED'));
    expect(done.children.map((c) => `${c.config['architecture']}/${c.config['seed']}`)).toEqual(['TAAN/1', 'TAAN/2', 'TAAN/3', 'HARD_SHARE/1', 'HARD_SHARE/2', 'HARD_SHARE/3']);
    for (const c of done.children) {
      expect(c.valid_objective).toBeGreaterThan(0);
      expect(c.test_map_at_10).toBeGreaterThan(0);
      expect(c.seconds).toBeGreaterThan(0);
      const job = await call<Job__Output>(client, 'GetJob', { job_id: c.job_id });
      expect(job.request!.architecture).toBe(c.config['architecture']);
      expect(String(job.request!.seed)).toBe(c.config['seed']);
      expect(job.model_version).toBe(c.model_version);
    }
    // The best is chosen on validation, and its version carries the label.
    const best = bestByValidation(done);
    expect(done.best_job_id).toBe(best.job_id);
    expect(done.best_model_version).toBe(best.model_version);
    const model = await call<Model__Output>(client, 'GetModel', { model: { name: 'sweep-grid' } });
    expect(model.versions).toHaveLength(6);
    expect(model.version_labels['best']).toBe(best.model_version);
    // One group per architecture, each over its three seeds, the interval around the mean.
    expect(done.groups.map((g) => [g.config['architecture'], g.seeds])).toEqual([['TAAN', 3], ['HARD_SHARE', 3]]);
    for (const g of done.groups) {
      const objectives = done.children.filter((c) => c.config['architecture'] === g.config['architecture']).map((c) => c.valid_objective!);
      expect(g.mean).toBeCloseTo(objectives.reduce((a, b) => a + b, 0) / 3, 9);
      expect(g.ci_low).toBeLessThanOrEqual(g.mean);
      expect(g.ci_high).toBeGreaterThanOrEqual(g.mean);
    }
    expect(server.logs.filter((l) => l['msg'] === 'sweep best labelled')).toHaveLength(1);
    expect(server.logs.filter((l) => /^sweep (step|pass) failed/.test(String(l['msg'])))).toEqual([]);


    // A seeded sample of the grid: distinct points of it, the same ones for the same seed.
    const sampled = await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-sample', { sample_count: 2, sample_seed: 5 }));
    const resampled = await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-sample', { sample_count: 2, sample_seed: 5 }));
    expect(sampled.children.map((c) => c.config)).toEqual(resampled.children.map((c) => c.config));
    expect(sampled.children).toHaveLength(2);
    expect(new Set(sampled.children.map((c) => JSON.stringify(c.config))).size).toBe(2);
    for (const c of sampled.children) expect(done.children.map((d) => JSON.stringify(d.config))).toContain(JSON.stringify(c.config));
    for (const s of [sampled, resampled]) expect((await waitForSweep(client, s.sweep_id, sweepEnded)).state).toBe('SUCCEEDED');
    const list = await call<ListSweepsResponse__Output>(client, 'ListSweeps', { page_size: 2 });
    expect(list.sweeps.map((s) => s.sweep_id)).toEqual([resampled.sweep_id, sampled.sweep_id]);
    const rest = await call<ListSweepsResponse__Output>(client, 'ListSweeps', { page_size: 2, page_token: list.next_page_token });
    expect([rest.sweeps.map((s) => s.sweep_id), rest.next_page_token]).toEqual([[started.sweep_id], '']);

    // Bad input gets a clear status; a finished sweep cannot be cancelled.
    expect((await callError(client, 'StartSweep', { axes: { seed: [1] } })).code).toBe(3);
    expect((await callError(client, 'StartSweep', smallSweepRequest('x', { axes: { learning_rate: [-1] } }))).details).toMatch(/learning_rate/);
    expect((await callError(client, 'StartSweep', smallSweepRequest('x', { axes: { seed: [1, 1] } }))).code).toBe(3);
    expect((await callError(client, 'GetSweep', { sweep_id: 'sweep-nope' })).code).toBe(5);
    expect((await callError(client, 'CancelSweep', { sweep_id: started.sweep_id })).code).toBe(9);
    expect(await server.stop()).toBe(0);
  });

  it('cancelling a sweep cancels its children', async () => {
    const server = await startServer({ env: { TAAN_WORKERS: '1' } });
    const client = server.client();
    const s = await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-cancel', {}, { max_epochs: 20 }));
    await waitForSweep(client, s.sweep_id, (x) => x.children.some((c) => c.state === 'RUNNING'));
    const cancelling = await call<Sweep__Output>(client, 'CancelSweep', { sweep_id: s.sweep_id });
    expect(cancelling.state).toBe('CANCELLING');
    const done = await waitForSweep(client, s.sweep_id, sweepEnded);
    expect(done.state).toBe('CANCELLED');
    const jobs = await sweepJobs(client, s.sweep_id);
    expect(jobs.length).toBeGreaterThan(0);
    for (const j of jobs) expect(['CANCELLED', 'SUCCEEDED']).toContain(j.state);
    expect(jobs.filter((j) => j.state === 'CANCELLED').length).toBeGreaterThan(0);
    const model = await call<Model__Output>(client, 'GetModel', { model: { name: 'sweep-cancel' } }).catch(() => undefined);
    expect(model?.version_labels['best']).toBeUndefined();
    expect(await server.stop()).toBe(0);
  });

  it('kill -9 mid-sweep: after restart the sweep finishes, no child runs twice, the label moves once', async () => {
    const first = await startServer();
    let client = first.client();
    const s = await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-crash', { submission_id: 'crash-1' }, { max_epochs: 6 }));
    const mid = await waitForSweep(client, s.sweep_id, (x) => x.children.filter((c) => c.state === 'SUCCEEDED').length >= 2);
    const before = await sweepJobs(client, s.sweep_id);
    await first.kill();
    expect(sweepEnded(mid)).toBe(false);

    const second = await startServer({ stateDir: first.stateDir });
    client = second.client();
    const done = await waitForSweep(client, s.sweep_id, sweepEnded);
    expect(done.state, done.message).toBe('SUCCEEDED');
    const jobs = await sweepJobs(client, s.sweep_id);
    // Six jobs, one per child: none created twice, each succeeded once, and one model version each.
    expect(jobs).toHaveLength(6);
    expect(new Set(jobs.map((j) => j.submission_id)).size).toBe(6);
    for (const j of jobs) expect(j.transitions.filter((t) => t.state === 'SUCCEEDED')).toHaveLength(1);
    // A child that had finished before the kill did not run again.
    for (const b of before.filter((j) => j.state === 'SUCCEEDED')) {
      expect(jobs.find((j) => j.job_id === b.job_id)!.transitions).toHaveLength(b.transitions.length);
    }
    const model = await call<Model__Output>(client, 'GetModel', { model: { name: 'sweep-crash' } });
    expect(model.versions).toHaveLength(6);
    const best = bestByValidation(done);
    expect(model.version_labels['best']).toBe(best.model_version);
    const labelled = [...first.logs, ...second.logs].filter((l) => l['msg'] === 'sweep best labelled');
    expect(labelled).toHaveLength(1);
    expect((await call<Sweep__Output>(client, 'StartSweep', smallSweepRequest('sweep-crash', { submission_id: 'crash-1' }, { max_epochs: 6 }))).sweep_id).toBe(s.sweep_id);
    console.log(`killed with ${mid.children.filter((c) => c.state === 'SUCCEEDED').length}/6 children done; best child ${best.index} (${JSON.stringify(best.config)}) valid ${best.valid_objective?.toFixed(4)}`);
    expect(await second.stop()).toBe(0);
  });
});
