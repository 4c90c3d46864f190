/**
 * A short crash trial (the full 20-kill campaign is `npx tsx bench/campaign/crash-trial.ts`): the server is killed
 * with SIGKILL while a job steps, while an upload streams, and while a job finishes and publishes, and restarted on
 * the same state directory each time. Nothing acknowledged is lost, every job finishes, every model version answers
 * Predict, no half-written dataset is visible, and the SQLite store passes its integrity check after every kill.
 */
import { describe, expect, it } from 'vitest';
import { crashTrial } from '../../bench/campaign/crash-trial.js';

describe('crash trial, short run', () => {
  it('3 kill -9 and restarts: acknowledged jobs finish, models load, the store stays intact', async () => {
    const r = await crashTrial({ kills: 3, seed: 11, finalTimeoutMs: 60_000 });
    console.log(
      `crash trial: ${r.kills} kills (${r.cycles.map((c) => `${c.mode} at ${c.killAfterMs} ms`).join(', ')}); ` +
        `${r.finished}/${r.acknowledgedJobs} acknowledged jobs finished, ${r.resumed} resumed, ` +
        `${r.datasetsChecked}/${r.acknowledgedUploads} uploads intact, ${r.uploadsCutOff} cut off, ${r.modelVersionsChecked} model versions loaded, ${r.seconds} s`,
    );
    expect(r.failures).toEqual([]);
    expect(r.kills).toBe(3);
    expect(r.cycles.map((c) => c.mode)).toEqual(['training', 'upload', 'finishing']);
    expect(r.acknowledgedJobs).toBeGreaterThan(0);
    expect(r.finished).toBe(r.acknowledgedJobs);
    expect(r.datasetsChecked).toBe(r.acknowledgedUploads);
    expect(r.modelVersionsChecked).toBe(r.jobStates['SUCCEEDED']);
    expect(r.integrity.afterKillsOk).toBe(3);
    expect(r.integrity.final).toBe('ok');
    expect(r.healthAfterRestarts).toEqual({ SERVING: 4 });
    expect(r.ok).toBe(true);
  }, 180_000);
});
